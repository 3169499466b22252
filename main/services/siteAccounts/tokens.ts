import type { Knex } from 'knex'
import type { SiteAccountToken, SiteTokenPurpose } from '../../../preload/contract'

interface TokenRow {
  id: number
  purpose: SiteTokenPurpose
  created_at: string
  expires_at: string
  used_at: string | null
  revoked_at: string | null
  revoked_reason: string
}

/** A customer's account-email tokens, newest first, with what became of each (never the token or its hash). */
export async function tokensForCustomer(db: Knex, customerId: number, now: Date): Promise<SiteAccountToken[]> {
  const rows = (await db('site_account_tokens')
    .where({ customer_id: customerId })
    .orderBy('id', 'desc')
    .select('id', 'purpose', 'created_at', 'expires_at', 'used_at', 'revoked_at', 'revoked_reason')) as TokenRow[]
  const at = now.toISOString()
  return rows.map((row) => ({
    id: row.id,
    purpose: row.purpose,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    usedAt: row.used_at,
    revokedAt: row.revoked_at,
    revokedReason: row.revoked_reason,
    state: row.used_at ? 'used' : row.revoked_at ? 'revoked' : row.expires_at <= at ? 'expired' : 'valid',
  }))
}
