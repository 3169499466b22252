import type { Knex } from 'knex'
import { renderTemplate, type MergeView, type Rendered } from './render'
import { assertSafeTags } from './validate'
import { bookingView, businessView, customerView, loadBusiness, oneLine, todayText, type Business } from './values'

export interface ComposeInput {
  template: { subject: string; body: string }
  /** Null for a message to no customer (a test email): the customer's fields print nothing. */
  customerId: number | null
  bookingId?: number | null
  links?: { unsubscribeUrl?: string; accountUrl?: string }
  /** Who sends it, for {{staff.name}}. */
  staff?: { name: string }
  /** The moment written, for {{today}} (the caller's clock). */
  now?: Date
  /** The customer's fields read already (`customerViews`, for many customers at once). */
  customerView?: MergeView
}

export type ComposedMessage = Rendered

export interface Composer {
  compose(input: ComposeInput): Promise<ComposedMessage>
}

/**
 * A composer reads the business details once: queueing a newsletter to
 * thousands composes with one, each message then costs only its customer's
 * few reads.
 */
export async function createComposer(db: Knex): Promise<Composer> {
  const business = await loadBusiness(db)
  return { compose: (input) => composeWith(db, business, input) }
}

/** One message written from a template for one customer (and booking): subject, plain text and HTML. */
export async function composeMessage(db: Knex, input: ComposeInput): Promise<ComposedMessage> {
  return composeWith(db, await loadBusiness(db), input)
}

async function composeWith(db: Knex, business: Business, input: ComposeInput): Promise<ComposedMessage> {
  assertSafeTags(input.template)
  const [customer, booking] = await Promise.all([input.customerView ?? customerView(db, input.customerId), bookingView(db, input.bookingId, business)])
  const view: MergeView = {
    ...customer,
    booking,
    business: businessView(business),
    staff: { name: input.staff?.name ?? '' },
    unsubscribeUrl: input.links?.unsubscribeUrl ?? '',
    accountUrl: input.links?.accountUrl ?? '',
    today: todayText(input.now ?? new Date(), business),
  }
  const s = business.settings
  return renderTemplate(input.template, view, {
    businessName: s.businessName,
    businessAddress: oneLine(s.businessAddress),
    businessPhone: s.businessPhone,
    businessEmail: s.businessEmail,
    unsubscribeUrl: input.links?.unsubscribeUrl || undefined,
  })
}
