import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  albumSeries, bandSeries, createCharts, rateAxis, timeTick,
} from '../../main/resources/dev/ovation/results/web/js/charts.js';
import { createPalette } from '../../main/resources/dev/ovation/results/web/js/palette.js';
import { RATE_WINDOW_MS } from '../../main/resources/dev/ovation/results/web/js/rate.js';
import { createStore } from '../../main/resources/dev/ovation/results/web/js/state.js';

const results = {
  bands: [
    { band: 'Queen', votes: 3, albums: [{ album: 'Jazz', votes: 2 }, { album: 'Innuendo', votes: 1 }] },
    { band: 'Abba', votes: 1, albums: [{ album: 'Arrival', votes: 1 }] },
  ],
};

test('one bar per band in its colour', () => {
  assert.deepEqual(bandSeries(results, createPalette()),
    { labels: ['Queen', 'Abba'], votes: [3, 1], colors: ['hsl(222 62% 46%)', 'hsl(18 62% 46%)'] });
  assert.deepEqual(bandSeries(null, createPalette()), { labels: [], votes: [], colors: [] });
});

test("one slice per album in shades of its band's colour", () => {
  assert.deepEqual(albumSeries(results, createPalette()), {
    labels: ['Queen — Jazz', 'Queen — Innuendo', 'Abba — Arrival'],
    votes: [2, 1, 1],
    colors: ['hsl(222 58% 34%)', 'hsl(222 58% 68%)', 'hsl(18 58% 46%)'],
  });
});

test('the time axis is pinned to the points, at most ten minutes wide', () => {
  assert.deepEqual(rateAxis([]), { min: undefined, max: undefined, display: false });
  assert.deepEqual(rateAxis([{ x: 1000, y: 1 }, { x: 5000, y: 2 }]), { min: 1000, max: 5000, display: true });
  assert.deepEqual(rateAxis([{ x: 0, y: 1 }, { x: RATE_WINDOW_MS + 7, y: 2 }]), { min: 7, max: RATE_WINDOW_MS + 7, display: true });
});

test('time ticks have seconds only while the span is short', () => {
  const t = new Date(2026, 11, 1, 20, 5, 9).getTime();

  assert.equal(timeTick(t, t - 60_000, t), '20:05:09');
  assert.equal(timeTick(t, t - 6 * 60_000, t), '20:05');
});

/** Chart.js as far as the page uses it: each chart keeps its config and counts its updates. */
function fakeChartJs() {
  const made = [];
  class Chart {
    static defaults = { font: {} };
    constructor(canvas, config) {
      Object.assign(this, config, { canvas, updates: [], destroyed: false });
      made.push(this);
    }
    update(mode) { this.updates.push(mode); }
    destroy() { this.destroyed = true; }
  }
  return { Chart, made };
}

test('without Chart.js the page says only the table shows the results', () => {
  const store = createStore('gala');
  const charts = createCharts({ Chart: undefined, store, palette: createPalette() });

  charts.create('bands', 'albums', 'rate');
  charts.setResults(results);
  charts.setRate([{ x: 1, y: 1 }]);

  assert.equal(store.errorText(), 'The charts library did not load, so only the table shows the results. Reload the page.');
});

test('charts start from what came before them and follow the results and rate', () => {
  const { Chart, made } = fakeChartJs();
  const store = createStore('gala');
  store.state.results = results;
  const charts = createCharts({ Chart, store, palette: createPalette() });
  charts.setRate([{ x: 1000, y: 4 }, { x: 2000, y: 6 }]);

  charts.create('bands', 'albums', 'rate');
  const [bands, albums, perSecond] = made;
  assert.deepEqual([bands.type, albums.type, perSecond.type], ['bar', 'doughnut', 'line']);
  assert.deepEqual(bands.data.labels, ['Queen', 'Abba']);
  assert.deepEqual(albums.data.datasets[0].data, [2, 1, 1]);
  assert.deepEqual(perSecond.data.datasets[0].data, [{ x: 1000, y: 4 }, { x: 2000, y: 6 }]);
  assert.deepEqual([perSecond.options.scales.x.min, perSecond.options.scales.x.max], [1000, 2000]);

  charts.setResults({ bands: [{ band: 'Abba', votes: 5, albums: [] }] });
  assert.deepEqual(bands.data.datasets[0].data, [5]);
  assert.deepEqual(bands.data.datasets[0].backgroundColor, ['hsl(18 62% 46%)'], 'Abba keeps its colour');
  assert.deepEqual(albums.data.labels, []);
  assert.ok(bands.updates.every((mode) => mode === 'none'), 'updated without animation');

  charts.destroy();
  assert.ok(made.every((c) => c.destroyed));
});
