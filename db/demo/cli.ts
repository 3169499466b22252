import { openDatabase, closeDatabase } from '../connection'
import { migrateToLatest } from '../migrations'
import { seedDemoCustomers } from './generate'
import type { DemoBookingCounts } from './bookings'
import { defaultDataFile } from '../paths'

/** `npm run demo -- [--count 1000] [--seed 42] [--data-file path]`: fills a database with sample customers and their bookings. */
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
  const db = openDatabase(file)
  try {
    await migrateToLatest(db)
    const started = Date.now()
    let bookings: DemoBookingCounts | null = null
    await seedDemoCustomers(db, {
      count,
      seed,
      onProgress: (done) => process.stdout.write(`\r${done.toLocaleString('en-GB')} / ${count.toLocaleString('en-GB')} customers`),
      onBookings: (made) => (bookings = made),
    })
    process.stdout.write(`\nAdded ${count.toLocaleString('en-GB')} sample customers to ${file} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
    const made = bookings as DemoBookingCounts | null
    if (made) {
      const n = (x: number) => x.toLocaleString('en-GB')
      process.stdout.write(`with ${n(made.bookings)} bookings (${n(made.lines)} lines, ${n(made.payments)} payments) on ${n(made.sessions)} sessions\n`)
    }
  } finally {
    await closeDatabase(db)
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
