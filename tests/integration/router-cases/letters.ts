import type { TestCore } from '../../helpers/core'
import { prepared, type RouterCase } from './types'

/** A customer with a postal address and a pending brochure request: what letters and labels print for. */
async function oneRequest(app: TestCore): Promise<number> {
  const { id } = await app.invoke('customers:create', {
    firstName: 'Letter',
    lastName: 'Router',
    addresses: [{ line1: '2 Mill Lane', city: 'Bath', postcode: 'BA2 2BB', country: 'GB' }],
  })
  const requests = await app.invoke('brochures:request', { customerId: id, note: '' })
  return requests[0]!.id
}

const defaultTemplateId = async (app: TestCore) => (await app.invoke('brochures:templates', undefined))[0]!.id

/** Letters, labels and letter templates (the brochures domain). */
export const letterCases: Record<string, RouterCase> = {
  'brochures:templates': { valid: undefined, invalid: [{ id: 1 }] },
  'brochures:mergeFields': { valid: undefined, invalid: [{ all: true }] },
  'brochures:saveTemplate': {
    valid: { name: 'Router letter', body: 'Dear {{first_name}},\n\nHere it is.\n\n{{business_name}}' },
    invalid: [
      { name: '', body: 'Hello' },
      { name: 'No body', body: '   ' },
      { name: 'Unknown field', body: 'Dear {{shoe_size}}' },
      { name: 'Unclosed', body: 'Dear {{first_name' },
      { name: 'Partial', body: '{{> header}}' },
      { name: 'Extra', body: 'Hi', script: 'alert(1)' },
    ],
  },
  'brochures:deleteTemplate': {
    valid: prepared(async (app) => {
      const list = await app.invoke('brochures:saveTemplate', { name: 'To remove', body: 'Bye {{display_name}}' })
      return { id: list.find((t) => t.name === 'To remove')!.id }
    }),
    invalid: [{ id: 0 }, { id: 'one' }, {}],
  },
  'brochures:previewLetter': {
    valid: { body: 'Dear {{display_name}},\n\nA preview.', customerId: null, envelope: 'c5' },
    invalid: [
      { body: 'Dear {{nobody}}', customerId: null },
      { body: 'Hi', customerId: null, envelope: 'c4' },
      { body: 'Hi', customerId: -1 },
    ],
  },
  'brochures:printCheck': {
    valid: prepared(async (app) => ({ selection: { kind: 'ids', ids: [await oneRequest(app)] } })),
    invalid: [{ selection: { kind: 'ids', ids: [] } }, { selection: { kind: 'all' } }, {}],
  },
  'brochures:printLetters': {
    valid: prepared(async (app) => ({
      selection: { kind: 'ids', ids: [await oneRequest(app)] },
      templateId: await defaultTemplateId(app),
      envelope: 'dl',
    })),
    invalid: [
      { selection: { kind: 'ids', ids: [1] }, templateId: 1, envelope: 'c6' },
      { selection: { kind: 'ids', ids: [1] }, envelope: 'dl' },
      { selection: { kind: 'ids', ids: [1] }, templateId: 1, envelope: 'dl', dir: '/tmp' },
    ],
  },
  'brochures:printLabels': {
    valid: prepared(async (app) => ({ selection: { kind: 'ids', ids: [await oneRequest(app)] }, sheet: 'a4-2x7', start: 3 })),
    invalid: [
      { selection: { kind: 'ids', ids: [1] }, sheet: 'a5-1x1' },
      { selection: { kind: 'ids', ids: [1] }, sheet: 'a4-3x7', start: 0 },
      { selection: { kind: 'ids', ids: [1] }, sheet: 'a4-3x7', start: 31 },
    ],
  },
}
