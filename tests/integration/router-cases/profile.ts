import type { RouterCase } from './types'

/** An 8×8 PNG. */
const png = new Uint8Array(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAEUlEQVR4nGMwTjuDFTEMLQkAuYZZQRPJG+IAAAAASUVORK5CYII=',
    'base64',
  ),
)
const card = { customerId: 1, brand: 'visa', last4: '4242', expMonth: 12, expYear: 2099 }

/**
 * Profile channels (the rest of the record), in the order their valid cases run (after the address-book
 * cases): custom field 1 is created first so that values can be set; card 1 is
 * added before it is made default and removed. Invalid cases run after every
 * valid case and include refusals made by the services (wording, cycles, Luhn…).
 */
export const profileCases: Record<string, RouterCase> = {
  'customFields:list': { valid: undefined, invalid: [{ x: 1 }, 'str'] },
  'customFields:save': {
    valid: { label: 'Router field', type: 'choice', options: ['A', 'B'] },
    invalid: [
      { label: '', type: 'text' },
      { label: 'X', type: 'colour' },
      { label: 'X', type: 'choice' },
      { label: 'X', type: 'text', options: [''] },
      { label: 'x'.repeat(61), type: 'text' },
      { label: 'X', type: 'text', position: 1 },
    ],
  },
  'customers:extras': { valid: { id: 1 }, invalid: [{}, { id: 0 }, { id: '1' }, { id: 1, extra: 1 }] },
  'customers:setPreferences': {
    valid: { id: 1, marketingConsent: true, unsubscribed: false, channel: 'desk', wording: 'Yes to the newsletter' },
    invalid: [
      { id: 1 },
      { id: 1, marketingConsent: 'yes', unsubscribed: false, channel: 'desk' },
      { id: 1, marketingConsent: false, unsubscribed: false, channel: 'email' },
      { id: 1, marketingConsent: false, unsubscribed: false, channel: 'desk', wording: 'x'.repeat(1001) },
      { id: 3, marketingConsent: true, unsubscribed: false, channel: 'desk', wording: ' ' },
    ],
  },
  'customers:consentHistory': { valid: { id: 1 }, invalid: [{ id: -1 }, {}] },
  'customers:setTax': {
    valid: { id: 1, taxStatus: 'special', specialRate: '12.5' },
    invalid: [
      { id: 1, taxStatus: 'reduced' },
      { id: 1, taxStatus: 'special', specialRate: 'abc' },
      { id: 1, taxStatus: 'special', specialRate: '150' },
      { id: 1, taxStatus: 'special' },
      { id: 1, taxStatus: 'special', specialRate: 12.5 },
    ],
  },
  'customers:setReferral': {
    valid: { id: 1, referredById: 3 },
    invalid: [
      { id: 1, referredById: 1 },
      { id: 3, referredById: 1 },
      { id: 1, referredById: 999_999 },
      { id: 1, referredById: null, rewardsBalanceMinor: 250 },
      { id: 1 },
    ],
  },
  'customers:setHousehold': {
    valid: { id: 2, payerId: 1 },
    invalid: [{ id: 2, payerId: 2 }, { id: 3, payerId: 999_999 }, { id: 3, payerId: 2 }, { id: 1, payerId: 3 }, { id: 1, payerId: '2' }, { id: 1 }],
  },
  'customers:setCustomFields': {
    valid: { id: 1, values: { '1': 'A' } },
    invalid: [
      { id: 1, values: { '999': 'x' } },
      { id: 1, values: { abc: 'x' } },
      { id: 1, values: { '1': { nested: true } } },
      { id: 1, values: { '1': 'x'.repeat(1001) } },
      { id: 1 },
    ],
  },
  'customers:setPhoto': {
    valid: { id: 1, image: png },
    invalid: [
      { id: 1, image: 'iVBORw0KGgo=' },
      { id: 1, image: new Uint8Array(0) },
      { id: 1, image: new TextEncoder().encode('not a picture, only text') },
      { id: 1, image: [1, 2, 3] },
      { id: 1 },
    ],
  },
  'customers:photo': { valid: { id: 1 }, invalid: [{ id: 'x' }, { id: 1, size: 'large' }] },
  'customers:removePhoto': { valid: { id: 1 }, invalid: [{ id: 0 }, {}] },
  'paymentMethods:add': {
    valid: card,
    invalid: [
      { ...card, last4: '4111 1111 1111 1111' },
      { ...card, last4: '12' },
      { ...card, cvc: '123' },
      { ...card, number: '4111111111111111' },
      { ...card, expMonth: 13 },
      { ...card, brand: 'bitcoin' },
      { ...card, expMonth: 1, expYear: 2020 },
    ],
  },
  'paymentMethods:setDefault': { valid: { id: 1 }, invalid: [{ id: '1' }, {}] },
  'paymentMethods:remove': { valid: { id: 1 }, invalid: [{ id: 0 }, { id: 1, customerId: 1 }] },
  'customFields:delete': { valid: { id: 1 }, invalid: [{ id: 0 }, { id: 1.5 }] },
}
