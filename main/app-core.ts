import type { Knex } from 'knex'
import { openDatabase, closeDatabase } from '../db/connection'
import { migrateToLatest } from '../db/migrations'
import { tidyDatabase } from '../db/maintenance'
import { BUILT_IN_ADMIN, type ServiceContext, type StaffMember } from './services/context'
import { createRouter, type Dispatch, type SenderInfo } from './ipc/router'
import { createHandlers } from './ipc/handlers'
import { purgeExpiredCustomers } from './services/organise'

export interface FrontdeskOptions {
  /** Path of the SQLite database file (created if missing). */
  dataFile: string
  /** Decides whether an IPC sender is the app's own top-level page. */
  isTrustedSender: (sender: SenderInfo) => boolean
  clock?: () => Date
  staff?: StaffMember
  onUnexpectedError?: (channel: string, error: unknown) => void
  /** Run idle-time database upkeep this often (the app: every minute; tests: never). */
  tidyEveryMs?: number
}

/** Everything the main process owns, with no Electron in it: database, migrations, router. */
export interface FrontdeskCore {
  db: Knex
  dataFile: string
  dispatch: Dispatch
  context: () => ServiceContext
  close: () => Promise<void>
}

export async function openFrontdesk(options: FrontdeskOptions): Promise<FrontdeskCore> {
  const db = openDatabase(options.dataFile)
  try {
    await migrateToLatest(db)
  } catch (error) {
    await closeDatabase(db)
    throw error
  }
  const clock = options.clock ?? (() => new Date())
  const staff = options.staff ?? BUILT_IN_ADMIN
  const context = (): ServiceContext => ({ db, staff, clock })
  try {
    // Customers past their time in the recycle bin are removed for good each time the app opens.
    await purgeExpiredCustomers(context())
  } catch (error) {
    // Not a reason to keep the desk closed: the bin is emptied again on the next open or look at it.
    options.onUnexpectedError?.('recycleBin:purgeOnOpen', error)
  }
  const dispatch = createRouter({
    handlers: createHandlers({ dataFile: options.dataFile }),
    context,
    isTrustedSender: options.isTrustedSender,
    onUnexpectedError: options.onUnexpectedError,
  })
  const tidy = options.tidyEveryMs
    ? setInterval(() => {
        tidyDatabase(db).catch((error: unknown) => options.onUnexpectedError?.('database:tidy', error))
      }, options.tidyEveryMs)
    : undefined
  tidy?.unref()
  return {
    db,
    dataFile: options.dataFile,
    dispatch,
    context,
    close: async () => {
      clearInterval(tidy)
      await closeDatabase(db)
    },
  }
}
