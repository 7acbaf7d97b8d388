/*
 * The numbers card: votes counted, votes per second, duplicates, dead letters, the votes not
 * counted by reason, and when the numbers were read.
 */

import { clock, rateText, reasonText } from '../format.js';
import { h } from './vue.js';

function stat(id, label, value, extra) {
  return h('div', { class: 'stat' }, [
    h('dt', label),
    h('dd', { id, class: 'stat-value' }, value),
    extra || null,
  ]);
}

export function numbers({ store }) {
  const S = store.state;
  return {
    setup() {
      return () => {
        const r = S.results;
        const rejected = r && r.rejected ? Object.entries(r.rejected) : [];
        return h('section', { class: 'card numbers', 'aria-labelledby': 'numbers-heading' }, [
          h('h2', { id: 'numbers-heading', class: 'sr-only' }, 'Numbers'),
          h('dl', { class: 'stats' }, [
            stat('total', 'Votes counted', r ? String(r.total) : '—'),
            stat('rate-now', 'Votes per second', rateText(S.rateNow)),
            stat('duplicates', 'Duplicates absorbed', r ? String(r.duplicates) : '—'),
            stat('dead-letters', 'Dead letters', r ? String(r.deadLetters ?? 0) : '—'),
            h('div', { class: 'stat stat-wide' }, [
              h('dt', 'Not counted'),
              h('dd', { id: 'rejected', class: 'reasons' }, rejected.length
                ? rejected.map(([reason, count]) => h('div', { key: reason, class: 'reason', 'data-reason': reason }, [
                  h('span', { class: 'reason-name' }, reasonText(reason)),
                  h('span', { class: 'reason-count' }, String(count)),
                ]))
                : h('div', { class: 'reason none' }, r ? 'none' : '—')),
            ]),
          ]),
          h('p', { class: 'as-of' }, [
            'updated ',
            h('time', { id: 'updated', datetime: r && r.asOf ? r.asOf : null }, r && r.asOf ? clock(r.asOf) : 'not yet'),
          ]),
        ]);
      };
    },
  };
}
