import type { RouterCase } from './types'

/** The manager's reports: a range of the desk's days, either end open, never backwards. */
export const reportCases: Record<string, RouterCase> = {
  'reports:run': {
    valid: { report: 'topCustomers', from: '2026-01-01', to: '2026-03-31' },
    invalid: [
      {},
      { report: 'bestCustomers', from: null, to: null },
      { report: 'newCustomers', from: '2026-02-30', to: null },
      { report: 'newCustomers', from: '01/02/2026', to: null },
      { report: 'newCustomers', from: '2026-03-01', to: '2026-02-01' },
      { report: 'newCustomers', from: null },
      { report: 'newCustomers', from: null, to: null, limit: 10 },
    ],
  },
  'reports:export': {
    valid: { report: 'bookingsBySource', from: null, to: null, format: 'xlsx' },
    invalid: [
      { report: 'bookingsBySource', from: null, to: null },
      { report: 'bookingsBySource', from: null, to: null, format: 'pdf' },
      { report: 'bookingsBySource', from: '2026-05-01', to: '2026-04-30', format: 'csv' },
      { report: 'bookingsBySource', from: null, to: null, format: 'csv', file: '/tmp/x.csv' },
    ],
  },
  'reports:print': {
    valid: { report: 'consentRates', from: '2026-01-01', to: null },
    invalid: [{ report: 'consentRates' }, { report: 'consentRates', from: 20260101, to: null }, { report: 'consentRates', from: null, to: '2026-13-01' }],
  },
}
