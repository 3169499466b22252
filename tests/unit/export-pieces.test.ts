import { describe, expect, it } from 'vitest'
import { claimPiece, MAX_PIECES, newClaims } from '../../main/services/exports/halfMessages'

/* The pieces of a large export, taken by two threads from either end (main/services/exports/halves.ts). */

describe('the pieces of an export', () => {
  it('are each taken once, the first ones from the start and the last from the end, until they meet', () => {
    const claims = newClaims(7)
    const first: number[] = []
    const last: number[] = []
    for (const end of ['first', 'last', 'last', 'first', 'last', 'first', 'first', 'last', 'first'] as const) {
      const piece = claimPiece(claims, end)
      if (piece !== null) (end === 'first' ? first : last).push(piece)
    }
    expect(first).toEqual([0, 1, 2, 3])
    expect(last).toEqual([6, 5, 4])
    expect(claimPiece(claims, 'first')).toBeNull()
    expect(claimPiece(claims, 'last')).toBeNull()
  })

  it('leave nothing to take when there are none, and refuse more than a word can count', () => {
    const none = newClaims(0)
    expect(claimPiece(none, 'first')).toBeNull()
    expect(claimPiece(none, 'last')).toBeNull()
    const most = newClaims(MAX_PIECES)
    expect(claimPiece(most, 'last')).toBe(MAX_PIECES - 1)
    expect(claimPiece(most, 'first')).toBe(0)
    expect(() => newClaims(MAX_PIECES + 1)).toThrow(/at most 65535 pieces/)
  })
})
