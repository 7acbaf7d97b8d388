import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import {
  createVoteLog, HOLD_MAX, logNote, MAX_LINES, olderHidden, PAGE_SIZE,
} from '../../main/resources/dev/ovation/results/web/js/log.js';
import { createStore } from '../../main/resources/dev/ovation/results/web/js/state.js';
import { json, serve } from './support.js';

/** Votes numbered from 1 (oldest) to n, newest first as the log lists them; every third is Abba's. */
function votes(from, to) {
  const list = [];
  for (let i = to; i >= from; i--) list.push(vote(i));
  return list;
}

function vote(i) {
  return { id: 'v' + i, band: i % 3 === 0 ? 'Abba' : 'Queen', album: i % 3 === 0 ? 'Arrival' : 'Jazz', status: 'counted' };
}

const ids = (lines) => lines.map((e) => e.id);

let server;

/**
 * The results API's log over {@code all} (newest first): pages of {@code limit} under the filter,
 * the cursor the index to go on from. {@code hold}, when set, is awaited before answering.
 */
async function logServer(all, options = {}) {
  server = await serve(async (request, response, url) => {
    if (options.hold) await options.hold();
    if (options.status) return json(response, options.status, { error: 'unavailable', message: 'the vote log is unavailable' });
    const band = url.searchParams.get('band');
    const album = url.searchParams.get('album');
    const matching = all.filter((e) => (!band || e.band === band) && (!album || e.album === album));
    const from = Number(url.searchParams.get('cursor') || 0);
    const end = from + Number(url.searchParams.get('limit'));
    json(response, 200, { entries: matching.slice(from, end), next: end < matching.length ? String(end) : null });
  });
  const store = createStore('gala');
  return { store, S: store.state, log: createVoteLog(store, server.api) };
}

afterEach(() => server && server.close());

test('a first update fills the screen and keeps the rest below it', async () => {
  const { S, log } = await logServer([]);

  log.reset(votes(1, 250));

  assert.deepEqual(ids(S.lines), ids(votes(51, 250)));
  assert.equal(S.below, 50);
  assert.equal(olderHidden(S), false);
});

test('older votes come from below the screen first, without asking the server', async () => {
  const { S, log } = await logServer(votes(1, 250));
  log.reset(votes(1, 250));

  await log.older();

  assert.equal(S.lines.length, MAX_LINES);
  assert.equal(S.lines.at(-1).id, 'v1');
  assert.equal(S.held, PAGE_SIZE, 'the newest lines went off the top, held as new');
  assert.equal(S.paused, true);
  assert.deepEqual(server.paths, []);
});

test('a log from the stream pages back from the newest vote, skipping what is on screen', async () => {
  const { S, log } = await logServer(votes(1, 120));
  log.reset(votes(71, 120));

  await log.older();

  assert.deepEqual(ids(S.lines), ids(votes(21, 120)));
  assert.deepEqual(server.paths, ['/api/contests/gala/logs?limit=50', '/api/contests/gala/logs?limit=50&cursor=50']);
  assert.equal(S.next, '100');
  assert.equal(S.nextKnown, true);

  await log.older();
  assert.equal(S.lines.at(-1).id, 'v1');
  assert.equal(S.logEnd, true);
  assert.equal(olderHidden(S), true);
  assert.equal(logNote(S), 'That is the first vote of this log.');
});

test('live votes go on top once each and are marked fresh', async () => {
  const { S, log } = await logServer([]);
  log.reset(votes(1, 3));

  log.onLiveEntries(votes(3, 5));

  assert.deepEqual(ids(S.lines), ['v5', 'v4', 'v3', 'v2', 'v1']);
  assert.equal(log.isFresh(S.lines[0]), true);
  assert.equal(log.isFresh(S.lines[2]), false);
});

test('a live vote that pushes the screen over its limit keeps the oldest line below', async () => {
  const { S, log } = await logServer([]);
  log.reset(votes(1, MAX_LINES));

  log.onLiveEntries([vote(MAX_LINES + 1)]);

  assert.equal(S.lines.length, MAX_LINES);
  assert.equal(S.lines[0].id, 'v' + (MAX_LINES + 1));
  assert.equal(S.below, 1);
});

test('paused, new votes are held and counted, and shown on top on resume', async () => {
  const { S, log } = await logServer([]);
  log.reset(votes(1, 2));

  log.togglePause();
  log.onLiveEntries(votes(3, 4));
  assert.deepEqual(ids(S.lines), ['v2', 'v1']);
  assert.equal(S.held, 2);

  log.togglePause();
  assert.equal(S.paused, false);
  assert.equal(S.held, 0);
  assert.deepEqual(ids(S.lines), ['v4', 'v3', 'v2', 'v1']);
});

test('more held than can join the screen starts again from the newest, and pages back no further', async () => {
  const { S, log } = await logServer([]);
  log.reset(votes(1, 10));
  log.togglePause();

  log.onLiveEntries(votes(11, 10 + HOLD_MAX + 5));
  log.togglePause();

  assert.equal(S.lines[0].id, 'v' + (10 + HOLD_MAX + 5));
  assert.equal(S.lines.length, MAX_LINES);
  assert.equal(S.below, HOLD_MAX - MAX_LINES);
  assert.equal(S.next, null);
  assert.equal(S.nextKnown, true);
  assert.ok(!ids(S.lines).includes('v10'), 'the lines before the gap are gone');
});

test('choosing a band asks the server for its newest page', async () => {
  const { S, log } = await logServer(votes(1, 300));
  log.reset(votes(251, 300));

  await log.chooseBand('Abba');

  assert.deepEqual(server.paths, ['/api/contests/gala/logs?limit=50&band=Abba']);
  assert.equal(S.lines.length, PAGE_SIZE);
  assert.ok(S.lines.every((e) => e.band === 'Abba'));
  assert.equal(S.next, '50');
  assert.equal(S.logBusy, false);
});

test('a filtered log shows only the live votes that pass the filter', async () => {
  const { S, log } = await logServer(votes(1, 6));
  await log.chooseBand('Abba');
  await log.chooseAlbum('Arrival');

  log.onLiveEntries(votes(7, 9));

  assert.deepEqual(ids(S.lines), ['v9', 'v6', 'v3']);
  assert.equal(server.paths.at(-1), '/api/contests/gala/logs?limit=50&band=Abba&album=Arrival');
});

test('live votes that come during a reload are kept once, above the page', async () => {
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  const { S, log } = await logServer(votes(1, 9), { hold: () => held });

  const reloading = log.chooseBand('Abba');
  log.onLiveEntries([vote(12), vote(9)]);
  assert.equal(S.logBusy, true);
  release();
  await reloading;

  assert.deepEqual(ids(S.lines), ['v12', 'v9', 'v6', 'v3']);
  assert.equal(log.isFresh(S.lines[0]), true);
});

test('an answer for another filter or contest is dropped', async () => {
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  const { store, S, log } = await logServer(votes(1, 9), { hold: () => held });

  const first = log.chooseBand('Abba');
  store.generation++;
  log.clear();
  release();
  await first;

  assert.deepEqual(S.lines, []);
  assert.equal(store.errorText(), '');
});

test('another contest while a page of the log loads leaves the new log ready to page', async () => {
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  const { store, S, log } = await logServer(votes(1, 9), { hold: () => held });
  const loading = log.chooseBand('Abba');

  store.generation++;
  S.band = '';
  log.clear();
  release();
  await loading;

  assert.equal(S.logBusy, false);
  assert.equal(logNote(S), 'No votes yet. They appear here as they are counted.');
});

test('a log that cannot be read says so and how to retry', async () => {
  const { S, log, store } = await logServer([], { status: 503 });

  await log.chooseBand('Queen');

  assert.equal(store.errorText(), 'Could not load the vote log (the vote log is unavailable). Choose the filter again to retry.');
  assert.equal(S.logBusy, false);
});

test('older votes that cannot be read say so and how to retry', async () => {
  const { S, log, store } = await logServer([], { status: 503 });
  log.reset(votes(1, 5));

  await log.older();

  assert.equal(store.errorText(), 'Could not load older votes (the vote log is unavailable). Press "Older votes" again to retry.');
  assert.equal(S.logBusy, false);
  assert.deepEqual(ids(S.lines), ids(votes(1, 5)));
});

test('the note under the log says why it is empty', () => {
  const S = { lines: [], logBusy: false, band: '', below: 0, logEnd: false, nextKnown: false, next: null };

  assert.equal(logNote(S), 'No votes yet. They appear here as they are counted.');
  assert.equal(logNote({ ...S, band: 'Queen' }), 'No votes for this filter yet.');
  assert.equal(logNote({ ...S, logBusy: true }), 'loading…');
  assert.equal(logNote({ ...S, lines: [vote(1)] }), null);
  assert.equal(olderHidden(S), true, 'an empty log from the stream has nothing to page back to');
  assert.equal(olderHidden({ ...S, band: 'Queen' }), false);
});
