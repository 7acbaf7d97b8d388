import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contestFromSearch, createStore } from '../../main/resources/dev/ovation/results/web/js/state.js';

test('the contest comes from the query, else it is the default one', () => {
  assert.equal(contestFromSearch('?contest=gala'), 'gala');
  assert.equal(contestFromSearch('?contest='), 'default');
  assert.equal(contestFromSearch(''), 'default');
});

test('a new page shows nothing yet and is connecting', () => {
  const { state, generation } = createStore('gala');

  assert.equal(state.contestId, 'gala');
  assert.equal(state.connection, 'connecting');
  assert.deepEqual(state.lines, []);
  assert.equal(state.results, null);
  assert.equal(state.nextKnown, false);
  assert.equal(generation, 0);
});

test('errors show in the order they came, one per key, until cleared', () => {
  const store = createStore('default');

  store.setError('stream', 'Lost the stream.');
  store.setError('log', 'No log.');
  store.setError('stream', 'Still lost.');
  assert.equal(store.errorText(), 'Still lost. No log.');

  store.clearError('stream');
  assert.equal(store.errorText(), 'No log.');
});

test('clearing an error that is not shown changes nothing, so nothing is drawn again', () => {
  const store = createStore('default');
  store.setError('log', 'No log.');
  const errors = store.state.errors;

  store.clearError('stream');

  assert.equal(store.state.errors, errors);
});

test('with Vue the state is reactive and its lists are raw', () => {
  const marked = [];
  const vue = { reactive: (o) => ({ reactive: o }), markRaw: (o) => { marked.push(o); return o; } };

  const store = createStore('default', vue);

  assert.ok(store.state.reactive);
  assert.equal(marked.length, 2);
  assert.ok(marked.includes(store.state.reactive.lines) && marked.includes(store.state.reactive.contests));
  assert.equal(store.raw, vue.markRaw);
});
