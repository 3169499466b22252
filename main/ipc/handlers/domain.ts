import type { Channel } from '../../../preload/contract'
import type { ServiceContext } from '../../services/context'
import type { JobRunner } from '../../jobs/runner'
import type { Handler } from '../router'
import type { FileDialogs } from '../../fileDialogs'

/** What the handlers need from the running app besides each call's context. */
export interface HandlerOptions {
  dataFile: string
  jobs: JobRunner
  dialogs: FileDialogs
}

/** One domain's handlers: exactly the channels its contract schema file lists, each typed by its channel. */
export type DomainHandlers<Inputs> = { [C in keyof Inputs & Channel]: Handler<C> }

/** Who starts a job, and when: the job runs as them. */
export function startedBy(ctx: ServiceContext): { staff: ServiceContext['staff']; now: Date } {
  return { staff: ctx.staff, now: ctx.clock() }
}
