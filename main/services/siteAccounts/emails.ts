import { createHash, randomBytes } from 'node:crypto'
import type { Knex } from 'knex'
import type { SiteAccountEmailSent, SiteTokenPurpose, TokenRedeemed } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { Conflict, NotFound } from '../errors'
import { recordChange } from '../changeLog'
import { composeMessage, getMailSettings, templateForPurpose } from '../mail'
import { queueMessage } from '../messages/queue'
import { recipientFacts, refusal, type RefusalReason } from '../messages/recipients'
import { formatCustomerNumber } from '../customers/normalize'
import { REVOKED } from './revoke'
import { tokensForCustomer } from './tokens'

/**
 * How long a link works. Confirming an account can wait for the person to
 * find the email; a password reset is a key to the account, so it is short.
 */
export const CONFIRM_VALID_MS = 7 * 24 * 60 * 60 * 1000
export const RESET_VALID_MS = 60 * 60 * 1000

const PURPOSES = {
  confirm: { validMs: CONFIRM_VALID_MS, template: 'accountConfirm', path: 'confirm', queued: 'Confirm-account email queued', used: 'Online account confirmed through the emailed link' },
  reset: { validMs: RESET_VALID_MS, template: 'passwordReset', path: 'reset', queued: 'Password reset email queued', used: 'Password reset link used on the online booking site' },
} as const

export const NO_SITE_ADDRESS = "Set the online booking site's address in Settings → Email first."

/** Only the SHA-256 of a token is kept: a copy of the file opens no one's account. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

/** The site's address without a trailing slash ('' when not set). */
export function siteBase(siteAddress: string): string {
  return siteAddress.trim().replace(/\/+$/, '')
}

/** Why the desk cannot send account emails to this customer now, or '' when it can (shown beside the buttons). */
export async function accountEmailRefusal(db: Knex, customerId: number): Promise<string> {
  const settings = await getMailSettings(db)
  if (!siteBase(settings.siteAddress)) return NO_SITE_ADDRESS
  const facts = await recipientFacts(db, customerId)
  if (!facts) return 'This customer does not exist.'
  return refusal(facts, 'account')?.message ?? ''
}

/**
 * Queues a confirm-account or reset-password email with a new single-use
 * link, in one transaction: the customer's earlier unused link of the same
 * kind stops working, the new token's hash is stored, the email is written
 * to the outbox and the change log says so. The token itself exists only in
 * the email: it is neither stored nor returned.
 */
export async function sendAccountEmail(ctx: ServiceContext, input: { customerId: number; purpose: SiteTokenPurpose }): Promise<SiteAccountEmailSent> {
  const kind = PURPOSES[input.purpose]
  const settings = await getMailSettings(ctx.db)
  const base = siteBase(settings.siteAddress)
  if (!base) throw new Conflict(NO_SITE_ADDRESS)
  const { messageId, expiresAt } = await ctx.db.transaction(async (trx) => {
    const facts = await recipientFacts(trx, input.customerId)
    if (!facts) throw new NotFound(`Customer ${formatCustomerNumber(input.customerId)} does not exist.`)
    const refused = refusal(facts, 'account')
    if (refused) throw new Conflict(refused.message)
    const template = await templateForPurpose(trx, kind.template)
    const now = ctx.clock()
    const at = now.toISOString()
    await trx('site_account_tokens')
      .where({ customer_id: input.customerId, purpose: input.purpose })
      .whereNull('used_at')
      .whereNull('revoked_at')
      .where('expires_at', '>', at)
      .update({ revoked_at: at, revoked_reason: REVOKED.replaced })
    const token = randomBytes(32).toString('base64url')
    const expiresAt = new Date(now.getTime() + kind.validMs).toISOString()
    await trx('site_account_tokens').insert({
      customer_id: input.customerId,
      purpose: input.purpose,
      token_hash: hashToken(token),
      created_at: at,
      expires_at: expiresAt,
    })
    const accountUrl = `${base}/account/${kind.path}?token=${token}`
    const composed = await composeMessage(trx, { template: { subject: template.subject, body: template.body }, customerId: input.customerId, links: { accountUrl }, now })
    const messageId = await queueMessage(
      trx,
      ctx,
      {
        kind: 'account',
        customerId: input.customerId,
        toAddress: facts.email,
        toName: facts.display_name,
        subject: composed.subject,
        text: composed.text,
        html: composed.html,
        templateId: template.id,
      },
      { byStaff: false, settings },
    )
    await recordChange(trx, ctx, { customerId: input.customerId, entityType: 'customer', entityId: input.customerId, action: 'siteAccount.emailQueued', summary: kind.queued })
    return { messageId, expiresAt }
  })
  return { messageId, expiresAt, tokens: await tokensForCustomer(ctx.db, input.customerId, ctx.clock()) }
}

/** Why a link of a customer who may no longer be written to stops working. */
const CANNOT_USE: Record<RefusalReason, string> = {
  erased: "the customer's personal data was erased",
  deleted: 'the customer is in the recycle bin',
  blocked: 'the customer is blocked',
  archived: 'the customer is archived',
  noEmail: 'the customer has no email address',
  noConsent: '',
  unsubscribed: '',
}

interface TokenRow {
  id: number
  customer_id: number
  purpose: SiteTokenPurpose
  expires_at: string
  used_at: string | null
  revoked_at: string | null
  revoked_reason: string
}

function refuseUnusable(row: TokenRow, at: string): void {
  if (row.used_at) throw new Conflict('This link was already used.')
  if (row.revoked_at) throw new Conflict(`This link was cancelled (${row.revoked_reason || 'no reason given'}).`)
  if (row.expires_at <= at) throw new Conflict('This link has expired. Ask for a new one.')
}

/**
 * Uses a link from an account email once. The token is looked up by its
 * hash; a link of the other kind, used, cancelled or past its time is refused
 * in words, as is one of a customer who may no longer be written to. The
 * single conditional UPDATE is what makes it single-use: of two uses at the
 * same moment, only one finds it unused.
 */
export async function redeemToken(ctx: ServiceContext, input: { token: string; purpose: SiteTokenPurpose }): Promise<TokenRedeemed> {
  const kind = PURPOSES[input.purpose]
  return ctx.db.transaction(async (trx) => {
    const row = (await trx('site_account_tokens')
      .where({ token_hash: hashToken(input.token) })
      .first('id', 'customer_id', 'purpose', 'expires_at', 'used_at', 'revoked_at', 'revoked_reason')) as TokenRow | undefined
    if (!row) throw new NotFound('This link is not valid.')
    if (row.purpose !== input.purpose) {
      throw new Conflict(row.purpose === 'confirm' ? 'This link confirms an account; it cannot reset a password.' : 'This link resets a password; it cannot confirm an account.')
    }
    const at = ctx.clock().toISOString()
    refuseUnusable(row, at)
    const facts = await recipientFacts(trx, row.customer_id)
    const refused = facts ? refusal(facts, 'account') : null
    if (!facts || refused) throw new Conflict(`This link can no longer be used: ${facts && refused ? CANNOT_USE[refused.reason] : 'the customer no longer exists'}.`)
    const updated = await trx('site_account_tokens')
      .where({ id: row.id })
      .whereNull('used_at')
      .whereNull('revoked_at')
      .where('expires_at', '>', at)
      .update({ used_at: at })
    if (updated !== 1) {
      // Someone else used or cancelled it between the read and the write: say what became of it.
      refuseUnusable((await trx('site_account_tokens').where({ id: row.id }).first()) as TokenRow, at)
      throw new Conflict('This link was already used.')
    }
    await recordChange(trx, ctx, { customerId: row.customer_id, entityType: 'customer', entityId: row.customer_id, action: 'siteAccount.linkUsed', summary: kind.used })
    return { customerId: row.customer_id, purpose: row.purpose, email: facts.email }
  })
}
