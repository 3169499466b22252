import type { ChainedEntry } from '../../db/changeChain'

/** A sample-data change-log entry: written by the built-in Administrator's account, named as sample data. */
export function sampleEntry(at: string, entityType: string, entityId: number, customerId: number, action: string, summary: string): ChainedEntry {
  return { at, staff_id: 1, staff_name: 'Sample data', entity_type: entityType, entity_id: entityId, customer_id: customerId, action, summary, changes: '[]' }
}
