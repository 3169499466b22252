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

const RECORD_EXTRAS = '20261123000004_record_extras'

describe('the record extras migration', () => {
  it('rolls back and forward without touching existing customers, their child rows or the triggers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'frontdesk-extras-'))
    dirs.push(dir)
    const db = openDatabase(join(dir, 'frontdesk.sqlite3'))
    try {
      await migrateToLatest(db)
      const now = '2026-01-01T00:00:00.000Z'
      await db('customers').insert([
        { first_name: 'Ada', display_name: 'Ada', sort_name: 'ada', created_at: now, updated_at: now },
        { first_name: 'Ben', display_name: 'Ben', sort_name: 'ben', created_at: now, updated_at: now },
      ])
      await db('customers').where({ id: 2 }).update({ household_payer_id: 1, referred_by_id: 1 })
      await db('phones').insert({ customer_id: 1, number: '07700 900123' })
      await db('addresses').insert({ customer_id: 2, line1: '1 High St' })
      await db('payment_methods').insert({ customer_id: 1, brand: 'visa', last4: '4242', exp_month: 1, exp_year: 2030, created_at: now })
      const triggers = () => db.raw(`SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name`)
      const triggersBefore = await triggers()

      // Roll back down to (and including) this migration.
      const steps = migrations.length - migrations.findIndex(([name]) => name === RECORD_EXTRAS)
      for (let i = 0; i < steps; i++) await db.migrate.down({ migrationSource })

      const columns = ((await db.raw('PRAGMA table_info(customers)')) as Array<{ name: string }>).map((c) => c.name)
      expect(columns).not.toContain('household_payer_id')
      expect(columns).not.toContain('tax_status')
      expect(await db.schema.hasTable('payment_methods')).toBe(false)
      expect(await db('customers').count({ n: '*' })).toEqual([{ n: 2 }])
      expect(await db('phones').count({ n: '*' })).toEqual([{ n: 1 }])
      expect(await db('addresses').count({ n: '*' })).toEqual([{ n: 1 }])

      await migrateToLatest(db)
      expect(await triggers()).toEqual(triggersBefore)
      expect(await db('customers').where({ id: 2 }).first('tax_status', 'rewards_balance_minor', 'household_payer_id')).toEqual({
        tax_status: 'standard',
        rewards_balance_minor: 0,
        household_payer_id: null,
      })
      // The foreign keys work: a payer leaving the file unlinks their dependants.
      await db('customers').where({ id: 2 }).update({ household_payer_id: 1 })
      await db('customers').where({ id: 1 }).delete()
      expect(await db('customers').where({ id: 2 }).first('household_payer_id')).toEqual({ household_payer_id: null })
      expect(((await db.raw('PRAGMA foreign_key_check')) as unknown[]).length).toBe(0)
    } finally {
      await closeDatabase(db)
    }
  })
})
