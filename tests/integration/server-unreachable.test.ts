import { afterEach, describe, expect, it } from 'vitest'
import { openFrontdesk, type FrontdeskCore } from '../../main/app-core'
import type { Channel, CustomerDetail, Input, Result } from '../../preload/contract'
import type { DeskEvent } from '../../preload/contract/channels'
import { BUILT_IN_ADMIN } from '../../main/services/context'
import { cuttableProxy, type CuttableProxy } from '../helpers/cuttableProxy'
import { freshServerDatabase, onPostgres } from '../helpers/testDatabase'
import { testWorker } from '../helpers/worker'

/*
 * The line to the database server cut while the desk is open (a relay in
 * between, tests/helpers/cuttableProxy.ts), then mended.
 */

let core: FrontdeskCore | undefined
let proxy: CuttableProxy | undefined
let drop: (() => Promise<void>) | undefined
afterEach(async () => {
  await proxy?.mend().catch(() => {})
  await core?.close()
  await proxy?.close()
  await drop?.()
})

async function until(test: () => boolean | Promise<boolean>, ms: number, what: string): Promise<number> {
  const started = performance.now()
  while (!(await test())) {
    if (performance.now() - started > ms) throw new Error(`Gave up waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return performance.now() - started
}

describe.skipIf(!onPostgres)('the database server out of reach', () => {
  it('refuses calls in words, says so once, and comes back by itself when the server does', async () => {
    const server = await freshServerDatabase()
    drop = server.drop
    const target = new URL(server.url)
    proxy = await cuttableProxy({ host: target.hostname, port: Number(target.port) })
    const events: DeskEvent[] = []
    core = await openFrontdesk({
      dataFile: proxy.via(server.url),
      isTrustedSender: () => true,
      worker: testWorker,
      backupBeforeMigrate: false,
      reminderSweepEveryMs: 0,
      staff: BUILT_IN_ADMIN,
      onDeskEvent: (event) => events.push(event),
    })
    const opened = core
    const call = <C extends Channel>(channel: C, input: Input<C>) => opened.dispatch(channel, input, { url: 'app://frontdesk/', isTopFrame: true }) as Promise<Result<never>>
    await opened.live!.ready()
    expect(((await call('customers:create', { firstName: 'Ada', lastName: 'Before' })) as Result<CustomerDetail>).ok).toBe(true)

    await proxy.cut()
    const noticed = await until(() => events.includes('desk:offline'), 10_000, 'the desk to notice')
    expect(opened.live!.reachable).toBe(false)
    const refused = (await call('customers:create', { firstName: 'Ada', lastName: 'During' })) as Result<CustomerDetail>
    expect(refused.ok).toBe(false)
    if (!refused.ok) {
      expect(refused.error.code).toBe('OFFLINE')
      expect(refused.error.message).toMatch(/database server cannot be reached/)
    }
    const list = (await call('customers:list', {})) as Result<unknown>
    expect(!list.ok && list.error.code).toBe('OFFLINE')
    expect(events.filter((e) => e === 'desk:offline')).toHaveLength(1)

    await proxy.mend()
    const back = await until(() => events.includes('desk:online'), 15_000, 'the desk to find the server again')
    expect(opened.live!.reachable).toBe(true)
    // Calls go through again on the first try: the pool let go of its broken connections.
    const again = (await call('customers:create', { firstName: 'Ada', lastName: 'After' })) as Result<CustomerDetail>
    expect(again.ok).toBe(true)
    const names = ((await call('customers:list', {})) as Result<{ rows: Array<{ displayName: string }> }> & { ok: true }).data.rows.map((r) => r.displayName)
    expect(names.sort()).toEqual(['Ada After', 'Ada Before'])
    // What was missed while away is read again.
    await until(() => events.includes('desk:changed'), 2_000, 'a refresh after coming back')
    console.log(`Line cut: noticed in ${Math.round(noticed)} ms; mended: back in ${Math.round(back)} ms`)
  }, 60_000)
})
