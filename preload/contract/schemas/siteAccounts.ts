import { customerIdInput } from './common'

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

export const siteAccountsInputs = {
  'siteAccounts:forCustomer': customerIdInput,
}

export interface SiteAccountsOutputs {
  'siteAccounts:forCustomer': SiteAccountToken[]
}
