/*
 * What the page shows, in one object the views render from and the other modules change. In the
 * browser it is Vue's reactive object (arrays and bodies from the server marked raw, so Vue does
 * not watch inside them); in the tests it is a plain one.
 */

const identity = (o) => o;

/** The contest named by the page's query ({@code ?contest=<id>}), else "default". */
export function contestFromSearch(search) {
  return new URLSearchParams(search).get('contest') || 'default';
}

/**
 * The page's state for contest {@code contestId}. {@code vue} gives Vue's {@code reactive} and
 * {@code markRaw}; without them the state is a plain object.
 */
export function createStore(contestId, vue = {}) {
  const reactive = vue.reactive || identity;
  const raw = vue.markRaw || identity;
  const state = reactive({
    contestId,
    contests: raw([]),
    results: null,
    connection: 'connecting',
    errors: {},
    rateNow: null,
    // vote log
    lines: raw([]),
    paused: false,
    held: 0,
    band: '',
    album: '',
    next: null,
    nextKnown: false,
    logEnd: false,
    logBusy: false,
    below: 0,
    // vote check
    checkId: '',
    checkBusy: false,
    check: null,
  });

  return {
    state,
    /** Marks a value Vue should not look inside (a list of lines, a body from the server). */
    raw,
    /** Bumped whenever the contest changes or the stream reopens; late answers of an old one are dropped. */
    generation: 0,

    /** Shows {@code message} on the error line, under {@code key} (one message per key). */
    setError(key, message) {
      state.errors = Object.assign({}, state.errors, { [key]: message });
    },

    clearError(key) {
      if (!state.errors[key]) return;
      const copy = Object.assign({}, state.errors);
      delete copy[key];
      state.errors = copy;
    },

    /** Every message on the error line, in the order they came. */
    errorText() {
      return Object.values(state.errors).filter(Boolean).join(' ');
    },
  };
}
