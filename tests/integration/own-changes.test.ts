import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openFrontdesk, type FrontdeskCore } from '../../main/app-core'
import { BUILT_IN_ADMIN } from '../../main/services/context'
import type { ChangeNotice } from '../../db/dialects/postgresNotify'
import type { DeskEvent } from '../../preload/contract/channels'
import { freshServerDatabase, onPostgres } from '../helpers/testDatabase'
import { testWorker } from '../helpers/worker'

/*
 * Two desks (two cores in this process) on one PostgreSQL database: a desk's
 * own writes are on its screens already, so their notices reach the other
 * desk only, and only the other desk's screens are told to refresh.
 */

const until = async (test: () => boolean, ms: number) => {
  const deadline = Date.now() + ms
  while (!test() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10))
  return test()
}

describe.skipIf(!onPostgres)('a desk’s own writes', () => {
  let server: Awaited<ReturnType<typeof freshServerDatabase>>
  let here: FrontdeskCore
  let there: FrontdeskCore
  const events = { here: [] as DeskEvent[], there: [] as DeskEvent[] }
  const notices = { here: [] as ChangeNotice[], there: [] as ChangeNotice[] }

  beforeAll(async () => {
    server = await freshServerDatabase()
    const open = (desk: 'here' | 'there') =>
      openFrontdesk({
        dataFile: server.url,
        isTrustedSender: () => true,
        worker: testWorker,
        backupBeforeMigrate: false,
        reminderSweepEveryMs: 0,
        staff: BUILT_IN_ADMIN,
        onDeskEvent: (event) => events[desk].push(event),
      })
    here = await open('here')
    there = await open('there')
    here.live!.subscribe((notice) => notices.here.push(notice))
    there.live!.subscribe((notice) => notices.there.push(notice))
    await Promise.all([here.live!.ready(), there.live!.ready()])
  }, 120_000)

  afterAll(async () => {
    await there?.close()
    await here?.close()
    await server?.drop()
  }, 60_000)

  const trusted = { url: 'app://test', isTopFrame: true }
  const reset = () => {
    for (const list of [...Object.values(events), ...Object.values(notices)]) list.length = 0
  }

  it('tells the other desk of a save, and not the desk that made it', async () => {
    reset()
    const result = (await here.dispatch('customers:create', { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', company: '', phones: [], addresses: [] }, trusted)) as {
      ok: boolean
      data: { id: number }
    }
    expect(result).toMatchObject({ ok: true })
    expect(await until(() => notices.there.some((n) => n.table === 'customers'), 1000)).toBe(true)
    expect(notices.there).toContainEqual({ table: 'customers', customers: [result.data.id] })
    // The screens of the other desk are told; then a while for anything of this desk's own to arrive.
    expect(await until(() => events.there.includes('desk:changed'), 1000)).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(notices.here).toEqual([])
    expect(events.here).not.toContain('desk:changed')
  })

  it('goes both ways: the other desk’s save reaches this one, and its own does not reach it', async () => {
    reset()
    const { id } = (await there.db('customers').first('id')) as { id: number }
    await there.db('notes').insert({ customer_id: id, body: 'Called back', pinned: false, position: 0, source: 'staff', author_name: 'Bea', created_at: new Date().toISOString(), updated_at: new Date().toISOString() })
    expect(await until(() => notices.here.some((n) => n.table === 'notes'), 1000)).toBe(true)
    expect(notices.here).toContainEqual({ table: 'notes', customers: [id] })
    expect(await until(() => events.here.includes('desk:changed'), 1000)).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(notices.there).toEqual([])
    expect(events.there).not.toContain('desk:changed')
  })

  it('drops the notices of every connection of its pool, a busy desk’s too', async () => {
    reset()
    const { id } = (await here.db('customers').first('id')) as { id: number }
    // Writes on several connections of this desk at once (each transaction holds one).
    await Promise.all(Array.from({ length: 6 }, (_, i) => here.db.transaction((trx) => trx('customers').where({ id }).update({ company: `Engines ${i}` }))))
    await there.db('customers').where({ id }).update({ company: 'From there' })
    expect(await until(() => notices.here.length > 0, 1000)).toBe(true)
    expect(await until(() => notices.there.length >= 6, 1000)).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(notices.here).toEqual([{ table: 'customers', customers: [id] }])
    expect(notices.there).toHaveLength(6)
  })
})
