/*
 * Requests are stamped in UTC; the desk filters and reads them by its own
 * calendar days (the machine's local time zone).
 */

/** The first instant of a desk day, as stored (ISO UTC). */
export function startOfDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  return new Date(y, m - 1, d).toISOString()
}

/** The first instant of the day after a desk day: the end of a range that includes `day`. */
export function startOfNextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  return new Date(y, m - 1, d + 1).toISOString()
}

/** "1 Dec 2026" for messages, on the desk's calendar: an instant (ISO UTC) or a desk day (YYYY-MM-DD). */
export function formatDay(value: string): string {
  const [y, m, d] = value.split('-').map(Number) as [number, number, number]
  const date = value.length === 10 ? new Date(y, m - 1, d) : new Date(value)
  return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' })
}
