/**
 * The share of the book a search matches, from the spread of its first matches (ascending ids, about
 * the lowest: the engines read the table from its start). Read at a quarter of them: customers added
 * or saved later may fill space freed among the first rows of a table, and their high ids would
 * spread the rest (one such row among a phone number's first matches made a quarter of the book look
 * like one customer in 250).
 */
export function shareOfFirstMatches(ids: readonly number[]): number {
  if (!ids.length) return 0
  const i = Math.floor(0.25 * (ids.length - 1))
  return Math.min(1, (i + 1) / Math.max(1, ids[i]!))
}
