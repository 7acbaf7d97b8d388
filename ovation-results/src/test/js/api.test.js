import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { contestPath, createApi, logExportPath, logPath } from '../../main/resources/dev/ovation/results/web/js/api.js';
import { json, serve } from './support.js';

let server;

before(async () => {
  server = await serve((request, response, url) => {
    switch (url.pathname) {
      case '/ok': return json(response, 200, { accept: request.headers.accept, total: 3 });
      case '/unknown': return json(response, 404, { error: 'unknown_contest', message: 'There is no contest "nope".' });
      case '/bare-error': response.writeHead(502); return response.end('Bad Gateway');
      case '/not-json': response.writeHead(200, { 'content-type': 'text/html' }); return response.end('<html>');
      default: return json(response, 404, { error: 'not_found' });
    }
  });
});

after(() => server.close());

test('paths name the contest encoded', () => {
  assert.equal(contestPath('gala'), '/api/contests/gala');
  assert.equal(contestPath('a b/c'), '/api/contests/a%20b%2Fc');
});

test('a log page asks for its size, its cursor and the filter', () => {
  assert.equal(logPath('gala', { band: '', album: '' }, null, 50), '/api/contests/gala/logs?limit=50');
  assert.equal(logPath('gala', { band: 'Queen', album: 'Jazz' }, 'p/3', 50),
    '/api/contests/gala/logs?limit=50&cursor=p%2F3&band=Queen&album=Jazz');
});

test('the log export carries the filter, and no query without one', () => {
  assert.equal(logExportPath('gala', { band: '', album: '' }), '/api/contests/gala/logs.csv');
  assert.equal(logExportPath('gala', { band: 'Queen', album: '' }), '/api/contests/gala/logs.csv?band=Queen');
});

test('getJson asks for JSON and gives the status and body', async () => {
  assert.deepEqual(await server.api.getJson('/ok'), { status: 200, ok: true, body: { accept: 'application/json', total: 3 } });
  assert.deepEqual(await server.api.getJson('/unknown'),
    { status: 404, ok: false, body: { error: 'unknown_contest', message: 'There is no contest "nope".' } });
});

test('getJson gives a body that is not JSON as none', async () => {
  assert.deepEqual(await server.api.getJson('/bare-error'), { status: 502, ok: false, body: null });
});

test('getOk gives the body of a success', async () => {
  assert.deepEqual(await server.api.getOk('/ok'), { accept: 'application/json', total: 3 });
});

test("getOk fails with the server's message and body, else with the status", async () => {
  await assert.rejects(server.api.getOk('/unknown'), (e) => e.message === 'There is no contest "nope".' && e.body.error === 'unknown_contest');
  await assert.rejects(server.api.getOk('/bare-error'), { message: 'HTTP 502' });
  await assert.rejects(server.api.getOk('/not-json'), { message: 'HTTP 200' });
});

test('a server that does not answer is said so', async () => {
  const gone = await serve((request, response) => json(response, 200, {}));
  await gone.close();
  const api = createApi((path, init) => fetch(gone.base + path, init));

  await assert.rejects(api.getJson('/ok'), { message: 'the server did not answer' });
  await assert.rejects(api.getOk('/ok'), { message: 'the server did not answer' });
});
