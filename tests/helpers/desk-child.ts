import { createInterface } from 'node:readline'
import { openFrontdesk } from '../../main/app-core'
import type { Channel, CustomerDetail, Input, Result } from '../../preload/contract'
import { testWorker } from './worker'
import { customerInputOf } from './customerInput'

/*
 * A second desk in a process of its own, on the same PostgreSQL database:
 *
 *   desk-child URL NAME
 *
 * Opens the database as the app does, signed in as NAME, prints `ready`, then
 * waits for one command per line on stdin and prints one JSON answer line:
 *   create FROM TO [shuffled]  creates customers FROM..TO-1 with the emails every desk uses (in a mixed order)
 *   edit ID FIELD ROUNDS  sets FIELD of customer ID to NAME1..NAME<ROUNDS>, saving with the
 *                         version loaded and, when refused, again on the record as it is now
 *   touch ID              adds a note to customer ID
 *   quit
 */

const [url, name] = process.argv.slice(2) as [string, string]


/** The same mixed order on every run (a small linear congruential generator). */
function shuffle(items: number[]): void {
  let seed = 12345
  for (let i = items.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31
    const j = seed % (i + 1)
    ;[items[i], items[j]] = [items[j]!, items[i]!]
  }
}

async function main(): Promise<void> {
  const core = await openFrontdesk({
    dataFile: url,
    isTrustedSender: () => true,
    worker: testWorker,
    backupBeforeMigrate: false,
    reminderSweepEveryMs: 0,
    staff: { id: 1, name, role: 'admin' },
  })
  const call = <C extends Channel>(channel: C, input: Input<C>) => core.dispatch(channel, input, { url: 'app://frontdesk/', isTopFrame: true }) as Promise<Result<never>>
  process.stdout.write('ready\n')
  for await (const line of createInterface({ input: process.stdin })) {
    const [command, ...args] = line.trim().split(/\s+/)
    if (command === 'quit') break
    const started = performance.now()
    if (command === 'create') {
      const [from, to] = args.slice(0, 2).map(Number) as [number, number]
      const order = Array.from({ length: to - from }, (_, k) => from + k)
      if (args[2] === 'shuffled') shuffle(order)
      let created = 0
      const refused: Array<{ email: string; existingId: number | null }> = []
      const failed: string[] = []
      for (const i of order) {
        const email = `person${i}@example.com`
        const result = (await call('customers:create', { firstName: `Person ${i}`, lastName: name, email })) as Result<CustomerDetail>
        if (result.ok) created++
        else if (result.error.code === 'CONFLICT' && result.error.field === 'email') refused.push({ email, existingId: result.error.existing?.id ?? null })
        else failed.push(`${result.error.code}: ${result.error.message}`)
      }
      process.stdout.write(`${JSON.stringify({ created, refused, failed, ms: performance.now() - started })}\n`)
    } else if (command === 'edit') {
      const [id, field, rounds] = [Number(args[0]), args[1] as 'company' | 'lastName', Number(args[2])]
      let conflicts = 0
      const failed: string[] = []
      for (let round = 1; round <= rounds; round++) {
        let loaded = ((await call('customers:get', { id })) as Result<CustomerDetail> & { ok: true }).data
        for (let attempt = 0; attempt < 50; attempt++) {
          const result = (await call('customers:update', { id, customer: { ...customerInputOf(loaded), [field]: `${name}${round}` }, version: loaded.version })) as Result<CustomerDetail>
          if (result.ok) break
          if (result.error.code !== 'CONFLICT' || !result.error.changedMeanwhile) {
            failed.push(`${result.error.code}: ${result.error.message}`)
            break
          }
          // Someone saved meanwhile: keep their fields, put this desk's one change on the record as it is now.
          conflicts++
          loaded = result.error.changedMeanwhile.current as CustomerDetail
        }
      }
      process.stdout.write(`${JSON.stringify({ conflicts, failed, ms: performance.now() - started })}\n`)
    } else if (command === 'touch') {
      const result = await call('notes:add', { customerId: Number(args[0]), body: `Note from ${name}` })
      process.stdout.write(`${JSON.stringify({ ok: result.ok })}\n`)
    }
  }
  await core.close()
  process.stdout.write('closed\n')
  // stdin stays open after the last command: the desk is done, so is the process.
  process.exit(0)
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  process.exitCode = 1
})
