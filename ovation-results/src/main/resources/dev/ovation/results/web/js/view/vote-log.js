/*
 * The vote log card: the lines, newest on top, with pause, the band and album filters and "Older
 * votes". What it shows comes from the log module (../log.js).
 */

import { albumChoices, bandChoices } from '../filter.js';
import { clock, entryStatus } from '../format.js';
import { logNote, olderHidden } from '../log.js';
import { h } from './vue.js';

export function voteLog({ store, log }) {
  const S = store.state;

  function logLine(e) {
    const rejected = e.status === 'rejected';
    return h('li', { key: e.id, class: ['log-line', rejected ? 'is-rejected' : 'is-counted', log.isFresh(e) ? 'fresh' : null], 'data-id': e.id }, [
      h('time', { class: 'log-time', datetime: e.countedAt || null }, clock(e.countedAt)),
      h('span', { class: 'log-vote' }, [
        h('span', { class: 'log-band' }, String(e.band)),
        h('span', { class: 'log-sep', 'aria-hidden': 'true' }, ' — '),
        h('span', { class: 'log-album' }, String(e.album)),
      ]),
      h('span', { class: 'log-meta' }, [
        h('span', { class: 'log-protocol' }, String(e.protocol || 'unknown')),
        h('span', { class: 'log-dot', 'aria-hidden': 'true' }, ' · '),
        h('span', { class: 'log-voter' }, e.voter == null ? 'anonymous' : String(e.voter)),
        h('span', { class: 'log-dot', 'aria-hidden': 'true' }, ' · '),
        h('span', { class: 'log-status' }, entryStatus(e)),
      ]),
    ]);
  }

  return {
    setup() {
      const onBand = (event) => { log.chooseBand(event.target.value); };
      const onAlbum = (event) => { log.chooseAlbum(event.target.value); };
      const onPause = () => log.togglePause();
      const onOlder = () => { log.older(); };
      return () => {
        const bandNames = bandChoices(S.results, S.band);
        const albumNames = albumChoices(S.results, S.band, S.album);
        const hidden = olderHidden(S);
        const note = logNote(S);
        return h('section', { class: 'card terminal', 'aria-labelledby': 'log-heading' }, [
          h('div', { class: 'log-head' }, [
            h('h2', { id: 'log-heading' }, 'Vote log'),
            h('div', { class: 'log-tools' }, [
              h('button', { type: 'button', id: 'log-pause', class: 'btn btn-dark', 'aria-pressed': S.paused ? 'true' : 'false', onClick: onPause }, S.paused ? 'Resume' : 'Pause'),
              h('span', { id: 'log-new', class: 'log-new', 'aria-live': 'polite', hidden: !S.paused }, S.held + ' new'),
            ]),
          ]),
          h('div', { class: 'log-filters' }, [
            h('label', { for: 'filter-band' }, 'Band'),
            h('select', { id: 'filter-band', value: S.band, onChange: onBand }, [
              h('option', { key: '', value: '', selected: S.band === '' }, 'All bands'),
              ...bandNames.map((n) => h('option', { key: 'b' + n, value: n, selected: n === S.band }, n)),
            ]),
            h('label', { for: 'filter-album' }, 'Album'),
            h('select', { id: 'filter-album', value: S.album, onChange: onAlbum, disabled: !S.band }, [
              h('option', { key: '', value: '', selected: S.album === '' }, S.band ? 'All albums' : 'Choose a band first'),
              ...albumNames.map((n) => h('option', { key: 'a' + n, value: n, selected: n === S.album }, n)),
            ]),
          ]),
          h('ol', { id: 'log', class: 'log', tabindex: '0', 'aria-label': 'Votes, newest first', 'aria-live': 'off', 'aria-busy': S.logBusy ? 'true' : 'false' },
            S.lines.map(logLine)),
          note === null ? null : h('p', { class: 'log-note' }, note),
          h('div', { class: 'log-foot' }, [
            h('button', { type: 'button', id: 'log-older', class: 'btn btn-dark', hidden: hidden, disabled: hidden || S.logBusy, onClick: onOlder }, S.logBusy ? 'Loading…' : 'Older votes'),
            h('span', { class: 'log-count' }, S.lines.length + (S.lines.length === 1 ? ' line' : ' lines') + ' shown'),
          ]),
        ]);
      };
    },
  };
}
