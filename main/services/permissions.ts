import type { ServiceContext } from './context'
import { Forbidden } from './errors'

/** Team members see customers' contact details only: never tags, block reasons, notes or money. */
export function seesContactOnly(ctx: ServiceContext): boolean {
  return ctx.staff.role === 'team'
}

/** Refuses staff who are not administrators, telling them in `message` what only an administrator may do. */
export function requireAdmin(ctx: ServiceContext, message: string): void {
  if (ctx.staff.role !== 'admin') throw new Forbidden(message)
}
