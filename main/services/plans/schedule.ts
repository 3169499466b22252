/** Date arithmetic on plain days (YYYY-MM-DD), free of time zones. */

function parts(day: string): [number, number, number] {
  return day.split('-').map(Number) as [number, number, number]
}

function format(year: number, month: number, day: number): string {
  const d = new Date(Date.UTC(year, month - 1, day))
  return d.toISOString().slice(0, 10)
}

/** `day` plus n months, held at the month's last day when it is shorter (31 Jan + 1 month = 28 Feb). */
function addMonths(day: string, n: number): string {
  const [y, m, d] = parts(day)
  const lastDay = new Date(Date.UTC(y, m - 1 + n + 1, 0)).getUTCDate()
  return format(y, m + n, Math.min(d, lastDay))
}

/** The k-th collection day, counted from the start each time so a 31st stays the 31st where the month allows. */
export function collectionDay(startsOn: string, interval: 'week' | 'month' | 'year', k: number): string {
  if (interval === 'week') {
    const [y, m, d] = parts(startsOn)
    return format(y, m, d + 7 * k)
  }
  return addMonths(startsOn, interval === 'month' ? k : 12 * k)
}

/** The first collection day on or after `today`. */
export function nextCollectionDay(startsOn: string, interval: 'week' | 'month' | 'year', today: string): string {
  if (startsOn >= today) return startsOn
  const [sy, sm] = parts(startsOn)
  const [ty, tm] = parts(today)
  // Jump close to today, then step: at most a couple of steps whatever the age of the subscription.
  let k =
    interval === 'week'
      ? Math.floor((Date.parse(today) - Date.parse(startsOn)) / (7 * 86_400_000))
      : interval === 'month'
        ? Math.max(0, (ty - sy) * 12 + (tm - sm) - 1)
        : Math.max(0, ty - sy - 1)
  while (collectionDay(startsOn, interval, k) < today) k += 1
  return collectionDay(startsOn, interval, k)
}

/** `day` plus n days. */
export function addDays(day: string, n: number): string {
  const [y, m, d] = parts(day)
  return format(y, m, d + n)
}

/**
 * The last day of a plan that lasts `count` units from `startsOn`, both days
 * included: 12 months from 15 Mar 2026 is up to 14 Mar 2027.
 */
export function planEndDay(startsOn: string, count: number, unit: 'day' | 'week' | 'month' | 'year'): string {
  switch (unit) {
    case 'day':
      return addDays(startsOn, count - 1)
    case 'week':
      return addDays(startsOn, 7 * count - 1)
    case 'month':
      return addDays(addMonths(startsOn, count), -1)
    case 'year':
      return addDays(addMonths(startsOn, 12 * count), -1)
  }
}

/** The collection day after `dueOn`, counted from the start so a 31st stays the 31st where the month allows. */
export function followingCollectionDay(startsOn: string, interval: 'week' | 'month' | 'year', dueOn: string): string {
  return nextCollectionDay(startsOn, interval, addDays(dueOn, 1))
}
