import type { Walk } from './rows'

/* What a large export (halves.ts) and the thread writing its second half (halfThread.ts) share. */

/**
 * Between the export and its second thread. The customers come in pieces, which the export takes
 * from the first on and the thread from the last back (`claims`, shared), until they meet. A
 * failure carries its system code (e.g. ENOSPC) for the desk's message.
 */
export type ToHalf = { kind: 'begin' } | { kind: 'work'; pieces: Walk[]; claims: SharedArrayBuffer; currency: string }
export type FromHalf =
  | { kind: 'loaded' }
  | { kind: 'ready' }
  | { kind: 'rows'; count: number }
  | { kind: 'done'; rows: number; pieces: number[] }
  | { kind: 'failed'; error: string; code?: string }

/** What the second thread is started with: the data's location, the columns chosen and the folder it writes its pieces in. */
export interface HalfData {
  location: string
  columns: string[]
  folder: string
}

/**
 * Each half's page cache (MiB): still room for the B-tree pages above the rows. Two connections
 * with the usual 8 MiB each peaked 14 MB higher at a million customers, no quicker.
 */
export const HALF_CACHE_MIB = 2

/** Pieces are counted in 16 bits each, the first not yet taken and the one after the last not yet taken, in one word. */
export const MAX_PIECES = 0xffff

/** The shared word for `count` pieces, none taken. */
export function newClaims(count: number): SharedArrayBuffer {
  if (count > MAX_PIECES) throw new Error(`An export is written in at most ${MAX_PIECES} pieces.`)
  const claims = new SharedArrayBuffer(4)
  new Uint32Array(claims)[0] = count
  return claims
}

/** Takes the first piece not yet taken (the export's side), or the last (the thread's); null when none is left. */
export function claimPiece(claims: SharedArrayBuffer, end: 'first' | 'last'): number | null {
  const word = new Uint32Array(claims)
  for (;;) {
    const state = Atomics.load(word, 0)
    const first = state >>> 16
    const after = state & 0xffff
    if (first >= after) return null
    const next = end === 'first' ? ((first + 1) << 16) | after : (first << 16) | (after - 1)
    if (Atomics.compareExchange(word, 0, state, next >>> 0) === state) return end === 'first' ? first : after - 1
  }
}
