import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import {
  contestOptions, createContest, describeContest, PAGE_TITLE,
} from '../../main/resources/dev/ovation/results/web/js/contest.js';
import { createStore } from '../../main/resources/dev/ovation/results/web/js/state.js';
import { json, serve } from './support.js';

let server;

afterEach(() => server && server.close());

/** The contest module of a page showing "gala", over a server answering {@code status} and {@code body}. */
async function contestOf(status, body) {
  server = await serve((request, response) => json(response, status, body));
  const store = createStore('gala');
  const browser = { titles: [], shown: [], setTitle(t) { this.titles.push(t); }, showContest(id) { this.shown.push(id); } };
  const switches = [];
  const contest = createContest({ store, api: server.api, page: browser, onSwitch: () => switches.push(store.state.contestId) });
  return { store, S: store.state, contest, browser, switches };
}

test('the list of contests is read for the switcher', async () => {
  const list = [{ id: 'default', title: 'Default' }, { id: 'gala', title: 'Gala night' }];
  const { S, contest, store } = await contestOf(200, list);
  store.setError('contests', 'Could not load the list of contests.');

  await contest.loadList();

  assert.deepEqual(S.contests, list);
  assert.deepEqual(server.paths, ['/api/contests']);
  assert.equal(store.errorText(), '');
});

test('a list that cannot be read is said so, and the switcher keeps this contest', async () => {
  const { S, contest, store } = await contestOf(503, { error: 'unavailable', message: 'the contests are unavailable' });

  await contest.loadList();

  assert.deepEqual(S.contests, []);
  assert.equal(store.errorText(), 'Could not load the list of contests (the contests are unavailable); the switcher shows only this one. Reload the page to try again.');
  assert.deepEqual(contestOptions(S), [{ id: 'gala', label: 'gala' }]);
});

test('results are shown with their title in the window title', async () => {
  const { S, contest, browser } = await contestOf(200, []);

  contest.show({ title: 'Gala night', total: 3 });
  contest.show({ total: 4 });

  assert.deepEqual(S.results, { total: 4 });
  assert.deepEqual(browser.titles, ['Ovation — Gala night']);
});

test('another contest starts from nothing, keeping only the error about the list', async () => {
  const { S, contest, browser, switches, store } = await contestOf(200, []);
  Object.assign(S, { results: { total: 3 }, band: 'Queen', album: 'Jazz', paused: true, check: { status: 'counted' } });
  store.setError('contests', 'No list.');
  store.setError('stream', 'No stream.');

  contest.choose('default');

  assert.equal(S.contestId, 'default');
  assert.deepEqual([S.results, S.band, S.album, S.paused, S.check], [null, '', '', false, null]);
  assert.equal(store.errorText(), 'No list.');
  assert.deepEqual(browser.shown, ['default']);
  assert.deepEqual(browser.titles, [PAGE_TITLE]);
  assert.deepEqual(switches, ['default']);
});

test('choosing the contest shown does nothing', async () => {
  const { S, contest, browser, switches } = await contestOf(200, []);
  S.band = 'Queen';

  contest.choose('gala');

  assert.equal(S.band, 'Queen');
  assert.deepEqual([browser.shown, switches], [[], []]);
});

test('the top bar describes the contest from its results, else from the list', () => {
  const listed = { id: 'gala', title: 'Gala night', status: 'not_yet_open', opensAt: '2026-12-01T20:00:00Z' };
  const S = { contestId: 'gala', contests: [listed], results: null };

  assert.deepEqual(describeContest(S),
    { title: 'Gala night', status: 'not_yet_open', opensAt: '2026-12-01T20:00:00Z', closesAt: undefined, known: true });
  assert.deepEqual(describeContest({ ...S, results: { title: 'Gala', status: 'open', opensAt: null, closesAt: null } }),
    { title: 'Gala', status: 'open', opensAt: null, closesAt: null, known: true });
  assert.deepEqual(describeContest({ ...S, contests: [] }),
    { title: 'gala', status: null, opensAt: undefined, closesAt: undefined, known: false });
});

test('the switcher names each contest by title and id, and always has the one shown', () => {
  const S = { contestId: 'late', contests: [{ id: 'default' }, { id: 'gala', title: 'Gala night' }] };

  assert.deepEqual(contestOptions(S), [
    { id: 'late', label: 'late' }, { id: 'default', label: 'default' }, { id: 'gala', label: 'Gala night (gala)' },
  ]);
});
