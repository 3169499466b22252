import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openFrontdesk, type FrontdeskCore } from '../../main/app-core'
import { copyFreshDataFile } from './freshFile'
import type { Channel, Input, JobStatus, Output, Result } from '../../preload/contract'
import { testWorker } from './worker'
import { freshServerDatabase, onPostgres } from './testDatabase'
import type { FileDialogs, SystemViewer } from '../../main/fileDialogs'
import { BUILT_IN_ADMIN, type StaffMember } from '../../main/services/context'
import type { OutboxOptions } from '../../main/services/messages/sender'
import type { SecretStore } from '../../main/secrets'
import { useServerBackupsHome } from '../../main/services/backups'

export interface TestCore extends FrontdeskCore {
  /** Calls a channel through the real router as the app's own page would. */
  call<C extends Channel>(channel: C, input: Input<C>): Promise<Result<Output<C>>>
  /** Like call, but returns the data and throws on an error result. */
  invoke<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>>
  /** Starts a job through its channel and waits for it: the final status (done, failed or cancelled). */
  callJob<C extends JobChannel>(channel: C, input: Input<C>): Promise<JobStatus>
  /** Like callJob, but returns the job's result and throws when it did not finish well. */
  runJob<T>(channel: JobChannel, input: Input<JobChannel>): Promise<T>
  /** Runs `work` signed in as `person` (e.g. a member of staff), then signs the one before back in. */
  as<T>(person: StaffMember, work: () => Promise<T>): Promise<T>
  cleanup(): Promise<void>
}

/** Channels that answer with a job rather than a result. */
export type JobChannel =
  | 'customers:bulk'
  | 'customers:countMatching'
  | 'demo:seed'
  | 'tags:merge'
  | 'tags:delete'
  | 'groups:delete'
  | 'customFields:delete'
  | 'imports:check'
  | 'imports:run'
  | 'imports:undo'
  | 'brochures:markPosted'
  | 'privacy:erase'
  | 'recycleBin:purge'
  | 'merges:merge'
  | 'merges:undo'
  | 'messages:sendMarketing'

/**
 * A real Frontdesk core on a fresh SQLite file in a temp folder (a fresh
 * PostgreSQL database when the suite runs on PostgreSQL), signed in as the
 * built-in administrator (`staff: null`: signed out, at first-run set-up).
 */
export async function openTestCore(
  options: {
    clock?: () => Date
    dialogs?: FileDialogs
    viewer?: SystemViewer
    staff?: StaffMember | null
    /** The outbox's options: trust TEST_SMTP_CERT, short retries. */
    mail?: OutboxOptions
    /** Where the SMTP password is kept (default: memory, for this core only). */
    secrets?: SecretStore
    /** Open this existing file instead of a fresh one (a restart); cleanup then leaves it. */
    dataFile?: string
  } = {},
): Promise<TestCore> {
  const dir = options.dataFile ? null : mkdtempSync(join(tmpdir(), 'frontdesk-test-'))
  const staff = options.staff === undefined ? BUILT_IN_ADMIN : (options.staff ?? undefined)
  const server = !options.dataFile && onPostgres ? await freshServerDatabase() : null
  const dataFile = options.dataFile ?? server?.url ?? join(dir!, 'frontdesk.sqlite3')
  if (dir && !server) await copyFreshDataFile(dataFile)
  // A server desk's backups go to this test's own folder, never the home folder.
  if (dir && server) useServerBackupsHome(dir)
  const core = await openFrontdesk({
    dataFile,
    isTrustedSender: () => true,
    clock: options.clock,
    worker: testWorker,
    dialogs: options.dialogs,
    viewer: options.viewer,
    staff,
    mail: options.mail,
    // Reminders only when a test sweeps (reminders.sweepNow()): none appear on their own mid-test.
    reminderSweepEveryMs: 0,
    secrets: options.secrets,
  })
  const call = <C extends Channel>(channel: C, input: Input<C>) =>
    core.dispatch(channel, input, { url: 'app://test', isTopFrame: true }) as Promise<Result<Output<C>>>
  const invoke = async <C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>> => {
    const result = await call(channel, input)
    if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message} ${JSON.stringify(result.error.fields ?? {})}`)
    return result.data
  }
  const callJob = async <C extends JobChannel>(channel: C, input: Input<C>) => finishJob(call, (await invoke(channel, input)) as JobStatus)
  return {
    ...core,
    call,
    invoke,
    callJob,
    runJob: async <T>(channel: JobChannel, input: Input<JobChannel>) => jobResult<T>(await callJob(channel, input as Input<typeof channel>)),
    async as<T>(person: StaffMember, work: () => Promise<T>): Promise<T> {
      const before = core.session.person
      core.session.signIn(person)
      try {
        return await work()
      } finally {
        if (before) core.session.signIn(before)
        else core.session.signOut()
      }
    },
    async cleanup() {
      await core.close()
      await server?.drop()
      if (dir) rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Follows a job started through a channel until it has finished, as the screens do; returns its final status. */
export async function finishJob(
  call: <C extends Channel>(channel: C, input: Input<C>) => Promise<Result<Output<C>>>,
  started: JobStatus,
  timeoutMs = 60_000,
): Promise<JobStatus> {
  const deadline = Date.now() + timeoutMs
  let status = started
  while (status.state === 'queued' || status.state === 'running') {
    if (Date.now() > deadline) throw new Error(`Job ${status.label} did not finish in ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 20))
    const result = await call('jobs:get', { id: status.id })
    if (!result.ok) throw new Error(`jobs:get failed: ${result.error.message}`)
    status = result.data
  }
  return status
}

/** The outcome of a finished job, or an error carrying its message (as `invoke` does for channels). */
export function jobResult<T>(status: JobStatus): T {
  if (status.state !== 'done') throw new Error(`${status.error?.code ?? status.state}: ${status.error?.message ?? status.label}`)
  return status.result as T
}
