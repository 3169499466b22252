import type { Knex } from 'knex'
import type { z } from 'zod'
import type { LeftOutCounts, LeftOutCustomer, MarketingPreview, MarketingResult, marketingInput } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { NotFound, ValidationFailed } from '../errors'
import { NO_PROGRESS, type Progress } from '../progress'
import { chunks } from '../../../db/idChunks'
import { formatCustomerNumber } from '../customers/normalize'
import { resolveSelection } from '../organise/bulk'
import { createComposer, customerViews, getMailSettings, isMailSetUp } from '../mail'
import { queueMessages, resolveSender, type MessageDraft } from './queue'
import { RECIPIENT_COLUMNS, refusal, type RecipientFacts } from './recipients'
import { NO_SITE_FOR_UNSUBSCRIBE, requireUnsubscribeLink, unsubscribeKey, unsubscribeLinks } from './unsubscribe'

type MarketingInput = z.output<typeof marketingInput>

/** How many left-out customers are named; the rest are counted. */
const NAMED = 50

interface MarketingTemplate {
  id: number
  name: string
  subject: string
  body: string
}

/** The template chosen for a marketing send: it must exist and be meant for marketing. */
async function marketingTemplate(db: Knex, id: number): Promise<MarketingTemplate> {
  const row = (await db('email_templates').where({ id }).first('id', 'name', 'purpose', 'subject', 'body')) as
    | (MarketingTemplate & { purpose: string })
    | undefined
  if (!row) throw new NotFound('This template no longer exists. Choose another one.')
  if (row.purpose !== 'marketing') {
    throw ValidationFailed.field('templateId', `“${row.name}” is not a marketing template. Choose one made for marketing emails (Settings → Email templates).`)
  }
  return { id: row.id, name: row.name, subject: row.subject, body: row.body }
}

/** Counts who is left out and why, naming the first few. */
class LeftOut {
  readonly counts: LeftOutCounts = { total: 0, noConsent: 0, noEmail: 0, unsubscribed: 0, other: 0 }
  readonly names: LeftOutCustomer[] = []

  add(customer: RecipientFacts, refused: NonNullable<ReturnType<typeof refusal>>): void {
    this.counts.total += 1
    const reason = refused.reason
    if (reason === 'noConsent' || reason === 'noEmail' || reason === 'unsubscribed') this.counts[reason] += 1
    else this.counts.other += 1
    if (this.names.length < NAMED) {
      this.names.push({ id: customer.id, number: formatCustomerNumber(customer.id), name: customer.display_name, reason, why: refused.message })
    }
  }
}

/** The selected customers' facts, a chunk of ids at a time, in the order of the selection. */
async function* recipientsOf(db: Knex, ids: number[]): AsyncGenerator<RecipientFacts[]> {
  for (const chunk of chunks(ids)) {
    const rows = (await db('customers').whereIn('id', chunk).select(...RECIPIENT_COLUMNS)) as RecipientFacts[]
    const byId = new Map(rows.map((row) => [row.id, row]))
    yield chunk.flatMap((id) => {
      const row = byId.get(id)
      return row ? [row] : []
    })
  }
}

/**
 * Who a marketing email to the selection would reach: only those who agreed
 * and can be written to; the others counted by reason and the first 50
 * named. Read-only (run in the read worker for large selections).
 */
export async function previewMarketing(ctx: ServiceContext, input: MarketingInput): Promise<MarketingPreview> {
  const template = await marketingTemplate(ctx.db, input.templateId)
  const settings = await getMailSettings(ctx.db)
  const ids = await resolveSelection(ctx.db, input.selection)
  const leftOut = new LeftOut()
  let willSend = 0
  for await (const customers of recipientsOf(ctx.db, ids)) {
    for (const customer of customers) {
      const refused = refusal(customer, 'marketing')
      if (refused) leftOut.add(customer, refused)
      else willSend += 1
    }
  }
  let problem: string | null = null
  try {
    requireUnsubscribeLink(settings.siteAddress)
  } catch {
    problem = NO_SITE_FOR_UNSUBSCRIBE
  }
  return {
    selected: ids.length,
    willSend,
    leftOut: leftOut.counts,
    leftOutNames: leftOut.names,
    templateName: template.name,
    subject: template.subject,
    problem,
    setUp: isMailSetUp(settings),
  }
}

/**
 * Writes a marketing email to the outbox for every selected customer who
 * agreed to them, each with their own unsubscribe link and one-click
 * headers, under one batch row with the counts of who was left out and why.
 * One transaction: Cancel (or any failure) leaves no message and no batch.
 * Runs as a job in the worker; the sender delivers from the outbox after.
 */
export async function queueMarketing(ctx: ServiceContext, input: MarketingInput, progress: Progress = NO_PROGRESS): Promise<MarketingResult> {
  return ctx.db.transaction(async (trx) => {
    const settings = await getMailSettings(trx)
    requireUnsubscribeLink(settings.siteAddress)
    const template = await marketingTemplate(trx, input.templateId)
    const key = await unsubscribeKey(trx)
    // A newsletter comes from the business, whoever sends it; resolved once for the whole batch.
    const sender = await resolveSender(trx, ctx, { settings })
    const composer = await createComposer(trx)
    const now = ctx.clock()
    const ids = await resolveSelection(trx, input.selection)
    progress.report(0, ids.length)

    const [batch] = (await trx('message_batches')
      .insert({
        template_id: template.id,
        subject: template.subject,
        created_at: ctx.clock().toISOString(),
        staff_id: ctx.staff.id > 0 ? ctx.staff.id : null,
        staff_name: ctx.staff.name,
        selected_count: ids.length,
      })
      .returning('id')) as Array<{ id: number }>
    const batchId = batch!.id

    const leftOut = new LeftOut()
    let queued = 0
    let done = 0
    for await (const customers of recipientsOf(trx, ids)) {
      progress.checkCancelled()
      const sendable = customers.filter((customer) => {
        const refused = refusal(customer, 'marketing')
        if (refused) leftOut.add(customer, refused)
        return !refused
      })
      const views = await customerViews(trx, sendable.map((customer) => customer.id))
      const drafts: MessageDraft[] = []
      for (const customer of sendable) {
        const links = unsubscribeLinks(key, settings.siteAddress, settings.fromAddress, customer.id)
        const rendered = await composer.compose({
          template: { subject: template.subject, body: template.body },
          customerId: customer.id,
          customerView: views.get(customer.id),
          links: { unsubscribeUrl: links.url },
          staff: ctx.staff,
          now,
        })
        drafts.push({
          kind: 'marketing',
          customerId: customer.id,
          toAddress: customer.email,
          toName: customer.display_name,
          subject: rendered.subject,
          text: rendered.text,
          html: rendered.html,
          templateId: template.id,
          batchId,
          headers: links.headers,
        })
      }
      queued += await queueMessages(trx, ctx, drafts, sender)
      done += customers.length
      progress.report(done, ids.length)
    }
    progress.checkCancelled()
    await trx('message_batches')
      .where({ id: batchId })
      .update({
        queued_count: queued,
        skipped_no_consent: leftOut.counts.noConsent,
        skipped_no_email: leftOut.counts.noEmail,
        skipped_other: leftOut.counts.unsubscribed + leftOut.counts.other,
      })
    return { batchId, selected: ids.length, queued, leftOut: leftOut.counts, leftOutNames: leftOut.names }
  })
}

/** What the job is called while it runs. */
export function describeMarketing(input: MarketingInput): { label: string; total: number } {
  const total = input.selection.kind === 'ids' ? new Set(input.selection.ids).size : input.selection.expectedCount
  return { label: `Writing a marketing email for ${total.toLocaleString('en-GB')} selected customer${total === 1 ? '' : 's'}`, total }
}
