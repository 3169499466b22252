import { parseArgs } from 'node:util'
import { join, resolve, extname } from 'node:path'
import { createReadStream, existsSync, rmSync } from 'node:fs'
import { pipeline } from 'node:stream/promises'
import { DataFileProblem } from '../../db/dataFile'
import { describeDatabaseFailure } from '../../db/errors'
import { defaultDataFile } from '../../db/paths'
import { isServerDatabase } from '../../db/location'
import { exportInput, importMatchModes, type ExportFormat, type ImportMatchMode } from '../../preload/contract'
import { writeWhole } from '../services/exports/file'
import { DomainError } from '../services/errors'
import type { ImportJobInput } from '../services/imports'
import { makeSessionFolder, removeAbandonedSessionFolders } from '../sessionFolders'
import { checkDataFile, openForCommand, type CommandSession } from './session'
import { stopProgressBars, terminalProgress } from './progress'

/*
 * `frontdesk` — the administrator's command line over the same services as
 * the app, without Electron: import, export, check, demo. Run from the
 * repository with `npm run -s cli -- <command> …`.
 */

const HELP = `Usage: frontdesk <command> [options]

Commands:
  import FILE   Import customers from a CSV, Excel (.xlsx) or vCard (.vcf) file
  export FILE   Export customers to FILE (.csv or .xlsx)
  check         Check the customer file for damage and print what it holds
  backup        Back the customer file up now (into its backup folder)
  restore NAME  Replace the customer file with a backup (the app must be closed)
  copy          Copy all the data between a customer file and a PostgreSQL server
  demo          Add sample customers (with a sample catalogue and bookings)
  reset-password NAME  Set a new password for a member of staff who forgot theirs

Options for every command:
  --db PATH     The customer file, or a postgres:// URL of a shared server (default:
                FRONTDESK_DATABASE_URL, FRONTDESK_DATA_FILE, or the app's own file)
  --json        Print the outcome as JSON (for scripts); no progress bar
  --help        Show help for a command

Exit codes: 0 done, 1 refused or failed (nothing changed), 2 wrong usage,
3 the customer file cannot be used, 4 the change log was tampered with (check),
130 cancelled (nothing changed).`

const COMMAND_HELP: Record<string, string> = {
  import: `Usage: frontdesk import FILE [--db PATH] [--check] [--match fill|overwrite|skip|create] [--sheet NAME] [--rejects FILE [--force]] [--include-erased] [--json]

Imports customers with the mapping Frontdesk recognises from the file's headers
(Google or Outlook contacts, Frontdesk's own export, the migration layout, vCards),
or the one last used in the app for the same columns.
  --check          Dry run: count what would happen, change nothing
  --match MODE     A customer already in Frontdesk (same number, email, then phone):
                   fill (default) fills their empty fields, overwrite replaces them,
                   skip leaves them, create always adds (never a duplicate email)
  --sheet NAME     The worksheet of an Excel file (default: the first with data)
  --rejects FILE   Write the rows that could not be imported, with the reason, to FILE
                   (a new file; --force replaces one that exists)
  --include-erased Also add people whose email or phone belonged to someone erased
                   (without it their rows are refused, naming the date of erasure)`,
  export: `Usage: frontdesk export FILE [--db PATH] [--format csv|xlsx] [--columns a,b,…] [--notes] [--force] [--json]

Exports every customer (not those in the recycle bin) to CSV (UTF-8) or Excel.
FILE is written under a temporary name and takes its name only when whole; a
database (a customer file or a backup) is never written over.
  --format         csv or xlsx (default: from FILE's extension)
  --columns        Column keys, comma-separated (default: the usual columns)
  --notes          Include staff notes
  --force          Replace FILE when it exists (otherwise it is left as it is)`,
  backup: `Usage: frontdesk backup [--db PATH] [--folder DIR] [--json]

Makes a backup now with SQLite's online backup API, checks it (integrity, that it is
a Frontdesk file) and only then gives it its name, in the folder set in the app
(default: Backups beside the customer file). Encrypted when the app is set so, with
the passphrase from FRONTDESK_BACKUP_PASSPHRASE.
  --folder DIR     Put this backup in DIR instead`,
  restore: `Usage: frontdesk restore BACKUP [--db PATH] [--json]

Replaces the customer file with BACKUP (a backup's file name in the backup folder,
or a path). The backup is checked first (integrity, a Frontdesk file, not from a
newer Frontdesk); the current file is kept as a "before-restore" backup (or, when
damaged, renamed aside untouched); then the checked copy takes its place.
Encrypted backups need FRONTDESK_BACKUP_PASSPHRASE. Close the app first.`,
  copy: `Usage: frontdesk copy --from FILE|URL --to FILE|URL [--force] [--json]

Copies every table (ids kept) from one database to another: a customer file to a
PostgreSQL server (postgres://user:password@host:5432/database), the reverse, or file
to file. Each table is verified (row count and a checksum read back from the copy);
the search index is rebuilt. All or nothing: a server is written in one transaction,
a file under a temporary name renamed into place when whole. The source is only read.
  --from FILE|URL  The data to copy (a file is opened read-only)
  --to FILE|URL    Where to copy it: a new or empty file, or an empty database
  --force          Replace the target's data even when it holds some`,
  check: `Usage: frontdesk check [--db PATH] [--json]

Reads every page of the customer file (read-only) and reports damage, then what it
holds, then walks the change log's chain: an entry edited, removed or added outside
Frontdesk is reported (the first one, by entry number and time) with exit code 4.`,
  demo: `Usage: frontdesk demo [--db PATH] [--count N] [--seed N] [--json]

Adds N sample customers (default 1,000; up to 1,000,000) with bookings, reproducibly for a seed.`,
  'reset-password': `Usage: frontdesk reset-password NAME [--db PATH] [--json]

Sets a new password for the member of staff named NAME (for when the only
administrator has forgotten theirs) and lifts any wait after wrong tries. The
password is read from FRONTDESK_NEW_PASSWORD, or from the first line piped in;
at least 10 characters. The change log records the reset, never the password.`,
}

class UsageError extends Error {}

const EXIT = { ok: 0, failed: 1, usage: 2, file: 3, tampered: 4, cancelled: 130 } as const

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      'data-file': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      check: { type: 'boolean', default: false },
      match: { type: 'string' },
      sheet: { type: 'string' },
      rejects: { type: 'string' },
      'include-erased': { type: 'boolean', default: false },
      format: { type: 'string' },
      columns: { type: 'string' },
      notes: { type: 'boolean', default: false },
      count: { type: 'string' },
      seed: { type: 'string' },
      folder: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      force: { type: 'boolean', default: false },
    },
  })
  const [command, ...rest] = positionals
  // As the app does at its start: what a desk or a command that crashed left in the temporary folder goes.
  removeAbandonedSessionFolders()
  if (!command) {
    console.log(HELP)
    return values.help ? EXIT.ok : EXIT.usage
  }
  if (!(command in COMMAND_HELP)) throw new UsageError(`Unknown command “${command}”. Commands: import, export, check, backup, restore, copy, demo, reset-password.`)
  if (values.help) {
    console.log(COMMAND_HELP[command])
    return EXIT.ok
  }
  const given = values.db ?? values['data-file'] ?? process.env.FRONTDESK_DATABASE_URL ?? process.env.FRONTDESK_DATA_FILE ?? defaultDataFile()
  const db = isServerDatabase(given) ? given : resolve(given)
  const json = values.json
  const print = (outcome: object, words: string) => {
    stopProgressBars()
    console.log(json ? JSON.stringify(outcome, null, 2) : words)
  }

  if (isServerDatabase(db) && (command === 'check' || command === 'backup' || command === 'restore')) {
    throw new UsageError(`${command} works on a customer file. For a server, copy it into a file (frontdesk copy --from the server --to a file), or use the server's own tools (pg_dump).`)
  }
  if (command === 'check') {
    const report = await checkDataFile(db, terminalProgress(json, 'Checking'))
    const chain = report.changeLog?.message ?? 'The change log is not chained yet: Frontdesk chains it when it next opens the file.'
    print(report, `${db} is undamaged.\n${Object.entries(report.customers).map(([status, n]) => `  ${status}: ${n.toLocaleString('en-GB')}`).join('\n')}\n  imports: ${report.imports}\n${chain}`)
    return report.changeLog && !report.changeLog.intact ? EXIT.tampered : EXIT.ok
  }

  if (command === 'copy') {
    if (!values.from || !values.to) throw new UsageError('Give both ends: frontdesk copy --from FILE|URL --to FILE|URL')
    const { copyDatabase } = await import('../services/database/copy')
    // Ctrl+C: the copy rolls back at its next batch (a second Ctrl+C quits at once).
    let interrupted = false
    process.on('SIGINT', () => {
      if (interrupted) process.exit(130)
      interrupted = true
    })
    const report = await copyDatabase({ from: values.from, to: values.to, force: values.force }, terminalProgress(json, 'Copying', () => interrupted))
    const n = (x: number) => x.toLocaleString('en-GB')
    print(
      report,
      [
        `Copied ${n(report.rows)} rows in ${report.tables.length} tables from ${report.from} to ${report.to} in ${report.seconds} s; every table verified (rows and checksum).`,
        ...report.tables.filter((t) => t.rows > 0).map((t) => `  ${t.name}: ${n(t.rows)} rows, checksum ${t.checksum}`),
      ].join('\n'),
    )
    return EXIT.ok
  }

  if (command === 'backup') {
    const { backupCommand } = await import('./backups')
    const made = await backupCommand(db, values.folder, terminalProgress(json, 'Backing up'))
    print(made, `Backed up ${made.customers.toLocaleString('en-GB')} customers to ${made.folder}/${made.name} (${(made.bytes / 1e6).toFixed(1)} MB${made.encrypted ? ', encrypted' : ''}, checked) in ${made.seconds} s${made.removed ? `; ${made.removed} older ${made.removed === 1 ? 'backup' : 'backups'} removed by the keeping rules` : ''}`)
    return EXIT.ok
  }
  if (command === 'restore') {
    if (!rest[0]) throw new UsageError('Give the backup to restore: frontdesk restore BACKUP')
    const { restoreCommand } = await import('./backups')
    const report = await restoreCommand(db, rest[0], terminalProgress(json, 'Restoring'))
    print(
      report,
      `Restored ${report.restored} over ${db} (${report.customers.toLocaleString('en-GB')} customers).\n` +
        (report.damaged ? `  The damaged file was put aside, unchanged, as ${report.keptAs}.` : report.keptAs ? `  The file it replaced was kept as the backup ${report.keptAs}.` : ''),
    )
    return EXIT.ok
  }

  if (command === 'reset-password') {
    if (!rest[0]) throw new UsageError('Give the name of the member of staff: frontdesk reset-password NAME')
    const { newPasswordFromOutside, resetPasswordCommand } = await import('./staff')
    const password = newPasswordFromOutside()
    if (!password) throw new UsageError('Give the new password in FRONTDESK_NEW_PASSWORD, or pipe it in.')
    const session = await openForCommand(db)
    try {
      const account = await resetPasswordCommand(session, rest.join(' '), password)
      print(account, `New password set for ${account.name}; they can sign in with it now.`)
      return EXIT.ok
    } finally {
      await session.close()
    }
  }

  const file = rest[0] ? resolve(rest[0]) : null
  if ((command === 'import' || command === 'export') && !file) throw new UsageError(`Give the file to ${command}: frontdesk ${command} FILE`)
  const session = await openForCommand(db)
  try {
    if (command === 'import') return await importCommand(session, file!, values, json, print)
    if (command === 'export') return await exportCommand(session, file!, values, json, print)
    const count = Number(values.count ?? 1000)
    const seed = Number(values.seed ?? 42)
    if (!Number.isInteger(count) || count < 1 || count > 1_000_000) throw new UsageError('--count must be a whole number from 1 to 1,000,000.')
    if (!Number.isInteger(seed)) throw new UsageError('--seed must be a whole number.')
    // Each command loads only what it uses: the sample-data generator alone takes a second to load.
    const { seedSampleCustomers } = await import('../demo/seed')
    const result = await seedSampleCustomers(session.context(), count, seed, terminalProgress(json, 'Adding sample customers'))
    print({ ...result, file: db }, `Added ${result.created.toLocaleString('en-GB')} sample customers to ${db} in ${(result.ms / 1000).toFixed(1)} s`)
    return EXIT.ok
  } finally {
    await session.close()
  }
}

async function importCommand(
  session: CommandSession,
  file: string,
  values: { check?: boolean; match?: string; sheet?: string; rejects?: string; force?: boolean; 'include-erased'?: boolean },
  json: boolean,
  print: (outcome: object, words: string) => void,
): Promise<number> {
  const match = (values.match ?? 'fill') as ImportMatchMode
  if (!importMatchModes.includes(match)) throw new UsageError(`--match must be one of ${importMatchModes.join(', ')}.`)
  if (values.rejects) refuseExisting(resolve(values.rejects), values.force, '--rejects FILE')
  const { checkImport, cutOffBefore, rollBackInterruptedImports, runImport } = await import('../services/imports')
  // A private folder, as the desk's: a command killed midway leaves it for the next start to remove.
  const rejectsDir = makeSessionFolder('rejects')
  const rejectsFile = join(rejectsDir, 'rejects.csv')
  const input: ImportJobInput = { file, sheet: values.sheet ?? null, mapping: null, match, rejectsFile, includeErased: values['include-erased'] ?? false }
  try {
    const progress = terminalProgress(json, values.check ? 'Checking' : 'Importing', session.cancelled)
    const ctx = session.context()
    // An import cut off earlier is taken back first, as the app does when it opens the file.
    if (!values.check) await rollBackInterruptedImports(ctx, progress, cutOffBefore(ctx.db))
    const summary = values.check ? await checkImport(ctx, input, progress) : await runImport(ctx, input, progress)
    if (values.rejects && summary.rejected) await writeWhole(resolve(values.rejects), (out) => pipeline(createReadStream(rejectsFile), out))
    const n = (x: number) => x.toLocaleString('en-GB')
    const lines = [
      `${summary.dryRun ? 'Checked (nothing changed)' : 'Imported'} ${summary.fileName}: ${n(summary.rows)} ${summary.rows === 1 ? 'row' : 'rows'} in ${summary.seconds} s`,
      `  created ${n(summary.created)}, updated ${n(summary.updated)}, unchanged ${n(summary.unchanged)}, skipped ${n(summary.skipped)}, rejected ${n(summary.rejected)}`,
      ...(summary.notes || summary.bookings ? [`  notes ${n(summary.notes)}, past bookings ${n(summary.bookings)}`] : []),
      ...summary.rejects.slice(0, 10).map((r) => `  line ${r.line}: ${r.reason}`),
      ...(summary.rejected > 10 ? [`  … and ${n(summary.rejected - 10)} more${values.rejects ? `, all in ${values.rejects}` : ' (--rejects FILE saves them all)'}`] : []),
    ]
    print(summary, lines.join('\n'))
    return EXIT.ok
  } finally {
    rmSync(rejectsDir, { recursive: true, force: true })
  }
}

async function exportCommand(
  session: CommandSession,
  file: string,
  values: { format?: string; columns?: string; notes?: boolean; force?: boolean },
  json: boolean,
  print: (outcome: object, words: string) => void,
): Promise<number> {
  const format = (values.format ?? extname(file).slice(1).toLowerCase()) as ExportFormat
  if (format !== 'csv' && format !== 'xlsx') throw new UsageError('Give --format csv or xlsx (or a file ending in .csv or .xlsx).')
  refuseExisting(file, values.force, 'FILE')
  const { exportColumns, exportCustomers } = await import('../services/exports')
  const ctx = session.context()
  const available = await exportColumns(ctx)
  const columns = values.columns
    ? values.columns.split(',').map((c) => c.trim()).filter(Boolean)
    : available.filter((c) => c.defaultOn || (values.notes && c.key === 'notes')).map((c) => c.key)
  // The columns as the app's contract takes them: at least one, each a key the export knows.
  const checked = exportInput.shape.columns.safeParse(columns)
  if (!checked.success) throw new UsageError(`--columns: ${checked.error.issues[0]!.message}`)
  const unknown = columns.filter((key) => !available.some((c) => c.key === key))
  if (unknown.length) throw new UsageError(`--columns: no such column: ${unknown.join(', ')}. The columns: ${available.map((c) => c.key).join(', ')}.`)
  const result = await exportCustomers(ctx, { scope: { kind: 'all' }, format, columns }, file, terminalProgress(json, 'Exporting', session.cancelled))
  print(result, `Exported ${result.rows.toLocaleString('en-GB')} customers to ${file} (${(result.bytes / 1e6).toFixed(1)} MB)`)
  return EXIT.ok
}

/** A file the command would write that is already there is left alone unless --force says to replace it. */
function refuseExisting(file: string, force: boolean | undefined, what: string): void {
  if (!force && existsSync(file)) throw new UsageError(`${file} already exists: choose a new ${what}, or add --force to replace it.`)
}

main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code
  })
  .catch((error: unknown) => {
    const json = process.argv.includes('--json')
    // A full disk or a read-only file: the same sentence as in the app.
    const storage = describeDatabaseFailure(error)
    stopProgressBars()
    const fail = (code: number, message: string, extra: object = {}) => {
      if (json) console.log(JSON.stringify({ error: { message, ...extra } }, null, 2))
      else console.error(message)
      process.exitCode = code
    }
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) fail(EXIT.usage, `${(error as Error).message}\nRun frontdesk --help for usage.`)
    else if (error instanceof DataFileProblem) fail(EXIT.file, `${error.message}\nFile: ${error.file}`, { file: error.file, reason: error.reason })
    else if (error instanceof DomainError) fail(error.code === 'CANCELLED' ? EXIT.cancelled : EXIT.failed, error.message, { code: error.code, ...error.extra })
    else if (storage) fail(EXIT.failed, storage.message, { code: storage.code })
    else fail(EXIT.failed, error instanceof Error ? (error.stack ?? error.message) : String(error))
  })
