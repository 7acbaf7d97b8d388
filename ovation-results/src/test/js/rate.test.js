import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRate, RATE_WINDOW_MS, toPoint } from '../../main/resources/dev/ovation/results/web/js/rate.js';

const at = (second) => new Date(Date.UTC(2026, 11, 1, 20, 0, 0) + second * 1000).toISOString();
const x = (second) => Date.parse(at(second));

function recorded() {
  const seen = { points: null, latest: undefined, calls: 0 };
  const rate = createRate((points, latest) => {
    seen.points = points.map((p) => [p.x, p.y]);
    seen.latest = latest;
    seen.calls++;
  });
  return { rate, seen };
}

test('a point of the stream becomes a chart point', () => {
  assert.deepEqual(toPoint({ at: at(1), votes: 7 }), { x: x(1), y: 7 });
  assert.deepEqual(toPoint({ at: at(1), votes: 'many' }), { x: x(1), y: 0 });
  assert.ok(Number.isNaN(toPoint({ at: 'not a time', votes: 1 }).x));
});

test('a first update replaces the series, oldest first, without the points that are not times', () => {
  const { rate, seen } = recorded();

  rate.reset([{ at: at(2), votes: 5 }, { at: 'never', votes: 9 }, { at: at(1), votes: 3 }]);

  assert.deepEqual(seen.points, [[x(1), 3], [x(2), 5]]);
  assert.equal(seen.latest, 5);
});

test('only points newer than the newest are added', () => {
  const { rate, seen } = recorded();
  rate.reset([{ at: at(1), votes: 3 }, { at: at(2), votes: 5 }]);

  rate.append([{ at: at(2), votes: 99 }, { at: at(1), votes: 99 }, { at: 'never', votes: 99 }, { at: at(3), votes: 8 }]);

  assert.deepEqual(seen.points, [[x(1), 3], [x(2), 5], [x(3), 8]]);
  assert.equal(seen.latest, 8);
  assert.equal(seen.calls, 2);
});

test('the series keeps the last ten minutes', () => {
  const { rate, seen } = recorded();
  const window = RATE_WINDOW_MS / 1000;
  rate.reset([{ at: at(0), votes: 1 }, { at: at(10), votes: 2 }]);

  rate.append([{ at: at(window + 5), votes: 3 }]);

  assert.deepEqual(seen.points, [[x(10), 2], [x(window + 5), 3]]);
});

test('an empty series has no latest rate', () => {
  const { rate, seen } = recorded();
  rate.reset([{ at: at(1), votes: 3 }]);

  rate.reset([]);

  assert.deepEqual(seen.points, []);
  assert.equal(seen.latest, null);
});
