import { describe, expect, it } from 'vitest'
import { initialPair, initialsIndexWords, initialsOf, initialsWithPairsOf } from '../../db/search/initials'

describe('the initials index’s document', () => {
  it('holds each word’s first character, then every two different ones as one word, in string order', () => {
    expect(initialsOf('mary jane obrien')).toBe('m j o')
    expect(initialsWithPairsOf('mary jane obrien')).toBe('m j o jm mo jo')
    expect(initialPair('s', 'j')).toBe('js')
    expect(initialPair('j', 's')).toBe('js')
  })

  it('holds a letter that comes twice doubled, once, and makes nothing of a text without words', () => {
    expect(initialsWithPairsOf('anna adams')).toBe('a a aa')
    expect(initialsWithPairsOf('jane jones jewellers')).toBe('j j j jj')
    expect(initialsWithPairsOf('jane jones smith')).toBe('j j s js jj')
    expect(initialsWithPairsOf('zoe')).toBe('z')
    expect(initialsWithPairsOf(' - ')).toBe('')
  })

  it('looks typed initials up as the fewest words that answer them', () => {
    expect(initialsIndexWords(['j'])).toEqual(['j'])
    expect(initialsIndexWords(['j', 's'])).toEqual(['js'])
    expect(initialsIndexWords(['j', 'j'])).toEqual(['jj'])
    expect(initialsIndexWords(['j', 's', 'j'])).toEqual(['jj', 'js'])
    expect(initialsIndexWords(['m', 'j', 'o'])).toEqual(['jm', 'o'])
  })

  it('pairs letters of any script and digits alike', () => {
    expect(initialsWithPairsOf('ζωη παπαδοπουλου 1881')).toBe('ζ π 1 ζπ 1ζ 1π')
  })
})
