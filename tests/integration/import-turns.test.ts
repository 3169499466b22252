import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Papa from 'papaparse'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ImportSummary, ImportUndoResult, JobStatus } from '../../preload/contract'
import { chooseImportFile, fakeDialogs } from '../helpers/importDialogs'
import { rollBackInterruptedImports, runImport } from '../../main/services/imports'
import { Cancelled, NO_PROGRESS, type Progress } from '../../main/services/progress'
import { finishJob, openTestCore, type TestCore } from '../helpers/core'
import { onPostgres } from '../helpers/testDatabase'

/*
 * An import writes in turns of a fraction of a second, each committed: the
 * desk's saves go in between, and whatever stops it — Cancel, a failure, the
 * app cut off — takes back what its turns wrote.
 */

let app: TestCore
let dir: string
const { next, dialogs } = fakeDialogs()

beforeEach(async () => {
  app = await openTestCore({ dialogs })
  dir = mkdtempSync(join(tmpdir(), 'frontdesk-import-turns-'))
})

afterEach(async () => {
  await app.cleanup()
  rmSync(dir, { recursive: true, force: true })
})

/** Enough customers to be seen writing for a few seconds: on a server each costs more, so fewer there. */
const MANY = onPostgres ? 12_000 : 40_000

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A file of `count` new people tagged "Imported", after a row that updates the customer already there. */
function peopleFile(count: number): string {
  const rows = [['First name', 'Last name', 'Email', 'Mobile', 'Tags']]
  rows.push(['', '', 'already@example.com', '07700 900001', 'Imported'])
  for (let i = 0; i < count; i++) rows.push([`Person${i}`, 'Turns', `turns${i}@example.com`, '', 'Imported'])
  const file = join(dir, `people-${count}.csv`)
  writeFileSync(file, Papa.unparse(rows))
  return file
}

/** Starts the import and waits until it writes, with a turn committed already. */
async function importUntilWriting(file: string): Promise<JobStatus> {
  const preview = await chooseImportFile(app, next, file)
  const started = await app.invoke('imports:run', { sourceId: preview.sourceId, sheet: null, mapping: preview.mapping, match: 'fill' })
  for (;;) {
    const status = await app.invoke('jobs:get', { id: started.id })
    if (status.state !== 'queued' && status.state !== 'running') throw new Error(`The import ended (${status.state}) before it was seen writing`)
    if (status.phase === 'Writing customers' && (await app.db('imports').where({ state: 'running' }).first('id'))) return status
    await sleep(5)
  }
}

/** What the desk sees of the book: customers, tags and imports. */
async function book() {
  return {
    customers: (await app.db('customers').orderBy('id').select('id', 'first_name', 'last_name', 'email', 'updated_at')) as unknown[],
    phones: Number((await app.db('phones').count({ n: '*' }))[0]!.n),
    tags: (await app.db('tags').orderBy('id').pluck('name')) as string[],
    imports: Number((await app.db('imports').count({ n: '*' }))[0]!.n),
  }
}

describe('an import written in turns', () => {
  it('lets a save made while it writes go in between two of its turns; undone, it removes only its own customers', async () => {
    await app.invoke('customers:create', { firstName: 'Already', lastName: 'Here', email: 'already@example.com' })
    const writing = await importUntilWriting(peopleFile(MANY))
    expect(writing.note).toMatch(/a save waits at most a moment for the import’s turn to end/)
    const asked = performance.now()
    const walkedIn = await app.invoke('customers:create', { firstName: 'Walked', lastName: 'In' })
    const waited = performance.now() - asked
    // Saved while the import still wrote: it waited for one turn at most, not for the import.
    expect((await app.invoke('jobs:get', { id: writing.id })).state).toBe('running')
    expect(waited).toBeLessThan(3_000)

    const final = await finishJob(app.call, writing)
    expect(final.state).toBe('done')
    const summary = final.result as ImportSummary
    expect(summary).toMatchObject({ created: MANY, updated: 1 })
    // The import's customers are on both sides of the one saved in between, and all are found.
    const ids = (await app.db('customers').where({ last_name: 'Turns' }).pluck('id')) as number[]
    expect(Math.min(...ids)).toBeLessThan(walkedIn.id)
    expect(Math.max(...ids)).toBeGreaterThan(walkedIn.id)
    expect((await app.invoke('customers:list', { search: `turns${MANY - 1}@example.com` })).rows).toHaveLength(1)
    expect((await app.invoke('customers:list', { search: 'Person0 Turns' })).rows.map((r) => r.id)).toContain(Math.min(...ids))
    expect((await app.db('imports').first('state')) as { state: string }).toEqual({ state: 'done' })

    const undone = await app.runJob<ImportUndoResult>('imports:undo', { id: summary.importId! })
    expect(undone).toMatchObject({ removed: MANY, restored: 1 })
    expect(((await app.db('customers').orderBy('id').select('first_name')) as Array<{ first_name: string }>).map((c) => c.first_name)).toEqual(['Already', 'Walked'])
    expect((await app.invoke('customers:list', { search: 'Walked' })).rows).toHaveLength(1)
    // The tag it made went with it; nobody had put it to use.
    expect(await app.db('tags').pluck('name')).toEqual([])
  }, 120_000)

  it('cancelled after turns were committed, takes back everything they wrote', async () => {
    await app.invoke('customers:create', { firstName: 'Already', lastName: 'Here', email: 'already@example.com' })
    const before = await book()
    const writing = await importUntilWriting(peopleFile(MANY))
    expect((await app.db('customers').count({ n: '*' }))[0]!.n).not.toBe(before.customers.length)
    await app.invoke('jobs:cancel', { id: writing.id })
    const final = await finishJob(app.call, writing)
    expect(final.state).toBe('cancelled')
    expect(final.error?.message).toMatch(/nothing was changed/i)
    expect(await book()).toEqual(before)
    expect((await app.invoke('customers:list', { search: 'Turns' })).rows).toEqual([])
    expect((await app.invoke('customers:counts', {})).active).toBe(1)
  })

  it('cut off while it ran (hanging between two turns here), is taken back as cancelled: at once in a file, on a server once silent a while', async () => {
    await app.invoke('customers:create', { firstName: 'Already', lastName: 'Here', email: 'already@example.com' })
    const before = await book()
    let cutOff!: () => void
    const between = new Promise<void>((resolve) => (cutOff = resolve))
    const hanging: Progress = {
      ...NO_PROGRESS,
      passWriteTurn: () => {
        cutOff()
        return new Promise(() => {})
      },
    }
    void runImport(app.context(), { file: peopleFile(10_000), sheet: null, mapping: null, match: 'fill', rejectsFile: join(dir, 'rejects.csv') }, hanging)
    await between
    expect(await app.db('imports').first('state')).toEqual({ state: 'running' })
    expect((await book()).customers.length).toBeGreaterThan(before.customers.length)
    if (onPostgres) {
      // Its last turn was just now: another desk may be running it.
      expect(await rollBackInterruptedImports(app.context(), NO_PROGRESS, new Date(Date.now() - 120_000).toISOString())).toBe(0)
      expect(await app.db('imports').first('state')).toEqual({ state: 'running' })
    }
    expect(await rollBackInterruptedImports(app.context(), NO_PROGRESS, onPostgres ? new Date(Date.now() + 1000).toISOString() : null)).toBe(1)
    expect(await book()).toEqual(before)
    expect((await app.invoke('customers:list', { search: 'Person1' })).rows).toEqual([])
  })

  it('stopped after a customer it created was booked meanwhile, keeps what it wrote, listed to undo later, and says so', async () => {
    await app.invoke('customers:create', { firstName: 'Already', lastName: 'Here', email: 'already@example.com' })
    let booked = false
    const bookingMeanwhile: Progress = {
      ...NO_PROGRESS,
      // Between two turns the desk books the first customer the import made; then the receptionist presses Cancel.
      passWriteTurn: async () => {
        if (booked) return
        const first = (await app.db('customers').where({ last_name: 'Turns' }).orderBy('id').first('id')) as { id: number }
        await app.db('bookings').insert({ reference: 'BK-MEANWHILE', customer_id: first.id, status: 'confirmed', source: 'phone', kind: 'booking', currency: 'GBP', created_at: new Date().toISOString(), updated_at: new Date().toISOString() })
        booked = true
      },
      checkCancelled: () => {
        if (booked) throw new Cancelled()
      },
    }
    const stopped = runImport(app.context(), { file: peopleFile(10_000), sheet: null, mapping: null, match: 'fill', rejectsFile: join(dir, 'rejects.csv') }, bookingMeanwhile)
    await expect(stopped).rejects.toThrow(/^The import stopped, but the [\d,]+ customers it had added so far were kept: Person0 Turns \(C-\d{6}\) had bookings/)
    const record = (await app.db('imports').first('state', 'created')) as { state: string; created: number }
    expect(record.state).toBe('done')
    // The desk is told it was kept, not that the file could not be imported.
    await expect(stopped).rejects.toMatchObject({ extra: { keptImport: { created: record.created } } })
    expect(Number((await app.db('customers').where({ last_name: 'Turns' }).count({ n: '*' }))[0]!.n)).toBe(record.created)
    expect((await app.invoke('imports:list', undefined))[0]).toMatchObject({ state: 'done', created: record.created })
  })

  it.skipIf(onPostgres)('cut off while it ran, is taken back when the app next opens the file', async () => {
    await app.invoke('customers:create', { firstName: 'Already', lastName: 'Here', email: 'already@example.com' })
    const before = await book()
    let cutOff!: () => void
    const between = new Promise<void>((resolve) => (cutOff = resolve))
    const hanging: Progress = { ...NO_PROGRESS, passWriteTurn: () => (cutOff(), new Promise(() => {})) }
    void runImport(app.context(), { file: peopleFile(10_000), sheet: null, mapping: null, match: 'fill', rejectsFile: join(dir, 'rejects.csv') }, hanging)
    await between
    await app.close()
    const reopened = await openTestCore({ dataFile: app.dataFile })
    try {
      const job = (await reopened.invoke('jobs:list', undefined)).find((j) => j.kind === 'importRollBack')
      expect(job).toMatchObject({ label: 'Taking back an import that was cut off', cancellable: false })
      expect((await finishJob(reopened.call, job!)).state).toBe('done')
      const customers = (await reopened.db('customers').orderBy('id').select('id', 'first_name', 'last_name', 'email', 'updated_at')) as unknown[]
      expect(customers).toEqual(before.customers)
      expect(await reopened.db('imports').count({ n: '*' })).toEqual([{ n: 0 }])
      expect((await reopened.invoke('customers:list', { search: 'Turns' })).rows).toEqual([])
    } finally {
      await reopened.cleanup()
    }
  })

  it.skipIf(onPostgres)('keeps the file’s write-ahead log to about a turn’s pages, which every read of the desk looks through', async () => {
    await app.invoke('customers:create', { firstName: 'Already', lastName: 'Here', email: 'already@example.com' })
    const grown = statSync(app.dataFile).size
    const summary = await runImport(app.context(), { file: peopleFile(MANY), sheet: null, mapping: null, match: 'fill', rejectsFile: join(dir, 'rejects.csv') }, NO_PROGRESS)
    expect(summary.created).toBe(MANY)
    // Each turn's pages are copied into the file before the next turn, which then writes the log from its start again.
    const written = statSync(app.dataFile).size - grown
    const log = statSync(`${app.dataFile}-wal`).size
    expect(log).toBeLessThan(written / 4)
  })
})
