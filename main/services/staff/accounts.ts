import type { Knex } from 'knex'
import type { z } from 'zod'
import { newPassword, type AssignableStaff, type StaffAccount, type StaffRole, type createStaffInput, type resetPasswordInput, type updateStaffInput } from '../../../preload/contract'
import type { ServiceContext, StaffMember } from '../context'
import { diffFields, recordChange } from '../changeLog'
import { Conflict, NotFound, ValidationFailed } from '../errors'
import { hashSecret } from './passwords'
import type { DeskSession } from './session'

export interface StaffRow {
  id: number
  name: string
  email: string
  role: StaffRole
  active: number | boolean
  password_hash: string | null
  pin_hash: string | null
  failed_attempts: number
  locked_until: string | null
  last_sign_in_at: string | null
  created_at: string
  updated_at: string | null
}

export const ROLE_NAMES: Record<StaffRole, string> = { admin: 'administrator', staff: 'staff', team: 'team member' }

export function memberOf(row: StaffRow): StaffMember {
  return { id: row.id, name: row.name, role: row.role }
}

function toAccount(row: StaffRow): StaffAccount {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    active: Boolean(row.active),
    hasPassword: row.password_hash !== null,
    hasPin: row.pin_hash !== null,
    lastSignInAt: row.last_sign_in_at,
    createdAt: row.created_at,
  }
}

export async function loadStaff(db: Knex, id: number): Promise<StaffRow> {
  const row = (await db('staff').where({ id }).first()) as StaffRow | undefined
  if (!row) throw new NotFound('That staff account no longer exists.')
  return row
}

/** Everyone, active first, by name (administrators only). */
export async function listStaff(ctx: ServiceContext): Promise<StaffAccount[]> {
  const rows = (await ctx.db('staff').orderBy([{ column: 'active', order: 'desc' }, { column: 'name' }, { column: 'id' }])) as StaffRow[]
  return rows.map(toAccount)
}

/** Who a booking can be given to: active staff of every role, by name. */
export async function assignableStaff(ctx: ServiceContext): Promise<AssignableStaff[]> {
  const rows = (await ctx.db('staff').where({ active: true }).orderBy([{ column: 'name' }, { column: 'id' }]).select('id', 'name', 'role')) as AssignableStaff[]
  return rows.map((row) => ({ id: row.id, name: row.name, role: row.role }))
}

async function refuseTakenName(trx: Knex, name: string, exceptId: number | null): Promise<void> {
  const taken = (await trx('staff')
    .whereRaw('lower(name) = lower(?)', [name])
    .modify((q) => {
      if (exceptId !== null) void q.whereNot({ id: exceptId })
    })
    .first('id')) as { id: number } | undefined
  if (taken) throw ValidationFailed.field('name', `There is already a staff account named ${name}. Use a name the sign-in screen can tell apart.`)
}

export async function createStaff(ctx: ServiceContext, input: z.output<typeof createStaffInput>): Promise<StaffAccount> {
  // Hashed before the transaction: the write lock is not held while scrypt works.
  const passwordHash = await hashSecret(input.password)
  return ctx.db.transaction(async (trx) => {
    await refuseTakenName(trx, input.name, null)
    const now = ctx.clock().toISOString()
    const [inserted] = (await trx('staff')
      .insert({ name: input.name, email: input.email, role: input.role, active: true, password_hash: passwordHash, created_at: now, updated_at: now })
      .returning('id')) as Array<{ id: number } | number>
    const id = typeof inserted === 'object' ? inserted.id : Number(inserted)
    await recordChange(trx, ctx, {
      customerId: null,
      entityType: 'staff',
      entityId: id,
      action: 'staff.created',
      summary: `Staff account added: ${input.name} (${ROLE_NAMES[input.role]})`,
    })
    return toAccount(await loadStaff(trx, id))
  })
}

/** Active administrators other than `exceptId`: there must always be one left. */
async function otherActiveAdmins(trx: Knex, exceptId: number): Promise<number> {
  const [row] = (await trx('staff').where({ role: 'admin', active: true }).whereNot({ id: exceptId }).count({ n: '*' })) as Array<{ n: number }>
  return Number(row?.n ?? 0)
}

export async function updateStaff(ctx: ServiceContext, session: DeskSession, input: z.output<typeof updateStaffInput>): Promise<StaffAccount> {
  const updated = await ctx.db.transaction(async (trx) => {
    const before = await loadStaff(trx, input.id)
    const losesAdmin = before.role === 'admin' && Boolean(before.active) && (input.role !== 'admin' || !input.active)
    if (losesAdmin && (await otherActiveAdmins(trx, before.id)) === 0) {
      throw new Conflict(`${before.name} is the only active administrator. Make someone else an administrator first.`)
    }
    if (input.id === ctx.staff.id && !input.active) {
      throw new Conflict('You cannot deactivate your own account while signed in with it. Another administrator can.')
    }
    await refuseTakenName(trx, input.name, input.id)
    const describe = (s: { name: string; email: string; role: StaffRole; active: boolean }) => ({
      name: s.name,
      email: s.email,
      role: ROLE_NAMES[s.role],
      active: s.active ? 'Active' : 'Inactive',
    })
    const changes = diffFields(describe({ ...before, active: Boolean(before.active) }), describe(input), { name: 'Name', email: 'Email', role: 'Role', active: 'Status' })
    if (changes.length === 0) return before
    await trx('staff')
      .where({ id: before.id })
      .update({ name: input.name, email: input.email, role: input.role, active: input.active, updated_at: ctx.clock().toISOString() })
    await recordChange(trx, ctx, { customerId: null, entityType: 'staff', entityId: before.id, action: 'staff.updated', summary: `Staff account changed: ${input.name}`, changes })
    return loadStaff(trx, before.id)
  })
  session.refresh(memberOf(updated))
  return toAccount(updated)
}

/** An administrator sets a new password for someone who forgot theirs; the wrong-try hold is lifted. */
export async function resetPassword(ctx: ServiceContext, input: z.output<typeof resetPasswordInput>): Promise<StaffAccount> {
  if (input.id === ctx.staff.id) {
    throw ValidationFailed.field('id', 'Change your own password with Change password (it asks for the current one).')
  }
  const passwordHash = await hashSecret(input.password)
  return ctx.db.transaction(async (trx) => {
    const before = await loadStaff(trx, input.id)
    await trx('staff').where({ id: before.id }).update({ password_hash: passwordHash, failed_attempts: 0, locked_until: null, updated_at: ctx.clock().toISOString() })
    await recordChange(trx, ctx, { customerId: null, entityType: 'staff', entityId: before.id, action: 'staff.passwordReset', summary: `Password reset for ${before.name}` })
    return toAccount(await loadStaff(trx, before.id))
  })
}

/**
 * The way back in when the only administrator has forgotten their password:
 * someone at the computer that holds the customer file sets a new one (the
 * command line). Lifts any wrong-try hold; logged without the password.
 */
export async function resetPasswordAtComputer(ctx: ServiceContext, name: string, password: string): Promise<StaffAccount> {
  const checked = newPassword.safeParse(password)
  if (!checked.success) throw ValidationFailed.field('password', checked.error.issues[0]?.message ?? 'Choose another password.')
  const passwordHash = await hashSecret(checked.data)
  return ctx.db.transaction(async (trx) => {
    const row = (await trx('staff').whereRaw('lower(name) = lower(?)', [name.normalize('NFC').trim()]).first()) as StaffRow | undefined
    if (!row) {
      const names = ((await trx('staff').orderBy('name').select('name')) as Array<{ name: string }>).map((r) => r.name)
      throw new NotFound(`No staff account is named “${name}”. Staff: ${names.join(', ')}.`)
    }
    await trx('staff').where({ id: row.id }).update({ password_hash: passwordHash, failed_attempts: 0, locked_until: null, updated_at: ctx.clock().toISOString() })
    await recordChange(trx, ctx, { customerId: null, entityType: 'staff', entityId: row.id, action: 'staff.passwordReset', summary: `Password reset at the computer for ${row.name}` })
    return toAccount(await loadStaff(trx, row.id))
  })
}
