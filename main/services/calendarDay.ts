/** Today's date (YYYY-MM-DD) on the desk's own calendar, from the injected clock. */
export function localDay(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
}

/** The first instant (ISO UTC, as stored) of a desk day `plusDays` after `day`: 0 for its start, 1 for the end of a range that includes it. */
export function startOfDay(day: string, plusDays = 0): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  return new Date(y, m - 1, d + plusDays).toISOString()
}

const dayFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })

/** "3 Mar 2026" for one of the desk's calendar days (YYYY-MM-DD). */
export function formatDay(day: string): string {
  return dayFormat.format(new Date(`${day}T00:00:00Z`))
}
