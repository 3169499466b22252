import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { finishJob, openTestCore, type TestCore } from '../helpers/core'
import { channels, type Channel, type StaffRole } from '../../preload/contract'
import { access, passesLock, staticRule } from '../../main/ipc/access'
import type { StaffMember } from '../../main/services/context'
import { createCatalogue } from '../helpers/catalogue'

/*
 * Roles, enforced by the router from main/ipc/access.ts. The lists below are
 * generated from the contract and the access table, so a new channel is
 * covered the day it is added: an admin-only one is refused to staff and team
 * members, and a channel a team member may call must be named in TEAM_SAFE
 * (never one of the notes or money channels).
 */

/** Channels that show or change notes (a customer's notes, reminders, a history that quotes them, a booking's note). */
const NOTES: Channel[] = ['notes:list', 'notes:add', 'notes:update', 'notes:delete', 'notes:reorder', 'notes:reminders', 'customers:summary', 'customers:changes', 'bookings:get', 'exports:start']

/** Channels that show or change money: prices, payments, balances, invoices, statements, plans, rewards, reports and their printouts. */
const MONEY: Channel[] = [
  'bookings:create',
  'bookings:quote',
  'bookings:get',
  'bookings:listForCustomer',
  'bookings:list',
  'bookings:addPayment',
  'bookings:previewTransfer',
  'bookings:transfer',
  'bookings:warnings',
  'customers:invoices',
  'customers:activity',
  'customers:summary',
  'customers:extras',
  'customers:setTax',
  'customers:setReferral',
  'catalogue:list',
  'catalogue:sessions',
  'paymentMethods:add',
  'paymentMethods:remove',
  'paymentMethods:setDefault',
  'printouts:read',
  'printouts:save',
  'printouts:open',
  ...channels.filter((c) => /^(plans|rewards|reports|statements|paymentMethods):/.test(c)),
]

/** Everything a team member may call: contact details, their own bookings, their own account, signing in and out. */
const TEAM_SAFE = new Set<string>([
  'app:info',
  'settings:get',
  'customers:list',
  'customers:counts',
  'customers:photo',
  'customers:contact',
  'bookings:mine',
  'staff:session',
  'staff:setUp',
  'staff:signIn',
  'staff:signOut',
  'staff:lock',
  'staff:unlock',
  'staff:changePassword',
  'staff:setPin',
  // Recovering a damaged file happens before anyone can sign in.
  'backups:recovery',
  'backups:recover',
  'backups:recoverFromFile',
])

const adminChannels = channels.filter((c) => {
  const rule = staticRule(c)
  return typeof rule === 'object' && rule?.role === 'admin'
})
const staffChannels = channels.filter((c) => {
  const rule = staticRule(c)
  return typeof rule === 'object' && rule?.role === 'staff'
})
/** Channels whose rule depends on the input (only some inputs are open to team members). */
const inputChannels = channels.filter((c) => typeof access[c] === 'function')

const ADMIN_PASSWORD = 'the first admin password'
const SAM_PASSWORD = 'sam at the front desk'
const TIA_PASSWORD = 'tia cleans windows'

let app: TestCore
let now = new Date('2026-06-01T09:00:00Z')
let admin: StaffMember
let sam: StaffMember
let tia: StaffMember

const changeLogSize = async () => Number(((await app.db('change_log').count({ n: '*' })) as Array<{ n: number }>)[0]?.n)

/** Straight to the session: the refusals under test are the router's, not signing in. */
function actAs(person: StaffMember): void {
  app.session.signIn(person)
}

beforeAll(async () => {
  app = await openTestCore({ staff: null, clock: () => now })
})
afterAll(async () => {
  await app.cleanup()
})

describe('first run', () => {
  it('starts in set-up, where only the public channels answer', async () => {
    expect(await app.invoke('staff:session', undefined)).toMatchObject({ state: 'setup', staff: null, people: [] })
    expect(await app.call('customers:list', {})).toMatchObject({ ok: false, error: { code: 'SIGNED_OUT' } })
    expect(await app.call('staff:signIn', { staffId: 1, password: 'anything at all' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
  })

  it('set-up names the first administrator (the built-in row), signs them in and is refused afterwards', async () => {
    const session = await app.invoke('staff:setUp', { name: 'Ada Owner', email: 'ada@example.com', password: ADMIN_PASSWORD, pin: '2468' })
    expect(session).toMatchObject({ state: 'signedIn', staff: { id: 1, name: 'Ada Owner', role: 'admin', hasPin: true } })
    admin = { id: 1, name: 'Ada Owner', role: 'admin' }
    expect(await app.call('staff:setUp', { name: 'Mallory', password: 'taking over the desk' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    expect(await app.db('staff').where({ role: 'admin' }).count({ n: '*' })).toEqual([{ n: 1 }])
  })

  it('the administrator adds a member of staff and a team member', async () => {
    const s = await app.invoke('staff:create', { name: 'Sam Desk', email: 'sam@example.com', role: 'staff', password: SAM_PASSWORD })
    const t = await app.invoke('staff:create', { name: 'Tia Crew', role: 'team', password: TIA_PASSWORD })
    expect(s).toMatchObject({ role: 'staff', active: true, hasPassword: true, hasPin: false })
    sam = { id: s.id, name: s.name, role: 'staff' }
    tia = { id: t.id, name: t.name, role: 'team' }
    expect((await app.invoke('staff:list', undefined)).map((p) => p.name)).toEqual(['Ada Owner', 'Sam Desk', 'Tia Crew'])
    expect(await app.call('staff:create', { name: 'sam desk', role: 'team', password: 'another long one' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'name' } })
  })
})

describe('the access table', () => {
  it('has admin, staff, input-dependent and team channels, and the notes and money lists are channels', () => {
    expect(adminChannels.length).toBeGreaterThan(20)
    expect(staffChannels.length).toBeGreaterThan(50)
    expect(inputChannels).toEqual(expect.arrayContaining(['customers:list', 'customers:counts']))
    expect(NOTES.length).toBeGreaterThan(5)
    expect(MONEY.length).toBeGreaterThan(30)
    for (const c of [...NOTES, ...MONEY]) expect(channels, c).toContain(c)
    // Whole domains are money: every channel of theirs, present and future, is in the list.
    expect(MONEY.filter((c) => c.startsWith('plans:')).length).toBeGreaterThanOrEqual(8)
    expect(MONEY.filter((c) => c.startsWith('rewards:')).length).toBeGreaterThanOrEqual(4)
  })

  it('lets team members call only the channels named as safe for them, none of them notes or money', () => {
    const teamReachable = channels.filter((c) => staticRule(c) === 'public' || staticRule(c) === 'team' || typeof access[c] === 'function')
    expect(teamReachable.filter((c) => !TEAM_SAFE.has(c))).toEqual([])
    expect([...NOTES, ...MONEY].filter((c) => TEAM_SAFE.has(c))).toEqual([])
  })

  it('names admin-only work in the table: delete, merge, import, export, staff, settings, recycle bin, sample data', () => {
    for (const c of ['customers:delete', 'tags:merge', 'tags:delete', 'groups:delete', 'imports:run', 'imports:undo', 'exports:start', 'reports:export', 'staff:create', 'staff:update', 'staff:resetPassword', 'settings:update', 'settings:setLogo', 'customFields:save', 'customFields:delete', 'recycleBin:list', 'recycleBin:restore', 'recycleBin:purge', 'demo:seed', 'rewards:adjust'] as const) {
      expect(adminChannels, c).toContain(c)
    }
  })
})

describe('refused by role, before anything runs', () => {
  const cases = (roles: Array<'staff' | 'team'>) => adminChannels.flatMap((c) => roles.map((role) => [c, role] as const))

  it.each(cases(['staff', 'team']))('%s as %s: FORBIDDEN, only an administrator', async (channel, role) => {
    actAs(role === 'staff' ? sam : tia)
    const before = await changeLogSize()
    const result = await app.call(channel, undefined as never)
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringMatching(/^Only an administrator can .+\.$/) } })
    expect(await changeLogSize()).toBe(before)
  })

  it.each([...new Set([...NOTES, ...MONEY, ...staffChannels])])('%s as a team member: FORBIDDEN', async (channel) => {
    actAs(tia)
    const before = await changeLogSize()
    const result = await app.call(channel, undefined as never)
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringMatching(/^Only (an administrator|staff and administrators) can .+\.$/) } })
    expect(await changeLogSize()).toBe(before)
  })

  it.each([
    ['customers:list', { outstanding: 'yes' }, 'find customers by money owed'],
    ['customers:counts', { outstanding: 'yes' }, 'find customers by money owed'],
    ['customers:list', { customFields: [{ fieldId: 1, value: 'x' }] }, 'find customers by custom fields'],
    ['customers:list', { tab: 'blocked' }, 'see archived or blocked customers'],
  ] as const)('%s %j as a team member: FORBIDDEN', async (channel, input, what) => {
    actAs(tia)
    expect(await app.call(channel, input as never)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: `Only staff and administrators can ${what}.` } })
    actAs(sam)
    expect(await app.call(channel, input as never)).toMatchObject({ ok: true })
  })
})

describe('signed out and locked', () => {
  it.each(channels.filter((c) => staticRule(c) !== 'public'))('%s signed out: SIGNED_OUT', async (channel) => {
    app.session.signOut()
    expect(await app.call(channel, undefined as never)).toMatchObject({ ok: false, error: { code: 'SIGNED_OUT', message: expect.stringContaining('Sign in') } })
  })

  it.each(channels.filter((c) => !passesLock(c)))('%s at a locked desk: LOCKED', async (channel) => {
    actAs(admin)
    app.session.lock()
    expect(await app.call(channel, undefined as never)).toMatchObject({ ok: false, error: { code: 'LOCKED' } })
  })

  it('locks after the set minutes without use; asking who is there does not count as use; unlocking needs the PIN or password', async () => {
    actAs(admin)
    await app.invoke('settings:update', { lockAfterMinutes: 5 })
    app.session.idleFor(4 * 60_000)
    expect(await app.call('customers:list', {})).toMatchObject({ ok: true })
    app.session.idleFor(6 * 60_000)
    expect(await app.invoke('staff:session', undefined)).toMatchObject({ state: 'locked', staff: { id: admin.id }, lockAfterMinutes: 5 })
    expect(await app.call('customers:list', {})).toMatchObject({ ok: false, error: { code: 'LOCKED' } })
    expect(await app.call('staff:unlock', { pin: '1357' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'pin' } })
    expect(await app.invoke('staff:unlock', { pin: '2468' })).toMatchObject({ state: 'signedIn' })
    expect(await app.call('customers:list', {})).toMatchObject({ ok: true })
    await app.invoke('settings:update', { lockAfterMinutes: 0 })
    app.session.idleFor(24 * 60 * 60_000)
    expect(await app.call('customers:list', {})).toMatchObject({ ok: true })
  })

  it('someone else signs in at a locked desk (switching user); signing out leaves the sign-in screen', async () => {
    actAs(admin)
    await app.invoke('staff:lock', undefined)
    expect(await app.invoke('staff:signIn', { staffId: sam.id, password: SAM_PASSWORD })).toMatchObject({ state: 'signedIn', staff: { id: sam.id, role: 'staff' } })
    const out = await app.invoke('staff:signOut', undefined)
    expect(out).toMatchObject({ state: 'signedOut', staff: null })
    expect(out.people.map((p) => p.name)).toEqual(['Ada Owner', 'Sam Desk', 'Tia Crew'])
  })
})

describe('passwords and PINs', () => {
  it('signs in with the right password only, and tells which field was wrong', async () => {
    app.session.signOut()
    expect(await app.call('staff:signIn', { staffId: sam.id, password: 'sam at the front dusk' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'password', message: 'That password is not right.' },
    })
    expect(app.session.person).toBeNull()
    expect(await app.invoke('staff:signIn', { staffId: sam.id, password: SAM_PASSWORD })).toMatchObject({ state: 'signedIn' })
    expect(await app.call('staff:signIn', { staffId: sam.id, pin: '1234' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'pin', message: expect.stringContaining('has no PIN') } })
  })

  it('sets a PIN (confirmed with the password) and signs in with it', async () => {
    actAs(sam)
    expect(await app.call('staff:setPin', { currentPassword: 'wrong password', pin: '4321' })).toMatchObject({ ok: false, error: { field: 'currentPassword' } })
    expect(await app.invoke('staff:setPin', { currentPassword: SAM_PASSWORD, pin: '4321' })).toMatchObject({ staff: { id: sam.id, hasPin: true } })
    app.session.signOut()
    expect(await app.call('staff:signIn', { staffId: sam.id, pin: '1234' })).toMatchObject({ ok: false, error: { field: 'pin' } })
    expect(await app.invoke('staff:signIn', { staffId: sam.id, pin: '4321' })).toMatchObject({ state: 'signedIn', staff: { id: sam.id } })
  })

  it('holds a person after five wrong tries, right or wrong, then lets them in once the hold is over', async () => {
    app.session.signOut()
    for (let i = 1; i <= 4; i++) expect(await app.call('staff:signIn', { staffId: tia.id, password: `wrong guess ${i}` })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    expect(await app.call('staff:signIn', { staffId: tia.id, password: 'wrong guess 5' })).toMatchObject({ ok: false, error: { message: expect.stringContaining('wait 30 seconds') } })
    expect(await app.call('staff:signIn', { staffId: tia.id, password: TIA_PASSWORD })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('Too many wrong tries for Tia Crew') } })
    now = new Date(now.getTime() + 31_000)
    // The sixth wrong try doubles the hold.
    expect(await app.call('staff:signIn', { staffId: tia.id, password: 'wrong guess 6' })).toMatchObject({ ok: false, error: { message: expect.stringContaining('wait 60 seconds') } })
    now = new Date(now.getTime() + 61_000)
    expect(await app.invoke('staff:signIn', { staffId: tia.id, password: TIA_PASSWORD })).toMatchObject({ state: 'signedIn', staff: { id: tia.id, role: 'team' } })
    expect(await app.db('staff').where({ id: tia.id }).first('failed_attempts', 'locked_until')).toEqual({ failed_attempts: 0, locked_until: null })
  })

  it('an administrator resets a forgotten password (lifting a hold); not their own', async () => {
    app.session.signOut()
    for (let i = 1; i <= 5; i++) await app.call('staff:signIn', { staffId: sam.id, password: `forgotten ${i}` })
    actAs(admin)
    expect(await app.call('staff:resetPassword', { id: admin.id, password: 'a new admin password' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    await app.invoke('staff:resetPassword', { id: sam.id, password: 'sam remembers now' })
    app.session.signOut()
    expect(await app.call('staff:signIn', { staffId: sam.id, password: SAM_PASSWORD })).toMatchObject({ ok: false, error: { field: 'password' } })
    expect(await app.invoke('staff:signIn', { staffId: sam.id, password: 'sam remembers now' })).toMatchObject({ state: 'signedIn' })
  })

  it('changes your own password with the current one; the minimum length is 10', async () => {
    actAs(tia)
    expect(await app.call('staff:changePassword', { currentPassword: TIA_PASSWORD, newPassword: 'short' })).toMatchObject({ ok: false, error: { field: 'newPassword', message: 'Use at least 10 characters for a password.' } })
    expect(await app.call('staff:changePassword', { currentPassword: 'not it at all', newPassword: 'tia has a new one' })).toMatchObject({ ok: false, error: { field: 'currentPassword' } })
    expect(await app.invoke('staff:changePassword', { currentPassword: TIA_PASSWORD, newPassword: 'tia has a new one' })).toBeNull()
    app.session.signOut()
    expect(await app.invoke('staff:signIn', { staffId: tia.id, password: 'tia has a new one' })).toMatchObject({ state: 'signedIn' })
  })

  it('keeps only scrypt hashes with their own random salt and cost, and never writes a secret to the change log', async () => {
    actAs(admin)
    const a = await app.invoke('staff:create', { name: 'Twin One', role: 'staff', password: 'the same password' })
    const b = await app.invoke('staff:create', { name: 'Twin Two', role: 'staff', password: 'the same password' })
    const rows = (await app.db('staff').whereIn('id', [a.id, b.id]).orderBy('id').select('password_hash')) as Array<{ password_hash: string }>
    const parts = rows.map((r) => r.password_hash.split('$'))
    for (const p of parts) {
      expect(p.slice(0, 4)).toEqual(['scrypt', '32768', '8', '1'])
      expect(Buffer.from(p[4]!, 'base64')).toHaveLength(16)
      expect(Buffer.from(p[5]!, 'base64')).toHaveLength(32)
    }
    expect(parts[0]![4]).not.toBe(parts[1]![4])
    expect(parts[0]![5]).not.toBe(parts[1]![5])
    const log = JSON.stringify(await app.db('change_log').select('summary', 'changes'))
    for (const secret of [ADMIN_PASSWORD, SAM_PASSWORD, TIA_PASSWORD, 'the same password', 'sam remembers now', '2468', '4321', 'scrypt$']) expect(log).not.toContain(secret)
  })
})

describe('staff accounts', () => {
  it('never leaves the desk without an active administrator', async () => {
    actAs(admin)
    const demote = { id: admin.id, name: admin.name, email: 'ada@example.com', role: 'staff', active: true } as const
    expect(await app.call('staff:update', demote)).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('only active administrator') } })
    // With a second administrator, the first may step down; the second cannot then be deactivated.
    await app.invoke('staff:update', { id: sam.id, name: 'Sam Desk', email: '', role: 'admin', active: true })
    expect(await app.invoke('staff:update', demote)).toMatchObject({ role: 'staff' })
    expect(app.session.person).toMatchObject({ id: admin.id, role: 'staff' })
    expect(await app.call('staff:list', undefined)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    actAs({ ...sam, role: 'admin' })
    expect(await app.call('staff:update', { id: sam.id, name: 'Sam Desk', email: '', role: 'admin', active: false })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    await app.invoke('staff:update', { id: admin.id, name: admin.name, email: 'ada@example.com', role: 'admin', active: true })
    await app.invoke('staff:update', { id: sam.id, name: 'Sam Desk', email: '', role: 'staff', active: true })
  })

  it('an inactive person cannot sign in, and is not offered for bookings', async () => {
    actAs(admin)
    const twin = (await app.db('staff').where({ name: 'Twin Two' }).first('id')) as { id: number }
    await app.invoke('staff:update', { id: twin.id, name: 'Twin Two', email: '', role: 'staff', active: false })
    expect((await app.invoke('staff:assignable', undefined)).map((p) => p.name)).not.toContain('Twin Two')
    app.session.signOut()
    expect(await app.call('staff:signIn', { staffId: twin.id, password: 'the same password' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'staffId' } })
  })
})

describe('who did it', () => {
  it('the change log records the signed-in person, also for work done in a job they started', async () => {
    actAs(sam)
    const customer = await app.invoke('customers:create', { firstName: 'Carla', lastName: 'Client', email: 'carla@example.com', phones: [{ number: '+44 7700 900123', label: 'mobile' }] })
    const entry = (await app.db('change_log').where({ customer_id: customer.id }).orderBy('id', 'desc').first('staff_id', 'staff_name')) as { staff_id: number; staff_name: string }
    expect(entry).toEqual({ staff_id: sam.id, staff_name: 'Sam Desk' })
    const started = await app.invoke('customers:bulk', { selection: { kind: 'ids', ids: [customer.id] }, action: { kind: 'tag', tagName: 'Window round' } })
    expect((await finishJob(app.call, started)).state).toBe('done')
    const tagged = (await app.db('change_log').where({ customer_id: customer.id }).orderBy('id', 'desc').first('staff_name')) as { staff_name: string }
    expect(tagged.staff_name).toBe('Sam Desk')
    expect(await app.invoke('app:info', undefined)).toMatchObject({ staff: { id: sam.id, name: 'Sam Desk', role: 'staff' } })
  })
})

describe("a team member's own views", () => {
  it('sees contact details only, and only the bookings assigned to them, without money', async () => {
    actAs(admin)
    const cat = await createCatalogue(app, { now })
    const customer = (await app.invoke('customers:list', { search: 'Carla' })).rows[0]!
    await app.invoke('notes:add', { customerId: customer.id, body: 'Secret: dog bites' })
    const mineBooking = await app.invoke('bookings:create', {
      customer: { kind: 'existing', id: customer.id },
      lines: [{ sessionId: cat.pottery.sessionId, priceOptionId: cat.pottery.optionId, quantity: 1 }],
      assignedStaffId: tia.id,
    })
    expect(mineBooking.booking.assignedTo).toEqual({ id: tia.id, name: 'Tia Crew' })
    const other = await app.invoke('bookings:create', { customer: { kind: 'existing', id: customer.id }, lines: [{ sessionId: cat.pottery.sessionId, priceOptionId: cat.pottery.optionId, quantity: 1 }] })
    expect(other.booking.assignedTo).toBeNull()
    expect(await app.call('bookings:create', { customer: { kind: 'existing', id: customer.id }, lines: [{ sessionId: cat.pottery.sessionId, priceOptionId: cat.pottery.optionId, quantity: 1 }], assignedStaffId: 9999 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'assignedStaffId' },
    })
    const reassigned = await app.invoke('bookings:assign', { id: other.booking.id, staffId: sam.id })
    expect(reassigned.assignedTo).toEqual({ id: sam.id, name: 'Sam Desk' })
    expect(reassigned.history[0]).toMatchObject({ action: 'booking.assigned', summary: expect.stringContaining('assigned to Sam Desk') })
    await app.invoke('customers:addTag', { customerId: customer.id, name: 'Bites at the door' })
    expect((await app.invoke('customers:list', { search: 'Carla' })).rows[0]?.tags.map((t) => t.name)).toEqual(['Bites at the door', 'Window round'])

    actAs(tia)
    const startsOn = mineBooking.booking.startsAt!.slice(0, 10)
    const mine = await app.invoke('bookings:mine', { from: startsOn, days: 7 })
    expect(mine.rows.map((r) => r.id)).toEqual([mineBooking.booking.id])
    expect(mine.rows[0]).toMatchObject({ customer: { id: customer.id, displayName: 'Carla Client', email: 'carla@example.com' }, sessions: [{ itemName: expect.any(String) }] })
    const contact = await app.invoke('customers:contact', { id: customer.id })
    expect(contact).toMatchObject({ displayName: 'Carla Client', email: 'carla@example.com', phones: [expect.objectContaining({ number: expect.any(String) })] })
    const listed = await app.invoke('customers:list', { search: 'Carla' })
    expect(listed.rows[0]).toMatchObject({ displayName: 'Carla Client', tags: [] })
    const seen = JSON.stringify([mine, contact, listed])
    expect(seen).not.toMatch(/Minor|payments|dog bites|Bites at the door|"note"|Window round/)
    expect(await app.call('bookings:get', { id: mineBooking.booking.id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await app.call('customers:get', { id: customer.id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })
})

/** Kept honest: the roles the table speaks of are the contract's. */
const _roles: StaffRole[] = ['admin', 'staff', 'team']
void _roles
