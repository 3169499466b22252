import { describe, expect, it } from 'vitest'
import { planSearch } from '../../db/search'
import { rowMatches } from '../../db/search/rowMatch'

describe('planSearch', () => {
  const nobody = { fragments: [], prefixes: [], digits: null, shortDigits: null, customerNumber: null, initials: [] }

  it('is empty (everyone) for blank input, and matches nobody for punctuation alone', () => {
    expect(planSearch('')).toBeNull()
    expect(planSearch('   ')).toBeNull()
    expect(planSearch('\u200b\u0000')).toBeNull()
    for (const punctuation of ['%', "'", '"', '*', '***', '" *', '-', '()']) expect(planSearch(punctuation)).toEqual(nobody)
  })

  it('folds letters Unicode does not decompose, and drops apostrophes', () => {
    expect(planSearch('Łukasz')).toMatchObject({ fragments: ['lukasz'] })
    expect(planSearch('ØRSTED søren đorđe')).toMatchObject({ fragments: ['orsted', 'soren', 'dorde'] })
    expect(planSearch('Strauß')).toMatchObject({ fragments: ['strauss'] })
    expect(planSearch("O'Brien")).toMatchObject({ fragments: ['obrien'] })
    expect(planSearch("o'b")).toMatchObject({ prefixes: ['ob'] })
    expect(planSearch('ł')).toMatchObject({ initials: ['l'] })
  })

  it('leaves out the punctuation that only ends or opens a word as typed, and keeps what an email or a name holds', () => {
    expect(planSearch('Smith, Anna')).toMatchObject({ fragments: ['smith', 'anna'] })
    expect(planSearch('(Anna) "Smith";')).toMatchObject({ fragments: ['anna', 'smith'] })
    expect(planSearch('jo, s')).toMatchObject({ prefixes: ['jo'], initials: ['s'] })
    expect(planSearch('anna.s @example.org smith-jones')).toMatchObject({ fragments: ['anna.s', '@example.org', 'smith-jones'] })
  })

  it('takes a final sigma for a sigma, as the indexes do, and tests a row the same way', () => {
    expect(planSearch('ΟΔΥΣ')).toMatchObject({ fragments: ['οδυσ'] })
    const row = { id: 7, displayName: 'Οδυσσέας Παππάς', displayNameIsCustom: false, firstName: 'Οδυσσέας', lastName: 'Παππάς', email: '', company: '', postcodes: '', phoneDigits: '' }
    for (const typed of ['ΟΔΥΣ', 'οδυσ', 'Παππάς', 'ΠΑΠΠΑΣ', 'παππας']) expect([typed, rowMatches(planSearch(typed)!, row)]).toEqual([typed, true])
  })

  it('strips NUL and invisible characters instead of failing', () => {
    expect(planSearch('smi\u0000th')).toMatchObject({ fragments: ['smith'] })
    expect(planSearch('sm\u200bith\u202e')).toMatchObject({ fragments: ['smith'] })
    // The indexes' mark around an initial is no part of a search.
    expect(planSearch('\ue000s\ue000')).toEqual(planSearch('s'))
    expect(planSearch('jo \ue000s\ue000')).toEqual(planSearch('jo s'))
  })

  it('reads any run of digits, whatever the formatting, as a phone/number search', () => {
    expect(planSearch('7700 900')).toMatchObject({ digits: '7700900', fragments: [] })
    expect(planSearch('+44 (0) 20-7946.0018')).toMatchObject({ digits: '440207946' + '0018' })
    expect(planSearch('07')).toMatchObject({ digits: null, shortDigits: '07' })
    expect(planSearch('1881')).toMatchObject({ digits: '1881' })
  })

  it('reads C-123 as a customer number', () => {
    expect(planSearch('C-000123')).toMatchObject({ customerNumber: 123 })
    expect(planSearch('c123')).toMatchObject({ customerNumber: 123 })
  })

  it('reads single letters as initials (word starts of the name or company), accents folded, every one of them', () => {
    expect(planSearch('z')).toMatchObject({ initials: ['z'], fragments: [], prefixes: [] })
    expect(planSearch('É')).toMatchObject({ initials: ['e'] })
    expect(planSearch('j s')).toMatchObject({ initials: ['j', 's'] })
    expect(planSearch('j smith')).toMatchObject({ initials: ['j'], fragments: ['smith'] })
  })

  it('reads the same initial typed twice as two of it, and a third as no more', () => {
    expect(planSearch('s S')).toMatchObject({ initials: ['s', 's'] })
    expect(planSearch('j s j j')).toMatchObject({ initials: ['j', 's', 'j'] })
  })

  it('finds a row with as many of each initial as typed, in the name or the company', () => {
    const row = (displayName: string, company = '') => ({
      id: 1,
      displayName,
      displayNameIsCustom: false,
      firstName: '',
      lastName: '',
      email: '',
      company,
      postcodes: '',
      phoneDigits: '',
    })
    const matches = (search: string, displayName: string, company?: string) => rowMatches(planSearch(search)!, row(displayName, company))
    expect(matches('j j', 'Jane Jones')).toBe(true)
    expect(matches('j j', 'Jane Smith')).toBe(false)
    expect(matches('j j', 'Jane Smith', 'Jewellers')).toBe(true)
    expect(matches('j j j', 'Jane Jones')).toBe(true)
    expect(matches('j j s', 'Jane Jones')).toBe(false)
    expect(matches('j s j', 'Jane Jones Smith')).toBe(true)
    expect(matches('jones j j', 'Jane Jones')).toBe(true)
    expect(matches('jones j j', 'Ann Bloggs', 'Jones Ltd')).toBe(false)
  })

  it('splits words into fragments and short word prefixes', () => {
    expect(planSearch('Zoë  Mü')).toMatchObject({ fragments: ['zoe'], prefixes: ['mu'] })
    expect(planSearch('anna.s@example')).toMatchObject({ fragments: ['anna.s@example'] })
  })
})
