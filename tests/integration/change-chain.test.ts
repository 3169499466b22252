import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestCore, finishJob, type TestCore } from '../helpers/core'
import type { Channel, JobStatus } from '../../preload/contract'
import { verifyChangeChain, type ChainCheck } from '../../db/changeChain'
import { describeChainCheck } from '../../main/services/app/changeLogCheck'
import { isPrepared, type RouterCase } from './router-cases/types'
import { addressBookCases } from './router-cases/address-book'
import { profileCases } from './router-cases/profile'
import { organiseCases } from './router-cases/organise'
import { bookingCases } from './router-cases/bookings'
import { moneyCases } from './router-cases/money'
import { importCases, routerDialogs } from './router-cases/imports'
import { brochureCases } from './router-cases/brochures'
import { letterCases } from './router-cases/letters'
import { statementCases } from './router-cases/statements'
import { rewardCases } from './router-cases/rewards'
import { reportCases } from './router-cases/reports'
import { printoutCases } from './router-cases/printouts'

/*
 * The change log is a hash chain: every path that writes an entry — one
 * change at a time, imports, bulk actions, brochure requests and postings,
 * sample data — keeps it intact; an entry edited, removed or added with
 * another tool is found by `frontdesk check`, at the entry where it happened.
 */

const root = join(__dirname, '..', '..')
const tsx = join(root, 'node_modules', '.bin', 'tsx')
const cli = join(root, 'main', 'cli', 'index.ts')

let app: TestCore
let dir: string
/** A copy of the file after every service has written to it: the tampering tests start from it. */
let written: string

function chainOf(file: string): ChainCheck {
  const db = new Database(file, { readonly: true })
  try {
    return verifyChangeChain(db)
  } finally {
    db.close()
  }
}

/** Opens a copy with the append-only guard lifted, as someone with an SQLite tool would. */
function tamper(name: string, sql: string[]): string {
  const file = join(dir, `${name}.sqlite3`)
  copyFileSync(written, file)
  const db = new Database(file)
  db.exec('DROP TRIGGER IF EXISTS change_log_append_only_update; DROP TRIGGER IF EXISTS change_log_append_only_delete')
  for (const statement of sql) db.exec(statement)
  db.close()
  return file
}

const cases: Record<string, RouterCase> = { ...addressBookCases, ...profileCases, ...organiseCases, ...bookingCases, ...moneyCases, ...importCases, ...brochureCases, ...letterCases, ...statementCases, ...rewardCases, ...reportCases, ...printoutCases }

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'frontdesk-chain-'))
  app = await openTestCore({ dialogs: routerDialogs })
  await app.invoke('customers:create', { firstName: 'Router', lastName: 'Test', email: 'router@example.com' })
  await app.invoke('customers:create', { firstName: 'Blocked', lastName: 'One' })
  await app.invoke('customers:block', { id: 2, reason: 'Test' })
  // Every channel's valid call, in contract order (as the router test does); jobs are followed to their end.
  for (const [channel, { valid }] of Object.entries(cases)) {
    const input = isPrepared(valid) ? await valid.prepare(app) : valid
    const result = await app.call(channel as Channel, input as never)
    const data = result.ok ? (result.data as Partial<JobStatus> | null) : null
    if (data && typeof data === 'object' && (data.state === 'queued' || data.state === 'running') && typeof data.id === 'number') await finishJob(app.call, data as JobStatus)
  }
  // The writers of many entries at once, at a size that spans their chunks.
  await app.runJob('demo:seed', { count: 400 })
  const active = Number(((await app.db('customers').where({ status: 'active' }).count({ n: '*' })) as Array<{ n: number }>)[0]!.n)
  await app.runJob('customers:bulk', { selection: { kind: 'filter', tab: 'active', filter: {}, expectedCount: active }, action: { kind: 'tag', tagName: 'Chained' } })
  const some = (await app.db('customers').where({ status: 'active' }).orderBy('id').limit(250).pluck('id')) as number[]
  await app.runJob('customers:bulk', { selection: { kind: 'ids', ids: some }, action: { kind: 'requestBrochure' } })
  const pending = (await app.db('brochure_requests').where({ status: 'pending' }).pluck('id')) as number[]
  await app.runJob('brochures:markPosted', { selection: { kind: 'ids', ids: pending }, postedOn: '2026-01-02' })
  await app.invoke('customers:create', { firstName: 'After', lastName: 'Bulk' })
  written = join(dir, 'written.sqlite3')
  await app.db.raw(`VACUUM INTO ?`, [written])
}, 240_000)

afterAll(async () => {
  await app.cleanup()
  rmSync(dir, { recursive: true, force: true })
})

describe('the change-log chain', () => {
  it('stays intact through every service that writes to the change log', async () => {
    const actions = new Set((await app.db('change_log').distinct('action').pluck('action')) as string[])
    // Each writer of many entries at once was exercised.
    for (const action of ['customer.created', 'tag.added', 'brochure.requested', 'brochure.posted', 'booking.created']) expect(actions).toContain(action)
    const entries = async (query: ReturnType<typeof app.db>) => Number(((await query.count({ n: '*' })) as Array<{ n: number }>)[0]!.n)
    expect(await entries(app.db('change_log').where({ staff_name: 'Sample data' }))).toBeGreaterThan(400)
    expect(await entries(app.db('change_log').where('summary', 'like', 'Imported %'))).toBeGreaterThan(0)
    expect(await app.db('change_log').where({ hash: '' }).count({ n: '*' })).toEqual([{ n: 0 }])
    const check = chainOf(written)
    expect(check.entries).toBeGreaterThan(1500)
    expect(check).toMatchObject({ intact: true, firstBreak: null })
    expect(describeChainCheck(check)).toMatch(/^The change log is intact: all [\d,]+ entries are as they were written\.$/)
  })

  it('finds an entry edited afterwards, at that entry', () => {
    const file = tamper('edited', [`UPDATE change_log SET summary = 'Nothing happened' WHERE id = 700`])
    const check = chainOf(file)
    expect(check.firstBreak).toMatchObject({ id: 700, kind: 'edited' })
    expect(describeChainCheck(check)).toMatch(/entry 700 \(made \d{4}-\d\d-\d\d \d\d:\d\d UTC\) was changed after it was written/)
  })

  it('finds an edit of who made an entry, and of its hash alone', () => {
    expect(chainOf(tamper('staff', [`UPDATE change_log SET staff_name = 'Someone else' WHERE id = 12`])).firstBreak).toMatchObject({ id: 12, kind: 'edited' })
    expect(chainOf(tamper('hash', [`UPDATE change_log SET hash = '${'0'.repeat(64)}' WHERE id = 40`])).firstBreak).toMatchObject({ id: 40, kind: 'edited' })
  })

  it('finds entries removed, naming the ones missing', () => {
    const one = chainOf(tamper('removed', ['DELETE FROM change_log WHERE id = 500']))
    expect(one.firstBreak).toMatchObject({ id: 501, kind: 'removed', missing: { from: 500, to: 500 } })
    expect(describeChainCheck(one)).toContain('entry 500, just before entry 501')
    const several = chainOf(tamper('removed-several', ['DELETE FROM change_log WHERE id BETWEEN 900 AND 905']))
    expect(several.firstBreak).toMatchObject({ id: 906, kind: 'removed', missing: { from: 900, to: 905 } })
    const newest = (new Database(written, { readonly: true }).prepare('SELECT max(id) AS id FROM change_log').get() as { id: number }).id
    const tail = chainOf(tamper('removed-tail', [`DELETE FROM change_log WHERE id > ${newest - 3}`]))
    expect(tail.firstBreak).toMatchObject({ id: newest - 3, kind: 'removed', missing: { from: newest - 2, to: newest } })
  })

  it('finds an entry added with another tool, also when Frontdesk wrote more after it', async () => {
    const newest = (new Database(written, { readonly: true }).prepare('SELECT max(id) AS id FROM change_log').get() as { id: number }).id
    const add = `INSERT INTO change_log (at, staff_id, staff_name, entity_type, entity_id, customer_id, action, summary, changes)
      VALUES ('2026-01-03T10:00:00.000Z', 1, 'Administrator', 'customer', 1, 1, 'customer.updated', 'Refund approved', '[]')`
    expect(chainOf(tamper('inserted', [add])).firstBreak).toMatchObject({ id: newest + 1, kind: 'inserted' })
    // An entry slipped into a gap between two real ones (one removed, a forged one put in its place with a hash that looks right).
    const between = chainOf(
      tamper('inserted-between', [
        'DELETE FROM change_log WHERE id = 300',
        `INSERT INTO change_log (id, at, staff_id, staff_name, entity_type, entity_id, customer_id, action, summary, changes, hash)
         SELECT 300, at, staff_id, staff_name, entity_type, entity_id, customer_id, action, 'Forged', changes, '${'a'.repeat(64)}' FROM change_log WHERE id = 299`,
      ]),
    )
    expect(between.firstBreak).toMatchObject({ id: 300, kind: 'edited' })
  })

  it('is told to the desk through app:checkChangeLog (run in the read worker), intact and then broken', async () => {
    const intact = await app.invoke('app:checkChangeLog', undefined)
    expect(intact).toMatchObject({ intact: true, firstBreak: null, message: expect.stringMatching(/^The change log is intact/) })
    // Someone edits an entry of the open file with another tool.
    await app.db.raw('DROP TRIGGER change_log_append_only_update')
    await app.db.raw(`UPDATE change_log SET summary = 'Refund approved' WHERE id = 33`)
    const broken = await app.invoke('app:checkChangeLog', undefined)
    expect(broken).toMatchObject({ intact: false, firstBreak: { id: 33, kind: 'edited' } })
    expect(broken.message).toMatch(/^The change log has been tampered with outside Frontdesk: entry 33 \(made .*\) was changed after it was written\./)
  })

  it('is reported by frontdesk check with exit code 4, and an intact file passes', () => {
    const intact = spawnSync(tsx, [cli, 'check', '--db', written, '--json'], { cwd: root, encoding: 'utf8', timeout: 60_000 })
    expect(intact.status, intact.stderr).toBe(0)
    expect(JSON.parse(intact.stdout).changeLog).toMatchObject({ intact: true })
    const file = tamper('cli', [`UPDATE change_log SET summary = 'Nothing happened' WHERE id = 20`])
    const broken = spawnSync(tsx, [cli, 'check', '--db', file], { cwd: root, encoding: 'utf8', timeout: 60_000 })
    expect(broken.status).toBe(4)
    expect(broken.stdout).toMatch(/The change log has been tampered with outside Frontdesk: entry 20 \(made .*\) was changed after it was written/)
  })
})
