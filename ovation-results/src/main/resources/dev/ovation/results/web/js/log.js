/*
 * The vote log on screen, newest on top: the lines shown (state.lines), the newer ones held while
 * paused or pushed off the top by paging back ("above"), the older ones pushed off the bottom
 * ("below"), and the pages asked of the server when "Older votes" goes past what is held. Live
 * entries and pages can arrive in any order; no vote is shown twice or skipped without a gap being
 * said so.
 */

import { logPath } from './api.js';
import { filterKey, isFiltered, matches } from './filter.js';

/** Lines of the vote log kept on screen. */
export const MAX_LINES = 200;
/** Lines kept off screen (held while paused, or pushed below the screen), so nothing is skipped. */
export const HOLD_MAX = 2000;
export const PAGE_SIZE = 50;
/** Pages "Older votes" may ask for in one click when a filtered page holds nothing new. */
export const MAX_PAGES_PER_CLICK = 8;

/** The log of the store's contest, paging through {@code api}. */
export function createVoteLog(store, api) {
  const S = store.state;
  /** Entries that arrived live, so their line can be highlighted once. */
  let fresh = new WeakSet();
  /** Newer lines not on screen (paused, or pushed up by paging back), newest first. */
  let above = [];
  /** True when {@code above} overflowed: it no longer joins the screen without a gap. */
  let aboveGap = false;
  /** Older lines pushed off the bottom of the screen, newest first. */
  let below = [];
  /** A filtered reload is in flight; live entries wait here so none is lost or doubled. */
  let reloading = false;
  let arrivedDuringReload = [];

  const query = (cursor) => logPath(S.contestId, S, cursor, PAGE_SIZE);

  function setLines(lines) {
    S.lines = store.raw(lines);
  }

  function pushBelow(lines) {
    if (!lines.length) return;
    below = lines.concat(below);
    if (below.length > HOLD_MAX) {
      // Older lines than these are no longer reachable without a gap: stop paging back.
      below.length = HOLD_MAX;
      S.next = null;
      S.nextKnown = true;
      S.logEnd = false;
    }
    S.below = below.length;
  }

  function holdAbove(lines, atTop) {
    above = atTop ? lines.concat(above) : above.concat(lines);
    if (above.length > HOLD_MAX) {
      above.length = HOLD_MAX;
      aboveGap = true;
    }
  }

  function idsOnScreen() {
    const ids = new Set();
    for (const e of S.lines) ids.add(e.id);
    for (const e of above) ids.add(e.id);
    return ids;
  }

  /**
   * Empties the log (another contest, or before a reload). A page still loading for the log before
   * is dropped when it comes, so it no longer keeps the log busy.
   */
  function clear() {
    setLines([]);
    above = [];
    aboveGap = false;
    below = [];
    S.below = 0;
    S.held = 0;
    S.next = null;
    S.nextKnown = false;
    S.logEnd = false;
    S.logBusy = false;
    reloading = false;
    arrivedDuringReload = [];
    fresh = new WeakSet();
  }

  /** A first update replaces the log; a filtered log is asked for again, as the stream's lines are not filtered. */
  function reset(entries) {
    if (isFiltered(S)) {
      reload();
      return;
    }
    clear();
    setLines(entries.slice(0, MAX_LINES));
    pushBelow(entries.slice(MAX_LINES));
  }

  /** Entries the stream sent, newest first: on top, or held while paused. */
  function onLiveEntries(entries) {
    const matching = entries.filter((e) => matches(S, e));
    if (!matching.length) return;
    if (reloading) {
      arrivedDuringReload = matching.concat(arrivedDuringReload);
      return;
    }
    const ids = idsOnScreen();
    const unseen = matching.filter((e) => !ids.has(e.id));
    if (!unseen.length) return;
    unseen.forEach((e) => fresh.add(e));
    if (S.paused) {
      holdAbove(unseen, true);
      S.held += unseen.length;
    } else {
      showOnTop(unseen);
    }
  }

  function showOnTop(entries) {
    const all = entries.concat(S.lines);
    setLines(all.slice(0, MAX_LINES));
    pushBelow(all.slice(MAX_LINES));
  }

  /** Pause holds new lines off screen; resume shows them on top. */
  function togglePause() {
    if (!S.paused) {
      S.paused = true;
      return;
    }
    S.paused = false;
    const held = above;
    above = [];
    S.held = 0;
    if (aboveGap) {
      // Too much arrived while paused to join the lines on screen: start again from the newest.
      aboveGap = false;
      below = [];
      S.below = 0;
      setLines(held.slice(0, MAX_LINES));
      pushBelow(held.slice(MAX_LINES));
      S.next = null;
      S.nextKnown = true;
      S.logEnd = false;
      return;
    }
    showOnTop(held);
  }

  /** Older lines at the bottom; past the screen's limit the newest go off the top, held as "new". */
  function appendBottom(entries) {
    if (!entries.length) return;
    const all = S.lines.concat(entries);
    const over = all.length - MAX_LINES;
    if (over > 0) {
      holdAbove(all.slice(0, over), false);
      S.held += over;
      S.paused = true;
      setLines(all.slice(over));
    } else {
      setLines(all);
    }
  }

  /** Asks for the newest page under the filter chosen, keeping the live entries that come meanwhile. */
  async function reload() {
    const mine = store.generation;
    const key = filterKey(S);
    clear();
    reloading = true;
    S.logBusy = true;
    try {
      const page = await api.getOk(query(null));
      if (mine !== store.generation || key !== filterKey(S)) return;
      const entries = Array.isArray(page.entries) ? page.entries : [];
      const ids = new Set(entries.map((e) => e.id));
      const arrived = arrivedDuringReload.filter((e) => !ids.has(e.id));
      arrived.forEach((e) => fresh.add(e));
      const all = S.paused ? entries : arrived.concat(entries);
      setLines(all.slice(0, MAX_LINES));
      pushBelow(all.slice(MAX_LINES));
      if (S.paused && arrived.length) {
        holdAbove(arrived, true);
        S.held += arrived.length;
      }
      S.next = page.next || null;
      S.nextKnown = true;
      S.logEnd = !page.next;
      store.clearError('log');
    } catch (e) {
      if (mine !== store.generation || key !== filterKey(S)) return;
      store.setError('log', 'Could not load the vote log (' + e.message + '). Choose the filter again to retry.');
    } finally {
      if (mine === store.generation && key === filterKey(S)) {
        reloading = false;
        arrivedDuringReload = [];
        S.logBusy = false;
      }
    }
  }

  /**
   * Shows older votes at the bottom: first the ones pushed off the screen, then pages from the
   * server. A log that came from the stream has no cursor yet: its pages start at the newest vote
   * and are skipped up to the oldest line on screen.
   */
  async function older() {
    if (below.length) {
      appendBottom(below.splice(0, PAGE_SIZE));
      S.below = below.length;
      return;
    }
    if (S.logBusy || (S.nextKnown && !S.next)) return;
    const mine = store.generation;
    const key = filterKey(S);
    S.logBusy = true;
    try {
      let cursor = S.nextKnown ? S.next : null;
      let skipping = !S.nextKnown && S.lines.length > 0;
      const lastId = S.lines.length ? S.lines[S.lines.length - 1].id : null;
      let added = 0;
      for (let i = 0; i < MAX_PAGES_PER_CLICK && added === 0; i++) {
        const page = await api.getOk(query(cursor));
        if (mine !== store.generation || key !== filterKey(S)) return;
        let entries = Array.isArray(page.entries) ? page.entries : [];
        if (skipping) {
          const at = entries.findIndex((e) => e.id === lastId);
          if (at >= 0) {
            skipping = false;
            entries = entries.slice(at + 1);
          } else {
            entries = [];
          }
        }
        const ids = idsOnScreen();
        const olderOnes = entries.filter((e) => !ids.has(e.id));
        appendBottom(olderOnes);
        added = olderOnes.length;
        cursor = page.next || null;
        S.next = cursor;
        S.nextKnown = !skipping;
        if (!cursor) {
          S.nextKnown = true;
          S.logEnd = true;
          break;
        }
      }
      store.clearError('log');
    } catch (e) {
      if (mine === store.generation && key === filterKey(S)) {
        store.setError('log', 'Could not load older votes (' + e.message + '). Press "Older votes" again to retry.');
      }
    } finally {
      if (mine === store.generation && key === filterKey(S)) S.logBusy = false;
    }
  }

  function chooseBand(band) {
    S.band = band;
    S.album = '';
    return reload();
  }

  function chooseAlbum(album) {
    S.album = album;
    return reload();
  }

  return {
    reset,
    clear,
    onLiveEntries,
    togglePause,
    older,
    chooseBand,
    chooseAlbum,
    /** True for an entry that arrived live since the log was last emptied (highlighted once). */
    isFresh: (e) => fresh.has(e),
  };
}

/** True when there is nothing older to show, or nothing to page back from yet. */
export function olderHidden(S) {
  const moreBelow = S.below > 0 || !S.nextKnown || Boolean(S.next);
  return !moreBelow || (S.lines.length === 0 && !S.nextKnown && !S.logBusy && S.below === 0 && !isFiltered(S));
}

/** The note under the log: why it is empty, or that its first vote is shown; null for none. */
export function logNote(S) {
  if (!S.lines.length) {
    return S.logBusy ? 'loading…' : isFiltered(S) ? 'No votes for this filter yet.' : 'No votes yet. They appear here as they are counted.';
  }
  if (S.logEnd && S.below === 0) return 'That is the first vote of this log.';
  return null;
}
