import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { Knex } from 'knex'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { closeDatabase, openDatabase } from '../../db/connection'

/*
 * Each SQLite connection keeps the statements it ran for the next time the same SQL comes (db/dialects/sqliteClient.ts).
 * A kept statement must answer exactly as a freshly prepared one would, whatever happened in between.
 */

let dir: string
let db: Knex

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'frontdesk-statements-'))
  db = openDatabase(join(dir, 'frontdesk.sqlite3'))
})

afterEach(async () => {
  vi.restoreAllMocks()
  await closeDatabase(db)
  rmSync(dir, { recursive: true, force: true })
})

describe('statements kept by a connection', () => {
  it('are prepared once and answer each run with its own values', async () => {
    await db.schema.createTable('people', (t) => {
      t.increments('id')
      t.text('name').notNullable().unique()
    })
    const prepare = vi.spyOn(Database.prototype, 'prepare')
    for (let i = 0; i < 50; i++) await db('people').insert({ name: `Person ${i}` })
    const names: string[] = []
    for (let i = 0; i < 50; i += 7) names.push(((await db('people').where({ id: i + 1 }).first('name')) as { name: string }).name)
    expect(names).toEqual([0, 7, 14, 21, 28, 35, 42, 49].map((i) => `Person ${i}`))
    // One insert and one select, each prepared once (nothing else ran).
    expect(prepare).toHaveBeenCalledTimes(2)
    const [inserted] = (await db('people').insert({ name: 'Last' }).returning('id')) as Array<{ id: number }>
    expect(inserted!.id).toBe(51)
  })

  it('still answer after a failure, a rolled-back transaction and a change of the table they read', async () => {
    await db.schema.createTable('people', (t) => {
      t.increments('id')
      t.text('name').notNullable().unique()
    })
    await db('people').insert({ name: 'Ada' })
    await expect(db('people').insert({ name: 'Ada' })).rejects.toThrow(/UNIQUE/)
    await db('people').insert({ name: 'Grace' })
    await expect(
      db.transaction(async (trx) => {
        await trx('people').insert({ name: 'Hedy' })
        throw new Error('changed my mind')
      }),
    ).rejects.toThrow('changed my mind')
    expect(await db('people').orderBy('id').pluck('name')).toEqual(['Ada', 'Grace'])

    // A column added: the same statement returns it.
    await db.schema.alterTable('people', (t) => t.text('email').notNullable().defaultTo(''))
    expect(await db('people').select('*').orderBy('id')).toEqual([
      { id: 1, name: 'Ada', email: '' },
      { id: 2, name: 'Grace', email: '' },
    ])
    // The table made again with other columns: the same SQL reads the new one.
    await db.schema.dropTable('people')
    await db.schema.createTable('people', (t) => {
      t.increments('id')
      t.integer('age')
    })
    await db('people').insert({ age: 36 })
    expect(await db('people').select('*').orderBy('id')).toEqual([{ id: 1, age: 36 }])
  })

  it('make room for new ones when many different statements run', async () => {
    await db.schema.createTable('numbers', (t) => t.integer('n'))
    await db('numbers').insert(Array.from({ length: 10 }, (_, n) => ({ n })))
    // More different statements than a connection keeps, then the first ones again.
    for (let round = 0; round < 2; round++) {
      for (let k = 0; k < 400; k++) {
        const row = (await db.raw(`SELECT count(*) + ${k} AS n FROM numbers WHERE n < ?`, [k % 10])) as Array<{ n: number }>
        expect(row[0]!.n).toBe((k % 10) + k)
      }
    }
  })
})
