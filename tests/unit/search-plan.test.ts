import { describe, expect, it } from 'vitest'
import { planSearch } from '../../db/search'

describe('planSearch', () => {
  it('is empty for blank or punctuation-only input', () => {
    expect(planSearch('')).toBeNull()
    expect(planSearch('   ')).toBeNull()
    expect(planSearch('%')).toBeNull()
  })

  it('reads any run of digits, whatever the formatting, as a phone/number search', () => {
    expect(planSearch('7700 900')).toMatchObject({ digits: '7700900', fragments: [] })
    expect(planSearch('+44 (0) 20-7946.0018')).toMatchObject({ digits: '440207946' + '0018' })
    expect(planSearch('07')).toMatchObject({ digits: null, shortDigits: '07' })
  })

  it('reads C-123 as a customer number', () => {
    expect(planSearch('C-000123')).toMatchObject({ customerNumber: 123 })
    expect(planSearch('c123')).toMatchObject({ customerNumber: 123 })
  })

  it('reads lone initials as the start of the name, accents folded', () => {
    expect(planSearch('z')).toMatchObject({ namePrefix: 'z', fragments: [], prefixes: [] })
    expect(planSearch('É')).toMatchObject({ namePrefix: 'e' })
    expect(planSearch('j s')).toMatchObject({ namePrefix: 'j' })
    expect(planSearch('j smith')).toMatchObject({ namePrefix: null, fragments: ['smith'] })
  })

  it('splits words into fragments and short word prefixes', () => {
    expect(planSearch('Zoë  Mü')).toMatchObject({ fragments: ['zoë'], prefixes: ['mü'] })
    expect(planSearch('anna.s@example')).toMatchObject({ fragments: ['anna.s@example'] })
  })
})
