import type { Knex } from 'knex'
import type { MessageKind } from '../../../preload/contract'

/** What decides whether a customer may be written to. */
export interface RecipientFacts {
  id: number
  display_name: string
  email: string
  status: string
  erased_at: string | null
  marketing_consent: boolean | number
  unsubscribed: boolean | number
}

export const RECIPIENT_COLUMNS = ['id', 'display_name', 'email', 'status', 'erased_at', 'marketing_consent', 'unsubscribed'] as const

/** Why a left-out customer was left out, as the counts group them. */
export type RefusalReason = 'noEmail' | 'noConsent' | 'unsubscribed' | 'blocked' | 'archived' | 'deleted' | 'erased'

/**
 * Why `kind` may not be sent to this customer, in a sentence the desk can
 * act on, or null when it may. Account emails answer the customer's own
 * request on the site, so "no emails" does not stop them; nothing reaches a
 * blocked, archived, deleted or erased customer.
 */
export function refusal(customer: RecipientFacts, kind: MessageKind): { reason: RefusalReason; message: string } | null {
  const name = customer.display_name
  if (customer.erased_at) return { reason: 'erased', message: "This customer's personal data was erased: they cannot be written to." }
  if (customer.status === 'deleted') return { reason: 'deleted', message: `${name} is in the recycle bin: restore them before writing to them.` }
  if (customer.status === 'blocked') return { reason: 'blocked', message: `${name} is blocked: nothing is sent to a blocked customer.` }
  if (customer.status === 'archived') return { reason: 'archived', message: `${name} is archived: unarchive them before writing to them.` }
  if (!customer.email) return { reason: 'noEmail', message: `${name} has no email address. Add one on their profile first.` }
  if (kind !== 'account' && Boolean(customer.unsubscribed))
    return { reason: 'unsubscribed', message: `${name} asked for no emails at all (see Preferences on their profile).` }
  if (kind === 'marketing' && !customer.marketing_consent)
    return { reason: 'noConsent', message: `${name} has not agreed to marketing emails.` }
  return null
}

export async function recipientFacts(db: Knex, customerId: number): Promise<RecipientFacts | undefined> {
  return (await db('customers').where({ id: customerId }).first(...RECIPIENT_COLUMNS)) as RecipientFacts | undefined
}
