import type { ChangeEntry, changeKinds } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { readChanges } from '../changeLog'
import { aliasesOf } from '../merges/aliases'

export type ChangeKind = (typeof changeKinds)[number]

/** Which log actions make up each kind of change the Changes tab can show. */
const KIND_ACTIONS: Record<Exclude<ChangeKind, 'all'>, { exact: string[]; prefixes: string[] }> = {
  contact: { exact: ['customer.created', 'customer.updated'], prefixes: [] },
  status: {
    exact: ['customer.merged', 'customer.mergedInto', 'customer.mergeUndone', 'customer.unmerged', 'customer.archived', 'customer.unarchived', 'customer.blocked', 'customer.unblocked', 'customer.deleted', 'customer.restored'],
    prefixes: [],
  },
  notes: { exact: [], prefixes: ['note.'] },
  tags: { exact: [], prefixes: ['tag.'] },
  groups: { exact: [], prefixes: ['group.'] },
  preferences: { exact: ['customer.preferences'], prefixes: [] },
  account: {
    exact: ['customer.tax', 'customer.referral', 'customer.customFields', 'customer.photo'],
    prefixes: ['customer.household', 'paymentMethod.', 'reward.'],
  },
  bookings: { exact: [], prefixes: ['booking.', 'plan.'] },
  brochures: { exact: [], prefixes: ['brochure.'] },
}

export async function listCustomerChanges(
  ctx: ServiceContext,
  customerId: number,
  limit: number,
  kind: ChangeKind = 'all',
): Promise<ChangeEntry[]> {
  // A survivor's history holds the entries of the records merged into it.
  const query = ctx.db('change_log').whereIn('customer_id', [customerId, ...(await aliasesOf(ctx.db, customerId))])
  if (kind !== 'all') {
    const { exact, prefixes } = KIND_ACTIONS[kind]
    // Read along the (customer_id, id) index: one customer's log is small, so the action test is a cheap filter.
    query.where((q) => {
      if (exact.length) q.orWhereIn('action', exact)
      for (const prefix of prefixes) q.orWhere('action', 'like', `${prefix}%`)
    })
  }
  return readChanges(query.orderBy('id', 'desc').limit(limit))
}
