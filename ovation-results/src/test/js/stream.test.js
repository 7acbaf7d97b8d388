import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { createStore } from '../../main/resources/dev/ovation/results/web/js/state.js';
import { applyUpdate, createLiveStream, REOPEN_MS } from '../../main/resources/dev/ovation/results/web/js/stream.js';
import { eventually, FakeEventSource, json, manualTimers, serve } from './support.js';

let server;

afterEach(() => server && server.close());

/** A stream of contest "gala" whose /results the server answers with {@code status} and {@code body}. */
async function streamOf(status, body) {
  server = await serve((request, response) => json(response, status, body));
  const store = createStore('gala');
  const opened = [];
  const updates = [];
  const results = [];
  const timers = manualTimers();
  const stream = createLiveStream({
    store,
    api: server.api,
    open: (url) => {
      const source = new FakeEventSource(url);
      opened.push(source);
      return source;
    },
    onUpdate: (update) => updates.push(update),
    onResults: (r) => results.push(r),
    timers,
  });
  return { store, S: store.state, stream, opened, updates, results, timers };
}

/** The browser gave up on {@code source} (an HTTP error). */
function refuse(source) {
  source.readyState = FakeEventSource.CLOSED;
  source.emit('error');
}

function recorder() {
  const calls = [];
  const to = {};
  for (const name of ['results', 'resetRate', 'resetLog', 'loadContests', 'appendRate', 'liveEntries']) {
    to[name] = (arg) => calls.push(arg === undefined ? [name] : [name, arg]);
  }
  return { calls, to };
}

test('a first update replaces the results, the rate and the log, then refreshes the contests', () => {
  const { calls, to } = recorder();

  applyUpdate({ first: true, results: { total: 1 }, rate: [{ at: 't', votes: 1 }] }, to);

  assert.deepEqual(calls, [['results', { total: 1 }], ['resetRate', [{ at: 't', votes: 1 }]], ['resetLog', []], ['loadContests']]);
});

test('a later update adds only what it carries', () => {
  const { calls, to } = recorder();

  applyUpdate({ results: { total: 2 }, rate: [], entries: [{ id: 'a' }] }, to);
  applyUpdate({ rate: [{ at: 't', votes: 2 }] }, to);

  assert.deepEqual(calls, [['results', { total: 2 }], ['liveEntries', [{ id: 'a' }]], ['appendRate', [{ at: 't', votes: 2 }]]]);
});

test("the stream of the page's contest goes live and hands its updates on", async () => {
  const { S, stream, opened, updates, store } = await streamOf(200, {});
  store.setError('stream', 'Lost the live stream.');

  stream.connect();
  assert.equal(opened[0].url, '/api/contests/gala/stream');
  assert.equal(S.connection, 'connecting');
  opened[0].emit('open');
  assert.equal(S.connection, 'live');
  opened[0].emit('update', { data: '{"first":true,"results":{"total":3}}' });

  assert.deepEqual(updates, [{ first: true, results: { total: 3 } }]);
  assert.equal(store.errorText(), '');
});

test('an update the page cannot read is said so and not handed on', async () => {
  const { stream, opened, updates, store } = await streamOf(200, {});
  stream.connect();

  opened[0].emit('update', { data: '{"first":' });

  assert.deepEqual(updates, []);
  assert.match(store.errorText(), /^The live stream sent an update this page cannot read\./);
});

test('a dropped connection is left to the browser to reopen', async () => {
  const { S, stream, opened, store, timers } = await streamOf(200, {});
  stream.connect();

  opened[0].emit('error');

  assert.equal(S.connection, 'reconnecting');
  assert.match(store.errorText(), /^Lost the live stream; reconnecting by itself\./);
  assert.deepEqual(timers.waits(), []);
  assert.deepEqual(server.paths, []);
});

test('a refused stream shows the results read instead, and is opened again after a wait', async () => {
  const { stream, opened, results, store, timers } = await streamOf(200, { total: 7 });
  stream.connect();

  refuse(opened[0]);

  await eventually(() => assert.deepEqual(results, [{ total: 7 }]));
  assert.deepEqual(server.paths, ['/api/contests/gala/results']);
  assert.match(store.errorText(), /^The live stream is unavailable, so these numbers do not move;/);
  assert.deepEqual(timers.waits(), [REOPEN_MS[0]]);
  timers.fire();
  assert.equal(opened.length, 2);
  assert.equal(opened[0].closed, true);
});

test('the waits grow while the stream stays refused, and start again once it sends', async () => {
  const { stream, opened, timers } = await streamOf(200, { total: 7 });
  stream.connect();
  const waits = [];
  for (let i = 0; i < 5; i++) {
    refuse(opened.at(-1));
    waits.push(...timers.waits());
    timers.fire();
  }
  assert.deepEqual(waits, [3000, 5000, 10000, 30000, 30000]);

  opened.at(-1).emit('update', { data: '{}' });
  refuse(opened.at(-1));
  assert.deepEqual(timers.waits(), [3000]);
});

test('a contest that does not exist says to pick another', async () => {
  const { stream, opened, store } = await streamOf(404, { error: 'unknown_contest', message: 'There is no contest "gala".' });
  stream.connect();

  refuse(opened[0]);

  await eventually(() => assert.equal(store.errorText(), 'There is no contest "gala". Pick a contest in the list above.'));
});

test("a results service in error is quoted", async () => {
  const { stream, opened, store } = await streamOf(503, { error: 'unavailable', message: 'Redis is unavailable' });
  stream.connect();

  refuse(opened[0]);

  await eventually(() => assert.equal(store.errorText(),
    'The results service answered with an error (Redis is unavailable); retrying every few seconds.'));
});

test('a results service that does not answer is said so', async () => {
  const { stream, opened, store } = await streamOf(200, {});
  await server.close();
  stream.connect();

  refuse(opened[0]);

  await eventually(() => assert.equal(store.errorText(),
    'The results service does not answer (the server did not answer); retrying every few seconds. Check that it is running.'));
});

test('events of a stream replaced by another are ignored', async () => {
  const { S, stream, opened, updates } = await streamOf(200, {});
  stream.connect();
  stream.connect();

  opened[0].emit('update', { data: '{"old":true}' });
  opened[0].emit('error');

  assert.deepEqual(updates, []);
  assert.equal(S.connection, 'connecting');
  assert.equal(opened[0].closed, true);
});

test('disconnect closes the stream and cancels a planned reopening', async () => {
  const { stream, opened, timers } = await streamOf(200, {});
  stream.connect();
  refuse(opened[0]);

  stream.disconnect();

  assert.deepEqual(timers.waits(), []);
  assert.equal(opened.length, 1);
});
