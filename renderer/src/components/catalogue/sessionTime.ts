/** The session dialog's date and time fields are the user's local time; the backend keeps ISO instants. */

const pad = (n: number) => String(n).padStart(2, '0')

/** ISO instant → local `{ date: 'YYYY-MM-DD', time: 'HH:MM' }`, as date and time inputs want them. */
export function toLocalParts(iso: string): { date: string; time: string } {
  const d = new Date(iso)
  return {
    date: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`,
    time: `${pad(d.getHours())}:${pad(d.getMinutes())}`,
  }
}

/** Local date and time → ISO instant (UTC), or null when either is not filled in properly. */
export function fromLocalParts(date: string, time: string): string | null {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  const clock = /^(\d{2}):(\d{2})/.exec(time)
  if (!day || !clock) return null
  const local = new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3]), Number(clock[1]), Number(clock[2]))
  return Number.isNaN(local.getTime()) ? null : local.toISOString()
}
