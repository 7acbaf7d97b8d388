/*
 * Which contest the page shows: the list to switch between, its latest results, and the switch
 * itself. What the page does outside its own part of the document (the window's title, the address
 * bar) goes through {@code page}: {setTitle(text), showContest(id)}.
 */

export const PAGE_TITLE = 'Ovation — live results';

/**
 * {@code onSwitch} runs after the state was reset for another contest: it empties what the other
 * modules hold and opens the new contest's stream.
 */
export function createContest({ store, api, page, onSwitch }) {
  const S = store.state;

  /** Reads the list of contests for the switcher; without it the switcher shows only this one. */
  async function loadList() {
    try {
      const list = await api.getOk('/api/contests');
      S.contests = store.raw(Array.isArray(list) ? list : []);
      store.clearError('contests');
    } catch (e) {
      store.setError('contests', 'Could not load the list of contests (' + e.message + '); the switcher shows only this one. Reload the page to try again.');
    }
  }

  /** Shows the contest's latest results, and its title in the window's title. */
  function show(results) {
    S.results = store.raw(results);
    if (results.title) page.setTitle('Ovation — ' + results.title);
  }

  /** Shows contest {@code id} instead, from nothing; the error about the list of contests stays. */
  function choose(id) {
    if (id === S.contestId) return;
    S.contestId = id;
    page.showContest(id);
    S.results = null;
    S.band = '';
    S.album = '';
    S.paused = false;
    S.check = null;
    S.errors = S.errors.contests ? { contests: S.errors.contests } : {};
    page.setTitle(PAGE_TITLE);
    onSwitch();
  }

  return { loadList, show, choose };
}

/**
 * What the top bar says about the contest shown: from its results once they came, else from the
 * list of contests. {@code known} is false while neither has it.
 */
export function describeContest(S) {
  const r = S.results;
  const listed = S.contests.find((c) => c.id === S.contestId);
  return {
    title: (r && r.title) || (listed && listed.title) || S.contestId,
    status: (r && r.status) || (listed && listed.status) || null,
    opensAt: r ? r.opensAt : listed && listed.opensAt,
    closesAt: r ? r.closesAt : listed && listed.closesAt,
    known: Boolean(r || listed),
  };
}

/** The switcher's choices, {id, label}: the contests listed, and the one shown even when it is not. */
export function contestOptions(S) {
  const options = S.contests.map((c) => ({ id: c.id, title: c.title || c.id }));
  if (!options.some((o) => o.id === S.contestId)) options.unshift({ id: S.contestId, title: S.contestId });
  return options.map((o) => ({ id: o.id, label: o.title === o.id ? o.id : o.title + ' (' + o.id + ')' }));
}
