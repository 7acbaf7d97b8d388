/*
 * The results card: the three charts and the table of exact numbers, bands by votes, each with its
 * albums.
 */

import { rateText, share, sharePercent, summary } from '../format.js';
import { h, onBeforeUnmount, onMounted, watch } from './vue.js';

function shareCell(votes, total) {
  return h('td', { class: 'share' }, [
    h('span', { class: 'share-text' }, share(votes, total)),
    h('span', { class: 'share-bar', 'aria-hidden': 'true' }, h('span', { class: 'share-fill', style: { width: sharePercent(votes, total) + '%' } })),
  ]);
}

function resultsTable({ store }) {
  const S = store.state;
  return {
    setup() {
      return () => {
        const r = S.results;
        const total = r ? r.total : 0;
        const rows = [];
        for (const b of (r && r.bands) || []) {
          rows.push(h('tr', { key: 'b\u0000' + b.band, class: 'band', 'data-band': b.band }, [
            h('th', { scope: 'row', class: 'name' }, b.band),
            h('td', { class: 'votes' }, String(b.votes)),
            shareCell(b.votes, total),
          ]));
          for (const a of b.albums || []) {
            rows.push(h('tr', { key: 'a\u0000' + b.band + '\u0000' + a.album, class: 'album', 'data-band': b.band, 'data-album': a.album }, [
              h('th', { scope: 'row', class: 'name' }, a.album),
              h('td', { class: 'votes' }, String(a.votes)),
              shareCell(a.votes, total),
            ]));
          }
        }
        if (!rows.length) {
          rows.push(h('tr', { key: 'empty', class: 'empty' }, [h('td', { colspan: 3 }, r ? 'No votes counted yet.' : 'Waiting for the results…')]));
        }
        return h('table', { id: 'results-table', class: 'results' }, [
          h('caption', 'Exact numbers, bands by votes, each with its albums'),
          h('thead', h('tr', [
            h('th', { scope: 'col' }, 'Band / album'),
            h('th', { scope: 'col', class: 'num' }, 'Votes'),
            h('th', { scope: 'col', class: 'num' }, 'Share'),
          ])),
          h('tbody', rows),
        ]);
      };
    },
  };
}

export function results(app) {
  const { store, charts } = app;
  const S = store.state;
  const table = resultsTable(app);
  return {
    setup() {
      let bandCanvas = null;
      let albumCanvas = null;
      let rateCanvas = null;
      onMounted(() => charts.create(bandCanvas, albumCanvas, rateCanvas));
      onBeforeUnmount(() => charts.destroy());
      watch(() => S.results, (r) => charts.setResults(r));
      return () => {
        const bandCount = S.results && S.results.bands ? S.results.bands.length : 0;
        const bandsHeight = Math.max(180, 36 * bandCount + 48);
        return h('section', { class: 'card charts', 'aria-labelledby': 'charts-heading' }, [
          h('h2', { id: 'charts-heading' }, 'Results'),
          h('figure', { class: 'chart' }, [
            h('figcaption', 'Votes per band'),
            h('div', { class: 'chart-box', style: { height: bandsHeight + 'px' } },
              h('canvas', { id: 'chart-bands', ref: (el) => { bandCanvas = el; }, role: 'img', 'aria-label': 'Votes per band: ' + summary(S.results) }, 'Votes per band; the table below has the exact numbers.')),
          ]),
          h('div', { class: 'chart-pair' }, [
            h('figure', { class: 'chart' }, [
              h('figcaption', 'Votes per album'),
              h('div', { class: 'chart-box chart-box-albums' },
                h('canvas', { id: 'chart-albums', ref: (el) => { albumCanvas = el; }, role: 'img', 'aria-label': 'Votes per album as a doughnut; the table below has the exact numbers.' }, 'Votes per album; the table below has the exact numbers.')),
            ]),
            h('figure', { class: 'chart' }, [
              h('figcaption', 'Votes per second, last 10 minutes'),
              h('div', { class: 'chart-box chart-box-rate' },
                h('canvas', { id: 'chart-rate', ref: (el) => { rateCanvas = el; }, role: 'img', 'aria-label': 'Votes counted per second over the last 10 minutes; now ' + rateText(S.rateNow) + ' per second.' }, 'Votes per second over the last 10 minutes.')),
            ]),
          ]),
          h(table),
        ]);
      };
    },
  };
}
