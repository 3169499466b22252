import type { Knex } from 'knex'
import type { CustomerDetail, CustomerInputParsed, CustomerStatus } from '../../../preload/contract'
import { refreshCustomerSearch } from '../../../db/search'
import type { ServiceContext } from '../context'
import { Conflict, ValidationFailed } from '../errors'
import { diffFields, recordChange } from '../changeLog'
import { getSettings } from '../app/settings'
import { customerDetailOf, FIELD_LABELS, loadCustomer, loadCustomerRows, logCustomerChange, snapshot, type CustomerRow } from './records'
import { deriveDisplayName, foldForSort, formatCustomerNumber, InvalidPhone, normalizeEmail, normalizePhone } from './normalize'
import { addPendingRequests } from '../brochures'
import { recheckCustomers } from '../quality/recheck'
import type { KnownRecord } from '../quality/facts'
import { erasedContactRefusal, erasedRefusal } from '../privacy/erased'
import { matchTombstones } from '../privacy/tombstones'
import { REVOKED, revokeAccountTokens } from '../siteAccounts/revoke'
import { assertSameVersion, type SavedFields } from './conflicts'

/** A validated record ready to write: normalised forms computed, one primary phone, defaults settled. */
interface PreparedCustomer {
  columns: {
    first_name: string
    last_name: string
    display_name: string
    display_name_is_custom: boolean
    sort_name: string
    company: string
    email: string
    email_normalized: string
    source: string
  }
  phones: Array<{ id?: number; label: string; number: string; e164: string | null; search_digits: string; is_primary: boolean }>
  addresses: Array<{
    id?: number
    label: string
    line1: string
    line2: string
    city: string
    region: string
    postcode: string
    country: string
    is_default_letters: boolean
    is_default_service: boolean
  }>
}

function prepareCustomer(input: CustomerInputParsed, defaultCountry: string): PreparedCustomer {
  const fields: Record<string, string> = {}
  const seen = new Map<string, number>()
  const phones = input.phones.map((phone, index) => {
    try {
      const normalized = normalizePhone(phone.number, defaultCountry)
      const key = normalized.e164 ?? phone.number
      if (seen.has(key)) fields[`phones.${index}.number`] = 'This number is already listed above.'
      seen.set(key, index)
      return { ...normalized, phone }
    } catch (error) {
      if (!(error instanceof InvalidPhone)) throw error
      fields[`phones.${index}.number`] = error.message
      return { e164: null, searchDigits: '', phone }
    }
  })
  if (Object.keys(fields).length) {
    throw new ValidationFailed(Object.values(fields)[0] ?? 'Check the phone numbers.', fields)
  }
  // Exactly one primary phone, and one default address of each kind, whatever the form sent.
  const primaryIndex = Math.max(0, phones.findIndex((p) => p.phone.isPrimary))
  const lettersIndex = Math.max(0, input.addresses.findIndex((a) => a.isDefaultLetters))
  const serviceIndex = Math.max(0, input.addresses.findIndex((a) => a.isDefaultService))
  const emptyAddress = input.addresses.findIndex((a) => ![a.line1, a.line2, a.city, a.region, a.postcode].some(Boolean))
  if (emptyAddress >= 0) {
    throw ValidationFailed.field(`addresses.${emptyAddress}.line1`, 'Enter the address, or remove it.')
  }

  const displayNameIsCustom = input.displayName !== ''
  const displayName = displayNameIsCustom ? input.displayName : deriveDisplayName(input)
  return {
    columns: {
      first_name: input.firstName,
      last_name: input.lastName,
      display_name: displayName,
      display_name_is_custom: displayNameIsCustom,
      sort_name: foldForSort(displayName),
      company: input.company,
      email: input.email,
      email_normalized: normalizeEmail(input.email),
      source: input.source,
    },
    phones: phones.map((p, index) => ({
      id: p.phone.id,
      label: p.phone.label,
      number: p.phone.number,
      e164: p.e164,
      search_digits: p.searchDigits,
      is_primary: index === primaryIndex,
    })),
    addresses: input.addresses.map((a, index) => ({
      id: a.id,
      label: a.label,
      line1: a.line1,
      line2: a.line2,
      city: a.city,
      region: a.region,
      postcode: a.postcode,
      country: a.country,
      is_default_letters: index === lettersIndex,
      is_default_service: index === serviceIndex,
    })),
  }
}

/** The record as a save would leave it, in the profile's shape (contact lists as sent, ids kept where given). */
function savedFields(prepared: PreparedCustomer): SavedFields {
  const c = prepared.columns
  return {
    firstName: c.first_name,
    lastName: c.last_name,
    displayName: c.display_name,
    company: c.company,
    email: c.email,
    source: c.source as CustomerDetail['source'],
    phones: prepared.phones.map((p) => ({ id: p.id ?? 0, label: p.label as CustomerDetail['phones'][number]['label'], number: p.number, e164: p.e164, isPrimary: p.is_primary })),
    addresses: prepared.addresses.map((a) => ({
      id: a.id ?? 0,
      label: a.label as CustomerDetail['addresses'][number]['label'],
      line1: a.line1,
      line2: a.line2,
      city: a.city,
      region: a.region,
      postcode: a.postcode,
      country: a.country,
      isDefaultLetters: a.is_default_letters,
      isDefaultService: a.is_default_service,
    })),
  }
}

/** Two live (not archived) customers never share an email: refuse, naming the one who has it. */
export async function assertEmailFree(trx: Knex, emailNormalized: string, exceptId: number | null): Promise<void> {
  if (!emailNormalized) return
  const query = trx('customers')
    .where({ email_normalized: emailNormalized })
    .whereIn('status', ['active', 'blocked'])
    .first('id', 'display_name')
  if (exceptId !== null) query.whereNot({ id: exceptId })
  const existing = (await query) as Pick<CustomerRow, 'id' | 'display_name'> | undefined
  if (!existing) return
  const number = formatCustomerNumber(existing.id)
  const message = `${existing.display_name} (${number}) already uses this email address.`
  throw new Conflict(message, {
    field: 'email',
    fields: { email: message },
    existing: { id: existing.id, number, displayName: existing.display_name },
  })
}

/** A customer in the recycle bin is read-only until restored; an erased one for good. */
export function assertNotInRecycleBin(customer: CustomerDetail): void {
  if (customer.erasedAt) throw erasedRefusal(customer.number, customer.erasedAt)
  if (customer.status === 'deleted') {
    throw new Conflict(`${customer.displayName} (${customer.number}) is in the recycle bin. Restore them first.`)
  }
}

/** Loads a customer that may be changed: exists (NotFound) and is not in the recycle bin (Conflict). */
export async function loadWritableCustomer(db: Knex, id: number): Promise<CustomerDetail> {
  const customer = await loadCustomer(db, id)
  assertNotInRecycleBin(customer)
  return customer
}

/** A customer's phone and address rows as stored, each list in its order. */
type ContactRows = { phones: Array<Record<string, unknown>>; addresses: Array<Record<string, unknown>> }

/**
 * Makes the customer's phones and addresses the prepared ones, given the rows stored now (none for a
 * new customer); returns the rows as stored afterwards, in their order, as a read would.
 */
async function writeContactLists(trx: Knex, customerId: number, prepared: PreparedCustomer, stored: ContactRows): Promise<ContactRows> {
  const written: ContactRows = { phones: [], addresses: [] }
  for (const [table, items] of [
    ['phones', prepared.phones],
    ['addresses', prepared.addresses],
  ] as const) {
    const existing = new Map(stored[table].map((r) => [Number(r.id), r]))
    const keep = new Set<number>()
    const added: Array<Record<string, unknown>> = []
    const rows: Array<Record<string, unknown>> = []
    for (const [position, item] of items.entries()) {
      const { id, ...values } = item
      const row: Record<string, unknown> = { ...values, customer_id: customerId, position }
      if (id !== undefined) {
        const old = existing.get(id)
        if (!old) {
          throw ValidationFailed.field(`${table}.${position}.id`, 'This entry belongs to another customer; reload and try again.')
        }
        keep.add(id)
        // Booleans come back as 0/1 from SQLite.
        const same = Object.entries(row).every(([column, value]) => (typeof value === 'boolean' ? Boolean(old[column]) === value : old[column] === value))
        if (!same) await trx(table).where({ id }).update(row)
        rows.push({ ...old, ...row })
      } else added.push(row)
    }
    const removed = [...existing.keys()].filter((id) => !keep.has(id))
    if (removed.length) await trx(table).whereIn('id', removed).delete()
    if (added.length) rows.push(...((await trx(table).insert(added).returning('*')) as Array<Record<string, unknown>>))
    // Positions now run 0, 1, 2… in the order given; neither engine promises the order an insert returns its rows in.
    written[table] = rows.sort((a, b) => Number(a.position) - Number(b.position))
  }
  return written
}

/**
 * Refuses an email or phone that belonged to someone whose data was erased
 * (their tombstone), unless the desk confirmed it knowingly; only the
 * contacts given are checked (on an edit: the new ones).
 */
export async function assertContactsNotErased(
  db: Knex,
  contacts: { email: string; phones: Array<{ e164: string | null; field: string }> },
  confirmErased: boolean | undefined,
): Promise<void> {
  if (confirmErased) return
  const matches = await matchTombstones(db, { email: contacts.email, phones: contacts.phones.map((p) => p.e164) })
  const email = matches.find((m) => m.kind === 'email')
  if (email) throw erasedContactRefusal(email, 'email')
  for (const phone of contacts.phones) {
    const match = matches.find((m) => m.kind === 'phone' && m.value === phone.e164)
    if (match) throw erasedContactRefusal(match, phone.field)
  }
}

const phonesToCheck = (prepared: PreparedCustomer, known: ReadonlySet<string> = new Set()) =>
  prepared.phones.flatMap((p, index) => (p.e164 && !known.has(p.e164) ? [{ e164: p.e164, field: `phones.${index}.number` }] : []))

/** The record a save read back, as the data-quality re-check needs it (SQLite gives the consent as 0/1). */
function knownRecord(customer: CustomerDetail, marketingConsent: boolean | number): KnownRecord {
  return { ...customer, marketingConsent: Boolean(marketingConsent) }
}

/** Creates a customer; with `requestBrochure`, their brochure request is taken in the same transaction. */
export async function createCustomer(
  ctx: ServiceContext,
  input: CustomerInputParsed & { requestBrochure?: boolean; confirmErased?: boolean },
): Promise<CustomerDetail> {
  const settings = await getSettings(ctx)
  const prepared = prepareCustomer(input, settings.defaultCountry)
  return ctx.db.transaction(async (trx) => {
    await assertEmailFree(trx, prepared.columns.email_normalized, null)
    await assertContactsNotErased(trx, { email: prepared.columns.email_normalized, phones: phonesToCheck(prepared) }, input.confirmErased)
    const now = ctx.clock().toISOString()
    // The row as stored (defaults and version included): the new record is made from what the inserts return.
    const [inserted] = (await trx('customers')
      .insert({ ...prepared.columns, status: 'active', created_at: now, updated_at: now, created_by_staff_id: ctx.staff.id })
      .returning('*')) as Array<CustomerRow & { marketing_consent: boolean | number }>
    const id = inserted!.id
    const contacts = await writeContactLists(trx, id, prepared, { phones: [], addresses: [] })
    await refreshCustomerSearch(trx, [id], { row: inserted!, ...contacts })
    const created = customerDetailOf(inserted!, contacts.phones, contacts.addresses, { tags: [], groups: [] })
    await logCustomerChange(trx, ctx, {
      action: 'customer.created',
      summary: `Created ${created.displayName} (${created.number})`,
      before: null,
      after: created,
    })
    if (input.requestBrochure) await addPendingRequests(trx, ctx, [id])
    await recheckCustomers(trx, [id], ctx.clock(), settings, [
      { ...knownRecord(created, inserted!.marketing_consent), createdNow: { pendingBrochure: Boolean(input.requestBrochure) } },
    ])
    return created
  })
}

export async function updateCustomer(
  ctx: ServiceContext,
  id: number,
  input: CustomerInputParsed,
  options: { confirmErased?: boolean; version?: number } = {},
): Promise<CustomerDetail> {
  const settings = await getSettings(ctx)
  const prepared = prepareCustomer(input, settings.defaultCountry)
  return ctx.db.transaction(async (trx) => {
    const stored = await loadCustomerRows(trx, id)
    const before = stored.detail
    assertNotInRecycleBin(before)
    await assertSameVersion(trx, before, options.version, savedFields(prepared))
    const emailChanged = normalizeEmail(before.email) !== prepared.columns.email_normalized
    const knownPhones = new Set(before.phones.flatMap((p) => (p.e164 ? [p.e164] : [])))
    await assertContactsNotErased(
      trx,
      { email: emailChanged ? prepared.columns.email_normalized : '', phones: phonesToCheck(prepared, knownPhones) },
      options.confirmErased,
    )
    if ((before.status === 'active' || before.status === 'blocked') && normalizeEmail(before.email) !== prepared.columns.email_normalized) {
      await assertEmailFree(trx, prepared.columns.email_normalized, id)
    }
    const [updated] = (await trx('customers')
      .where({ id })
      // Raised here, the version needs no second write from the trigger that raises it for other writers.
      .update({ ...prepared.columns, updated_at: ctx.clock().toISOString(), version: trx.raw('version + 1') })
      .returning('*')) as Array<CustomerRow & { marketing_consent: boolean | number }>
    const contacts = await writeContactLists(trx, id, prepared, stored)
    // The record as now stored, made from what the writes returned: nothing else writes to it meanwhile.
    const after = customerDetailOf(updated!, contacts.phones, contacts.addresses, before)
    const changes = diffFields(snapshot(before), snapshot(after), FIELD_LABELS)
    if (!changes.length) {
      // Nothing really changed: leave no trace, not even a new "updated" time.
      await trx('customers').where({ id }).update({ updated_at: before.updatedAt, version: before.version })
      return before
    }
    await refreshCustomerSearch(trx, [id], { row: updated!, ...contacts })
    // A link emailed to the old address must not confirm or open the account of the new one.
    if (emailChanged) await revokeAccountTokens(trx, [id], REVOKED.emailChanged, ctx.clock().toISOString())
    await recordChange(trx, ctx, {
      customerId: id,
      entityType: 'customer',
      entityId: id,
      action: 'customer.updated',
      summary: `Updated ${changes.map((c) => c.field.toLowerCase()).join(', ')}`,
      changes,
    })
    await recheckCustomers(trx, [id], ctx.clock(), settings, [knownRecord(after, updated!.marketing_consent)])
    return after
  })
}

const STATUS_ACTIONS = {
  archive: { to: 'archived', action: 'customer.archived', verb: 'Archived' },
  unarchive: { to: 'active', action: 'customer.unarchived', verb: 'Unarchived' },
  block: { to: 'blocked', action: 'customer.blocked', verb: 'Blocked' },
  unblock: { to: 'active', action: 'customer.unblocked', verb: 'Unblocked' },
} as const satisfies Record<string, { to: CustomerStatus; action: string; verb: string }>

const ALLOWED_FROM: Record<keyof typeof STATUS_ACTIONS, CustomerStatus[]> = {
  archive: ['active', 'blocked'],
  unarchive: ['archived'],
  block: ['active', 'archived'],
  unblock: ['blocked'],
}

const REFUSALS: Record<keyof typeof STATUS_ACTIONS, string> = {
  archive: 'This customer is already archived.',
  unarchive: 'Only an archived customer can be unarchived.',
  block: 'This customer is already blocked.',
  unblock: 'This customer is not blocked.',
}

/** Archive, unarchive, block (with a reason) or unblock: all data kept, every change logged. */
export async function changeCustomerStatus(
  ctx: ServiceContext,
  id: number,
  change: keyof typeof STATUS_ACTIONS,
  reason = '',
): Promise<CustomerDetail> {
  const { to, action, verb } = STATUS_ACTIONS[change]
  return ctx.db.transaction(async (trx) => {
    const before = await loadCustomer(trx, id)
    if (before.status === 'deleted' || before.erasedAt) assertNotInRecycleBin(before)
    else if (!ALLOWED_FROM[change].includes(before.status)) throw new Conflict(REFUSALS[change])
    // Leaving the archive makes the record live again, so its email must be free.
    if (before.status === 'archived') await assertEmailFree(trx, normalizeEmail(before.email), id)
    const now = ctx.clock().toISOString()
    await trx('customers')
      .where({ id })
      .update({
        status: to,
        status_reason: to === 'blocked' ? reason : '',
        updated_at: now,
        version: trx.raw('version + 1'),
        ...(to === 'archived' ? { archived_at: now } : {}),
        ...(to === 'blocked' ? { blocked_at: now } : {}),
      })
    // Links already emailed for the online booking site stop working with the record; unblocking does not bring them back.
    if (to === 'blocked' || to === 'archived') await revokeAccountTokens(trx, [id], to === 'blocked' ? REVOKED.blocked : REVOKED.archived, now)
    const after = await loadCustomer(trx, id)
    await logCustomerChange(trx, ctx, { action, summary: `${verb} ${after.displayName}${reason ? `: ${reason}` : ''}`, before, after })
    await recheckCustomers(trx, [id], ctx.clock())
    return after
  })
}
