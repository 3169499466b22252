import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { closeDatabase, openDatabase } from '../../db/connection'
import { migrateToLatest } from '../../db/migrations'
import { bundleChildScript } from './childScript'
import { record } from './measure'

/**
 * Brochure letters and address labels: 10,000 customers with addresses in
 * several countries and scripts, each with a pending request; then 1,000
 * letters (DL, the default template) and 10,000 labels (A4 3 × 7), each run in
 * a process of its own (tests/bench/letters-child.ts) so its peak memory is
 * the run's alone. Targets: 1,000 letters as one PDF < 5 s and < 400 MB;
 * 10,000 labels < 10 s.
 */

const RUNS = [
  { kind: 'letters', count: 1000, name: '1,000 brochure letters as one PDF', ms: 5000, mb: 400 },
  { kind: 'labels', count: 10_000, name: '10,000 address labels (A4 3 × 7)', ms: 10_000, mb: null },
] as const

const PEOPLE = [
  ['Amelia', 'Hart', '14 Orchard Lane', 'Bath', '', 'BA1 2CD', 'GB'],
  ['Ελένη', 'Παπαδοπούλου', 'Οδός Ερμού 10', 'Αθήνα', '', '105 63', 'GR'],
  ['Дмитрий', 'Иванов', 'ул. Тверская, д. 7', 'Москва', '', '125009', 'RU'],
  ['Małgorzata', 'Wiśniewska', 'ul. Świętokrzyska 12', 'Łódź', '', '90-001', 'PL'],
  ['Nguyễn', 'Thị Hường', '12 Phố Hàng Bạc', 'Hà Nội', '', '100000', 'VN'],
  ['James', 'Miller', '1600 Pennsylvania Ave NW', 'Washington', 'DC', '20500', 'US'],
  ['Jürgen', 'Schäfer', 'Unter den Linden 1', 'Berlin', '', '10117', 'DE'],
  ['Chloé', 'Lefèvre', '55 rue du Faubourg Saint-Honoré', 'Paris', '', '75008', 'FR'],
] as const

interface ChildReport {
  ms: number
  peakRssMb: number
  pages: number
  bytes: number
  printed: number
}

const run = promisify(execFile)
/** 10,000 customers, each with a letters address and a pending brochure request. */
async function buildDatabase(file: string, customers: number): Promise<void> {
  const db = openDatabase(file)
  try {
    await migrateToLatest(db)
    await db('settings').insert([
      { key: 'businessName', value: JSON.stringify('Harbour Yoga Studio') },
      { key: 'businessAddress', value: JSON.stringify('4 Quay Street\nBristol BS1 4DB') },
      { key: 'businessPhone', value: JSON.stringify('0117 496 0000') },
      { key: 'businessEmail', value: JSON.stringify('hello@harbour.example') },
    ]).onConflict('key').merge()
    const at = new Date().toISOString()
    await db.transaction(async (trx) => {
      for (let start = 0; start < customers; start += 100) {
        const people = Array.from({ length: Math.min(100, customers - start) }, (_, i) => {
          const n = start + i
          const [first, last] = PEOPLE[n % PEOPLE.length]!
          return { first_name: first, last_name: `${last} ${n}`, display_name: `${first} ${last} ${n}`, sort_name: `${last} ${n}`.toLowerCase(), created_at: at, updated_at: at }
        })
        const ids = ((await trx('customers').insert(people).returning('id')) as Array<{ id: number }>).map((r) => r.id)
        await trx('addresses').insert(
          ids.map((id, i) => {
            const [, , line1, city, region, postcode, country] = PEOPLE[(start + i) % PEOPLE.length]!
            return { customer_id: id, line1, city, region, postcode, country, is_default_letters: true }
          }),
        )
        await trx('brochure_requests').insert(ids.map((id) => ({ customer_id: id, requested_at: at, taken_by_name: 'Bench', status: 'pending', created_at: at, updated_at: at })))
      }
    })
  } finally {
    await closeDatabase(db)
  }
}

export async function benchLetters(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'frontdesk-bench-letters-'))
  const file = join(dir, 'letters.sqlite3')
  const childScript = bundleChildScript('letters-child', ['dejavu-fonts-ttf'])
  try {
    await buildDatabase(file, 10_000)
    for (const target of RUNS) {
      const { stdout } = await run(process.execPath, [childScript, file, target.kind, String(target.count), dir], { maxBuffer: 1 << 20 })
      const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as ChildReport
      const mb = Math.round(report.peakRssMb)
      const memory = target.mb === null ? `peak ${mb} MB` : `peak ${mb} MB${mb < target.mb ? '' : ' OVER'} (target < ${target.mb} MB)`
      record(
        `${target.name}: ${(report.ms / 1000).toFixed(1)} s, peak ${mb} MB (target < ${target.ms / 1000} s${target.mb === null ? '' : `, < ${target.mb} MB`})`,
        report.ms,
        `${report.printed.toLocaleString('en-GB')} printed, ${report.pages.toLocaleString('en-GB')} pages, ${(report.bytes / 2 ** 20).toFixed(1)} MiB; ${memory}`,
        target.ms,
      )
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** `tsx tests/bench/letters.ts`: the letters figures on their own. */
if (require.main === module) {
  void (async () => {
    const { printTable } = await import('./measure')
    await benchLetters()
    printTable()
  })()
}
