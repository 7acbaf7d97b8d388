/*
 * The "Was my vote counted?" card: a vote id in, the answer of ../vote-check.js out.
 */

import { clock, dateTime } from '../format.js';
import { h } from './vue.js';

export function voteCheck({ store, check }) {
  const S = store.state;
  return {
    setup() {
      const onInput = (event) => { S.checkId = event.target.value; };
      const onSubmit = (event) => {
        event.preventDefault();
        check.check();
      };
      return () => {
        const c = S.check;
        let answer = null;
        if (c) {
          const details = [];
          if (c.vote) {
            details.push(h('dl', { class: 'check-vote' }, [
              h('dt', 'Band'), h('dd', { class: 'check-band' }, String(c.vote.band)),
              h('dt', 'Album'), h('dd', { class: 'check-album' }, String(c.vote.album)),
              h('dt', 'Received'), h('dd', { class: 'check-received' }, c.vote.receivedAt ? dateTime(c.vote.receivedAt) + ' (' + clock(c.vote.receivedAt) + ')' : 'unknown'),
            ]));
          }
          answer = [h('p', { class: 'check-message' }, c.message), ...details];
        }
        return h('section', { class: 'card check', 'aria-labelledby': 'check-heading' }, [
          h('h2', { id: 'check-heading' }, 'Was my vote counted?'),
          h('form', { id: 'check-form', class: 'check-form', novalidate: true, onSubmit }, [
            h('label', { for: 'check-id' }, 'Vote id'),
            h('div', { class: 'check-row' }, [
              h('input', { id: 'check-id', name: 'id', type: 'text', value: S.checkId, onInput, placeholder: 'the id on your receipt', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'off', maxlength: '128', 'aria-describedby': 'check-result' }),
              h('button', { type: 'submit', id: 'check-submit', class: 'btn btn-primary', disabled: S.checkBusy }, S.checkBusy ? 'Checking…' : 'Check'),
            ]),
          ]),
          h('div', { id: 'check-result', class: 'check-result', 'data-status': c ? c.status : null, 'aria-live': 'polite', hidden: !c }, answer),
        ]);
      };
    },
  };
}
