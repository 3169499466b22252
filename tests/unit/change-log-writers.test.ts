import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

/*
 * The change log's chain holds only if every entry is written with its hash:
 * entries are added through `appendChanges`/`recordChange`
 * (main/services/changeLog.ts) or a `ChangeLogAppender` (db/changeChain.ts),
 * never by an INSERT of its own elsewhere.
 */

const root = join(__dirname, '..', '..')
const WRITERS = new Set(['main/services/changeLog.ts', 'db/changeChain.ts'])

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return name === 'migrations' ? [] : sources(path)
    return /\.(ts|vue)$/.test(name) ? [path] : []
  })
}

describe('writers of the change log', () => {
  it('are only the two that chain each entry', () => {
    const writing = [...sources(join(root, 'main')), ...sources(join(root, 'db'))]
      .filter((file) => /INSERT\s+(OR\s+\w+\s+)?INTO\s+[`"]?change_log\b|\(\s*['"`]change_log['"`]\s*\)\s*\.\s*insert\(/i.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file))
    expect(writing.filter((file) => !WRITERS.has(file))).toEqual([])
  })
})
