import { createHash } from 'node:crypto'

/**
 * The change log is a chain: every entry carries a hash of its own content
 * and of the entry before it, so an entry edited, removed or slipped in
 * afterwards (with any SQLite tool) breaks the chain from that point on, and
 * `frontdesk check` says where. The first entry follows CHAIN_START.
 */
export const CHAIN_START = ''

/** The columns of a change-log entry that the chain covers (everything but its row id and hash). */
export interface ChainedEntry {
  at: string
  staff_id: number | null
  staff_name: string
  entity_type: string
  entity_id: number
  customer_id: number | null
  action: string
  summary: string
  changes: string
}

/** The hash an entry carries: SHA-256 (hex) of the previous entry's hash and this entry's columns. */
export function chainHash(previous: string, entry: ChainedEntry): string {
  return createHash('sha256')
    .update(previous)
    .update('\n')
    .update(
      JSON.stringify([
        entry.at,
        entry.staff_id === null || entry.staff_id === undefined ? null : Number(entry.staff_id),
        entry.staff_name,
        entry.entity_type,
        Number(entry.entity_id),
        entry.customer_id === null || entry.customer_id === undefined ? null : Number(entry.customer_id),
        entry.action,
        entry.summary,
        entry.changes,
      ]),
    )
    .digest('hex')
}

/** The columns, in order, that an INSERT of a chained entry names (hash last). */
export const CHAINED_COLUMNS = ['at', 'staff_id', 'staff_name', 'entity_type', 'entity_id', 'customer_id', 'action', 'summary', 'changes', 'hash'] as const
