import type { Walk } from './rows'

/* What a large export (halves.ts) and the thread writing its second half (halfThread.ts) share. */

/** Between the export and its second thread (a failure carries its system code, e.g. ENOSPC, for the desk's message). */
export type ToHalf = { kind: 'begin' } | { kind: 'walk'; walk: Walk | null; currency: string }
export type FromHalf = { kind: 'loaded' } | { kind: 'ready' } | { kind: 'rows'; count: number } | { kind: 'done'; rows: number } | { kind: 'failed'; error: string; code?: string }

/** What the second thread is started with: the data's location, the columns chosen and the file it writes. */
export interface HalfData {
  location: string
  columns: string[]
  file: string
}

/**
 * Each half's page cache (MiB): still room for the B-tree pages above the rows. Two connections
 * with the usual 8 MiB each peaked 14 MB higher at a million customers, no quicker.
 */
export const HALF_CACHE_MIB = 2
