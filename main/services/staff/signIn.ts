import type { Knex } from 'knex'
import type { z } from 'zod'
import type { StaffPick, StaffSession, changePasswordInput, setPinInput, setUpInput, signInInput, unlockInput } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { recordChange } from '../changeLog'
import { Conflict, DomainError, Forbidden, ValidationFailed } from '../errors'
import { getSettings } from '../app/settings'
import { loadStaff, memberOf, type StaffRow } from './accounts'
import { hashSecret, verifySecret } from './passwords'
import type { DeskSession } from './session'

/** Wrong tries before a hold, the first hold, and the longest (each hold after that doubles). */
export const FREE_TRIES = 5
const FIRST_HOLD_MS = 30_000
const LONGEST_HOLD_MS = 15 * 60_000

/** No active administrator can sign in yet: the first run asks for one. */
export async function needsSetUp(db: Knex): Promise<boolean> {
  const admin = (await db('staff').where({ role: 'admin', active: true }).whereNotNull('password_hash').first('id')) as { id: number } | undefined
  return !admin
}

export async function lockAfterMinutes(db: Knex): Promise<number> {
  return (await getSettings({ db })).lockAfterMinutes
}

/** What the sign-in, set-up and lock screens show. */
export async function sessionState(ctx: ServiceContext, session: DeskSession): Promise<StaffSession> {
  const person = session.person
  const minutes = await lockAfterMinutes(ctx.db)
  const setUp = !person && (await needsSetUp(ctx.db))
  const rows = setUp
    ? []
    : ((await ctx.db('staff').where({ active: true }).whereNotNull('password_hash').orderBy([{ column: 'name' }, { column: 'id' }]).select('id', 'name', 'role', 'pin_hash')) as Array<
        Pick<StaffRow, 'id' | 'name' | 'role' | 'pin_hash'>
      >)
  const people: StaffPick[] = rows.map((row) => ({ id: row.id, name: row.name, role: row.role, hasPin: row.pin_hash !== null }))
  let staff: StaffSession['staff'] = null
  if (person) {
    const row = (await ctx.db('staff').where({ id: person.id }).first('pin_hash')) as { pin_hash: string | null } | undefined
    staff = { ...person, hasPin: Boolean(row?.pin_hash) }
  }
  return { state: person ? (session.locked ? 'locked' : 'signedIn') : setUp ? 'setup' : 'signedOut', staff, lockAfterMinutes: minutes, people }
}

/** First run: the first administrator (the built-in one's row, named and given a password). */
export async function setUp(ctx: ServiceContext, session: DeskSession, input: z.output<typeof setUpInput>): Promise<StaffSession> {
  const refused = () => new Conflict('Frontdesk is already set up. Sign in with your name and password.')
  if (!(await needsSetUp(ctx.db))) throw refused()
  const [passwordHash, pinHash] = await Promise.all([hashSecret(input.password), input.pin ? hashSecret(input.pin) : null])
  const member = await ctx.db.transaction(async (trx) => {
    // Checked again inside the write: two first runs at once make one administrator.
    if (!(await needsSetUp(trx))) throw refused()
    const now = ctx.clock().toISOString()
    const row = (await trx('staff').where({ role: 'admin', active: true }).whereNull('password_hash').orderBy('id').first('id')) as { id: number } | undefined
    const fields = { name: input.name, email: input.email, role: 'admin', active: true, password_hash: passwordHash, pin_hash: pinHash, failed_attempts: 0, locked_until: null, last_sign_in_at: now, updated_at: now }
    let id: number
    if (row) {
      id = row.id
      await trx('staff').where({ id }).update(fields)
    } else {
      const [inserted] = (await trx('staff').insert({ ...fields, created_at: now }).returning('id')) as Array<{ id: number } | number>
      id = typeof inserted === 'object' ? inserted.id : Number(inserted)
    }
    const member = memberOf(await loadStaff(trx, id))
    await recordChange(trx, { ...ctx, staff: member }, { customerId: null, entityType: 'staff', entityId: id, action: 'staff.setUp', summary: `First administrator set up: ${input.name}` })
    return member
  })
  session.signIn(member)
  return sessionState(ctx, session)
}

function seconds(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000))
  if (s < 120) return `${s} second${s === 1 ? '' : 's'}`
  return `${Math.ceil(s / 60)} minutes`
}

/**
 * Checks a password or PIN for one person, counting wrong tries on their
 * row: after FREE_TRIES wrong ones, further tries wait (30 s, doubling to
 * 15 min), right or wrong, so guessing a 4-digit PIN takes days.
 */
async function checkSecret(ctx: ServiceContext, staffId: number, secret: { password?: string | undefined; pin?: string | undefined }): Promise<StaffRow> {
  const row = (await ctx.db('staff').where({ id: staffId }).first()) as StaffRow | undefined
  if (!row || !row.active) throw ValidationFailed.field('staffId', 'That person cannot sign in here. Ask an administrator.')
  const now = ctx.clock().getTime()
  const heldUntil = row.locked_until ? Date.parse(row.locked_until) : 0
  if (heldUntil > now) throw new Forbidden(`Too many wrong tries for ${row.name}. Try again in ${seconds(heldUntil - now)}, or ask an administrator to reset the password.`)
  const usesPin = secret.pin !== undefined
  if (usesPin && !row.pin_hash) throw ValidationFailed.field('pin', `${row.name} has no PIN. Sign in with the password.`)
  if (!usesPin && !row.password_hash) throw ValidationFailed.field('password', `${row.name} has no password yet. Ask an administrator to set one.`)
  const right = await verifySecret(usesPin ? (secret.pin ?? '') : (secret.password ?? ''), usesPin ? row.pin_hash : row.password_hash)
  if (right) {
    if (row.failed_attempts || row.locked_until) await ctx.db('staff').where({ id: row.id }).update({ failed_attempts: 0, locked_until: null })
    return row
  }
  // Counted in one statement: two wrong tries at once both count.
  await ctx.db('staff').where({ id: row.id }).increment('failed_attempts', 1)
  const { failed_attempts: failed } = (await ctx.db('staff').where({ id: row.id }).first('failed_attempts')) as { failed_attempts: number }
  const field = usesPin ? 'pin' : 'password'
  const wrong = usesPin ? 'That PIN is not right.' : 'That password is not right.'
  if (failed < FREE_TRIES) throw ValidationFailed.field(field, wrong)
  const hold = Math.min(FIRST_HOLD_MS * 2 ** (failed - FREE_TRIES), LONGEST_HOLD_MS)
  await ctx.db('staff').where({ id: row.id }).update({ locked_until: new Date(now + hold).toISOString() })
  throw new DomainError('VALIDATION', `${wrong} Too many wrong tries: wait ${seconds(hold)} before the next one.`, { field, fields: { [field]: wrong } })
}

export async function signIn(ctx: ServiceContext, session: DeskSession, input: z.output<typeof signInInput>): Promise<StaffSession> {
  const row = await checkSecret(ctx, input.staffId, input)
  await ctx.db('staff').where({ id: row.id }).update({ last_sign_in_at: ctx.clock().toISOString() })
  session.signIn(memberOf(row))
  return sessionState(ctx, session)
}

/** The same person back at a locked desk (anyone else signs in instead, which ends the locked session). */
export async function unlock(ctx: ServiceContext, session: DeskSession, input: z.output<typeof unlockInput>): Promise<StaffSession> {
  const person = session.person
  if (!person) throw new DomainError('SIGNED_OUT', 'No one is signed in. Sign in to continue.')
  if (session.locked) {
    try {
      await checkSecret(ctx, person.id, input)
    } catch (error) {
      // Deactivated while away: the desk is theirs no longer.
      if (error instanceof ValidationFailed && error.extra.field === 'staffId') session.signOut()
      throw error
    }
    session.unlock()
  }
  return sessionState(ctx, session)
}

export async function signOut(ctx: ServiceContext, session: DeskSession): Promise<StaffSession> {
  session.signOut()
  return sessionState(ctx, session)
}

export async function lock(ctx: ServiceContext, session: DeskSession): Promise<StaffSession> {
  session.lock()
  return sessionState(ctx, session)
}

export async function changePassword(ctx: ServiceContext, input: z.output<typeof changePasswordInput>): Promise<null> {
  await checkSecret(ctx, ctx.staff.id, { password: input.currentPassword }).catch(renameField('password', 'currentPassword'))
  const passwordHash = await hashSecret(input.newPassword)
  await ctx.db.transaction(async (trx) => {
    await trx('staff').where({ id: ctx.staff.id }).update({ password_hash: passwordHash, updated_at: ctx.clock().toISOString() })
    await recordChange(trx, ctx, { customerId: null, entityType: 'staff', entityId: ctx.staff.id, action: 'staff.passwordChanged', summary: `Password changed by ${ctx.staff.name}` })
  })
  return null
}

export async function setPin(ctx: ServiceContext, session: DeskSession, input: z.output<typeof setPinInput>): Promise<StaffSession> {
  await checkSecret(ctx, ctx.staff.id, { password: input.currentPassword }).catch(renameField('password', 'currentPassword'))
  const pinHash = input.pin === null ? null : await hashSecret(input.pin)
  await ctx.db.transaction(async (trx) => {
    await trx('staff').where({ id: ctx.staff.id }).update({ pin_hash: pinHash, updated_at: ctx.clock().toISOString() })
    await recordChange(trx, ctx, {
      customerId: null,
      entityType: 'staff',
      entityId: ctx.staff.id,
      action: pinHash ? 'staff.pinSet' : 'staff.pinRemoved',
      summary: pinHash ? `PIN set by ${ctx.staff.name}` : `PIN removed by ${ctx.staff.name}`,
    })
  })
  return sessionState(ctx, session)
}

/** The current password is typed in a field of its own name on these forms. */
function renameField(from: string, to: string): (error: unknown) => never {
  return (error) => {
    if (error instanceof DomainError && error.extra.field === from) {
      const fields = Object.fromEntries(Object.entries(error.extra.fields ?? {}).map(([k, v]) => [k === from ? to : k, v]))
      throw new DomainError(error.code, error.message, { ...error.extra, field: to, fields })
    }
    throw error
  }
}
