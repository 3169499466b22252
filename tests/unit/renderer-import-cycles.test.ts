import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importCycles, typeScriptFiles } from '../helpers/imports'

const root = join(__dirname, '..', '..')
const renderer = join(root, 'renderer', 'src')

// The files are read as text (nothing of the renderer is run), so this needs neither a DOM nor Pinia.
describe('renderer imports', () => {
  // The stores call each other's actions: the list reads the filters, the selection reads the list and the filters, never back up.
  it('the stores have no cycles, type-only imports included', () => {
    expect(importCycles(typeScriptFiles(join(renderer, 'stores')), root)).toEqual([])
  })

  it('nor do the other .ts modules of renderer/src', () => {
    expect(importCycles(typeScriptFiles(renderer), root)).toEqual([])
  })
})
