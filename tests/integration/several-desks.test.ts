import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openFrontdesk, type FrontdeskCore } from '../../main/app-core'
import type { ChangeNotice } from '../../db/dialects/postgresNotify'
import type { DeskEvent } from '../../preload/contract/channels'
import { freshServerDatabase, onPostgres } from '../helpers/testDatabase'
import { testWorker } from '../helpers/worker'

/*
 * Several desks on one PostgreSQL server, each a process of its own
 * (tests/helpers/desk-child.ts), and this process's core as a third desk.
 */

interface Desk {
  send<T>(command: string): Promise<T>
  close(): Promise<void>
}

async function startDesk(url: string, name: string): Promise<Desk> {
  const root = join(__dirname, '..', '..')
  const child: ChildProcessWithoutNullStreams = spawn(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'tests', 'helpers', 'desk-child.ts'), url, name], { cwd: root })
  let errors = ''
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()))
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  const next = async () => {
    const line = await lines.next()
    if (line.done) throw new Error(`The desk ${name} stopped: ${errors}`)
    return line.value
  }
  expect(await next()).toBe('ready')
  return {
    async send<T>(command: string) {
      child.stdin.write(`${command}\n`)
      return JSON.parse(await next()) as T
    },
    async close() {
      child.stdin.write('quit\n')
      expect(await next()).toBe('closed')
      await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)))
    },
  }
}

describe.skipIf(!onPostgres)('several desks on one server', () => {
  let server: Awaited<ReturnType<typeof freshServerDatabase>>
  let here: FrontdeskCore
  let deskA: Desk
  let deskB: Desk
  const events: DeskEvent[] = []

  beforeAll(async () => {
    server = await freshServerDatabase()
    here = await openFrontdesk({
      dataFile: server.url,
      isTrustedSender: () => true,
      worker: testWorker,
      backupBeforeMigrate: false,
      reminderSweepEveryMs: 0,
      onDeskEvent: (event) => events.push(event),
    })
    ;[deskA, deskB] = await Promise.all([startDesk(server.url, 'Alice'), startDesk(server.url, 'Bob')])
  }, 120_000)

  afterAll(async () => {
    await Promise.all([deskA?.close(), deskB?.close()])
    await here?.close()
    await server?.drop()
  }, 60_000)

  it('creates no duplicate email when two desks create the same 1,000 people at once; the desk that loses is shown the other’s customer', async () => {
    type Created = { created: number; refused: Array<{ email: string; existingId: number | null }>; failed: string[]; ms: number }
    const [a, b] = await Promise.all([deskA.send<Created>('create 0 1000'), deskB.send<Created>('create 0 1000 shuffled')])
    expect([...a.failed, ...b.failed]).toEqual([])
    expect(a.created + b.created).toBe(1000)
    expect(a.refused.length + b.refused.length).toBe(1000)
    // Both desks really raced: each won some.
    expect(a.created).toBeGreaterThan(0)
    expect(b.created).toBeGreaterThan(0)
    const duplicates = (await here.db('customers').select('email_normalized').count({ n: '*' }).groupBy('email_normalized').havingRaw('count(*) > 1')) as unknown[]
    expect(duplicates).toEqual([])
    expect(Number(((await here.db('customers').count({ n: '*' })) as Array<{ n: number }>)[0]!.n)).toBe(1000)
    // Each refusal names the customer the other desk made with that email.
    const emails = new Map(((await here.db('customers').select('id', 'email')) as Array<{ id: number; email: string }>).map((row) => [row.email, row.id]))
    for (const refusal of [...a.refused, ...b.refused]) expect(refusal.existingId).toBe(emails.get(refusal.email))
    console.log(`2 × 1,000 creates with colliding emails: desk A ${a.created} made in ${Math.round(a.ms)} ms, desk B ${b.created} made in ${Math.round(b.ms)} ms`)
  }, 300_000)

  it('detects concurrent edits of one customer and loses neither desk’s changes', async () => {
    const { id } = (await here.db('customers').orderBy('id').first('id')) as { id: number }
    type Edited = { conflicts: number; failed: string[]; ms: number }
    const rounds = 40
    const [a, b] = await Promise.all([deskA.send<Edited>(`edit ${id} company ${rounds}`), deskB.send<Edited>(`edit ${id} lastName ${rounds}`)])
    expect([...a.failed, ...b.failed]).toEqual([])
    // The desks saved over each other's versions: refused, not overwritten.
    expect(a.conflicts + b.conflicts).toBeGreaterThan(0)
    const now = (await here.db('customers').where({ id }).first('company', 'last_name', 'version')) as { company: string; last_name: string; version: number }
    expect(now).toMatchObject({ company: `Alice${rounds}`, last_name: `Bob${rounds}` })
    // Every save is in the log, and no save put back the other desk's older value.
    const log = (await here.db('change_log').where({ customer_id: id, action: 'customer.updated' }).orderBy('id').select('changes')) as Array<{ changes: string }>
    const changes = log.flatMap((row) => JSON.parse(row.changes) as Array<{ field: string; before: string | null; after: string | null }>)
    const companies = changes.filter((c) => c.field === 'Company').map((c) => c.after)
    const lastNames = changes.filter((c) => c.field === 'Last name').map((c) => c.after)
    expect(companies).toEqual(Array.from({ length: rounds }, (_, i) => `Alice${i + 1}`))
    expect(lastNames).toEqual(Array.from({ length: rounds }, (_, i) => `Bob${i + 1}`))
    console.log(`${rounds} edits on each of two desks of one customer: ${a.conflicts + b.conflicts} conflicts detected and resolved`)
  }, 300_000)

  it('tells this desk within a second when another desk changes a customer or adds a note', async () => {
    const notices: Array<{ notice: ChangeNotice; at: number }> = []
    here.live!.subscribe((notice) => notices.push({ notice, at: performance.now() }))
    await here.live!.ready()
    const { id } = (await here.db('customers').orderBy('id').first('id')) as { id: number }
    events.length = 0
    const sent = performance.now()
    await deskA.send(`touch ${id}`)
    const deadline = Date.now() + 1000
    while (!notices.some((n) => n.notice.table === 'notes') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10))
    const note = notices.find((n) => n.notice.table === 'notes')
    expect(note?.notice).toEqual({ table: 'notes', customers: [id] })
    console.log(`NOTIFY reached the other desk ${Math.round(note!.at - sent)} ms after the note was asked for (round trip included)`)
    // The screens are told once, shortly after.
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect(events).toContain('desk:changed')
  }, 30_000)
})
