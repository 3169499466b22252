import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importCycles, typeScriptFiles } from '../helpers/imports'

const root = join(__dirname, '..', '..')

describe('the IPC contract', () => {
  it('has no import cycles, type-only imports included', () => {
    expect(importCycles(typeScriptFiles(join(root, 'preload', 'contract')), root)).toEqual([])
  })

  it('would be caught importing in a circle, even by types alone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'frontdesk-imports-'))
    try {
      writeFileSync(join(dir, 'a.ts'), "import { z } from 'zod'\nimport type { B } from './b'\nexport const a = z.string()\n")
      writeFileSync(join(dir, 'b.ts'), "import {\n  a,\n} from './a'\nexport type B = typeof a\n")
      writeFileSync(join(dir, 'c.ts'), "export * from './a'\n")
      expect(importCycles(typeScriptFiles(dir), dir)).toEqual([['a.ts', 'b.ts', 'a.ts']])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
