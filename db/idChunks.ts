/** SQLite accepts at most 500 terms in some statements: every id list is written in chunks of this size. */
export const CHUNK_SIZE = 500

export function chunks<T>(items: readonly T[], size = CHUNK_SIZE): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}
