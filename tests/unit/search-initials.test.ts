import { describe, expect, it } from 'vitest'
import { initialPair, initialsOf, initialsWithPairsOf } from '../../db/search/initials'

describe('the initials index’s document', () => {
  it('holds each word’s first character, then every two different ones as one word, in string order', () => {
    expect(initialsOf('mary jane obrien')).toBe('m j o')
    expect(initialsWithPairsOf('mary jane obrien')).toBe('m j o jm mo jo')
    expect(initialPair('s', 'j')).toBe('js')
    expect(initialPair('j', 's')).toBe('js')
  })

  it('makes no pair of one letter twice, and nothing of a text without words', () => {
    expect(initialsWithPairsOf('anna adams')).toBe('a a')
    expect(initialsWithPairsOf('zoe')).toBe('z')
    expect(initialsWithPairsOf(' - ')).toBe('')
  })

  it('pairs letters of any script and digits alike', () => {
    expect(initialsWithPairsOf('ζωη παπαδοπουλου 1881')).toBe('ζ π 1 ζπ 1ζ 1π')
  })
})
