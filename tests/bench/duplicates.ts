import { copyFileSync, existsSync } from 'node:fs'
import type { Knex } from 'knex'
import { checkDuplicates, listDuplicateGroups } from '../../main/services/duplicates'
import { duplicateCheckInput, type JobStatus } from '../../preload/contract'
import { measure, record } from './measure'
import { openWorkCopy, removeDatabase } from './cache'

/**
 * Duplicates at a million customers: the full scan in the job worker
 * (< 60 s) and the check a new record gets as it is typed (p95 < 20 ms), on a
 * copy of the cache of their own (the cache itself is left as it is). A few
 * thousand likely duplicates are planted first (nicknames at the same
 * postcode, swapped names, a second record with the same phone), so the scan
 * has pairs to find and save.
 */
export async function benchDuplicates({ cacheFile, workFile }: { cacheFile: string; workFile: string }): Promise<void> {
  // DUPLICATES_BENCH_KEEP=1 keeps the planted copy for the next run (it takes minutes to make).
  const keep = process.env['DUPLICATES_BENCH_KEEP'] === '1'
  const reuse = keep && existsSync(workFile)
  if (!reuse) {
    removeDatabase(workFile)
    copyFileSync(cacheFile, workFile)
  }
  const { core } = await openWorkCopy(workFile)
  try {
    const planted = reuse ? await plantedBefore(core.db) : await plantDuplicates(core.db, 5_000)
    const ctx = core.context()

    const started = performance.now()
    let status = core.jobs.start('duplicateScan', {}, { staff: ctx.staff, now: new Date(), label: 'Looking for duplicate customers', writes: 'onRequest' })
    // Each step's time, as the progress bar shows them.
    let phase = ''
    const watch = setInterval(() => {
      const now = core.jobs.get(status.id)
      if (now && now.phase !== phase) {
        phase = now.phase
        console.log(`  ${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s  ${phase}`)
      }
    }, 100)
    status = await core.jobs.whenFinished(status.id)
    clearInterval(watch)
    const scanMs = performance.now() - started
    if (status.state !== 'done') throw new Error(`The duplicate scan did not finish: ${status.error?.message ?? status.state}`)
    const result = (status as JobStatus & { result: { pairs: number; groups: number; customers: number } }).result
    record(`duplicate scan, whole file in the worker (${result.pairs.toLocaleString('en-GB')} pairs)`, scanMs, '', 60_000)

    const samples = await sampleInputs(core.db, planted)
    const checks = samples.map((input) => () => checkDuplicates(ctx, duplicateCheckInput.parse(input)))
    await measure('duplicate check as typed (email, phone, nickname + postcode, swapped)', 20, checks, 5)
    await measure('duplicate groups, first page (Settings → Duplicates)', 100, [() => listDuplicateGroups(ctx, 0, 20)], 5)
  } finally {
    await core.close()
    if (!keep) removeDatabase(workFile)
  }
}

/** The originals planted on an earlier run (their copies live at "1 Planted Street"). */
async function plantedBefore(db: Knex): Promise<number[]> {
  const count = (await db('addresses').where('line1', '1 Planted Street').count({ n: '*' }).first()) as { n: number }
  if (Number(count.n) === 0) return plantDuplicates(db, 5_000)
  return (await db('customers').whereRaw('id % 97 = 0').where('status', 'active').limit(5_000).pluck('id')) as number[]
}

const NICKNAMES: Record<string, string> = { Robert: 'Bob', William: 'Bill', Katarzyna: 'Kasia', Elizabeth: 'Liz', Alexander: 'Sascha', Margaret: 'Maggie' }

/** Copies of existing customers as a desk makes them by mistake; returns the originals' ids. */
async function plantDuplicates(db: Knex, count: number): Promise<number[]> {
  const originals = (await db('customers as c')
    .join('addresses as a', 'a.customer_id', 'c.id')
    .join('phones as p', 'p.customer_id', 'c.id')
    .where('c.status', 'active')
    .whereRaw('c.id % 97 = 0')
    .limit(count)
    .select('c.id', 'c.first_name', 'c.last_name', 'a.postcode', 'p.number', 'p.e164')) as Array<{
    id: number
    first_name: string
    last_name: string
    postcode: string
    number: string
    e164: string
  }>
  const now = new Date().toISOString()
  await db.transaction(async (trx) => {
    for (const [i, row] of originals.entries()) {
      const kind = i % 3
      const firstName = kind === 0 ? (NICKNAMES[row.first_name] ?? row.first_name) : kind === 1 ? row.last_name : row.first_name
      const lastName = kind === 1 ? row.first_name : row.last_name
      const display = `${firstName} ${lastName}`
      const [id] = (await trx('customers').insert({ first_name: firstName, last_name: lastName, display_name: display, sort_name: display.toLowerCase(), created_at: now, updated_at: now }, ['id'])) as Array<{ id: number }>
      const newId = typeof id === 'object' ? id.id : (id as unknown as number)
      await trx('addresses').insert({ customer_id: newId, line1: '1 Planted Street', postcode: row.postcode.toLowerCase() })
      // Every third copy gives a second, unique number of their own (a household's landline is shared by few).
      if (kind === 2) await trx('phones').insert({ customer_id: newId, number: `01632 ${String(960000 + i).slice(-6)}`, e164: `+441632${String(960000 + i).slice(-6)}`, search_digits: '', is_primary: true })
    }
  })
  return originals.map((row) => row.id)
}

/** What a receptionist types for a new record: a known email, a known phone, a nickname at a known postcode, swapped names. */
async function sampleInputs(db: Knex, planted: number[]): Promise<Array<Record<string, unknown>>> {
  const ids = planted.filter((_, i) => i % 250 === 0).slice(0, 12)
  const rows = (await db('customers as c')
    .leftJoin('addresses as a', 'a.customer_id', 'c.id')
    .leftJoin('phones as p', 'p.customer_id', 'c.id')
    .whereIn('c.id', ids)
    .select('c.first_name', 'c.last_name', 'c.email', 'a.postcode', 'p.number')) as Array<{ first_name: string; last_name: string; email: string; postcode: string | null; number: string | null }>
  return rows.flatMap((row) => [
    { email: row.email, firstName: row.first_name.slice(0, 3) },
    { phones: [row.number ?? '07700 900123'], firstName: row.first_name, lastName: row.last_name },
    { firstName: NICKNAMES[row.first_name] ?? row.first_name, lastName: row.last_name, postcode: row.postcode ?? '' },
    { firstName: row.last_name, lastName: row.first_name, postcode: (row.postcode ?? '').replace(' ', ''), email: `new.${row.email || 'x@example.com'}` },
  ])
}
