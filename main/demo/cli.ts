import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { openDatabase, closeDatabase } from '../../db/connection'
import { DataFileProblem, inspectDataFile, lockDataFile } from '../../db/dataFile'
import { migrations } from '../../db/migrations'
import { prepareDataFile } from '../../db/open'
import { seedDemoCustomers } from './generate'
import type { DemoBookingCounts } from './bookings'
import { defaultDataFile } from '../../db/paths'

/**
 * `npm run demo -- [--count 1000] [--seed 42] [--data-file path]`: fills a
 * customer file with sample customers and their bookings. It holds the file
 * as the app does, so it refuses to run while Frontdesk has the file open
 * (and the app refuses to open it while this runs).
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2)
  const option = (name: string) => {
    const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`))
    if (i < 0) return undefined
    const arg = args[i]!
    return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[i + 1]
  }
  const count = Number(option('count') ?? 1000)
  const seed = Number(option('seed') ?? 42)
  if (!Number.isInteger(count) || count < 1 || count > 1_000_000) throw new Error('--count must be a whole number from 1 to 1,000,000')
  const file = option('data-file') ?? process.env.FRONTDESK_DATA_FILE ?? defaultDataFile()
  const state = inspectDataFile(file, migrations.map(([name]) => name))
  if (state.kind === 'new') mkdirSync(dirname(file), { recursive: true })
  const lock = lockDataFile(file)
  try {
    await prepareDataFile(file, state)
    const db = openDatabase(file)
    try {
      const started = Date.now()
      let bookings: DemoBookingCounts | null = null
      const n = (x: number) => x.toLocaleString('en-GB')
      await seedDemoCustomers(db, {
        count,
        seed,
        onProgress: (done, total, phase) => process.stdout.write(`\r${phase}: ${n(done)} / ${n(total)}        `),
        onBookings: (made) => (bookings = made),
      })
      process.stdout.write(`\nAdded ${n(count)} sample customers to ${file} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
      const made = bookings as DemoBookingCounts | null
      if (made) process.stdout.write(`with ${n(made.bookings)} bookings (${n(made.lines)} lines, ${n(made.payments)} payments) on ${n(made.sessions)} sessions\n`)
    } finally {
      await closeDatabase(db)
    }
  } finally {
    lock.release()
  }
}

main().catch((error: unknown) => {
  if (error instanceof DataFileProblem) console.error(`${error.message}\nFile: ${error.file}`)
  else console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
