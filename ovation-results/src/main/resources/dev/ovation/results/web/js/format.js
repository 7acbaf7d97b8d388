/*
 * How the page writes what it shows: times, statuses, reasons, shares and rates. Pure functions of
 * their input; times are the browser's local time, dates in its language.
 */

const REASONS = { voter_limit: "over the voter's limit" };
const STATUSES = { open: 'open', closed: 'closed', not_yet_open: 'not yet open', not_open: 'not yet open' };
const CONNECTION = { connecting: 'connecting…', live: 'live', reconnecting: 'reconnecting…' };

const pad = (n) => String(n).padStart(2, '0');

/** hh:mm:ss of an ISO time, or --:--:-- when there is none. */
export function clock(iso) {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return '--:--:--';
  return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
}

/** A date and time as the browser's language writes them; what is not a time is shown as it came. */
export function dateTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Why a vote was not counted, in words. */
export function reasonText(reason) {
  if (!reason) return 'no reason given';
  return REASONS[reason] || String(reason).replace(/_/g, ' ');
}

/** A contest's or a vote's status, in words. */
export function statusText(status) {
  if (!status) return 'unknown';
  return STATUSES[status] || String(status).replace(/_/g, ' ');
}

/** A log entry's status, with the reason when it was rejected. */
export function entryStatus(e) {
  return e.status === 'rejected' ? 'rejected: ' + reasonText(e.reason) : String(e.status || 'unknown');
}

/** A share of the total with one decimal, "0.0%" while there is no total. */
export function share(votes, total) {
  return total ? (100 * votes / total).toFixed(1) + '%' : '0.0%';
}

/** How much of a share bar to fill, 0 to 100. */
export function sharePercent(votes, total) {
  return total ? Math.min(100, 100 * votes / total) : 0;
}

/** Votes per second: whole from 100 up, one decimal below, a dash while unknown. */
export function rateText(v) {
  if (v === null || v === undefined) return '—';
  return (v >= 100 ? Math.round(v) : Math.round(v * 10) / 10).toString();
}

/** At most {@code max} characters, the last an ellipsis when cut. */
export function ellipsize(s, max) {
  s = String(s);
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

/** The bands and their votes in one line, for a chart's accessible label. */
export function summary(results) {
  const list = results && Array.isArray(results.bands) ? results.bands : [];
  if (!list.length) return 'no votes yet';
  return list.map((b) => b.band + ' ' + b.votes).join(', ');
}

/** The live stream's state, in words. */
export function connectionText(state) {
  return CONNECTION[state];
}
