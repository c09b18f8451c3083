// The page date, written out by hand to spare each worker the locale data: it must read exactly as
// Intl's en-GB long date in UTC would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { longDate } from './render.js';

test('when a date is shown on a page, then it reads as en-GB "day month year" in UTC', () => {
  const intl = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  const moments = [0, Date.UTC(2024, 1, 29, 12), Date.UTC(2026, 10, 25, 23, 59, 59), Date.UTC(1999, 11, 31, 23, 59, 59, 999), -1e11];
  for (let ms = Date.UTC(2025, 0, 1); ms < Date.UTC(2026, 0, 1); ms += 86_400_000 * 7 + 3_600_000) moments.push(ms);
  for (const ms of moments) assert.equal(longDate(ms), intl.format(new Date(ms)), new Date(ms).toISOString());
});
