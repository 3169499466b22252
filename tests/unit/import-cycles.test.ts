import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importCycles, typeScriptFiles } from '../helpers/imports'

const root = join(__dirname, '..', '..')

describe('imports', () => {
  // The contract is imported by all three sides: a circle in it is a circle everywhere.
  it('the IPC contract has no cycles, type-only imports included', () => {
    expect(importCycles(typeScriptFiles(join(root, 'preload', 'contract')), root)).toEqual([])
  })

  it('main/, db/ and preload/ have none either', () => {
    const files = ['main', 'db', 'preload'].flatMap((dir) => typeScriptFiles(join(root, dir)))
    expect(importCycles(files, root)).toEqual([])
  })

  it('a circle would be caught, even one of type-only imports', () => {
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
