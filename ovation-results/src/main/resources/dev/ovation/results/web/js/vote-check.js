/*
 * "Was my vote counted?": looks the id typed up (GET /api/contests/{c}/votes/{id}) and puts the
 * answer in state.check as {status, message, vote?, reason?}, status "error" when there is none.
 */

import { contestPath } from './api.js';
import { statusText } from './format.js';

const KNOWN = ['counted', 'rejected', 'not_seen'];

export function createVoteCheck(store, api) {
  const S = store.state;

  /** Looks up state.checkId; an answer that comes after the contest changed is dropped. */
  async function check() {
    const id = S.checkId.trim();
    if (!id) {
      S.check = { status: 'error', message: 'Enter the vote id from your receipt, then press Check.' };
      return;
    }
    const contest = S.contestId;
    S.checkBusy = true;
    try {
      const answer = await api.getJson(contestPath(contest) + '/votes/' + encodeURIComponent(id));
      if (contest !== S.contestId) return;
      const body = answer.body || {};
      if (KNOWN.includes(body.status) && !body.error) {
        S.check = { status: body.status, message: body.message || statusText(body.status), vote: body.vote || null, reason: body.reason };
      } else {
        S.check = { status: 'error', message: body.message || 'The server could not look this vote up (HTTP ' + answer.status + '). Try again in a moment.' };
      }
    } catch (e) {
      S.check = { status: 'error', message: 'The server did not answer, so the vote could not be looked up. Check your connection and try again.' };
    } finally {
      S.checkBusy = false;
    }
  }

  return { check };
}
