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

const LETTER_TEMPLATES = '20261201000008_letter_templates'

describe('the letter templates migration', () => {
  it('brings one default brochure letter, keeps names unique, and rolls back and forward', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'frontdesk-templates-'))
    dirs.push(dir)
    const db = openDatabase(join(dir, 'frontdesk.sqlite3'))
    try {
      await migrateToLatest(db)
      const rows = (await db('letter_templates').select('name', 'name_normalized', 'is_default', 'body')) as Array<{ name: string; name_normalized: string; is_default: number; body: string }>
      expect(rows).toHaveLength(1)
      expect(rows[0]).toMatchObject({ name: 'Brochure letter', name_normalized: 'brochure letter', is_default: 1 })
      expect(rows[0]!.body).toMatch(/^Dear \{\{display_name\}\},/)
      const at = '2026-12-01T10:00:00.000Z'
      await expect(db('letter_templates').insert({ name: 'BROCHURE LETTER', name_normalized: 'brochure letter', body: 'x', created_at: at, updated_at: at })).rejects.toThrow(/UNIQUE/)

      const steps = migrations.length - migrations.findIndex(([name]) => name === LETTER_TEMPLATES)
      for (let i = 0; i < steps; i++) await db.migrate.down({ migrationSource })
      expect(await db.schema.hasTable('letter_templates')).toBe(false)
      await migrateToLatest(db)
      expect(await db('letter_templates').count({ n: '*' })).toEqual([{ n: 1 }])
    } finally {
      await closeDatabase(db)
    }
  })
})
