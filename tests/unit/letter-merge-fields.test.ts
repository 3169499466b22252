import { describe, expect, it } from 'vitest'
import { checkTemplateBody, customFieldKey, fillTemplate, STANDARD_FIELDS } from '../../main/services/brochures/mergeFields'

describe('merge fields', () => {
  const known = new Set([...STANDARD_FIELDS.map((f) => f.key), 'custom.favourite_class'])

  it('names custom fields by their label', () => {
    expect(customFieldKey('Favourite class')).toBe('custom.favourite_class')
    expect(customFieldKey('  Café — Table #')).toBe('custom.cafe_table')
  })

  it('refuses unknown fields, naming them, and anything but fields', () => {
    expect(() => checkTemplateBody('Dear {{first_name}} {{shoe_size}} {{custom.pet}}', known)).toThrow(
      'These merge fields do not exist: {{shoe_size}}, {{custom.pet}}.',
    )
    expect(() => checkTemplateBody('{{> letterhead}}', known)).toThrow('Templates may only use merge fields')
    expect(() => checkTemplateBody('{{=<% %>=}}', known)).toThrow('Templates may only use merge fields')
    expect(() => checkTemplateBody('Dear {{first_name', known)).toThrow('not closed properly')
    expect(() => checkTemplateBody('{{#custom.favourite_class}}You like {{custom.favourite_class}}.{{/custom.favourite_class}}', known)).not.toThrow()
  })

  it('fills fields without HTML escaping and drops the address-block line', () => {
    const data = {
      first_name: 'Tom & Jerry',
      last_name: '<O’Brien>',
      display_name: 'Tom',
      today: '1 December 2026',
      business_name: 'B',
      business_address: '',
      business_phone: '',
      business_email: '',
      custom: { favourite_class: 'Yoga' },
    }
    const contact = 'get in touch{{#business_phone}} on {{business_phone}}{{/business_phone}}{{#business_email}} or at {{business_email}}{{/business_email}}.'
    expect(fillTemplate(contact, data)).toBe('get in touch.')
    expect(fillTemplate(contact, { ...data, business_email: 'a@b.example' })).toBe('get in touch or at a@b.example.')
    expect(fillTemplate('{{address_block}}\nDear {{first_name}} {{last_name}}, {{custom.favourite_class}} on {{today}}', data)).toBe(
      'Dear Tom & Jerry <O’Brien>, Yoga on 1 December 2026',
    )
  })
})
