import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Knex } from 'knex'
import type { FieldChange, UnsubscribeResult } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { recordChange } from '../changeLog'
import { DomainError, NotFound, ValidationFailed } from '../errors'
import { getMailSettings } from '../mail/settings'
import { touchCustomer } from '../profile/extras'
import { recheckCustomers } from '../quality/recheck'

/** What a marketing email carries so the customer can leave the list with one click. */
export interface UnsubscribeLinks {
  /** The page on the online booking site ('' when no site address is set). */
  url: string
  /** List-Unsubscribe (and List-Unsubscribe-Post when there is a https link). */
  headers: Record<string, string>
}

/** The wording kept as consent evidence when a customer leaves through the link. */
export const LINK_WORDING = 'Unsubscribed with the link in a marketing email.'

const MAC_BYTES = 32

/** The signing key of this customer file (random per file, made by the messages migration). */
export async function unsubscribeKey(db: Knex): Promise<string> {
  const row = (await db('settings').where({ key: 'unsubscribeKey' }).first('value')) as { value: string } | undefined
  if (!row) throw new DomainError('INTERNAL', 'This customer file has no key for unsubscribe links. Restart Frontdesk to upgrade it.')
  return JSON.parse(row.value) as string
}

function mac(key: string, customerId: number): Buffer {
  return createHmac('sha256', Buffer.from(key, 'hex')).update(`unsubscribe:${customerId}`).digest()
}

/**
 * A token naming the customer and signed with the file's key: it can be
 * checked without keeping a row per message, and cannot be made up for
 * another customer without the key.
 */
export function unsubscribeToken(key: string, customerId: number): string {
  return Buffer.concat([Buffer.from(`${customerId}.`, 'utf8'), mac(key, customerId)]).toString('base64url')
}

/** The customer the token was made for, or null when it is not one of ours (checked in constant time). */
export function customerOfToken(key: string, token: string): number | null {
  if (!/^[A-Za-z0-9_-]{10,200}$/.test(token)) return null
  const raw = Buffer.from(token, 'base64url')
  const dot = raw.indexOf(0x2e)
  if (dot < 1 || raw.length - dot - 1 !== MAC_BYTES) return null
  const idText = raw.subarray(0, dot).toString('utf8')
  if (!/^[1-9][0-9]{0,15}$/.test(idText)) return null
  const customerId = Number(idText)
  if (!Number.isSafeInteger(customerId)) return null
  return timingSafeEqual(raw.subarray(dot + 1), mac(key, customerId)) ? customerId : null
}

export function unsubscribeLinks(key: string, siteAddress: string, fromAddress: string, customerId: number): UnsubscribeLinks
export function unsubscribeLinks(db: Knex, siteAddress: string, fromAddress: string, customerId: number): Promise<UnsubscribeLinks>
/**
 * The link and headers of one customer's marketing email. The one-click
 * header (RFC 8058) needs a https link, so without a site address only the
 * mailto form is offered: marketing itself is refused then (see
 * `requireUnsubscribeLink`), but a message sent by hand may go.
 */
export function unsubscribeLinks(
  keyOrDb: string | Knex,
  siteAddress: string,
  fromAddress: string,
  customerId: number,
): UnsubscribeLinks | Promise<UnsubscribeLinks> {
  if (typeof keyOrDb !== 'string') return unsubscribeKey(keyOrDb).then((key) => unsubscribeLinks(key, siteAddress, fromAddress, customerId))
  const site = siteAddress.trim().replace(/\/+$/, '')
  const url = site ? `${site}/unsubscribe?t=${unsubscribeToken(keyOrDb, customerId)}` : ''
  const mailto = fromAddress ? `<mailto:${fromAddress}?subject=unsubscribe>` : ''
  const list = [url ? `<${url}>` : '', mailto].filter(Boolean).join(', ')
  const headers: Record<string, string> = {}
  if (list) headers['List-Unsubscribe'] = list
  if (url.startsWith('https://')) headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click'
  return { url, headers }
}

export const NO_SITE_FOR_UNSUBSCRIBE =
  "Set the online booking site's address in Settings → Email first: every marketing email needs an unsubscribe link."

/** Marketing goes only with a working one-click unsubscribe link, which lives on the booking site. */
export function requireUnsubscribeLink(siteAddress: string): void {
  if (!/^https:\/\/\S+$/.test(siteAddress.trim())) throw ValidationFailed.field('siteAddress', NO_SITE_FOR_UNSUBSCRIBE)
}

/** The links for a customer, reading the key and settings (for a single message). */
export async function unsubscribeLinksFor(db: Knex, customerId: number): Promise<UnsubscribeLinks> {
  const settings = await getMailSettings(db)
  return unsubscribeLinks(await unsubscribeKey(db), settings.siteAddress, settings.fromAddress, customerId)
}

/**
 * The customer followed the unsubscribe link (or the mail program's
 * one-click button): marketing consent is withdrawn, kept as consent
 * evidence (channel 'link'), logged, and their marketing messages still
 * waiting in the outbox are not sent. A second click changes nothing.
 */
export async function unsubscribeByToken(ctx: ServiceContext, token: string): Promise<UnsubscribeResult> {
  return ctx.db.transaction(async (trx) => {
    const customerId = customerOfToken(await unsubscribeKey(trx), token.trim())
    if (customerId === null)
      throw ValidationFailed.field('token', 'This unsubscribe link is not valid: it may have been copied only in part. Nothing was changed.')
    const row = (await trx('customers').where({ id: customerId }).first('id', 'marketing_consent', 'erased_at')) as
      | { id: number; marketing_consent: number | boolean; erased_at: string | null }
      | undefined
    if (!row) throw new NotFound('The customer of this unsubscribe link is no longer on file: nothing will be sent to them.')
    const cancelled = await trx('messages')
      .where({ customer_id: customerId, kind: 'marketing', status: 'queued' })
      .update({ status: 'cancelled', updated_at: ctx.clock().toISOString(), last_error: 'The customer unsubscribed.' })
    if (!row.marketing_consent || row.erased_at) return { customerId, alreadyUnsubscribed: true, cancelledMessages: cancelled }

    const at = ctx.clock().toISOString()
    await trx('consent_events').insert({
      customer_id: customerId,
      at,
      staff_id: ctx.staff.id,
      staff_name: ctx.staff.name,
      kind: 'marketing',
      granted: false,
      channel: 'link',
      wording: LINK_WORDING,
    })
    await trx('customers').where({ id: customerId }).update({ marketing_consent: false })
    await touchCustomer(trx, ctx, customerId)
    const change: FieldChange = { field: 'Newsletter/marketing', before: 'Yes', after: 'No' }
    await recordChange(trx, ctx, {
      customerId,
      entityType: 'customer',
      entityId: customerId,
      action: 'customer.preferences',
      summary: 'Newsletter/marketing: Yes → No (unsubscribe link)',
      changes: [change],
    })
    await recheckCustomers(trx, [customerId], ctx.clock())
    return { customerId, alreadyUnsubscribed: false, cancelledMessages: cancelled }
  })
}
