import type { z } from 'zod'
import type { EmailPreview, emailPreviewInput } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { composeMessage } from './compose'
import { knownFieldNames } from './fields'
import { renderTemplate } from './render'
import { businessView, loadBusiness, oneLine, todayText } from './values'
import { templateProblems } from './validate'

/**
 * A draft as the customer would read it. Problems are listed rather than
 * thrown, so the editor shows them while the text is typed; a draft with a
 * forbidden tag is not rendered at all.
 */
export async function previewTemplate(ctx: ServiceContext, input: z.output<typeof emailPreviewInput>): Promise<EmailPreview> {
  const template = { subject: input.subject, body: input.body }
  const problems = templateProblems(template, await knownFieldNames(ctx.db))
  const unsafe = templateProblems(template, 'any')
  if (unsafe.length) return { subject: '', text: '', html: '', problems }
  const links = sampleLinks(input.kind)
  if (input.customerId !== null) {
    const rendered = await composeMessage(ctx.db, {
      template,
      customerId: input.customerId,
      bookingId: input.bookingId ?? (input.nextBooking ? await bookingToShow(ctx, input.customerId, template) : null),
      links,
      staff: ctx.staff,
      now: ctx.clock(),
    })
    return { ...rendered, problems }
  }
  return { ...(await sampleRender(ctx, template, links)), problems }
}

/**
 * A template about a booking is previewed on one of the chosen customer's
 * own: the next one to come, else the latest.
 */
async function bookingToShow(ctx: ServiceContext, customerId: number, template: { subject: string; body: string }): Promise<number | null> {
  if (!/\{\{\s*[#^]?\s*booking\b/.test(`${template.subject} ${template.body}`)) return null
  const now = ctx.clock().toISOString()
  const next = (await ctx.db('bookings').where({ customer_id: customerId }).where('starts_at', '>=', now).orderBy('starts_at').first('id')) as { id: number } | undefined
  if (next) return next.id
  const latest = (await ctx.db('bookings').where({ customer_id: customerId }).orderBy('starts_at', 'desc').orderBy('id', 'desc').first('id')) as { id: number } | undefined
  return latest?.id ?? null
}

/** Links in a preview point nowhere real: the real ones are made for each message when it is sent. */
function sampleLinks(kind: z.output<typeof emailPreviewInput>['kind']): { unsubscribeUrl?: string; accountUrl: string } {
  const site = 'https://example.com'
  return {
    ...(kind === 'marketing' ? { unsubscribeUrl: `${site}/unsubscribe?t=preview` } : {}),
    accountUrl: `${site}/account/confirm?token=preview`,
  }
}

/** Before a customer is chosen: the examples from the field list, so the layout can be judged. */
async function sampleRender(ctx: ServiceContext, template: { subject: string; body: string }, links: { unsubscribeUrl?: string; accountUrl: string }) {
  const business = await loadBusiness(ctx.db)
  const s = business.settings
  const view = {
    firstName: 'Ada',
    lastName: 'Lovelace',
    fullName: 'Ada Lovelace',
    displayName: 'Ada Lovelace',
    customerNumber: 'C-000042',
    email: 'ada@example.com',
    phone: '07700 900123',
    company: '',
    address: { line1: '12 Rose Lane', line2: '', city: 'Bath', region: '', postcode: 'BA1 1AA', country: s.defaultCountry },
    custom: {},
    booking: { reference: 'B-000128', item: 'Yoga Flow', date: 'Tuesday 8 December 2026', time: '10:00', place: 'Studio 1', total: '£24.00' },
    business: businessView(business),
    staff: { name: ctx.staff.name },
    unsubscribeUrl: links.unsubscribeUrl ?? '',
    accountUrl: links.accountUrl,
    today: todayText(ctx.clock(), business),
  }
  return renderTemplate(template, view, {
    businessName: s.businessName,
    businessAddress: oneLine(s.businessAddress),
    businessPhone: s.businessPhone,
    businessEmail: s.businessEmail,
    unsubscribeUrl: links.unsubscribeUrl,
  })
}
