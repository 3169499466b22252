import type { Knex } from 'knex'
import type { BrochureSelection, PrintCheck, PrintCheckCustomer, WorklistFlag } from '../../../preload/contract'
import { chunks } from '../../../db/idChunks'
import { ValidationFailed } from '../errors'
import { isPostable, letterAddresses, type PostalAddress } from '../letterAddresses'
import { resolveRequestSelection } from './worklist'

/** One customer a letter or label is printed for (several requests from one customer make one letter). */
export interface Recipient {
  customerId: number
  firstName: string
  lastName: string
  displayName: string
  company: string
  address: PostalAddress | null
  flags: WorklistFlag[]
}

/** The requests a print run covers: chosen ones in either tab, or all matching the worklist's filter. */
export async function printRequestIds(db: Knex, selection: BrochureSelection): Promise<number[]> {
  if (selection.kind === 'filter') return resolveRequestSelection(db, selection, selection.tab)
  const ids = [...new Set(selection.ids)]
  const found: number[] = []
  for (const chunk of chunks(ids)) {
    const rows = (await db('brochure_requests').whereIn('id', chunk).whereIn('status', ['pending', 'posted']).select('id')) as Array<{ id: number }>
    found.push(...rows.map((r) => r.id))
  }
  if (found.length !== ids.length) {
    const gone = ids.length - found.length
    throw ValidationFailed.field('selection', `${gone.toLocaleString('en-GB')} of the chosen requests were cancelled or removed meanwhile. Reload the worklist and choose again.`)
  }
  return ids
}

interface CustomerRow {
  id: number
  first_name: string
  last_name: string
  display_name: string
  company: string
  status: 'active' | 'archived' | 'blocked' | 'deleted'
  unsubscribed: number | boolean
}

/** The customers behind the requests, once each, in the order of their first request. */
export async function recipientsOf(db: Knex, requestIds: number[]): Promise<Recipient[]> {
  const customerOf = new Map<number, number>()
  for (const chunk of chunks(requestIds)) {
    const rows = (await db('brochure_requests').whereIn('id', chunk).select('id', 'customer_id')) as Array<{ id: number; customer_id: number }>
    for (const row of rows) customerOf.set(row.id, row.customer_id)
  }
  const customerIds = [...new Set(requestIds.map((id) => customerOf.get(id)).filter((id): id is number => id !== undefined))]
  return recipientsById(db, customerIds)
}

export async function recipientsById(db: Knex, customerIds: number[]): Promise<Recipient[]> {
  const rows = new Map<number, CustomerRow>()
  for (const chunk of chunks(customerIds)) {
    const found = (await db('customers')
      .whereIn('id', chunk)
      .select('id', 'first_name', 'last_name', 'display_name', 'company', 'status', 'unsubscribed')) as CustomerRow[]
    for (const row of found) rows.set(row.id, row)
  }
  const addresses = await letterAddresses(db, customerIds)
  const out: Recipient[] = []
  for (const id of customerIds) {
    const row = rows.get(id)
    if (!row) continue
    const address = addresses.get(id) ?? null
    const flags: WorklistFlag[] = []
    if (!address || !isPostable(address)) flags.push('cannotPost')
    if (row.unsubscribed) flags.push('unsubscribed')
    if (row.status !== 'active') flags.push(row.status)
    out.push({
      customerId: id,
      firstName: row.first_name,
      lastName: row.last_name,
      displayName: row.display_name,
      company: row.company,
      address: address && isPostable(address) ? address : null,
      flags,
    })
  }
  return out
}

/** Flags other than a missing address: the desk decides whether these customers are posted to. */
export const isFlagged = (r: Recipient): boolean => r.flags.some((f) => f !== 'cannotPost')

/** The check shown before printing: nothing is made, nobody is changed. */
export function describeRecipients(requests: number, recipients: Recipient[]): PrintCheck {
  const who = (r: Recipient): PrintCheckCustomer => ({ customerId: r.customerId, customerName: r.displayName, flags: r.flags })
  return {
    requests,
    postable: recipients.filter((r) => r.address).length,
    cannotPost: recipients.filter((r) => !r.address).map(who),
    flagged: recipients.filter((r) => r.address && isFlagged(r)).map(who),
  }
}

/** Who is printed: postable customers, the flagged ones only when the desk chose to include them. */
export function printable(recipients: Recipient[], skipFlagged: boolean): Recipient[] {
  return recipients.filter((r) => r.address && !(skipFlagged && isFlagged(r)))
}
