/**
 * `npx tsx tests/bench/changeChain.ts`: how long the change log's chain takes
 * on the 1,000,000-customer cache — chaining the entries already there (the
 * upgrade) and verifying the whole chain (`frontdesk check`). Works on a copy
 * in the temporary folder; the cache is never written.
 */
import { copyFileSync, existsSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { verifyChangeChain } from '../../db/changeChain'
import { inspectDataFile } from '../../db/dataFile'
import { migrations } from '../../db/migrations'
import { prepareDataFile } from '../../db/open'

const cache = join(__dirname, '..', '..', '.bench-cache', 'customers-1000000-seed42.sqlite3')
if (!existsSync(cache)) throw new Error(`No cache at ${cache}: run npm run bench first.`)
const copy = join(process.env.BENCH_TMP ?? tmpdir(), `frontdesk-chain-bench-${process.pid}.sqlite3`)

async function main(): Promise<void> {
  copyFileSync(cache, copy)
  try {
    const started = performance.now()
    const prepared = await prepareDataFile(copy, inspectDataFile(copy, migrations.map(([name]) => name)))
    console.log(`upgrade (${prepared.applied.join(', ') || 'none'}): ${Math.round(performance.now() - started)} ms (quick check ${Math.round(prepared.checkMs)} ms)`)
    const conn = new Database(copy, { readonly: true })
    try {
      for (let run = 1; run <= 3; run++) {
        const t = performance.now()
        const check = verifyChangeChain(conn)
        console.log(`verify run ${run}: ${check.entries.toLocaleString('en-GB')} entries, intact ${check.intact}, ${Math.round(performance.now() - t)} ms`)
      }
    } finally {
      conn.close()
    }
  } finally {
    for (const suffix of ['', '-wal', '-shm', '.lock']) rmSync(copy + suffix, { force: true })
  }
}

void main()
