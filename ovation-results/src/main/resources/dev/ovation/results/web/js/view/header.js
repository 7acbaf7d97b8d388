/*
 * The top bar (the contest's title and status, its voting window, the switcher, the stream's state)
 * and the error line under it.
 */

import { contestOptions, describeContest } from '../contest.js';
import { connectionText, dateTime, statusText } from '../format.js';
import { h } from './vue.js';

export function topBar({ store, contest }) {
  const S = store.state;
  return {
    setup() {
      const onChange = (event) => contest.choose(event.target.value);
      return () => {
        const { title, status, opensAt, closesAt, known } = describeContest(S);
        return h('header', { class: 'top' }, [
          h('div', { class: 'top-inner' }, [
            h('div', { class: 'brand' }, [
              h('p', { class: 'logo' }, 'Ovation'),
              h('h1', { id: 'contest-title' }, title),
            ]),
            h('div', { class: 'switcher' }, [
              h('label', { for: 'contest-select' }, 'Contest'),
              h('select', { id: 'contest-select', value: S.contestId, onChange }, contestOptions(S).map((o) =>
                h('option', { key: o.id, value: o.id, selected: o.id === S.contestId }, o.label))),
            ]),
            h('p', { class: 'meta' }, [
              h('span', { id: 'contest-status', class: 'pill', 'data-status': status || 'unknown' }, status ? 'voting ' + statusText(status) : 'status unknown'),
              h('span', { id: 'voting-window', class: 'window', hidden: !known }, [
                h('span', { class: 'sr-label' }, 'Voting window: '),
                opensAt ? 'opens ' + dateTime(opensAt) : 'open from the start',
                ' · ',
                closesAt ? 'closes ' + dateTime(closesAt) : 'no closing time',
              ]),
              h('span', { id: 'connection', class: 'conn', 'data-state': S.connection, role: 'status' }, [
                h('span', { class: 'dot', 'aria-hidden': 'true' }),
                connectionText(S.connection),
              ]),
            ]),
          ]),
        ]);
      };
    },
  };
}

export function errorLine({ store }) {
  return {
    setup() {
      return () => {
        const text = store.errorText();
        return h('p', { id: 'error', class: 'error', role: 'alert', hidden: !text }, text);
      };
    },
  };
}
