import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Knex } from 'knex'
import { closeDatabase, openDatabase } from '../../db/connection'
import { DataFileProblem, inspectDataFile, lockDataFile } from '../../db/dataFile'
import { migrations } from '../../db/migrations'
import { assertUndamaged, prepareDataFile } from '../../db/open'
import { environmentSecrets } from '../secrets'
import { backupBeforeMigration } from '../services/backups'
import type { ServiceContext, StaffMember } from '../services/context'
import type { Progress } from '../services/progress'
import { checkChangeLog } from '../services/app/changeLogCheck'
import type { ChangeLogCheck } from '../../preload/contract'
import { isServerDatabase } from '../../db/location'
import { prepareServerDatabase } from '../../db/server'

/** A server is brought up to date as a desk would; other desks go on working meanwhile (writers take turns). */
async function openServerForCommand(url: string): Promise<CommandSession> {
  await prepareServerDatabase(url)
  const db = openDatabase(url)
  let stop = false
  const onInterrupt = () => {
    if (stop) process.exit(130)
    stop = true
  }
  process.on('SIGINT', onInterrupt)
  return {
    context: () => ({ db, staff: COMMAND_LINE, clock: () => new Date() }),
    cancelled: () => stop,
    async close() {
      process.off('SIGINT', onInterrupt)
      await closeDatabase(db)
    },
  }
}

/** Who the command line acts as: an administrator at this computer, named so in the change log. */
const COMMAND_LINE: StaffMember = { id: 1, name: 'Administrator (command line)', role: 'admin' }

export interface CommandSession {
  context(): ServiceContext
  /** True once Ctrl+C was pressed: the running work rolls back at its next check. */
  cancelled(): boolean
  close(): Promise<void>
}

const migrationNames = migrations.map(([name]) => name)

/**
 * Opens the customer file as the app does — checked, migrated, and held so
 * the app (or another command) cannot write to it meanwhile.
 */
export async function openForCommand(file: string): Promise<CommandSession> {
  if (isServerDatabase(file)) return openServerForCommand(file)
  const state = inspectDataFile(file, migrationNames)
  if (state.kind === 'new') mkdirSync(dirname(file), { recursive: true })
  const lock = lockDataFile(file)
  let db: Knex | undefined
  let stop = false
  const onInterrupt = () => {
    if (stop) process.exit(130)
    stop = true
  }
  try {
    // A file about to be migrated is backed up first, as the app does.
    const passphrase = await environmentSecrets().get('backupPassphrase')
    await prepareDataFile(file, state, { beforeMigrate: (checked) => backupBeforeMigration(checked, passphrase).then(() => undefined) })
    db = openDatabase(file)
  } catch (error) {
    lock.release()
    throw error
  }
  process.on('SIGINT', onInterrupt)
  const open = db
  return {
    context: () => ({ db: open, staff: COMMAND_LINE, clock: () => new Date() }),
    cancelled: () => stop,
    async close() {
      process.off('SIGINT', onInterrupt)
      try {
        await closeDatabase(open)
      } finally {
        lock.release()
      }
    },
  }
}

export interface FileReport {
  file: string
  customers: Record<string, number>
  imports: number
  /** The change log's chain; null in a file from before the chain (the app chains it when it next opens the file). */
  changeLog: ChangeLogCheck | null
}

/** Reads every page (read-only) and refuses a damaged file; then counts what the file holds. */
export async function checkDataFile(file: string, progress: Progress): Promise<FileReport> {
  const state = inspectDataFile(file, migrationNames)
  if (state.kind === 'new') throw new DataFileProblem('unreadable', file, 'There is no customer file here.')
  assertUndamaged(file, (done, total) => progress.report(done, total, 'Tables checked'))
  const db = openDatabase(file, { readonly: true })
  try {
    const statuses = (await db('customer_counts').select('status', 'count')) as Array<{ status: string; count: number }>
    const hasImports = ((await db.raw(`SELECT count(*) AS n FROM sqlite_master WHERE name = 'imports'`)) as Array<{ n: number }>)[0]?.n
    const imports = hasImports ? Number(((await db('imports').count({ n: '*' })) as Array<{ n: number }>)[0]?.n ?? 0) : 0
    const chained = await db.schema.hasColumn('change_log', 'hash')
    const changeLog = chained ? await checkChangeLog({ db, staff: COMMAND_LINE, clock: () => new Date() }, progress) : null
    return { file, customers: Object.fromEntries(statuses.map((s) => [s.status, Number(s.count)])), imports, changeLog }
  } finally {
    await closeDatabase(db)
  }
}
