import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { closeDatabase, openDatabase } from '../../db/connection'
import { migrateToLatest, migrations, migrationSource } from '../../db/migrations'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

const BROCHURE_REQUESTS = '20261201000006_brochure_requests'
const now = '2026-11-10T10:00:00.000Z'

describe('the brochure requests migration', () => {
  it('rolls back and forward without touching customers; requests go with their customer and keep to their statuses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'frontdesk-brochures-'))
    dirs.push(dir)
    const db = openDatabase(join(dir, 'frontdesk.sqlite3'))
    try {
      await migrateToLatest(db)
      await db('customers').insert([
        { first_name: 'Ada', display_name: 'Ada', sort_name: 'ada', created_at: now, updated_at: now },
        { first_name: 'Ben', display_name: 'Ben', sort_name: 'ben', created_at: now, updated_at: now },
      ])
      const request = (customerId: number, status = 'pending') => ({
        customer_id: customerId,
        requested_at: now,
        taken_by_staff_id: 1,
        taken_by_name: 'Administrator',
        status,
        created_at: now,
        updated_at: now,
      })
      await db('brochure_requests').insert([request(1), request(2)])
      expect(await db('brochure_requests').where({ customer_id: 1 }).first('note', 'posted_on', 'posted_by_name')).toEqual({
        note: '',
        posted_on: null,
        posted_by_name: '',
      })
      await expect(db('brochure_requests').insert(request(1, 'lost'))).rejects.toThrow(/CHECK constraint/)
      const indexes = (await db.raw(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'brochure_requests' AND name NOT LIKE 'sqlite_%' ORDER BY name`)) as Array<{ name: string }>
      expect(indexes.map((i) => i.name)).toEqual(['brochure_requests_customer', 'brochure_requests_status_requested'])

      // Removing a customer for good removes their requests.
      await db('customers').where({ id: 2 }).delete()
      expect(await db('brochure_requests').count({ n: '*' })).toEqual([{ n: 1 }])

      const steps = migrations.length - migrations.findIndex(([name]) => name === BROCHURE_REQUESTS)
      for (let i = 0; i < steps; i++) await db.migrate.down({ migrationSource })
      expect(await db.schema.hasTable('brochure_requests')).toBe(false)
      expect(await db('customers').count({ n: '*' })).toEqual([{ n: 1 }])

      await migrateToLatest(db)
      expect(await db.schema.hasTable('brochure_requests')).toBe(true)
      expect(await db('brochure_requests').count({ n: '*' })).toEqual([{ n: 0 }])
      expect(((await db.raw('PRAGMA foreign_key_check')) as unknown[]).length).toBe(0)
    } finally {
      await closeDatabase(db)
    }
  })
})
