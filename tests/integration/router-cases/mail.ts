import { prepared, type RouterCase } from './types'

/** Email settings and templates. */
export const mailCases: Record<string, RouterCase> = {
  'mail:settings': { valid: undefined, invalid: [{ password: 'x' }] },
  'mail:updateSettings': {
    valid: { host: '127.0.0.1', port: 1, security: 'starttls', fromName: 'The Studio', fromAddress: 'desk@example.com' },
    invalid: [{ port: 0 }, { port: 70000 }, { security: 'ssl' }, { fromAddress: 'not an address' }, { siteAddress: 'http://example.com' }, { reminderHours: 169 }, { host: 'smtp example' }, { colour: 'red' }],
  },
  // The test email goes nowhere (127.0.0.1:1 refuses): the answer says so, it is not an error.
  'mail:sendTest': { valid: { to: 'someone@example.com' }, invalid: [{}, { to: '' }, { to: 'nobody' }] },
  'mail:templates': { valid: undefined, invalid: [{ purpose: 'general' }] },
  'mail:template': { valid: prepared(async (app) => ({ id: (await app.invoke('mail:templates', undefined))[0]!.id })), invalid: [{}, { id: 0 }, { id: 'one' }] },
  'mail:saveTemplate': {
    valid: { name: 'Router template', purpose: 'general', subject: 'Hello {{firstName}}', body: 'Dear {{firstName}},\n\n**Thanks.**' },
    invalid: [
      {},
      { name: '', purpose: 'general', subject: 'S', body: 'B' },
      { name: 'N', purpose: 'newsletter', subject: 'S', body: 'B' },
      { name: 'N', purpose: 'general', subject: '', body: 'B' },
      { name: 'N', purpose: 'general', subject: 'S', body: '' },
      { name: 'N', purpose: 'general', subject: 'S', body: 'B', html: '<b>' },
    ],
  },
  'mail:deleteTemplate': {
    valid: prepared(async (app) => ({ id: (await app.invoke('mail:saveTemplate', { name: 'Router delete me', purpose: 'general', subject: 'S', body: 'B' })).id })),
    invalid: [{}, { id: -1 }],
  },
  'mail:fields': { valid: undefined, invalid: [{ group: 'Customer' }] },
  'mail:preview': {
    valid: { subject: 'Hi {{firstName}}', body: 'Hello', customerId: null },
    invalid: [{}, { subject: 'S', body: 'B' }, { subject: 'S', body: 'B', customerId: 0 }, { subject: 'S', body: 'B', customerId: null, kind: 'spam' }, { subject: 'S', body: 'B', customerId: null, nextBooking: 'yes' }],
  },
}
