import { BUILT_IN_ADMIN } from '../../../main/services/context'
import { prepared, type RouterCase } from './types'

/**
 * Staff accounts and the desk's session, run in this order: the built-in
 * administrator sets the desk up, signs in, out, back in and locks and
 * unlocks it, so every later case still runs signed in.
 */
const ADMIN_PASSWORD = 'router password 1'
const long = 'long enough password'

export const staffCases: Record<string, RouterCase> = {
  'staff:session': { valid: undefined, invalid: [{ x: 1 }] },
  'staff:setUp': {
    valid: { name: 'Administrator', email: '', password: ADMIN_PASSWORD },
    invalid: [{ name: 'A', password: 'short' }, { name: '', password: long }, { name: 'A', password: long, pin: '12' }, { name: 'A', password: long, email: 'not an address' }],
  },
  'staff:signIn': {
    valid: { staffId: 1, password: ADMIN_PASSWORD },
    invalid: [{ staffId: 1 }, { staffId: 1, password: 'x', pin: '1234' }, { staffId: 1, pin: '12a4' }, { staffId: 0, password: 'x' }],
  },
  'staff:signOut': { valid: undefined, invalid: [{ x: 1 }] },
  'staff:lock': {
    valid: prepared(async (app) => {
      app.session.signIn(BUILT_IN_ADMIN)
      return undefined
    }),
    invalid: [{ x: 1 }],
  },
  'staff:unlock': { valid: { password: ADMIN_PASSWORD }, invalid: [{}, { pin: '1' }, { password: 'x', pin: '1234' }] },
  'staff:list': { valid: undefined, invalid: [{ x: 1 }] },
  'staff:create': {
    valid: { name: 'Router Staff', role: 'staff', password: long },
    invalid: [{ name: 'X', role: 'boss', password: long }, { name: 'X', role: 'staff', password: 'short' }, { name: 'X', role: 'staff', password: long, email: 'nope' }],
  },
  'staff:update': {
    valid: prepared(async (app) => {
      const { id } = (await app.db('staff').where({ name: 'Router Staff' }).first('id')) as { id: number }
      return { id, name: 'Router Team', email: 'team@example.com', role: 'team', active: true }
    }),
    invalid: [{ id: 1, name: 'X', role: 'admin' }, { id: 0, name: 'X', role: 'admin', active: true }, { id: 1, name: 'X', role: 'owner', active: true }],
  },
  'staff:resetPassword': {
    valid: prepared(async (app) => ({ id: ((await app.db('staff').where({ name: 'Router Team' }).first('id')) as { id: number }).id, password: 'a brand new password' })),
    invalid: [{ id: 2, password: 'short' }, { password: long }],
  },
  'staff:changePassword': {
    valid: { currentPassword: ADMIN_PASSWORD, newPassword: 'router password 3' },
    invalid: [{ currentPassword: '', newPassword: long }, { currentPassword: 'x', newPassword: 'short' }],
  },
  'staff:setPin': { valid: { currentPassword: 'router password 3', pin: '1234' }, invalid: [{ currentPassword: 'x', pin: 'abcd' }, { currentPassword: 'x' }] },
  'staff:assignable': { valid: undefined, invalid: [{ x: 1 }] },
}
