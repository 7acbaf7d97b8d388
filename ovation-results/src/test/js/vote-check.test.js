import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { createStore } from '../../main/resources/dev/ovation/results/web/js/state.js';
import { createVoteCheck } from '../../main/resources/dev/ovation/results/web/js/vote-check.js';
import { json, serve } from './support.js';

let server;

afterEach(() => server && server.close());

/** A check on contest "gala" against a server that answers {@code status} and {@code body}. */
async function checkAgainst(status, body, hold) {
  server = await serve(async (request, response) => {
    if (hold) await hold;
    if (body === undefined) {
      response.writeHead(status);
      return response.end();
    }
    return json(response, status, body);
  });
  const store = createStore('gala');
  return { S: store.state, check: createVoteCheck(store, server.api) };
}

test('no id asks for one, and nothing is looked up', async () => {
  const { S, check } = await checkAgainst(200, {});
  S.checkId = '   ';

  await check.check();

  assert.deepEqual(S.check, { status: 'error', message: 'Enter the vote id from your receipt, then press Check.' });
  assert.deepEqual(server.paths, []);
});

test('a counted vote shows with its band and album', async () => {
  const vote = { band: 'Queen', album: 'Jazz', receivedAt: '2026-12-01T20:00:00Z' };
  const { S, check } = await checkAgainst(200, { status: 'counted', message: 'Your vote was counted.', vote });
  S.checkId = ' 7f3a/b ';

  await check.check();

  assert.deepEqual(server.paths, ['/api/contests/gala/votes/7f3a%2Fb']);
  assert.deepEqual(S.check, { status: 'counted', message: 'Your vote was counted.', vote, reason: undefined });
  assert.equal(S.checkBusy, false);
});

test('an answer without a message says its status in words', async () => {
  const { S, check } = await checkAgainst(200, { status: 'not_seen' });
  S.checkId = 'abc';

  await check.check();

  assert.deepEqual(S.check, { status: 'not_seen', message: 'not seen', vote: null, reason: undefined });
});

test("a refusal shows the server's message", async () => {
  const { S, check } = await checkAgainst(429, { error: 'rate_limited', message: 'Too many checks; try again in 1 s.' });
  S.checkId = 'abc';

  await check.check();

  assert.deepEqual(S.check, { status: 'error', message: 'Too many checks; try again in 1 s.' });
});

test('an error without a message gives the status and what to do', async () => {
  const { S, check } = await checkAgainst(500, undefined);
  S.checkId = 'abc';

  await check.check();

  assert.deepEqual(S.check, { status: 'error', message: 'The server could not look this vote up (HTTP 500). Try again in a moment.' });
});

test('a server that does not answer is said so', async () => {
  const { S, check } = await checkAgainst(200, {});
  await server.close();
  S.checkId = 'abc';

  await check.check();

  assert.equal(S.check.status, 'error');
  assert.equal(S.check.message, 'The server did not answer, so the vote could not be looked up. Check your connection and try again.');
  assert.equal(S.checkBusy, false);
});

test('an answer that comes after the contest changed is dropped', async () => {
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  const { S, check } = await checkAgainst(200, { status: 'counted' }, held);
  S.checkId = 'abc';

  const checking = check.check();
  assert.equal(S.checkBusy, true);
  S.contestId = 'default';
  release();
  await checking;

  assert.equal(S.check, null);
  assert.equal(S.checkBusy, false);
});
