import { z } from 'zod'
import { contactText, id, nameText, noInput } from './common'

/* ── Staff accounts, signing in, sessions ── */

/** admin: everything; staff: all but administration; team: customers' contact details and their own bookings. */
export const staffRoles = ['admin', 'staff', 'team'] as const
export type StaffRole = (typeof staffRoles)[number]

export const PASSWORD_MIN_LENGTH = 10

/** Passwords are compared as typed (never trimmed), in one Unicode form so the same word typed on another keyboard matches. */
export const newPassword = z
  .string()
  .normalize('NFC')
  .min(PASSWORD_MIN_LENGTH, { error: `Use at least ${PASSWORD_MIN_LENGTH} characters for a password.` })
  .max(200, { error: 'A password can be at most 200 characters.' })

/** A password as typed to sign in or confirm: any length (rules may change), never empty. */
export const typedPassword = z.string().normalize('NFC').min(1, { error: 'Enter the password.' }).max(200, { error: 'A password can be at most 200 characters.' })

export const pinCode = z.string().regex(/^\d{4,8}$/, { error: 'A PIN is 4 to 8 digits.' })

const staffName = nameText(200).min(1, { error: 'Enter a name.' })
// A contact's text: hidden characters refused, as in a customer's email.
const staffEmail = contactText(254, 'That email address is too long.')
  .refine((value) => value === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value), { error: 'Enter an email address like sam@example.com, or leave it empty.' })
  .default('')
const role = z.enum(staffRoles, { error: 'Choose administrator, staff or team member.' })

/** Exactly one secret: a password or a PIN. */
const oneSecret = <T extends { password?: string | undefined; pin?: string | undefined }>(value: T, ctx: z.RefinementCtx) => {
  if ((value.password === undefined) === (value.pin === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['password'], message: 'Enter a password or a PIN.' })
  }
}

export const setUpInput = z.strictObject({
  name: staffName,
  email: staffEmail,
  password: newPassword,
  pin: pinCode.optional(),
})

export const signInInput = z
  .strictObject({ staffId: id, password: typedPassword.optional(), pin: pinCode.optional() })
  .superRefine(oneSecret)

export const unlockInput = z.strictObject({ password: typedPassword.optional(), pin: pinCode.optional() }).superRefine(oneSecret)

export const createStaffInput = z.strictObject({
  name: staffName,
  email: staffEmail,
  role,
  /** Their first password, told to them in person; they change it later. */
  password: newPassword,
})

export const updateStaffInput = z.strictObject({
  id,
  name: staffName,
  email: staffEmail,
  role,
  /** Inactive staff cannot sign in and are not offered for bookings; their history stays. */
  active: z.boolean(),
})

export const resetPasswordInput = z.strictObject({ id, password: newPassword })

export const changePasswordInput = z.strictObject({ currentPassword: typedPassword, newPassword })

/** pin null removes it; the password confirms it is really them. */
export const setPinInput = z.strictObject({ currentPassword: typedPassword, pin: pinCode.nullable() })

/** Someone the sign-in screen offers to pick. */
export interface StaffPick {
  id: number
  name: string
  role: StaffRole
  /** Whether they can sign in with a PIN (quick switching). */
  hasPin: boolean
}

export type SessionState = 'setup' | 'signedOut' | 'locked' | 'signedIn'

export interface StaffSession {
  /** setup: no administrator has a password yet (first run): only staff:setUp is possible. */
  state: SessionState
  /** Who is signed in (or whose desk is locked); null when signed out or in set-up. */
  staff: { id: number; name: string; role: StaffRole; hasPin: boolean } | null
  /** Lock after this many minutes without use; 0 = never. */
  lockAfterMinutes: number
  /** Active staff who can sign in (have a password), by name. Empty in set-up. */
  people: StaffPick[]
}

/** A staff account as administrators see it (never any secret). */
export interface StaffAccount {
  id: number
  name: string
  email: string
  role: StaffRole
  active: boolean
  hasPassword: boolean
  hasPin: boolean
  lastSignInAt: string | null
  createdAt: string
}

/** Someone a booking can be assigned to. */
export interface AssignableStaff {
  id: number
  name: string
  role: StaffRole
}

/** The channels answered by staff accounts and the desk's session, each with the input it takes. */
export const staffInputs = {
  'staff:session': noInput,
  'staff:setUp': setUpInput,
  'staff:signIn': signInInput,
  'staff:signOut': noInput,
  'staff:lock': noInput,
  'staff:unlock': unlockInput,
  'staff:list': noInput,
  'staff:create': createStaffInput,
  'staff:update': updateStaffInput,
  'staff:resetPassword': resetPasswordInput,
  'staff:changePassword': changePasswordInput,
  'staff:setPin': setPinInput,
  'staff:assignable': noInput,
}
