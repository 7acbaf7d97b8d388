/*
 * What the live page's module tests share: a real HTTP server on a loopback port for the modules
 * that call the results API, a hand-driven clock for the stream's waits, a stand-in for the
 * browser's EventSource, and a wait with a deadline for what settles asynchronously.
 */

import http from 'node:http';
import { createApi } from '../../main/resources/dev/ovation/results/web/js/api.js';

/**
 * Starts a server that answers each request with {@code handle(request, response, url)} and records
 * the paths asked ({@code paths}). {@code api} is the page's API client pointed at it.
 */
export async function serve(handle) {
  const paths = [];
  const server = http.createServer(async (request, response) => {
    paths.push(request.url);
    try {
      await handle(request, response, new URL(request.url, 'http://localhost'));
    } catch (e) {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(String(e.stack || e));
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = 'http://127.0.0.1:' + server.address().port;
  return {
    base,
    paths,
    api: createApi((path, init) => fetch(base + path, init)),
    close: () => new Promise((resolve) => {
      server.close(resolve);
      server.closeAllConnections();
    }),
  };
}

/** Answers {@code body} as JSON with {@code status}. */
export function json(response, status, body) {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** A promise and the function that settles it, to hold a server's answer until a test lets it go. */
export function gate() {
  let open;
  const opened = new Promise((resolve) => { open = resolve; });
  return { opened, open };
}

/** Resolves once {@code check()} returns without throwing; rejects with its last error after {@code within} ms. */
export async function eventually(check, within = 5000) {
  const deadline = Date.now() + within;
  for (;;) {
    try {
      return check();
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A clock the test moves by hand: setTimeout only records, {@code fire()} runs what is due. */
export function manualTimers() {
  let nextId = 1;
  const pending = new Map();
  return {
    pending,
    setTimeout(fn, ms) {
      const id = nextId++;
      pending.set(id, { fn, ms });
      return id;
    },
    clearTimeout(id) {
      pending.delete(id);
    },
    /** The waits asked for and not yet run or cleared. */
    waits: () => [...pending.values()].map((t) => t.ms),
    /** Runs every pending callback, as if their time had come. */
    fire() {
      const due = [...pending.entries()];
      pending.clear();
      due.forEach(([, t]) => t.fn());
    },
  };
}

/** The browser's EventSource as far as the page uses it; the test emits its events. */
export class FakeEventSource {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSED = 2;

  constructor(url) {
    this.url = url;
    this.readyState = FakeEventSource.CONNECTING;
    this.listeners = new Map();
    this.closed = false;
  }

  addEventListener(type, listener) {
    if (!this.listeners.has(type)) this.listeners.set(type, []);
    this.listeners.get(type).push(listener);
  }

  emit(type, event = {}) {
    (this.listeners.get(type) || []).forEach((listener) => listener(event));
  }

  close() {
    this.closed = true;
    this.readyState = FakeEventSource.CLOSED;
  }
}
