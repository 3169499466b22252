import { localDay } from '../../../main/services/calendarDay'
import { prepared, type RouterCase } from './types'

/** A customer's statement, for customer 1 of the router's fixtures. */
export const statementCases: Record<string, RouterCase> = {
  'statements:make': {
    valid: prepared(async () => ({ customerId: 1, from: '2026-01-01', to: localDay(new Date()) })),
    invalid: [
      {},
      { customerId: 1, from: '2026-02-01', to: '2026-01-31' },
      { customerId: 1, from: '2010-01-01', to: '2026-01-01' },
      { customerId: 1, from: '2026-02-30', to: '2026-03-01' },
      { customerId: 1, from: '1 Jan 2026', to: '2026-03-01' },
      { customerId: 0, from: '2026-01-01', to: '2026-01-02' },
      { customerId: 1, from: '2026-01-01', to: '2026-01-02', format: 'pdf' },
    ],
  },
}
