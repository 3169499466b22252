import { copyFileSync, existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { migrations } from '../../db/migrations'
import { inspectDataFile } from '../../db/dataFile'
import { prepareDataFile } from '../../db/open'

/*
 * A new customer file as the app makes it (created, then every migration run),
 * made once per test process and copied for each test that wants a fresh
 * file: migrating from nothing takes about half a second, a copy a
 * millisecond. Upgrades and first creation have tests of their own.
 */

let template: string | null = null

async function makeTemplate(): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), 'frontdesk-template-')), 'frontdesk.sqlite3')
  // It closes the file when done, which checkpoints the WAL: the file alone is then the whole database.
  await prepareDataFile(file, inspectDataFile(file, migrations.map(([name]) => name)))
  if (existsSync(`${file}-wal`)) throw new Error('The template customer file kept a write-ahead log after closing')
  return file
}

/** Puts a fresh, fully migrated customer file at `file` (which must not exist yet). */
export async function copyFreshDataFile(file: string): Promise<void> {
  template ??= await makeTemplate()
  copyFileSync(template, file)
}
