// Python's `datetime.now(timezone.utc).astimezone().isoformat()`: local time with its UTC offset,
// e.g. `2026-11-27T19:45:03.120+00:00`. The Cruddur frontend parses these with an offset present.

const pad = (n: number, width = 2): string => String(Math.trunc(Math.abs(n))).padStart(width, '0');

/** ISO 8601 in the process's local time zone, with the offset (`+01:00`), milliseconds precision. */
export function isoWithOffset(date: Date): string {
  const offsetMinutes = -date.getTimezoneOffset();
  const sign = offsetMinutes >= 0 ? '+' : '-';
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}` +
    `${sign}${pad(offsetMinutes / 60)}:${pad(offsetMinutes % 60)}`
  );
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** `now ± timedelta(days=…, hours=…)`. */
export function shift(now: Date, { days = 0, hours = 0 }: { days?: number; hours?: number }): Date {
  return new Date(now.getTime() + days * DAY_MS + hours * HOUR_MS);
}
