import { describe, expect, it } from 'vitest'
import { compareNames, foldName, isNickname, nameKeys } from '../../main/services/duplicates/names'
import { scorePair } from '../../main/services/duplicates/scoring'
import { groupPairs } from '../../main/services/duplicates/groups'
import { postcodeKey, postcodeSpellings } from '../../main/services/duplicates/summaries'

const name = (firstName: string, lastName: string) => ({ firstName, lastName })

describe('name rules for duplicates', () => {
  it('folds names as searches do', () => {
    expect(foldName("O'Brien")).toBe('obrien')
    expect(foldName('Łukasz')).toBe('lukasz')
    expect(foldName('Zoë-Anne')).toBe('zoeanne')
    expect(foldName('Ελένη')).toBe('ελενη')
  })

  it.each([
    ['bob', 'robert'],
    ['bobby', 'rob'],
    ['kasia', 'katarzyna'],
    ['gosia', 'malgorzata'],
    ['pepe', 'jose'],
    ['paco', 'francisco'],
    ['sascha', 'alexander'],
    ['kate', 'katie'],
    ['bill', 'william'],
  ])('%s is a nickname of %s (and back)', (a, b) => {
    expect(isNickname(a, b)).toBe(true)
    expect(isNickname(b, a)).toBe(true)
  })

  it.each([
    ['anna', 'robert'],
    ['kasia', 'malgorzata'],
    ['john', 'john'],
  ])('%s is no nickname of %s', (a, b) => expect(isNickname(a, b)).toBe(false))

  it.each([
    [name('Robert', 'Smith'), name('Robert', 'Smith'), 'same'],
    [name('Bob', 'Smith'), name('Robert', 'Smith'), 'nickname'],
    [name('Kasia', 'Nowak'), name('Katarzyna', 'Nowak'), 'nickname'],
    [name('Smith', 'John'), name('John', 'Smith'), 'swapped'],
    [name('Jon', 'Smith'), name('John', 'Smith'), 'nickname'],
    [name('Jonh', 'Smith'), name('John', 'Smith'), 'similar'],
    [name('John', 'Smyth'), name('John', 'Smith'), 'similar'],
    [name('Hans', 'Schmidt'), name('Hans', 'Schmitt'), 'similar'],
    [name('J', 'Smith'), name('John', 'Smith'), 'similar'],
    [name('Łukasz', 'Wójcik'), name('Lukasz', 'Wojcik'), 'same'],
    [name('John', 'Smith'), name('Jane', 'Smith'), null],
    [name('John', 'Smith'), name('John', 'Jones'), null],
    [name('', 'Smith'), name('John', 'Smith'), null],
  ] as const)('%o and %o: %s', (a, b, expected) => {
    expect(compareNames(a, b)).toBe(expected)
    expect(compareNames(b, a)).toBe(expected)
  })

  it('files names that may match under a shared key', () => {
    const shares = (a: ReturnType<typeof name>, b: ReturnType<typeof name>) => nameKeys(a).some((key) => nameKeys(b).includes(key))
    expect(shares(name('Bob', 'Smith'), name('Robert', 'Smith'))).toBe(true)
    expect(shares(name('Kasia', 'Nowak'), name('Katarzyna', 'Nowak'))).toBe(true)
    expect(shares(name('Smith', 'John'), name('John', 'Smith'))).toBe(true)
    expect(shares(name('John', 'Smyth'), name('John', 'Smith'))).toBe(true)
    expect(shares(name('Alice', 'Jones'), name('Robert', 'Smith'))).toBe(false)
  })

  it('scores: an email above a phone, a matching name adds, a postcode needs a name', () => {
    const none = { email: false, phone: false, postcode: false }
    expect(scorePair({ ...none, postcode: true }, null)).toBeNull()
    expect(scorePair(none, 'same')).toBeNull()
    const email = scorePair({ ...none, email: true }, null)!
    const phone = scorePair({ ...none, phone: true }, null)!
    const phoneAndName = scorePair({ ...none, phone: true }, 'same')!
    expect(email.score).toBeGreaterThan(phone.score)
    expect(phoneAndName.score).toBeGreaterThan(phone.score)
    expect(scorePair({ ...none, postcode: true }, 'nickname')).toEqual({ reasons: ['name-postcode', 'nickname'], score: 77 })
    expect(scorePair({ email: true, phone: true, postcode: true }, 'same')!.score).toBeLessThanOrEqual(99)
  })

  it('joins chains of pairs into groups', () => {
    expect(groupPairs([[1, 2], [2, 3], [5, 4], [7, 8], [8, 4]]).sort((a, b) => a[0]! - b[0]!)).toEqual([[1, 2, 3], [4, 5, 7, 8]])
  })

  it('compares postcodes without case or spaces, and looks up the usual spellings', () => {
    expect(postcodeKey(' ba1 1aa ')).toBe('BA11AA')
    expect(postcodeSpellings('ba11aa')).toEqual(expect.arrayContaining(['BA1 1AA', 'BA11AA', 'ba11aa']))
    expect(postcodeSpellings('31147')).toEqual(expect.arrayContaining(['31-147', '31 147']))
  })
})
