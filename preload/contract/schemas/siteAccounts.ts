import { z } from 'zod'
import { customerIdInput, id } from './common'

/* ── Accounts on the online booking site: confirm-account and reset-password emails with single-use tokens ── */

export const siteTokenPurposes = ['confirm', 'reset'] as const
export type SiteTokenPurpose = (typeof siteTokenPurposes)[number]

/** A token as the desk may see it: never the token, never its hash. */
export interface SiteAccountToken {
  id: number
  purpose: SiteTokenPurpose
  createdAt: string
  expiresAt: string
  usedAt: string | null
  revokedAt: string | null
  /** Why it was revoked, in words ("Customer blocked"). */
  revokedReason: string
  state: 'valid' | 'used' | 'expired' | 'revoked'
}

/** A customer's account emails as the profile shows them, and whether another can be sent now. */
export interface SiteAccountEmails {
  tokens: SiteAccountToken[]
  /** Why no account email can be sent to them now ('' when one can): no site address, no email, blocked… */
  cannotSend: string
}

export interface SiteAccountEmailSent {
  /** The outbox row of the email. */
  messageId: number
  expiresAt: string
  tokens: SiteAccountToken[]
}

/** Who a used link belongs to (the site then confirms the account or lets them choose a password). */
export interface TokenRedeemed {
  customerId: number
  purpose: SiteTokenPurpose
  email: string
}

/** A token as it arrives from a link: 32 random bytes in base64url are 43 characters. */
export const siteToken = z
  .string()
  .min(16, { error: 'This link is not valid.' })
  .max(128, { error: 'This link is not valid.' })
  .regex(/^[A-Za-z0-9_-]+$/, { error: 'This link is not valid.' })

export const sendAccountEmailInput = z.strictObject({ customerId: id, purpose: z.enum(siteTokenPurposes) })

/** What the online booking site passes on from a link the person opened. */
export const redeemTokenInput = z.strictObject({ token: siteToken, purpose: z.enum(siteTokenPurposes) })

export const siteAccountsInputs = {
  'siteAccounts:forCustomer': customerIdInput,
  'siteAccounts:sendEmail': sendAccountEmailInput,
  'siteAccounts:redeem': redeemTokenInput,
}

export interface SiteAccountsOutputs {
  'siteAccounts:forCustomer': SiteAccountEmails
  'siteAccounts:sendEmail': SiteAccountEmailSent
  'siteAccounts:redeem': TokenRedeemed
}
