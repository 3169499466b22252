import { afterEach, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { findTombstone, writeTombstones } from '../../main/services/privacy/tombstones'

let core: TestCore | undefined
afterEach(async () => {
  await core?.cleanup()
  core = undefined
})

describe('tombstones', () => {
  it('finds an erased email or phone by its keyed hash, however it is typed, and holds no value', async () => {
    core = await openTestCore()
    const db = core.db
    expect(await findTombstone(db, { email: 'ada@example.com', phones: ['07700 900123'] })).toBeNull()
    await db.transaction((trx) => writeTombstones(trx, { email: 'Ada@Example.com ', phones: ['+44 7700 900123'] }, '2026-12-02T10:00:00.000Z'))
    expect(await findTombstone(db, { email: ' ADA@example.COM' })).toEqual({ erasedAt: '2026-12-02T10:00:00.000Z', kind: 'email' })
    expect(await findTombstone(db, { phones: ['07700 900123'] })).toEqual({ erasedAt: '2026-12-02T10:00:00.000Z', kind: 'phone' })
    expect(await findTombstone(db, { phones: ['+447700900123'] })).not.toBeNull()
    expect(await findTombstone(db, { email: 'ada2@example.com', phones: ['07700 900124', 'not a phone'] })).toBeNull()
    const rows = (await db('tombstones').select('kind', 'key_hash')) as Array<{ kind: string; key_hash: string }>
    expect(rows).toHaveLength(2)
    for (const row of rows) {
      expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/)
      expect(row.key_hash).not.toContain('ada')
    }
  })
})
