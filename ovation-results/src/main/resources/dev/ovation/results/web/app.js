/*
 * Ovation live results page: the entry module, which builds the page's parts and wires them to the
 * browser (the address bar, the window's title, EventSource, fetch).
 *
 * One Vue 3 app written with render functions (the page loads Vue's runtime-only build, and the
 * Content-Security-Policy forbids eval, so templates cannot be compiled). Data comes from the
 * results stream (GET /api/contests/{c}/stream, server-sent events); the vote log pages back with
 * GET /logs, a vote is looked up with GET /votes/{id}. Everything that comes from a vote or a contest
 * is rendered as text: Vue escapes text children, Chart.js draws text on a canvas, and nothing here
 * writes HTML.
 *
 * The modules are served as they are (no bundler): js/*.js hold the logic and run in Node's tests
 * too (src/test/js), js/view/*.js render it with Vue and are covered by the browser suite.
 */

import { createApi } from './js/api.js';
import { createCharts } from './js/charts.js';
import { createContest } from './js/contest.js';
import { createVoteLog } from './js/log.js';
import { createPalette } from './js/palette.js';
import { createRate } from './js/rate.js';
import { contestFromSearch, createStore } from './js/state.js';
import { applyUpdate, createLiveStream } from './js/stream.js';
import { createVoteCheck } from './js/vote-check.js';
import { page } from './js/view/page.js';
import { createApp, markRaw, reactive } from './js/view/vue.js';

const store = createStore(contestFromSearch(location.search), { reactive, markRaw });
const api = createApi();
const palette = createPalette();
const charts = createCharts({ Chart: globalThis.Chart, store, palette });
const rate = createRate((points, latest) => {
  store.state.rateNow = latest;
  charts.setRate(points);
});
const log = createVoteLog(store, api);
const check = createVoteCheck(store, api);

/** The browser outside the page's own part of the document. */
const browser = {
  setTitle(text) {
    document.title = text;
  },
  showContest(id) {
    const url = new URL(location.href);
    url.searchParams.set('contest', id);
    history.replaceState(null, '', url);
  },
};

const contest = createContest({
  store,
  api,
  page: browser,
  onSwitch() {
    palette.clear();
    log.clear();
    rate.reset([]);
    stream.connect();
  },
});

const stream = createLiveStream({
  store,
  api,
  open: (url) => new EventSource(url),
  onResults: contest.show,
  onUpdate: (update) => applyUpdate(update, {
    results: contest.show,
    resetRate: rate.reset,
    resetLog: log.reset,
    loadContests: contest.loadList,
    appendRate: rate.append,
    liveEntries: log.onLiveEntries,
  }),
});

createApp(page({ store, log, check, contest, charts })).mount('#app');
contest.loadList();
stream.connect();
window.addEventListener('pagehide', stream.disconnect);
window.addEventListener('pageshow', (event) => {
  if (event.persisted) stream.connect();
});
