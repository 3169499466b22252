import type { BackupInfo, BackupKind } from '../../../preload/contract/schemas/backups'

/*
 * Which backups are kept. Daily backups: the newest of each of the last 7
 * days that have one, of each of the last 4 weeks (Monday to Sunday) and of
 * each of the last 12 months; one backup may count for all three. Backups
 * made on a person's request or for a reason (Back up now, before a schema
 * change, an import, a merge or a restore) are kept apart: the newest 10 of
 * each kind. Days, weeks and months are the desk's local ones.
 */
export const KEEP = { daily: 7, weekly: 4, monthly: 12, eachOtherKind: 10 } as const

const dayKey = (d: Date) => `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`
const monthKey = (d: Date) => `${d.getFullYear()}-${d.getMonth()}`
/** The local date of the week's Monday. */
const weekKey = (d: Date) => {
  const monday = new Date(d.getFullYear(), d.getMonth(), d.getDate() - ((d.getDay() + 6) % 7))
  return dayKey(monday)
}

/** The names to remove, given every backup in the folder. */
export function backupsToRemove(backups: readonly Pick<BackupInfo, 'name' | 'kind' | 'at'>[]): string[] {
  const newestFirst = [...backups].sort((a, b) => (a.at === b.at ? b.name.localeCompare(a.name) : b.at.localeCompare(a.at)))
  const keep = new Set<string>()
  const scheduled = newestFirst.filter((b) => b.kind === 'daily')
  for (const [limit, key] of [
    [KEEP.daily, dayKey],
    [KEEP.weekly, weekKey],
    [KEEP.monthly, monthKey],
  ] as const) {
    const seen = new Set<string>()
    for (const backup of scheduled) {
      const bucket = key(new Date(backup.at))
      if (seen.has(bucket)) continue
      if (seen.size >= limit) break
      seen.add(bucket)
      keep.add(backup.name)
    }
  }
  const byKind = new Map<BackupKind, number>()
  for (const backup of newestFirst) {
    if (backup.kind === 'daily') continue
    const n = byKind.get(backup.kind) ?? 0
    if (n < KEEP.eachOtherKind) keep.add(backup.name)
    byKind.set(backup.kind, n + 1)
  }
  return newestFirst.filter((b) => !keep.has(b.name)).map((b) => b.name)
}

/** Whether a daily backup was made on the local day of `now`. */
export function hasDailyBackupOn(backups: readonly Pick<BackupInfo, 'kind' | 'at'>[], now: Date): boolean {
  const today = dayKey(now)
  return backups.some((b) => b.kind === 'daily' && dayKey(new Date(b.at)) === today)
}
