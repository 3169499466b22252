import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { channels, type Channel } from '../../preload/contract'
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
import { staffCases } from './router-cases/staff'
import { backupCases } from './router-cases/backups'
import { qualityCases } from './router-cases/quality'
import { mailCases } from './router-cases/mail'
import { databaseCases } from './router-cases/database'
import { messagesCases } from './router-cases/messages'
import { siteAccountsCases } from './router-cases/siteAccounts'
import { privacyCases } from './router-cases/privacy'
import { duplicateCases } from './router-cases/duplicates'
import { mergeCases } from './router-cases/merges'
import { createRouter } from '../../main/ipc/router'
import { createHandlers } from '../../main/ipc/handlers'
import { BUILT_IN_ADMIN } from '../../main/services/context'
import { NO_FILE_DIALOGS, NO_SYSTEM_VIEWER } from '../../main/fileDialogs'
import type { HandlerOptions } from '../../main/ipc/handlers'

const handlerOptionsOf = (app: TestCore): HandlerOptions => ({
  dataFile: app.dataFile,
  jobs: app.jobs,
  reads: app.reads,
  printoutsDir: app.printoutsDir,
  rejectsDir: app.rejectsDir,
  dialogs: NO_FILE_DIALOGS,
  viewer: NO_SYSTEM_VIEWER,
  session: app.session,
})

let app: TestCore
beforeAll(async () => {
  app = await openTestCore({ dialogs: routerDialogs })
  await app.invoke('customers:create', { firstName: 'Router', lastName: 'Test', email: 'router@example.com' })
  await app.invoke('customers:create', { firstName: 'Blocked', lastName: 'One' })
  await app.invoke('customers:block', { id: 2, reason: 'Test' })
})
afterAll(async () => {
  await app.cleanup()
})

/** A valid input and several invalid ones for every channel of the contract, one file per domain. */
const cases: Record<string, RouterCase> = { ...addressBookCases, ...profileCases, ...organiseCases, ...bookingCases, ...moneyCases, ...importCases, ...brochureCases, ...letterCases, ...statementCases, ...rewardCases, ...reportCases, ...printoutCases, ...staffCases, ...backupCases, ...qualityCases, ...privacyCases, ...duplicateCases, ...mergeCases, ...mailCases, ...messagesCases, ...siteAccountsCases, ...databaseCases }

describe('the IPC router', () => {
  it('has a valid and an invalid case for every channel', () => {
    expect(Object.keys(cases).sort()).toEqual([...channels].sort())
  })

  it.each(Object.entries(cases))('%s accepts valid input', async (channel, { valid, refusedFor }) => {
    const input = isPrepared(valid) ? await valid.prepare(app) : valid
    const result = await app.call(channel as Channel, input as never)
    expect(result).toMatchObject(refusedFor ? { ok: false, error: { code: refusedFor } } : { ok: true })
  })

  it.each(Object.entries(cases).flatMap(([channel, { invalid }]) => invalid.map((input) => [channel, input] as const)))(
    '%s refuses %j with a structured validation error and changes nothing',
    async (channel, input) => {
      // Jobs started by the valid cases (a merge's undo, a purge from the recycle bin) finish first: only this call is measured.
      while (app.jobs.busy) await new Promise((resolve) => setTimeout(resolve, 10))
      const before = await app.db('change_log').count({ n: '*' })
      const result = await app.call(channel as Channel, input as never)
      expect(result.ok).toBe(false)
      if (result.ok) return
      expect(result.error.code).toBe('VALIDATION')
      expect(result.error.message.length).toBeGreaterThan(3)
      expect(result.error.field).toEqual(expect.any(String))
      expect(await app.db('change_log').count({ n: '*' })).toEqual(before)
    },
  )

  it('refuses unknown channels and untrusted senders', async () => {
    expect(await app.dispatch('customers:drop', {}, { url: 'app://test', isTopFrame: true })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    })
    const guarded = createRouter({
      handlers: createHandlers(handlerOptionsOf(app)),
      context: app.context,
      isTrustedSender: (s) => s.isTopFrame && s.url.startsWith('file:///app/'),
    })
    expect(await guarded('customers:get', { id: 1 }, { url: 'https://evil.example', isTopFrame: true })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    })
    expect(await guarded('customers:get', { id: 1 }, { url: 'file:///app/index.html', isTopFrame: false })).toMatchObject({ ok: false })
    expect(await guarded('customers:get', { id: 1 }, { url: 'file:///app/index.html', isTopFrame: true })).toMatchObject({ ok: true })
  })

  it('turns unexpected failures into a readable error without a stack', async () => {
    const seen: string[] = []
    const broken = createRouter({
      handlers: { ...createHandlers(handlerOptionsOf(app)), 'customers:get': () => Promise.reject(new Error('SQLITE_CORRUPT at foo.ts:12')) },
      context: () => ({ db: app.db, staff: BUILT_IN_ADMIN, clock: () => new Date() }),
      isTrustedSender: () => true,
      onUnexpectedError: (channel) => seen.push(channel),
    })
    const result = await broken('customers:get', { id: 1 }, { url: '', isTopFrame: true })
    expect(result).toEqual({ ok: false, error: { code: 'INTERNAL', message: expect.stringMatching(/nothing was changed/) } })
    expect(seen).toEqual(['customers:get'])
  })

  it('says in words when the file itself fails: busy, read-only, full, damaged (never the SQL)', async () => {
    const failing = (code: string) =>
      createRouter({
        handlers: {
          ...createHandlers(handlerOptionsOf(app)),
          'customers:get': () => Promise.reject(Object.assign(new Error(`update customers set x = 1 - ${code}: nope`), { code })),
        },
        context: app.context,
        isTrustedSender: () => true,
      })('customers:get', { id: 1 }, { url: '', isTopFrame: true })
    expect(await failing('SQLITE_BUSY')).toEqual({ ok: false, error: { code: 'BUSY', message: expect.stringMatching(/busy.*Nothing was changed/) } })
    expect(await failing('SQLITE_READONLY')).toEqual({ ok: false, error: { code: 'STORAGE', message: expect.stringMatching(/read-only/) } })
    expect(await failing('SQLITE_FULL')).toEqual({ ok: false, error: { code: 'STORAGE', message: expect.stringMatching(/disk is full/) } })
    expect(await failing('SQLITE_CORRUPT')).toEqual({ ok: false, error: { code: 'STORAGE', message: expect.stringMatching(/damaged/) } })
    for (const code of ['SQLITE_BUSY', 'SQLITE_READONLY', 'SQLITE_FULL', 'SQLITE_CORRUPT']) {
      const result = await failing(code)
      expect(JSON.stringify(result)).not.toMatch(/update customers|SQLITE/)
    }
  })
})
