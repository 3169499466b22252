import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { DataFileProblem, type DataFileReason } from '../db/dataFile'
import { describeDatabaseFailure } from '../db/errors'
import { describeLocation, isServerDatabase } from '../db/location'
import type { DatabaseChoice, DatabaseChoices } from './services/database/choice'
import { serverAddress, type ServerSettings } from './services/database/server'

/*
 * Which customer file the app opens, and what happens when it cannot: the
 * refusal names the file and says why in plain words, and offers to open
 * another file or start a new one. Nothing here imports Electron; main/index.ts
 * passes the real dialogs in, tests pass fakes.
 */

const DATA_FILE_FLAG = '--data-file='
const REMEMBERED = 'data-file.json'

/**
 * `FRONTDESK_DATA_FILE`, then `--data-file=…`, then the file chosen last time
 * in a "cannot open" dialog, then the per-user default.
 */
export function resolveDataFile(argv: readonly string[], env: NodeJS.ProcessEnv, userDataDir: string): string {
  const fromEnv = env['FRONTDESK_DATA_FILE']?.trim()
  if (fromEnv) return resolve(fromEnv)
  const flag = argv.find((arg) => arg.startsWith(DATA_FILE_FLAG))?.slice(DATA_FILE_FLAG.length).trim()
  if (flag) return resolve(flag)
  return rememberedDataFile(userDataDir) ?? join(userDataDir, 'frontdesk.sqlite3')
}

interface Remembered {
  dataFile?: unknown
  /** The server set in Settings → Database (no password: that is kept with the system's protection). */
  server?: ServerSettings | null
  useServer?: boolean
}

function readRemembered(userDataDir: string): Remembered {
  try {
    return JSON.parse(readFileSync(join(userDataDir, REMEMBERED), 'utf8')) as Remembered
  } catch {
    return {}
  }
}

function rememberedDataFile(userDataDir: string): string | null {
  const saved = readRemembered(userDataDir)
  return typeof saved.dataFile === 'string' && saved.dataFile ? resolve(saved.dataFile) : null
}

function writeRemembered(userDataDir: string, saved: Remembered): void {
  mkdirSync(userDataDir, { recursive: true })
  const target = join(userDataDir, REMEMBERED)
  const temporary = `${target}.${process.pid}.tmp`
  writeFileSync(temporary, JSON.stringify(saved, null, 2))
  renameSync(temporary, target)
}

/** Remembers a file chosen in the dialog for the next start (written whole, then renamed into place). */
export function rememberDataFile(userDataDir: string, file: string): void {
  if (isServerDatabase(file)) return
  writeRemembered(userDataDir, { ...readRemembered(userDataDir), dataFile: file })
}

const DB_FLAG = '--db'

/** `--db=URL`, or `--db URL` (the command line's spelling), when given. */
function dbFlag(argv: readonly string[]): string | null {
  const index = argv.findIndex((arg) => arg === DB_FLAG || arg.startsWith(`${DB_FLAG}=`))
  if (index < 0) return null
  const value = argv[index] === DB_FLAG ? argv[index + 1] : argv[index]!.slice(DB_FLAG.length + 1)
  return value?.trim() || null
}

/**
 * Where the desk opens: FRONTDESK_DATABASE_URL or `--db` (a server's
 * postgres:// URL, or a file), then the server chosen in Settings → Database
 * (with its kept password), then the customer file (resolveDataFile).
 * `localFile` is the file "Use the local file" goes back to.
 */
export function resolveDatabase(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  userDataDir: string,
  serverPassword: string | null,
): { location: string; localFile: string } {
  const localFile = resolveDataFile(argv, env, userDataDir)
  const given = env['FRONTDESK_DATABASE_URL']?.trim() || dbFlag(argv)
  if (given) return { location: isServerDatabase(given) ? given : resolve(given), localFile: isServerDatabase(given) ? localFile : resolve(given) }
  const saved = readRemembered(userDataDir)
  if (saved.useServer && saved.server) return { location: serverAddress(saved.server, serverPassword), localFile }
  return { location: localFile, localFile }
}

/** Settings → Database's choice, kept beside the remembered file in the user data folder. */
export class RememberedDatabaseChoices implements DatabaseChoices {
  constructor(
    private readonly userDataDir: string,
    private readonly localFile: string,
  ) {}
  read(): DatabaseChoice {
    const saved = readRemembered(this.userDataDir)
    return { localFile: this.localFile, server: saved.server ?? null, useServer: Boolean(saved.useServer) }
  }
  save(change: Partial<Omit<DatabaseChoice, 'localFile'>>): void {
    writeRemembered(this.userDataDir, { ...readRemembered(this.userDataDir), ...change })
  }
}

export type Choice = 'open-other' | 'start-new' | 'retry' | 'use-local' | 'quit'

export interface OpenProblem {
  title: string
  /** What went wrong and what to do, for the person at the desk. */
  message: string
  file: string
  choices: Choice[]
}

/** The dialogs the flow needs (Electron's in the app). */
export interface StartupDialogs {
  ask(problem: OpenProblem): Promise<Choice>
  /** An existing customer file; null when cancelled. */
  pickExistingFile(): Promise<string | null>
  /** Where to make a new customer file; null when cancelled. */
  pickNewFile(): Promise<string | null>
}

const TITLES: Record<DataFileReason, string> = {
  foreign: 'This is not a Frontdesk file',
  'not-a-database': 'This is not a Frontdesk file',
  newer: 'This file needs a newer Frontdesk',
  damaged: 'The customer file is damaged',
  'in-use': 'Frontdesk is already open',
  linked: 'The customer file has two names',
  'read-only': 'The customer file cannot be saved to',
  unreadable: 'The customer file cannot be read',
  'server-unreachable': 'The database server cannot be reached',
  'server-login': 'The database server refused to let Frontdesk in',
  'server-foreign': 'This is not a Frontdesk database',
  'server-newer': 'This database needs a newer Frontdesk',
  'server-setup': 'The database could not be set up',
}

/** What to tell the desk about a failure to open, with the ways on that make sense for it. */
export function describeOpenProblem(error: unknown, file: string): OpenProblem {
  if (isServerDatabase(file)) {
    // A server: try it again (it may be starting), or work on this computer's own file meanwhile.
    const reason = error instanceof DataFileProblem ? error.reason : null
    const message = error instanceof DataFileProblem ? error.message : (describeDatabaseFailure(error)?.message ?? 'Frontdesk could not open the database on the server. The details are in the log file.')
    return { title: reason ? TITLES[reason] : 'Frontdesk cannot open the database', message, file: describeLocation(file), choices: ['retry', 'use-local', 'quit'] }
  }
  if (error instanceof DataFileProblem) {
    // A second copy of the app: the way on is the copy already open, not another file.
    const choices: Choice[] = error.reason === 'in-use' ? ['quit'] : ['open-other', 'start-new', 'quit']
    return { title: TITLES[error.reason], message: error.message, file, choices }
  }
  const storage = describeDatabaseFailure(error)
  return {
    title: 'Frontdesk cannot open the customer file',
    message:
      storage?.message ??
      'Frontdesk could not open the customer file, and has not changed it. The details are in the log file; open another file, or start a new one.',
    file,
    choices: ['open-other', 'start-new', 'quit'],
  }
}

/**
 * Tries the file; when it cannot be used, asks what to do and tries the file
 * chosen instead, until one opens or the person quits (null). `onProblem`
 * hears every failure (for the log). With `known`, the first file already
 * failed (found damaged while in use): the flow starts at the question.
 */
export async function openWithRecovery<T>(
  firstFile: string,
  open: (file: string) => Promise<T>,
  dialogs: StartupDialogs,
  onProblem: (file: string, error: unknown) => void,
  known?: unknown,
  /** The file "Use the local file" opens when a server cannot be used. */
  localFile?: string,
): Promise<{ core: T; file: string } | null> {
  let file = firstFile
  let failure = known
  for (;;) {
    try {
      if (failure !== undefined) throw failure
      return { core: await open(file), file }
    } catch (error) {
      failure = undefined
      onProblem(file, error)
      let next: string | null = null
      while (next === null) {
        const choice = await dialogs.ask(describeOpenProblem(error, file))
        if (choice === 'quit') return null
        if (choice === 'retry') next = file
        else if (choice === 'use-local') next = localFile ?? null
        // A "new" file named over an existing one is still checked before use, like any other.
        else next = choice === 'open-other' ? await dialogs.pickExistingFile() : await dialogs.pickNewFile()
      }
      file = isServerDatabase(next) ? next : resolve(next)
    }
  }
}
