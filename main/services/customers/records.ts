import type { Knex } from 'knex'
import { customerSourceLabels, type Address, type CustomerDetail, type CustomerSource, type Phone } from '../../../preload/contract'
import { NotFound } from '../errors'
import { survivorOf } from '../merges/aliases'
import { diffFields, recordChange } from '../changeLog'
import type { ServiceContext } from '../context'
import { formatCustomerNumber } from './normalize'
import { readCustomerRows } from '../../../db/queries/customerRecord'

export interface CustomerRow {
  id: number
  first_name: string
  last_name: string
  display_name: string
  display_name_is_custom: number | boolean
  company: string
  email: string
  email_normalized: string
  status: CustomerDetail['status']
  status_reason: string
  source: CustomerSource
  created_at: string
  updated_at: string
  version: number
  erased_at?: string | null
}

/**
 * Loads the whole record as the profile shows it: contacts, tags and groups. A save that leaves
 * tags and groups as they were passes them as `memberships`, sparing two reads.
 */
export async function loadCustomer(db: Knex, id: number, memberships?: Pick<CustomerDetail, 'tags' | 'groups'>): Promise<CustomerDetail> {
  return (await loadCustomerRows(db, id, memberships)).detail
}

/** A customer's stored rows (the record, its phones and addresses, each list in its order) and the record made of them. */
export interface CustomerRows {
  row: CustomerRow
  phones: Array<Record<string, unknown>>
  addresses: Array<Record<string, unknown>>
  detail: CustomerDetail
}

/** As loadCustomer, keeping the rows as stored: a save compares and rewrites contacts from them without reading them again. */
export async function loadCustomerRows(db: Knex, id: number, memberships?: Pick<CustomerDetail, 'tags' | 'groups'>): Promise<CustomerRows> {
  const stored = await readCustomerRows(db, id, !memberships)
  if (!stored) throw new NotFound(`Customer ${formatCustomerNumber(id)} does not exist.`)
  const row = stored.row as unknown as CustomerRow
  const { phones, addresses } = stored
  const detail = customerDetailOf(row, phones, addresses, memberships ?? { tags: stored.tags ?? [], groups: stored.groups ?? [] })
  return { row, phones, addresses, detail }
}

/** The record as the profile shows it, from its row and its contact rows (each list in its order: position, then id). */
export function customerDetailOf(
  row: CustomerRow,
  phones: Array<Record<string, unknown>>,
  addresses: Array<Record<string, unknown>>,
  memberships: Pick<CustomerDetail, 'tags' | 'groups'>,
): CustomerDetail {
  return {
    id: row.id,
    number: formatCustomerNumber(row.id),
    firstName: row.first_name,
    lastName: row.last_name,
    displayName: row.display_name,
    displayNameIsCustom: Boolean(row.display_name_is_custom),
    company: row.company,
    email: row.email,
    status: row.status,
    statusReason: row.status_reason,
    source: row.source,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: Number(row.version),
    phones: phones.map(toPhone),
    addresses: addresses.map(toAddress),
    tags: memberships.tags,
    groups: memberships.groups,
    ...(row.erased_at ? { erasedAt: row.erased_at } : {}),
  }
}

/**
 * The record as the profile opens it. A merged record's number answers with
 * the record it was merged into, so old links and typed numbers still lead there.
 */
export async function getCustomer(db: Knex, id: number): Promise<CustomerDetail> {
  try {
    return await loadCustomer(db, id)
  } catch (error) {
    const merged = error instanceof NotFound ? await survivorOf(db, id) : null
    if (!merged) throw error
    const survivor = (await db('customers').where({ id: merged.survivorId }).first('display_name')) as { display_name: string }
    const number = formatCustomerNumber(merged.survivorId)
    throw new NotFound(`${formatCustomerNumber(id)} was merged into ${number} (${survivor.display_name}).`, {
      mergedInto: { id: merged.survivorId, number, displayName: survivor.display_name, at: merged.at },
    })
  }
}

function toPhone(row: Record<string, unknown>): Phone {
  return {
    id: Number(row.id),
    label: row.label as Phone['label'],
    number: String(row.number),
    e164: (row.e164 as string | null) ?? null,
    isPrimary: Boolean(row.is_primary),
  }
}

function toAddress(row: Record<string, unknown>): Address {
  return {
    id: Number(row.id),
    label: row.label as Address['label'],
    line1: String(row.line1),
    line2: String(row.line2),
    city: String(row.city),
    region: String(row.region),
    postcode: String(row.postcode),
    country: String(row.country),
    isDefaultLetters: Boolean(row.is_default_letters),
    isDefaultService: Boolean(row.is_default_service),
  }
}

const STATUS_LABELS: Record<CustomerDetail['status'], string> = {
  active: 'Active',
  archived: 'Archived',
  blocked: 'Blocked',
  deleted: 'In the recycle bin',
}

/** The record flattened to readable strings, for before → after in the change log. */
export function snapshot(customer: CustomerDetail): Record<string, string> {
  return {
    firstName: customer.firstName,
    lastName: customer.lastName,
    displayName: customer.displayName,
    company: customer.company,
    email: customer.email,
    source: customerSourceLabels[customer.source],
    status: STATUS_LABELS[customer.status],
    statusReason: customer.statusReason,
    phones: customer.phones.map((p) => `${p.label}: ${p.number}${p.isPrimary ? ' (primary)' : ''}`).join('; '),
    addresses: customer.addresses
      .map((a) => {
        const text = [a.line1, a.line2, a.city, a.region, a.postcode, a.country].filter(Boolean).join(', ')
        const defaults = [a.isDefaultLetters && 'letters', a.isDefaultService && 'service'].filter(Boolean).join(', ')
        return `${a.label}: ${text}${defaults ? ` (default for ${defaults})` : ''}`
      })
      .join('; '),
  }
}

export const FIELD_LABELS: Record<string, string> = {
  firstName: 'First name',
  lastName: 'Last name',
  displayName: 'Display name',
  company: 'Company',
  email: 'Email',
  source: 'Source',
  status: 'Status',
  statusReason: 'Reason',
  phones: 'Phones',
  addresses: 'Addresses',
}

/**
 * Logs a change of the customer record itself, before → after per field of
 * the snapshot (everything, from nothing, for a new record).
 */
export async function logCustomerChange(
  trx: Knex,
  ctx: ServiceContext,
  change: { action: string; summary: string; before: CustomerDetail | null; after: CustomerDetail },
): Promise<void> {
  await recordChange(trx, ctx, {
    customerId: change.after.id,
    entityType: 'customer',
    entityId: change.after.id,
    action: change.action,
    summary: change.summary,
    changes: diffFields(change.before ? snapshot(change.before) : {}, snapshot(change.after), FIELD_LABELS),
  })
}
