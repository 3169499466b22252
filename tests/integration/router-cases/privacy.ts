import { prepared, type RouterCase } from './types'

/** Personal-data requests, for customer 1 of the router's fixtures. */
export const privacyCases: Record<string, RouterCase> = {
  'privacy:subjectAccess': {
    valid: { customerId: 1 },
    invalid: [{}, { customerId: 0 }, { customerId: '1' }, { customerId: 1, format: 'pdf' }],
  },
  'privacy:subjectAccessSave': {
    // The request made above is kept in the session's printouts; the dialog is cancelled, so nothing is saved.
    valid: prepared(async (app) => {
      const started = (await app.invoke('jobs:list', {})).find((job) => job.kind === 'subjectAccess')
      const made = started ? await app.jobs.whenFinished(started.id) : undefined
      const id = made?.result && 'printout' in made.result ? made.result.printout.id : '0'.repeat(24)
      return { id, format: 'json' }
    }),
    invalid: [{}, { id: 'x', format: 'json' }, { id: '0'.repeat(24), format: 'csv' }, { id: '0'.repeat(24) }],
  },
  'privacy:erasePreview': {
    valid: { customerId: 1 },
    invalid: [{}, { customerId: 0 }, { customerId: 1, confirm: 'C-000001' }],
  },
  // A customer of its own: the shared fixtures' customers stay as they are for the cases after it.
  'privacy:erase': {
    valid: prepared(async (app) => {
      const customer = await app.invoke('customers:create', { firstName: 'To', lastName: 'Erase', email: 'to.erase@example.com', phones: [{ number: '07700 900999' }] })
      return { customerId: customer.id, confirm: customer.number }
    }),
    invalid: [{}, { customerId: 1 }, { customerId: 1, confirm: 'C-000002' }, { customerId: 1, confirm: 'x'.repeat(21) }],
  },
}
