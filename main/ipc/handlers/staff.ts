import type { staffInputs } from '../../../preload/contract/schemas/staff'
import * as staff from '../../services/staff'
import type { DomainHandlers, HandlerOptions } from './domain'

export function staffHandlers(options: HandlerOptions): DomainHandlers<typeof staffInputs> {
  const { session } = options
  return {
    'staff:session': (ctx) => staff.sessionState(ctx, session),
    'staff:setUp': (ctx, input) => staff.setUp(ctx, session, input),
    'staff:signIn': (ctx, input) => staff.signIn(ctx, session, input),
    'staff:signOut': (ctx) => staff.signOut(ctx, session),
    'staff:lock': (ctx) => staff.lock(ctx, session),
    'staff:unlock': (ctx, input) => staff.unlock(ctx, session, input),
    'staff:list': (ctx) => staff.listStaff(ctx),
    'staff:create': (ctx, input) => staff.createStaff(ctx, input),
    'staff:update': (ctx, input) => staff.updateStaff(ctx, session, input),
    'staff:resetPassword': (ctx, input) => staff.resetPassword(ctx, input),
    'staff:changePassword': (ctx, input) => staff.changePassword(ctx, input),
    'staff:setPin': (ctx, input) => staff.setPin(ctx, session, input),
    'staff:assignable': (ctx) => staff.assignableStaff(ctx),
  }
}
