import { copyFileSync, rmSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { closeDatabase, openDatabase } from '../../db/connection'
import { migrateToLatest } from '../../db/migrations'
import { dialectOf } from '../../db/dialects'
import { verifyChangeChain } from '../../db/changeChain'
import { withRawConnection } from '../../db/connection'
import { eraseCustomer } from '../../main/services/privacy/erasure'
import { BUILT_IN_ADMIN } from '../../main/services/context'

/**
 * Erasure at a million customers: the upgrade that re-chains every change-log
 * entry over its content digest, and the erasure of one customer (anonymise,
 * redact, rewrite the search index, empty the write-ahead log), on a copy of
 * the benchmark's customer file.
 */
export async function benchErasure(options: { cacheFile: string; workFile: string }): Promise<Record<string, number>> {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${options.workFile}${suffix}`, { force: true })
  copyFileSync(options.cacheFile, options.workFile)
  const db = openDatabase(options.workFile)
  try {
    let started = performance.now()
    await migrateToLatest(db)
    const upgradeMs = performance.now() - started
    started = performance.now()
    await db.transaction((trx) => dialectOf(trx).sealChangeLog(trx))
    const rechainMs = performance.now() - started
    const entries = Number(((await db('change_log').count({ n: '*' })) as Array<{ n: number }>)[0]!.n)
    const id = Number(((await db('customers').where({ status: 'active' }).orderBy('id').offset(500_000).first('id')) as { id: number }).id)
    started = performance.now()
    const erased = await eraseCustomer({ db, staff: BUILT_IN_ADMIN, clock: () => new Date() }, { customerId: id, confirm: `C-${String(id).padStart(6, '0')}` })
    const eraseMs = performance.now() - started
    started = performance.now()
    const chain = await withRawConnection(db, (conn) => verifyChangeChain(conn))
    const verifyMs = performance.now() - started
    if (!chain.intact) throw new Error(`chain broken after erasure: ${JSON.stringify(chain.firstBreak)}`)
    return { entries, upgradeMs, rechainMs, eraseMs, eraseServiceMs: erased.ms, verifyMs }
  } finally {
    await closeDatabase(db)
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${options.workFile}${suffix}`, { force: true })
  }
}

if (process.argv[1]?.endsWith('erasure.ts')) {
  benchErasure({ cacheFile: process.argv[2]!, workFile: process.argv[3]! })
    .then((figures) => console.log(JSON.stringify(figures)))
    .catch((error) => {
      console.error(error)
      process.exit(1)
    })
}
