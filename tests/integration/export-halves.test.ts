import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Knex } from 'knex'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { exportColumns, exportCustomers } from '../../main/services/exports'
import { exportCsvInHalves } from '../../main/services/exports/halves'
import { PAGE_SIZE } from '../../main/services/exports/rows'
import { piecesOf, resolveScope } from '../../main/services/exports/scope'
import { Cancelled, NO_PROGRESS, type Progress } from '../../main/services/progress'
import { seedDemoCustomers } from '../../main/demo/generate'
import { closeDatabase, locationOf, openDatabase } from '../../db/connection'
import { WriteGate } from '../../db/writeGate'
import { onPostgres } from '../helpers/testDatabase'
import { customerFilter, type ExportInput } from '../../preload/contract'

/*
 * A large CSV export written in two halves on two threads (halves.ts), which
 * take its pieces from either end until they meet, is the file the export
 * writes in one go, byte for byte, from one snapshot.
 * Halves are for a customer file: on PostgreSQL the export is written in one go.
 */

const SEEDED = 3 * PAGE_SIZE + 137
/** Customers in a piece: a dozen pieces, taken by the two threads from either end. */
const PIECE = 270

describe.skipIf(onPostgres)('a CSV export in two halves', () => {
  let app: TestCore
  let dir: string
  let columns: string[]
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'frontdesk-export-halves-'))
    app = await openTestCore()
    await seedDemoCustomers(app.db, { count: SEEDED, seed: 11, now: new Date('2026-03-01T00:00:00Z') })
    // One in the recycle bin in each half, and a name with a comma, quotes and a line break.
    await app.db('customers').whereIn('id', [7, SEEDED - 7]).update({ status: 'deleted' })
    await app.db('customers').where({ id: SEEDED - 1 }).update({ company: 'Quote "Q", Ltd\nSecond line' })
    columns = (await exportColumns(app.context())).map((c) => c.key)
  }, 120_000)
  afterAll(async () => {
    await app.cleanup()
    rmSync(dir, { recursive: true, force: true })
  })

  const inOneGo = async (name: string, input: ExportInput) => {
    const file = join(dir, `${name}-one.csv`)
    await exportCustomers(app.context(), input, file, NO_PROGRESS)
    return readFileSync(file)
  }

  it('writes every customer, byte for byte as in one go, with the count and progress of both halves', async () => {
    const input: ExportInput = { scope: { kind: 'all' }, format: 'csv', columns }
    const file = join(dir, 'all-halves.csv')
    const reports: Array<[number, number]> = []
    const progress: Progress = { ...NO_PROGRESS, report: (done, total) => reports.push([done, total]) }
    const result = await exportCsvInHalves(app.context(), input, file, progress, { from: 1, piece: PIECE })
    expect(result).toMatchObject({ fileName: 'all-halves.csv', rows: SEEDED - 2 })
    const halves = readFileSync(file)
    expect(result!.bytes).toBe(halves.length)
    expect(halves.equals(await inOneGo('all', input))).toBe(true)
    expect(reports[0]).toEqual([0, SEEDED - 2])
    expect(reports.at(-1)).toEqual([SEEDED - 2, SEEDED - 2])
    // Both halves counted as they went, a page (here a piece) at a time.
    expect(reports.length).toBeGreaterThanOrEqual(Math.ceil(SEEDED / PIECE) + 1)
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([])
  })

  it('writes ticked customers the same way, those since deleted left out', async () => {
    const ids = Array.from({ length: SEEDED }, (_, i) => i + 1).filter((id) => id % 3 === 1)
    const input: ExportInput = { scope: { kind: 'ids', ids }, format: 'csv', columns: ['number', 'displayName', 'email', 'tags'] }
    const file = join(dir, 'ticked-halves.csv')
    const result = await exportCsvInHalves(app.context(), input, file, NO_PROGRESS, { from: 1, piece: PIECE })
    expect(result?.rows).toBe(ids.filter((id) => id !== 7 && id !== SEEDED - 7).length)
    expect(readFileSync(file).equals(await inOneGo('ticked', input))).toBe(true)
  })

  it('cuts the customers into pieces that follow one another, never more than asked for', async () => {
    const all = await resolveScope(app.db, { kind: 'all' })
    const ranges = await piecesOf(app.db, all, 1000, 100)
    expect(ranges.map((p) => [p.from, p.below])).toEqual([[1, 1001], [1001, 2001], [2001, 3001], [3001, SEEDED + 1]])
    // Larger pieces rather than more than `most`.
    const few = await piecesOf(app.db, all, 10, 3)
    expect(few.map((p) => [p.from, p.below])).toEqual([[1, 1047], [1047, 2093], [2093, SEEDED + 1]])
    const ticked = await resolveScope(app.db, { kind: 'ids', ids: [9, 3, 5, 3, 1, 7] })
    expect((await piecesOf(app.db, ticked, 2, 100)).map((p) => p.ids)).toEqual([[1, 3], [5, 7], [9]])
    expect((await piecesOf(app.db, ticked, 1, 2)).map((p) => p.ids)).toEqual([[1, 3, 5], [7, 9]])
  })

  it('writes a filtered list the same way, a search or filters alone', async () => {
    for (const filter of [{ search: 'an' }, { tagIds: [1] }]) {
      const input: ExportInput = { scope: { kind: 'filter', tab: 'active', filter: customerFilter.parse(filter) }, format: 'csv', columns: ['number', 'displayName', 'tags'] }
      const file = join(dir, 'filtered-halves.csv')
      const result = await exportCsvInHalves(app.context(), input, file, NO_PROGRESS, { from: 100, piece: 50 })
      expect(result?.rows).toBeGreaterThan(100)
      expect(readFileSync(file).equals(await inOneGo('filtered', input))).toBe(true)
    }
  })

  it('leaves small exports and Excel to one go', async () => {
    const file = join(dir, 'declined.csv')
    const all: ExportInput = { scope: { kind: 'all' }, format: 'csv', columns }
    expect(await exportCsvInHalves(app.context(), all, file, NO_PROGRESS, { piece: PIECE })).toBeNull()
    expect(await exportCsvInHalves(app.context(), { ...all, format: 'xlsx' }, file, NO_PROGRESS, { from: 1, piece: PIECE })).toBeNull()
    const filtered: ExportInput = { ...all, scope: { kind: 'filter', tab: 'active', filter: customerFilter.parse({ search: 'a' }) } }
    expect(await exportCsvInHalves(app.context(), filtered, file, NO_PROGRESS, { piece: PIECE })).toBeNull()
    expect(readdirSync(dir).filter((f) => f.startsWith('declined') || f.startsWith('.'))).toEqual([])
  })

  it('reads both halves in one snapshot while the desk goes on saving', async () => {
    // Another desk renames the first and the last customer together, again and again: any file must
    // show both under one name. Without the write lock between the halves' first reads, a save falls
    // between them and the halves disagree.
    // As a desk's main process opens it: waiting for the lock with timers, never inside SQLite.
    const other: Knex = openDatabase(locationOf(app.db), { writeGate: new WriteGate() })
    let stop = false
    let saves = 0
    const saving = (async () => {
      while (!stop) {
        const name = `Round ${saves + 1}`
        await other.transaction(async (trx) => {
          await trx('customers').whereIn('id', [1, SEEDED]).update({ company: name })
        })
        saves++
        await new Promise((resolve) => setImmediate(resolve))
      }
    })()
    try {
      const input: ExportInput = { scope: { kind: 'all' }, format: 'csv', columns: ['number', 'company'] }
      for (let round = 0; round < 5; round++) {
        const file = join(dir, `snapshot-${round}.csv`)
        await exportCsvInHalves(app.context(), input, file, NO_PROGRESS, { from: 1, piece: PIECE })
        const lines = readFileSync(file, 'utf8').trim().split('\r\n')
        const first = lines.find((l) => l.startsWith('C-000001,'))
        const last = lines.find((l) => l.startsWith(`C-${String(SEEDED).padStart(6, '0')},`))
        expect(last!.split(',')[1]).toBe(first!.split(',')[1])
      }
    } finally {
      stop = true
      await saving
      await closeDatabase(other)
    }
    expect(saves).toBeGreaterThan(5)
  })

  it('stops on Cancel in either half: no file, no half file, an older file untouched', async () => {
    const input: ExportInput = { scope: { kind: 'all' }, format: 'csv', columns }
    const file = join(dir, 'cancelled.csv')
    writeFileSync(file, 'the export from last week')
    // At the first piece, at the second, or at the last check before the pieces are put together.
    for (const cancelAfter of [0, 1, 2]) {
      let checks = 0
      const cancel: Progress = {
        ...NO_PROGRESS,
        checkCancelled() {
          if (++checks > cancelAfter) throw new Cancelled()
        },
      }
      await expect(exportCsvInHalves(app.context(), input, file, cancel, { from: 1, piece: PIECE })).rejects.toBeInstanceOf(Cancelled)
      expect(readFileSync(file, 'utf8')).toBe('the export from last week')
      expect(readdirSync(dir).filter((f) => f.includes('cancelled'))).toEqual(['cancelled.csv'])
    }
  })

  it('says so when the folder is gone, and leaves nothing behind', async () => {
    const gone = join(dir, 'gone')
    const input: ExportInput = { scope: { kind: 'all' }, format: 'csv', columns }
    await expect(exportCsvInHalves(app.context(), input, join(gone, 'customers.csv'), NO_PROGRESS, { from: 1, piece: PIECE })).rejects.toMatchObject({
      code: 'STORAGE',
      message: 'customers.csv could not be saved: the folder no longer exists.',
    })
    expect(readdirSync(dir).filter((f) => f.startsWith('.') || f === 'gone')).toEqual([])
  })
})
