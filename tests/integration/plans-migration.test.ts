import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { closeDatabase, openDatabase } from '../../db/connection'
import { migrateToLatest, migrations, migrationSource } from '../../db/migrations'
import { nextCollectionDay } from '../../main/services/plans/schedule'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

const MONEY_RULES = '20261202000001_money_rules'

/** Today as the migration reads it: the machine's own calendar day. */
function localToday(): string {
  const now = new Date()
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`
}

describe('the money rules migration', () => {
  it('gives every active subscription sold before it the next day it falls due, as the plans do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'frontdesk-plans-'))
    dirs.push(dir)
    const db = openDatabase(join(dir, 'frontdesk.sqlite3'))
    try {
      await migrateToLatest(db)
      const steps = migrations.length - migrations.findIndex(([name]) => name === MONEY_RULES)
      for (let i = 0; i < steps; i++) await db.migrate.down({ migrationSource })
      expect(await db.schema.hasColumn('customer_plans', 'next_due_on')).toBe(false)

      const now = '2024-01-01T00:00:00.000Z'
      await db('customers').insert({ first_name: 'Ada', display_name: 'Ada', sort_name: 'ada', created_at: now, updated_at: now })
      const today = localToday()
      const year = Number(today.slice(0, 4))
      const subscriptions: Array<{ valid_from: string | null; interval: 'week' | 'month' | 'year' | null; status?: string }> = [
        { valid_from: '2024-01-31', interval: 'month' },
        { valid_from: '2023-03-31', interval: 'month' },
        { valid_from: '2024-02-29', interval: 'year' },
        { valid_from: '2025-06-02', interval: 'week' },
        { valid_from: `${year}-01-01`, interval: 'week' },
        { valid_from: today, interval: 'month' },
        { valid_from: `${year + 1}-03-15`, interval: 'month' },
        { valid_from: null, interval: null },
        { valid_from: '2024-05-10', interval: 'month', status: 'paused' },
      ]
      for (const [i, plan] of subscriptions.entries()) {
        await db('customer_plans').insert({
          customer_id: 1,
          kind: 'subscription',
          name: `Subscription ${i}`,
          status: plan.status ?? 'active',
          valid_from: plan.valid_from,
          interval: plan.interval,
          amount_minor: 2500,
          currency: 'GBP',
          sold_at: now,
        })
      }

      await migrateToLatest(db)
      const due = (await db('customer_plans').orderBy('id').pluck('next_due_on')) as Array<string | null>
      expect(due).toEqual(
        subscriptions.map((plan) => (plan.status === 'paused' ? null : nextCollectionDay(plan.valid_from ?? today, plan.interval ?? 'month', today))),
      )
      // Held at a month's last day only where the month is shorter: a 31st is collected on the 31st again.
      for (const day of due.slice(0, 2)) expect(day).toBe(nextCollectionDay('2024-01-31', 'month', today))
    } finally {
      await closeDatabase(db)
    }
  })
})
