import { describe, expect, it } from 'vitest'
import { compareInC, firstInOrder } from '../../db/queries/customerList'

/* A page of a search's read matches is its first 51 in the list's order, picked without sorting them all. */
describe('the first items in order', () => {
  const byName = (a: { id: number; name: string }, b: { id: number; name: string }) => compareInC(a.name, b.name) || a.id - b.id

  it('are the first of a whole sort, for any number asked, with ties kept in id order', () => {
    let seed = 7
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    const names = ['smith', 'jones', 'müller', 'jose', 'Ørsted', 'anna', '😀 emoji', 'zoë', 'ann', 'smith']
    const items = Array.from({ length: 3000 }, (_, id) => ({ id, name: `${names[Math.floor(random() * names.length)]} ${Math.floor(random() * 40)}` }))
    const sorted = [...items].sort(byName)
    for (const n of [0, 1, 2, 51, 200, 2999, 3000, 5000]) expect(firstInOrder(items, byName, n)).toEqual(sorted.slice(0, n))
    // Backwards, as a page read from the end is.
    expect(firstInOrder(items, (a, b) => byName(b, a), 51)).toEqual([...sorted].reverse().slice(0, 51))
  })

  it('leaves the items given as they were', () => {
    const items = [{ id: 2, name: 'b' }, { id: 1, name: 'a' }, { id: 3, name: 'a' }]
    expect(firstInOrder(items, byName, 2)).toEqual([{ id: 1, name: 'a' }, { id: 3, name: 'a' }])
    expect(items.map((item) => item.id)).toEqual([2, 1, 3])
  })
})
