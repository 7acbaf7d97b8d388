/*
 * The three Chart.js charts (votes per band as bars, per album as a doughnut, votes per second as a
 * line), created once and updated in place. What they show is worked out by the plain functions
 * below; Chart.js itself is given in (the page loads its UMD build as the global Chart).
 */

import { clock, ellipsize } from './format.js';
import { RATE_WINDOW_MS } from './rate.js';

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
const DOUGHNUT_LEGEND_MAX = 10;

/** The bars: one per band, in the results' order, in the band's colour. */
export function bandSeries(results, palette) {
  const list = bandsOf(results);
  return {
    labels: list.map((b) => b.band),
    votes: list.map((b) => b.votes),
    colors: list.map((b) => palette.bandColor(b.band)),
  };
}

/** The doughnut: one slice per album, "band — album", in shades of the band's colour. */
export function albumSeries(results, palette) {
  const labels = [];
  const votes = [];
  const colors = [];
  bandsOf(results).forEach((b) => {
    const count = (b.albums || []).length;
    (b.albums || []).forEach((a, j) => {
      labels.push(b.band + ' — ' + a.album);
      votes.push(a.votes);
      colors.push(palette.albumColor(b.band, j, count));
    });
  });
  return { labels, votes, colors };
}

/**
 * The time axis pinned to the points (a linear scale would otherwise round its ends out to "nice"
 * times), at most the rate's window wide; no ticks without points.
 */
export function rateAxis(points) {
  const max = points.length ? points[points.length - 1].x : undefined;
  const min = points.length ? Math.max(points[0].x, max - RATE_WINDOW_MS) : undefined;
  return { min, max, display: points.length > 0 };
}

/** A tick of the time axis: minutes alone over a long span; with seconds while the span is short, so ticks differ. */
export function timeTick(value, min, max) {
  const time = clock(new Date(value).toISOString());
  return max - min > 5 * 60 * 1000 ? time.slice(0, 5) : time;
}

function bandsOf(results) {
  return results && Array.isArray(results.bands) ? results.bands : [];
}

/**
 * The charts of the store's results, coloured by {@code palette}. Without {@code Chart} (the library
 * did not load) the page says so and shows the table alone.
 */
export function createCharts({ Chart, store, palette }) {
  let bands = null;
  let albums = null;
  let perSecond = null;
  let lastRate = [];

  function create(bandCanvas, albumCanvas, rateCanvas) {
    if (!Chart) {
      store.setError('charts', 'The charts library did not load, so only the table shows the results. Reload the page.');
      return;
    }
    Chart.defaults.font.family = FONT;
    Chart.defaults.color = '#3d4654';
    Chart.defaults.animation = false;
    const grid = { color: '#e3e6eb' };
    bands = new Chart(bandCanvas, {
      type: 'bar',
      data: { labels: [], datasets: [{ label: 'Votes', data: [], backgroundColor: [], borderRadius: 4, maxBarThickness: 28 }] },
      options: {
        indexAxis: 'y',
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: {
          x: { beginAtZero: true, grid, ticks: { precision: 0 } },
          y: {
            grid: { display: false },
            ticks: {
              autoSkip: false,
              callback(value) {
                return ellipsize(this.getLabelForValue(value), 22);
              },
            },
          },
        },
      },
    });
    albums = new Chart(albumCanvas, {
      type: 'doughnut',
      data: { labels: [], datasets: [{ label: 'Votes', data: [], backgroundColor: [], borderColor: '#ffffff', borderWidth: 2 }] },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        cutout: '58%',
        onResize(chart, size) {
          const position = size.width >= 520 ? 'right' : 'bottom';
          if (chart.options.plugins.legend.position !== position) {
            chart.options.plugins.legend.position = position;
            chart.update('none');
          }
        },
        plugins: {
          legend: {
            position: 'bottom',
            labels: {
              boxWidth: 12,
              generateLabels(chart) {
                const all = Chart.overrides.doughnut.plugins.legend.labels.generateLabels(chart);
                return all.slice(0, DOUGHNUT_LEGEND_MAX).map((item) => Object.assign(item, { text: ellipsize(item.text, 40) }));
              },
            },
          },
        },
      },
    });
    perSecond = new Chart(rateCanvas, {
      type: 'line',
      data: { datasets: [{ label: 'Votes per second', data: [], borderColor: 'hsl(222 62% 46%)', backgroundColor: 'hsl(222 62% 46% / 0.12)', fill: 'origin', pointRadius: 0, borderWidth: 2, cubicInterpolationMode: 'monotone' }] },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        normalized: true,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { title: (items) => (items.length ? clock(new Date(items[0].parsed.x).toISOString()) : '') } },
        },
        scales: {
          x: {
            type: 'linear',
            grid,
            ticks: {
              maxTicksLimit: 6,
              callback(value) {
                return timeTick(value, this.min, this.max);
              },
            },
          },
          y: { beginAtZero: true, grid },
        },
      },
    });
    setResults(store.state.results);
    setRate(lastRate);
  }

  /** Shows {@code results} (null: none yet); before the charts exist, they start from the store's. */
  function setResults(results) {
    if (!bands || !albums) return;
    const perBand = bandSeries(results, palette);
    bands.data.labels = perBand.labels;
    bands.data.datasets[0].data = perBand.votes;
    bands.data.datasets[0].backgroundColor = perBand.colors;
    bands.update('none');
    const perAlbum = albumSeries(results, palette);
    albums.data.labels = perAlbum.labels;
    albums.data.datasets[0].data = perAlbum.votes;
    albums.data.datasets[0].backgroundColor = perAlbum.colors;
    albums.update('none');
  }

  /** Shows the votes per second; held until the charts exist. */
  function setRate(points) {
    lastRate = points;
    if (!perSecond) return;
    perSecond.data.datasets[0].data = points.slice();
    const x = perSecond.options.scales.x;
    const axis = rateAxis(points);
    x.max = axis.max;
    x.min = axis.min;
    x.ticks.display = axis.display;
    perSecond.update('none');
  }

  function destroy() {
    [bands, albums, perSecond].forEach((c) => c && c.destroy());
    bands = albums = perSecond = null;
  }

  return { create, setResults, setRate, destroy };
}
