import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  clock, connectionText, dateTime, ellipsize, entryStatus, rateText, reasonText, share, sharePercent, statusText, summary,
} from '../../main/resources/dev/ovation/results/web/js/format.js';

test('clock shows the local time of an ISO time, and dashes for no time', () => {
  const eightPm = new Date(2026, 11, 1, 20, 5, 9).toISOString();

  assert.equal(clock(eightPm), '20:05:09');
  assert.equal(clock(''), '--:--:--');
  assert.equal(clock(null), '--:--:--');
  assert.equal(clock('not a time'), '--:--:--');
});

test('dateTime writes a date with its year, and what is not a time as it came', () => {
  assert.match(dateTime('2026-12-01T12:00:00Z'), /2026/);
  assert.equal(dateTime('not a time'), 'not a time');
});

test('reasons and statuses read as words', () => {
  assert.equal(reasonText('voter_limit'), "over the voter's limit");
  assert.equal(reasonText('unknown_album'), 'unknown album');
  assert.equal(reasonText(undefined), 'no reason given');
  assert.equal(statusText('not_open'), 'not yet open');
  assert.equal(statusText('not_yet_open'), 'not yet open');
  assert.equal(statusText('closed'), 'closed');
  assert.equal(statusText('not_seen'), 'not seen');
  assert.equal(statusText(''), 'unknown');
});

test('a log entry says why it was rejected', () => {
  assert.equal(entryStatus({ status: 'rejected', reason: 'voter_limit' }), "rejected: over the voter's limit");
  assert.equal(entryStatus({ status: 'rejected' }), 'rejected: no reason given');
  assert.equal(entryStatus({ status: 'counted' }), 'counted');
  assert.equal(entryStatus({}), 'unknown');
});

test('shares have one decimal and bars never overflow', () => {
  assert.equal(share(1, 3), '33.3%');
  assert.equal(share(0, 0), '0.0%');
  assert.equal(sharePercent(1, 4), 25);
  assert.equal(sharePercent(5, 4), 100);
  assert.equal(sharePercent(3, 0), 0);
});

test('votes per second are whole from 100 up, one decimal below, a dash while unknown', () => {
  assert.equal(rateText(null), '—');
  assert.equal(rateText(undefined), '—');
  assert.equal(rateText(0), '0');
  assert.equal(rateText(12.34), '12.3');
  assert.equal(rateText(123.6), '124');
});

test('ellipsize cuts long text to its limit with an ellipsis', () => {
  assert.equal(ellipsize('Pink Floyd', 6), 'Pink …');
  assert.equal(ellipsize('Queen', 5), 'Queen');
  assert.equal(ellipsize(1977, 10), '1977');
});

test('summary lists the bands with their votes', () => {
  assert.equal(summary({ bands: [{ band: 'Queen', votes: 3 }, { band: 'Abba', votes: 1 }] }), 'Queen 3, Abba 1');
  assert.equal(summary({ bands: [] }), 'no votes yet');
  assert.equal(summary(null), 'no votes yet');
});

test('the stream state reads as words', () => {
  assert.equal(connectionText('connecting'), 'connecting…');
  assert.equal(connectionText('live'), 'live');
  assert.equal(connectionText('reconnecting'), 'reconnecting…');
});
