/*
 * The contest's live stream (GET /api/contests/{c}/stream, server-sent events): a first update with
 * the whole picture, then what changed. The browser reconnects by itself after a network error; after
 * an HTTP error it gives up, and the page opens the stream again after a wait, saying why it stopped.
 */

import { contestPath } from './api.js';

/** Wait before opening the stream again after it closed for good (HTTP error, wrong type). */
export const REOPEN_MS = [3000, 5000, 10000, 30000];
/** EventSource.CLOSED: the browser will not reconnect by itself. */
const CLOSED = 2;

/**
 * Hands an update to the parts of the page: a first one replaces the results, the rate and the log
 * (and refreshes the list of contests); later ones add to them.
 */
export function applyUpdate(update, to) {
  if (update.first) {
    if (update.results) to.results(update.results);
    to.resetRate(update.rate || []);
    to.resetLog(update.entries || []);
    to.loadContests();
    return;
  }
  if (update.results) to.results(update.results);
  if (update.rate && update.rate.length) to.appendRate(update.rate);
  if (update.entries && update.entries.length) to.liveEntries(update.entries);
}

/**
 * The stream of the store's contest. {@code open(url)} opens an EventSource; {@code onUpdate} gets
 * each update read; {@code onResults} the results read when the stream is refused; {@code timers}
 * has setTimeout and clearTimeout.
 */
export function createLiveStream({ store, api, open, onUpdate, onResults, timers = globalThis }) {
  const S = store.state;
  let source = null;
  let reopenTimer = 0;
  let reopenAttempt = 0;

  function disconnect() {
    if (source) source.close();
    source = null;
    timers.clearTimeout(reopenTimer);
  }

  function connect() {
    disconnect();
    const mine = ++store.generation;
    S.connection = 'connecting';
    const stream = open(contestPath(S.contestId) + '/stream');
    source = stream;
    stream.addEventListener('open', () => {
      if (mine === store.generation) S.connection = 'live';
    });
    stream.addEventListener('update', (event) => {
      if (mine !== store.generation) return;
      let update;
      try {
        update = JSON.parse(event.data);
      } catch (e) {
        store.setError('stream', 'The live stream sent an update this page cannot read. Reload the page; if it keeps happening, the page and the server are from different versions.');
        return;
      }
      S.connection = 'live';
      reopenAttempt = 0;
      store.clearError('stream');
      onUpdate(update);
    });
    stream.addEventListener('error', () => {
      if (mine !== store.generation) return;
      S.connection = 'reconnecting';
      if (stream.readyState === CLOSED) {
        explainClosedStream(mine);
        const wait = REOPEN_MS[Math.min(reopenAttempt++, REOPEN_MS.length - 1)];
        reopenTimer = timers.setTimeout(() => {
          if (mine === store.generation) connect();
        }, wait);
      } else {
        store.setError('stream', 'Lost the live stream; reconnecting by itself. If it does not come back, check that the results service is running, then reload the page.');
      }
    });
  }

  /** The browser gave up on the stream (an HTTP error): ask the results endpoint why. */
  async function explainClosedStream(mine) {
    try {
      const answer = await api.getJson(contestPath(S.contestId) + '/results');
      if (mine !== store.generation) return;
      if (answer.ok && answer.body) {
        onResults(answer.body);
        store.setError('stream', 'The live stream is unavailable, so these numbers do not move; retrying every few seconds. Reload the page if it does not recover.');
      } else if (answer.body && answer.body.error === 'unknown_contest') {
        store.setError('stream', (answer.body.message || 'There is no such contest.') + ' Pick a contest in the list above.');
      } else {
        const why = answer.body && answer.body.message ? answer.body.message : 'HTTP ' + answer.status;
        store.setError('stream', 'The results service answered with an error (' + why + '); retrying every few seconds.');
      }
    } catch (e) {
      if (mine !== store.generation) return;
      store.setError('stream', 'The results service does not answer (' + e.message + '); retrying every few seconds. Check that it is running.');
    }
  }

  return { connect, disconnect };
}
