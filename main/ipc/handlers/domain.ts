import type { Channel, JobKind } from '../../../preload/contract'
import type { ServiceContext } from '../../services/context'
import type { JobRunner } from '../../jobs/runner'
import type { Handler } from '../router'
import type { FileDialogs, SystemViewer } from '../../fileDialogs'
import type { JobInput } from '../../jobs/kinds'
import { DomainError, INTERNAL_ERROR } from '../../services/errors'
import type { DeskSession } from '../../services/staff/session'
import type { SecretStore } from '../../secrets'
import type { BackupDialogs, RestartDataLayer } from '../../backupHooks'
import type { OutboxOptions, OutboxSender } from '../../services/messages/sender'
import type { DatabaseChoices } from '../../services/database/choice'

/** What the handlers need from the running app besides each call's context. */
export interface HandlerOptions {
  dataFile: string
  jobs: JobRunner
  /** Read-only work the desk waits for (a report, a statement), off the main thread and never behind a long job. */
  reads: JobRunner
  /** Where this session's printouts (PDFs) are kept until saved or the app closes. */
  printoutsDir: string
  /** Where this session's rejected import rows are kept until saved or the app closes. */
  rejectsDir: string
  dialogs: FileDialogs
  viewer: SystemViewer
  /** Who is at the desk: signed in, locked or signed out. */
  session: DeskSession
  /** Where the backup passphrase is kept (never the customer file). */
  secrets?: SecretStore
  backupDialogs?: BackupDialogs
  /** Restarts the data layer on a restored file; absent where the core cannot be restarted (restore is then refused). */
  restart?: RestartDataLayer
  /** The outbox's sender: call `outbox?.wake()` after queueing messages so they go at once. */
  outbox?: OutboxSender
  /** How this desk reaches mail servers beyond its settings (tests: their own certificate). */
  mailOptions?: OutboxOptions
  /** Where this computer keeps its data between starts (Settings → Database); default: memory. */
  databaseChoices?: DatabaseChoices
  /** Reopens the desk on another database (a file or a server); absent: switching is refused. */
  switchDatabase?: (location: string) => Promise<void>
}

/** One domain's handlers: exactly the channels its contract schema file lists, each typed by its channel. */
export type DomainHandlers<Inputs> = { [C in keyof Inputs & Channel]: Handler<C> }

/** Who starts a job, and when: the job runs as them. */
export function startedBy(ctx: ServiceContext): { staff: ServiceContext['staff']; now: Date } {
  return { staff: ctx.staff, now: ctx.clock() }
}

/**
 * Runs read-only work in the read worker and answers with its result, so
 * the main process stays free while it runs; its failure is the call's.
 */
export async function readNow<K extends JobKind>(reads: JobRunner, ctx: ServiceContext, kind: K, input: JobInput<K>, label: string): Promise<unknown> {
  const started = reads.start(kind, input, { ...startedBy(ctx), label, writes: 'never', cancellable: false })
  const status = await reads.whenFinished(started.id)
  if (status.state === 'done') return status.result
  const { code, message, ...extra } = status.error ?? INTERNAL_ERROR
  throw new DomainError(code, message, extra)
}
