import type { Knex } from 'knex'
import type { MessageSummary } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { recordChange } from '../changeLog'
import { Conflict, NotFound, ValidationFailed } from '../errors'
import { composeMessage, validateTemplate } from '../mail'
import { queueMessage } from './queue'
import { NO_SITE_FOR_UNSUBSCRIBE, requireUnsubscribeLink, unsubscribeLinksFor } from './unsubscribe'
import { getMailSettings } from '../mail/settings'
import { recipientFacts, refusal } from './recipients'
import { summaryOf, type MessageRow } from './history'

export interface SendToCustomerInput {
  customerId: number
  kind: 'general' | 'marketing'
  templateId?: number
  subject?: string
  body?: string
}

/** Why the desk cannot write to this customer now, by kind of email (null when it can). */
export async function refusalsFor(db: Knex, customerId: number): Promise<{ general: string | null; marketing: string | null }> {
  const facts = await recipientFacts(db, customerId)
  if (!facts) throw new NotFound('This customer does not exist.')
  const marketing = refusal(facts, 'marketing')?.message ?? (hasUnsubscribePage((await getMailSettings(db)).siteAddress) ? null : NO_SITE_FOR_UNSUBSCRIBE)
  return { general: refusal(facts, 'general')?.message ?? null, marketing }
}

function hasUnsubscribePage(siteAddress: string): boolean {
  try {
    requireUnsubscribeLink(siteAddress)
    return true
  } catch {
    return false
  }
}

/** The template chosen, or the subject and body typed ("Write a message"), checked like a template. */
async function draftTemplate(db: Knex, input: SendToCustomerInput): Promise<{ subject: string; body: string; templateId: number | null }> {
  if (input.templateId !== undefined) {
    const row = (await db('email_templates').where({ id: input.templateId }).first('id', 'purpose', 'subject', 'body')) as
      | { id: number; purpose: string; subject: string; body: string }
      | undefined
    if (!row) throw new NotFound('This template no longer exists. Choose another one.')
    if (row.purpose !== 'general' && row.purpose !== 'marketing') {
      throw ValidationFailed.field('templateId', 'This template is sent by the app itself (for bookings or the booking site). Choose a general or marketing template.')
    }
    if (row.purpose === 'marketing' && input.kind !== 'marketing') {
      throw ValidationFailed.field('templateId', 'This is a marketing template: send it as a marketing email, to customers who agreed to them.')
    }
    return { subject: row.subject, body: row.body, templateId: row.id }
  }
  const subject = input.subject ?? ''
  const body = input.body ?? ''
  if (!subject) throw ValidationFailed.field('subject', 'Write a subject.')
  if (!body) throw ValidationFailed.field('body', 'Write the message.')
  validateTemplate({ subject, body })
  return { subject, body, templateId: null }
}

/**
 * Writes an email to one customer by hand: refused, with the reason, when
 * they may not be written to; otherwise rendered from the template or the
 * typed text and written to the outbox with a line on the customer's history
 * (the subject only: the body is the customer's own business), in one
 * transaction. The sender delivers it from there.
 */
export async function sendToCustomer(ctx: ServiceContext, input: SendToCustomerInput): Promise<MessageSummary> {
  const template = await draftTemplate(ctx.db, input)
  return ctx.db.transaction(async (trx) => {
    const facts = await recipientFacts(trx, input.customerId)
    if (!facts) throw new NotFound('This customer does not exist.')
    const refused = refusal(facts, input.kind)
    if (refused) throw new Conflict(refused.message)
    // Every marketing email carries its unsubscribe link and one-click headers, which live on the booking site.
    if (input.kind === 'marketing') requireUnsubscribeLink((await getMailSettings(trx)).siteAddress)
    const links = input.kind === 'marketing' ? await unsubscribeLinksFor(trx, input.customerId) : undefined
    const rendered = await composeMessage(trx, {
      template: { subject: template.subject, body: template.body },
      customerId: input.customerId,
      links: links ? { unsubscribeUrl: links.url } : undefined,
      staff: ctx.staff,
      now: ctx.clock(),
    })
    const id = await queueMessage(
      trx,
      ctx,
      {
        kind: input.kind,
        customerId: input.customerId,
        toAddress: facts.email,
        toName: facts.display_name,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        templateId: template.templateId,
        headers: links?.headers,
      },
      { byStaff: true },
    )
    await recordChange(trx, ctx, {
      customerId: input.customerId,
      entityType: 'message',
      entityId: id,
      action: 'message.queued',
      summary: `Email queued: ${rendered.subject}`,
    })
    return summaryOf((await trx('messages').where({ id }).first()) as MessageRow)
  })
}
