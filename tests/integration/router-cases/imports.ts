import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FileDialogs } from '../../../main/fileDialogs'
import type { ImportPreview, ImportSummary, JobStatus } from '../../../preload/contract'
import type { TestCore } from '../../helpers/core'
import { finishJob } from '../../helpers/core'
import { prepared, type RouterCase } from './types'

/** The dialogs of the router's app: a small CSV to import, and files in a temp folder to save to. */
const folder = mkdtempSync(join(tmpdir(), 'frontdesk-router-files-'))
const csv = join(folder, 'customers.csv')
writeFileSync(csv, 'First name,Last name,Email\nImported,Router,imported.router@example.com\nBad,Email,not-an-email\n')
export const routerDialogs: FileDialogs = {
  chooseImportFile: async () => csv,
  chooseExportFile: async (name) => join(folder, name),
  chooseRejectsFile: async (name) => join(folder, name),
  chooseReportFile: async (name) => join(folder, name),
  choosePrintoutFile: async (name) => join(folder, name),
}

const chosen = async (app: TestCore) => (await app.invoke('imports:choose', undefined)) as ImportPreview
const request = async (app: TestCore) => {
  const preview = await chosen(app)
  return { sourceId: preview.sourceId, sheet: null, mapping: preview.mapping, match: 'fill' as const }
}
const someSource = 'a'.repeat(32)

/** Customers in and out: the file dialogs answer with files of the test's own. */
export const importCases: Record<string, RouterCase> = {
  'imports:choose': { valid: undefined, invalid: [{ file: '/etc/passwd' }, 'customers.csv'] },
  'imports:preview': {
    valid: prepared(async (app) => ({ sourceId: (await chosen(app)).sourceId, sheet: null })),
    invalid: [{ sourceId: '../../etc/passwd', sheet: null }, { sourceId: someSource }, { sourceId: someSource, sheet: null, file: '/tmp/x' }],
  },
  'imports:check': {
    valid: prepared(request),
    invalid: [
      { sourceId: someSource, sheet: null, mapping: [] },
      { sourceId: someSource, sheet: null, mapping: ['password'] },
      { sourceId: someSource, sheet: null, mapping: ['email'], match: 'merge' },
    ],
  },
  'imports:run': { valid: prepared(request), invalid: [{ sourceId: someSource, sheet: 5, mapping: ['email'] }, {}] },
  'imports:saveRejects': {
    valid: prepared(async (app) => ({ jobId: (await app.callJob('imports:check', await request(app))).id })),
    invalid: [{ jobId: 0 }, { jobId: 'x' }, { jobId: 1, path: '/tmp/x.csv' }],
  },
  'imports:list': { valid: undefined, invalid: [{ all: true }] },
  'imports:undo': {
    valid: prepared(async (app) => {
      const started = (await app.invoke('imports:run', await request(app))) as JobStatus
      const summary = (await finishJob(app.call, started)).result as ImportSummary
      return { id: summary.importId }
    }),
    invalid: [{ id: '1' }, {}, { id: 1, force: true }],
  },
  'exports:columns': { valid: undefined, invalid: [{ format: 'csv' }] },
  'exports:start': {
    valid: { scope: { kind: 'all' }, format: 'csv', columns: ['number', 'email', 'addressLine1', 'addressLine2'] },
    invalid: [
      { scope: { kind: 'all' }, format: 'pdf', columns: ['email'] },
      { scope: { kind: 'all' }, format: 'csv', columns: [] },
      { scope: { kind: 'ids', ids: [] }, format: 'csv', columns: ['email'] },
      { scope: { kind: 'all' }, format: 'csv', columns: ['email; DROP TABLE'] },
      { scope: { kind: 'all' }, format: 'csv', columns: ['email'], file: '/tmp/out.csv' },
    ],
  },
}
