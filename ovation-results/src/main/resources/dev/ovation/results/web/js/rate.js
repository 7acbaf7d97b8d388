/*
 * Votes per second over the last ten minutes, as the stream sends them: a whole series in a first
 * update, then the seconds since. Points are {x: epoch millis, y: votes per second}, oldest first.
 */

export const RATE_WINDOW_MS = 10 * 60 * 1000;

/** A point of the stream ({at: ISO time, votes}) as a chart point; x is NaN when the time is not one. */
export function toPoint(p) {
  return { x: Date.parse(p.at), y: Number(p.votes) || 0 };
}

/**
 * The series, which calls {@code onChange(points, latest)} after every change ({@code latest}: the
 * newest votes per second, null when there is no point).
 */
export function createRate(onChange) {
  let points = [];

  function trim() {
    if (!points.length) return;
    const oldest = points[points.length - 1].x - RATE_WINDOW_MS;
    let drop = 0;
    while (drop < points.length && points[drop].x < oldest) drop++;
    if (drop) points.splice(0, drop);
  }

  function changed() {
    onChange(points, points.length ? points[points.length - 1].y : null);
  }

  /** Replaces the series (a first update, or another contest). */
  function reset(list) {
    points = list.map(toPoint).filter((p) => !Number.isNaN(p.x)).sort((a, b) => a.x - b.x);
    trim();
    changed();
  }

  /** Adds the points newer than the newest one held. */
  function append(list) {
    for (const p of list.map(toPoint)) {
      if (Number.isNaN(p.x)) continue;
      if (points.length && p.x <= points[points.length - 1].x) continue;
      points.push(p);
    }
    trim();
    changed();
  }

  return { reset, append };
}
