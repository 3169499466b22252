import type { TestCore } from '../../helpers/core'
import { prepared, type RouterCase } from './types'

/** Brochure request channels. Customer 1 is a live customer of the fixtures. */
const pendingOf = async (app: TestCore, customerId: number): Promise<number> =>
  ((await app.db('brochure_requests').where({ customer_id: customerId, status: 'pending' }).first('id')) as { id: number }).id

export const brochureCases: Record<string, RouterCase> = {
  'brochures:request': {
    valid: { customerId: 1, note: 'Asked on the phone' },
    invalid: [{}, { customerId: 0 }, { customerId: 1, note: 'x'.repeat(501) }, { customerId: 1, urgent: true }],
  },
  'brochures:forCustomer': { valid: { customerId: 1 }, invalid: [{ customerId: '1' }, {}] },
  'brochures:cancel': {
    valid: prepared(async (app) => ({ id: await pendingOf(app, 1) })),
    invalid: [{ id: 0 }, {}],
  },
  'brochures:worklist': {
    valid: { tab: 'pending', filter: { from: '2026-01-01', to: null }, pageSize: 10 },
    invalid: [
      { tab: 'sent' },
      { filter: { from: '2026-02-30' } },
      { filter: { from: '2026-03-01', to: '2026-02-01' } },
      { pageSize: 500 },
      { after: 'not a cursor!' },
      { after: 'bm9wZQ' },
    ],
  },
  'brochures:counts': { valid: { filter: {} }, invalid: [{ filter: { to: '31/12/2026' } }, { tab: 'pending' }] },
  'brochures:markPosted': {
    valid: prepared(async (app) => {
      await app.invoke('brochures:request', { customerId: 1 })
      return { selection: { kind: 'ids', ids: [await pendingOf(app, 1)] }, postedOn: '2026-01-02' }
    }),
    invalid: [
      { selection: { kind: 'ids', ids: [] }, postedOn: '2026-01-01' },
      { selection: { kind: 'ids', ids: [1] } },
      { selection: { kind: 'ids', ids: [1] }, postedOn: '2026-13-01' },
      { selection: { kind: 'ids', ids: [1] }, postedOn: '2999-01-01' },
      { selection: { kind: 'filter', tab: 'pending', filter: {}, expectedCount: 0 }, postedOn: '2026-01-01' },
      { selection: { kind: 'ids', ids: [999_999] }, postedOn: '2026-01-01' },
    ],
  },
}
