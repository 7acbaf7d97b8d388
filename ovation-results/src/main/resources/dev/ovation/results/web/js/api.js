/*
 * The results API as the page uses it: its paths, and GETs of JSON bodies. The page reads only from
 * the server it came from.
 */

import { addFilter } from './filter.js';

/** The path of contest {@code id}'s resources. */
export function contestPath(id) {
  return '/api/contests/' + encodeURIComponent(id);
}

/** A page of {@code limit} entries of the vote log, from {@code cursor} (null: the newest), filtered. */
export function logPath(contestId, filter, cursor, limit) {
  const q = new URLSearchParams();
  q.set('limit', String(limit));
  if (cursor) q.set('cursor', cursor);
  addFilter(q, filter);
  return contestPath(contestId) + '/logs?' + q.toString();
}

/** The vote log as CSV, filtered as the page's log is. */
export function logExportPath(contestId, filter) {
  const query = addFilter(new URLSearchParams(), filter).toString();
  return contestPath(contestId) + '/logs.csv' + (query ? '?' + query : '');
}

/**
 * GETs over {@code fetchFn} (the browser's fetch by default; the tests give one that prefixes their
 * server's address).
 */
export function createApi(fetchFn = (path, init) => fetch(path, init)) {
  /** GET a JSON body; resolves with {status, ok, body}, rejects only when the server did not answer. */
  async function getJson(path) {
    let response;
    try {
      response = await fetchFn(path, { headers: { Accept: 'application/json' }, cache: 'no-store' });
    } catch (e) {
      throw new Error('the server did not answer');
    }
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = null;
    }
    return { status: response.status, ok: response.ok, body };
  }

  /** GET a JSON body that must be a success; rejects with the server's message otherwise. */
  async function getOk(path) {
    const answer = await getJson(path);
    if (!answer.ok || answer.body === null) {
      const message = answer.body && answer.body.message ? answer.body.message : 'HTTP ' + answer.status;
      const error = new Error(message);
      error.body = answer.body;
      throw error;
    }
    return answer.body;
  }

  return { getJson, getOk };
}
