import type { Knex } from 'knex'
import { chunks } from '../../../db/idChunks'

/** Why a link stopped working, as the profile shows it ("Cancelled: Customer blocked"). */
export const REVOKED = {
  replaced: 'Replaced by a newer email',
  blocked: 'Customer blocked',
  archived: 'Customer archived',
  deleted: 'Customer deleted',
  merged: 'Customer merged',
  emailChanged: 'Email address changed',
} as const

/** The same for one customer, for writers on a raw connection (imports): bindings revoked_at, revoked_reason, customer_id. */
export const REVOKE_CUSTOMER_LINKS_SQL =
  'UPDATE site_account_tokens SET revoked_at = ?, revoked_reason = ? WHERE customer_id = ? AND used_at IS NULL AND revoked_at IS NULL'

/**
 * Cancels every link of these customers that could still be used, inside the
 * caller's transaction (the block, archive, delete or merge that made them
 * unusable): one UPDATE per chunk of ids, so a bulk archive stays quick.
 * Cancelled links stay cancelled when the change is undone.
 */
export async function revokeAccountTokens(trx: Knex, customerIds: readonly number[], reason: string, at: string): Promise<number> {
  let revoked = 0
  for (const chunk of chunks(customerIds)) {
    revoked += await trx('site_account_tokens')
      .whereIn('customer_id', chunk)
      .whereNull('used_at')
      .whereNull('revoked_at')
      .update({ revoked_at: at, revoked_reason: reason })
  }
  return revoked
}
