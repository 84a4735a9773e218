// The overview chart's buckets (console/charts.js's bucketed), without a browser: node --test.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bucketed } from '../../main/resources/META-INF/resources/console/charts.js';

const s = (iso) => Date.parse(iso) / 1000;

test('sparse hourly buckets become every hour of the range, the missing ones 0', () => {
  const [xs, started, failed] = bucketed('2026-12-03T16:47:12Z', '2026-12-04T16:47:12Z', 3600, [
    { time: '2026-12-04T15:00:00Z', started: 2, failed: 1 },
    { time: '2026-12-03T18:00:00Z', started: 1, failed: 0 },
  ], ['started', 'failed']);
  // From the bucket that holds `from` (16:00) to the last that starts before `to` (16:00 the next day).
  assert.equal(xs[0], s('2026-12-03T16:00:00Z'));
  assert.equal(xs.at(-1), s('2026-12-04T16:00:00Z'));
  assert.equal(xs.length, 25);
  assert.ok(xs.every((x, i) => i === 0 || x - xs[i - 1] === 3600));
  assert.equal(started[xs.indexOf(s('2026-12-03T18:00:00Z'))], 1);
  assert.equal(started[xs.indexOf(s('2026-12-04T15:00:00Z'))], 2);
  assert.equal(failed[xs.indexOf(s('2026-12-04T15:00:00Z'))], 1);
  assert.equal(started.reduce((a, b) => a + b), 3);
});

test('points of the same bucket (several workflows) are summed', () => {
  const [xs, started] = bucketed('2026-12-04T15:00:00Z', '2026-12-04T16:00:00Z', 300, [
    { time: '2026-12-04T15:10:00Z', started: 2 },
    { time: '2026-12-04T15:10:00Z', started: 3 },
  ], ['started']);
  assert.equal(xs.length, 12);
  assert.equal(started[2], 5);
});

test('buckets aligned on the range start, not the clock, keep their own grid', () => {
  const [xs, started] = bucketed('2026-12-04T15:02:30Z', '2026-12-04T16:02:30Z', 300, [
    { time: '2026-12-04T15:12:30Z', started: 1 },
  ], ['started']);
  assert.equal(xs[0], s('2026-12-04T15:02:30Z'));
  assert.equal(started[2], 1);
  assert.equal(xs.length, 12);
});

test('no points: an empty range of zeros; unreadable times: no buckets', () => {
  const [xs, started] = bucketed('2026-12-03T00:00:00Z', '2026-12-04T00:00:00Z', 21600, [], ['started']);
  assert.equal(xs.length, 4);
  assert.deepEqual(started, [0, 0, 0, 0]);
  assert.deepEqual(bucketed('soon', 'later', 3600, [], ['started']), [[], []]);
});
