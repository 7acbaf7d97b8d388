/*
 * The vote log's filter, a band and optionally one of its albums ({band, album}, '' for none):
 * which entries it keeps, how it goes into a query, and which bands and albums it offers.
 */

/** True when entry {@code e} passes the filter. An album counts only with a band. */
export function matches(filter, e) {
  return (!filter.band || e.band === filter.band) && (!filter.band || !filter.album || e.album === filter.album);
}

export function isFiltered(filter) {
  return Boolean(filter.band);
}

/** Equal for equal filters: an answer asked for under another filter is dropped. */
export function filterKey(filter) {
  return filter.band + '\u0000' + filter.album;
}

/** Adds the filter's {@code band} and {@code album} parameters to {@code query}. */
export function addFilter(query, filter) {
  if (filter.band) query.set('band', filter.band);
  if (filter.band && filter.album) query.set('album', filter.album);
  return query;
}

/** What the log's export button adds to its name: " (band — album)", or nothing unfiltered. */
export function filterLabel(filter) {
  return filter.band ? ' (' + filter.band + (filter.album ? ' — ' + filter.album : '') + ')' : '';
}

/** The bands to choose from: those of the results, and the chosen one even when it has no votes. */
export function bandChoices(results, band) {
  const names = bandsOf(results).map((b) => b.band);
  if (band && !names.includes(band)) names.push(band);
  return names;
}

/** The chosen band's albums to choose from, and the chosen album even when it has no votes. */
export function albumChoices(results, band, album) {
  const chosen = bandsOf(results).find((b) => b.band === band);
  const names = chosen ? (chosen.albums || []).map((a) => a.album) : [];
  if (album && !names.includes(album)) names.push(album);
  return names;
}

function bandsOf(results) {
  return results && Array.isArray(results.bands) ? results.bands : [];
}
