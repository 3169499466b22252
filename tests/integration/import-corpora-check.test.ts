import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ImportSummary } from '../../preload/contract'
import { openTestCore, type TestCore } from '../helpers/core'
import { NO_FILE_DIALOGS } from '../../main/fileDialogs'

/*
 * Real-world files no one here wrote (../shared/corpora): each one is checked
 * through the whole import — read, mapped as recognised, every row checked —
 * and either gives its counts or is refused with a sentence, within 5 s.
 */
const corpora = join(__dirname, '..', '..', '..', 'shared', 'corpora')
const files = ['vcard', 'xlsx'].flatMap((kind) =>
  readdirSync(join(corpora, kind))
    .filter((name) => /\.(vcf|xlsx)$/i.test(name))
    .map((name) => join(corpora, kind, name)),
)
let file = ''
let app: TestCore

beforeAll(async () => {
  app = await openTestCore({ dialogs: { ...NO_FILE_DIALOGS, chooseImportFile: async () => file } })
})
afterAll(() => app.cleanup())

describe('every file in the shared corpora', () => {
  it('is there to check', () => expect(files.length).toBeGreaterThan(30))

  it.each(files.map((f) => [f.slice(corpora.length + 1), f]))('%s: checked or refused in words within 5 s', async (_name, path) => {
    file = path
    const started = Date.now()
    const chosen = await app.call('imports:choose', undefined)
    if (!chosen.ok) {
      expect(chosen.error.code).toBe('VALIDATION')
      expect(chosen.error.message).toMatch(/^[A-Z].{15,}[.)]$/)
    } else {
      const preview = chosen.data!
      const status = await app.callJob('imports:check', { sourceId: preview.sourceId, sheet: preview.sheet, mapping: preview.mapping.some(Boolean) ? preview.mapping : preview.mapping.map((_, i) => (i === 0 ? 'fullName' : '')), match: 'fill' })
      if (status.state === 'done') {
        const summary = status.result as ImportSummary
        // Rows about one customer are joined, so there are never more customers than rows taken.
        expect(summary.created + summary.updated + summary.unchanged + summary.skipped).toBeLessThanOrEqual(summary.rows - summary.rejected)
        if (process.env.SHOW_CORPORA) console.log(path.slice(corpora.length + 1), preview.layout, JSON.stringify({ ...summary, rejects: summary.rejects.slice(0, 2) }))
        for (const reject of summary.rejects) expect(reject.reason.length).toBeGreaterThan(10)
      } else {
        expect(status.error?.code).toBe('VALIDATION')
        expect(status.error?.message.length).toBeGreaterThan(15)
      }
    }
    expect(Date.now() - started).toBeLessThan(5000)
  })
})
