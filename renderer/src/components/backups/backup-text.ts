import type { BackupKind } from '../../../../preload/contract'

/** A backup's reason, in the desk's words. */
export const KIND_LABELS: Record<BackupKind, string> = {
  daily: 'Daily',
  manual: 'Backed up by hand',
  'before-migration': 'Before an update',
  'before-import': 'Before an import',
  'before-merge': 'Before a merge',
  'before-restore': 'Before a restore',
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024)).toLocaleString()} KB`
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toLocaleString(undefined, { maximumFractionDigits: 1 })} MB`
  return `${(bytes / 1024 ** 3).toLocaleString(undefined, { maximumFractionDigits: 2 })} GB`
}

export function formatWhen(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' })
}
