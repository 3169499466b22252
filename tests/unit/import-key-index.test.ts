import { describe, expect, it } from 'vitest'
import { KeyIndex } from '../../main/services/imports/keyIndex'

describe('the import key index', () => {
  it('finds each of many keys, keeps the first value given, and knows what it has not seen', () => {
    const index = new KeyIndex()
    for (let i = 0; i < 300_000; i++) index.setIfAbsent(`email:person${i}@example.com`, i)
    for (let i = 0; i < 300_000; i++) index.setIfAbsent(`email:person${i}@example.com`, -1)
    for (let i = 0; i < 300_000; i += 997) expect(index.get(`email:person${i}@example.com`)).toBe(i)
    expect(index.get('email:someone.else@example.com')).toBeUndefined()
    expect(index.get('')).toBeUndefined()
  })
})
