/*
 * The export card: the results as CSV and JSON, and the vote log as CSV under the log's filter.
 */

import { contestPath, logExportPath } from '../api.js';
import { filterLabel } from '../filter.js';
import { h } from './vue.js';

export function exportLinks({ store }) {
  const S = store.state;
  return {
    setup() {
      return () => {
        const base = contestPath(S.contestId);
        return h('section', { class: 'card export', 'aria-labelledby': 'export-heading' }, [
          h('h2', { id: 'export-heading' }, 'Export'),
          h('ul', { class: 'export-links' }, [
            h('li', h('a', { id: 'export-results-csv', class: 'btn btn-link', href: base + '/results.csv', download: '' }, 'Results (CSV)')),
            h('li', h('a', { id: 'export-results-json', class: 'btn btn-link', href: base + '/results.json', download: '' }, 'Results (JSON)')),
            h('li', h('a', { id: 'export-log-csv', class: 'btn btn-link', href: logExportPath(S.contestId, S), download: '' }, 'Vote log (CSV)' + filterLabel(S))),
          ]),
        ]);
      };
    },
  };
}
