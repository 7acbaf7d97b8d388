/*
 * The whole page, top to bottom. {@code app} holds the page's parts ({store, log, check, contest,
 * charts}), which each view takes what it needs from.
 */

import { exportLinks } from './export.js';
import { errorLine, topBar } from './header.js';
import { numbers } from './numbers.js';
import { results } from './results.js';
import { voteCheck } from './vote-check.js';
import { voteLog } from './vote-log.js';
import { h } from './vue.js';

export function page(app) {
  const parts = [errorLine(app), numbers(app), results(app), voteLog(app), voteCheck(app), exportLinks(app)];
  const top = topBar(app);
  return {
    setup() {
      return () => [
        h(top),
        h('main', { class: 'layout' }, parts.map((part) => h(part))),
      ];
    },
  };
}
