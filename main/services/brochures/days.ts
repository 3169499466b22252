import { formatDay as formatDeskDay, localDay, startOfDay as startOfDeskDay } from '../calendarDay'

/*
 * Requests are stamped in UTC; the desk filters and reads them by its own
 * calendar days (the machine's local time zone).
 */

/** The first instant of a desk day, as stored (ISO UTC). */
export function startOfDay(day: string): string {
  return startOfDeskDay(day)
}

/** The first instant of the day after a desk day: the end of a range that includes `day`. */
export function startOfNextDay(day: string): string {
  return startOfDeskDay(day, 1)
}

/** "1 Dec 2026" for messages, on the desk's calendar: an instant (ISO UTC) or a desk day (YYYY-MM-DD). */
export function formatDay(value: string): string {
  return formatDeskDay(value.length === 10 ? value : localDay(new Date(value)))
}
