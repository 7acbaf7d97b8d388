import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addFilter, albumChoices, bandChoices, filterKey, filterLabel, isFiltered, matches,
} from '../../main/resources/dev/ovation/results/web/js/filter.js';

const queenJazz = { band: 'Queen', album: 'Jazz' };
const queenInnuendo = { band: 'Queen', album: 'Innuendo' };
const abba = { band: 'Abba', album: 'Arrival' };

test('no filter keeps every entry', () => {
  const all = { band: '', album: '' };

  assert.deepEqual([queenJazz, queenInnuendo, abba].filter((e) => matches(all, e)), [queenJazz, queenInnuendo, abba]);
  assert.equal(isFiltered(all), false);
});

test('a band keeps its entries, a band and album only that album', () => {
  assert.deepEqual([queenJazz, queenInnuendo, abba].filter((e) => matches({ band: 'Queen', album: '' }, e)), [queenJazz, queenInnuendo]);
  assert.deepEqual([queenJazz, queenInnuendo, abba].filter((e) => matches({ band: 'Queen', album: 'Jazz' }, e)), [queenJazz]);
});

test('an album without a band filters nothing', () => {
  const albumOnly = { band: '', album: 'Jazz' };

  assert.deepEqual([queenInnuendo, abba].filter((e) => matches(albumOnly, e)), [queenInnuendo, abba]);
  assert.equal(addFilter(new URLSearchParams(), albumOnly).toString(), '');
});

test('the filter goes into a query as band then album', () => {
  assert.equal(addFilter(new URLSearchParams('limit=50'), { band: 'Pink Floyd', album: 'The Wall' }).toString(),
    'limit=50&band=Pink+Floyd&album=The+Wall');
});

test('filter keys tell filters apart', () => {
  assert.notEqual(filterKey({ band: 'Queen', album: '' }), filterKey({ band: 'Queen', album: 'Jazz' }));
  assert.notEqual(filterKey({ band: 'a', album: 'b' }), filterKey({ band: 'ab', album: '' }));
  assert.equal(filterKey({ band: 'Queen', album: 'Jazz' }), filterKey({ ...queenJazz }));
});

test('the export says which filter it is under', () => {
  assert.equal(filterLabel({ band: '', album: '' }), '');
  assert.equal(filterLabel({ band: 'Queen', album: '' }), ' (Queen)');
  assert.equal(filterLabel({ band: 'Queen', album: 'Jazz' }), ' (Queen — Jazz)');
});

test('the choices are the bands and albums counted, plus the chosen ones without votes', () => {
  const results = { bands: [{ band: 'Queen', albums: [{ album: 'Jazz' }, { album: 'Innuendo' }] }, { band: 'Abba', albums: [] }] };

  assert.deepEqual(bandChoices(results, ''), ['Queen', 'Abba']);
  assert.deepEqual(bandChoices(results, 'Muse'), ['Queen', 'Abba', 'Muse']);
  assert.deepEqual(bandChoices(null, 'Muse'), ['Muse']);
  assert.deepEqual(albumChoices(results, 'Queen', ''), ['Jazz', 'Innuendo']);
  assert.deepEqual(albumChoices(results, 'Queen', 'A Kind of Magic'), ['Jazz', 'Innuendo', 'A Kind of Magic']);
  assert.deepEqual(albumChoices(results, '', ''), []);
});
