import { describe, expect, it } from 'vitest'
import { highlightParts } from '../../renderer/src/services/search-text'

const marked = (value: string, search: string) =>
  highlightParts(value, search)
    .filter((p) => p.match)
    .map((p) => p.text)

describe('the list highlights what the search matched, folded as the index folds', () => {
  it.each([
    ['Łukasz Wróbel', 'lukasz', ['Łukasz']],
    ['Anders Ørsted', 'orsted', ['Ørsted']],
    ['Johann Strauß', 'strauss', ['Strauß']],
    ['Zoë Müller', 'zoe mull', ['Zoë', 'Müll']],
    ["Siobhán O'Brien", 'obrien', ["O'Brien"]],
    ["Pat O'Brien", "o'b", ["O'B"]],
    ['1881', '188', ['188']],
    ['+44 7700 900123', '7700900', ['7700 900']],
    // A number typed with its trunk zero finds the same number stored in international form: its digits after the zero are marked.
    ['+44 7700 900123', '07700 9001', ['7700 9001']],
    ['07700 900123', '07700 9001', ['07700 9001']],
    // One or two letters are word starts, as the search treats them.
    ['Anna Banana', 'a', ['A']],
    ['Mary-Jane Smith', 'j s', ['J', 'S']],
    ['Jo Jones', 'jo', ['Jo', 'Jo']],
    ['Banjo Studio', 'jo', []],
    // A final sigma is a sigma, typed or stored.
    ['Οδυσσέας Παππάς', 'ΠΑΠΠΑΣ', ['Παππάς']],
    ['Οδυσσέας Παππάς', 'οδυς', ['Οδυσ']],
    // Punctuation that only ends a word as typed.
    ['Anna Smith', 'Smith, Anna', ['Anna', 'Smith']],
  ])('%j searched by %j', (value, search, expected) => {
    expect(marked(value, search)).toEqual(expected)
  })

  it('marks nothing for punctuation alone', () => {
    expect(marked("O'Brien", "'")).toEqual([])
    expect(marked('A*B', '*')).toEqual([])
  })
})
