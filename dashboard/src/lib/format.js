// Time and number formatting for the pages. The API sends ISO 8601 UTC
// timestamps (`2026-11-03T10:00:00.000Z`); people read them as "3 min ago"
// with the exact local time in the element's title (components/time.jsx).

const UNITS = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const dtf = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });

/**
 * "3 minutes ago", "in 2 days", "just now"; "never" for null.
 * @param {string | null | undefined} iso
 * @param {number} [now] ms since the epoch (tests)
 */
export function relative(iso, now = Date.now()) {
  if (!iso) return 'never';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const secs = Math.round((t - now) / 1000);
  if (Math.abs(secs) < 45) return 'just now';
  for (const [unit, size] of UNITS) {
    if (Math.abs(secs) >= size || unit === 'minute') return rtf.format(Math.round(secs / size), unit);
  }
  return 'just now';
}

/** The local date and time, e.g. "Nov 3, 2026, 11:00 AM"; "" for null. */
export function absolute(iso) {
  if (!iso) return '';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : dtf.format(t);
}

/** A UTC day "YYYY-MM-DD" n days before today (n = 0: today). */
export function utcDay(n = 0, now = Date.now()) {
  return new Date(now - n * 86400000).toISOString().slice(0, 10);
}

/** "1 key", "2 keys". */
export function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}
