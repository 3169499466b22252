import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { DataFileProblem, type DataFileReason } from '../db/dataFile'
import { describeDatabaseFailure } from '../db/errors'

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

function rememberedDataFile(userDataDir: string): string | null {
  try {
    const saved = JSON.parse(readFileSync(join(userDataDir, REMEMBERED), 'utf8')) as { dataFile?: unknown }
    return typeof saved.dataFile === 'string' && saved.dataFile ? resolve(saved.dataFile) : null
  } catch {
    return null
  }
}

/** Remembers a file chosen in the dialog for the next start (written whole, then renamed into place). */
export function rememberDataFile(userDataDir: string, file: string): void {
  mkdirSync(userDataDir, { recursive: true })
  const target = join(userDataDir, REMEMBERED)
  const temporary = `${target}.${process.pid}.tmp`
  writeFileSync(temporary, JSON.stringify({ dataFile: file }, null, 2))
  renameSync(temporary, target)
}

export type Choice = 'open-other' | 'start-new' | 'quit'

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
        // A "new" file named over an existing one is still checked before use, like any other.
        next = choice === 'open-other' ? await dialogs.pickExistingFile() : await dialogs.pickNewFile()
      }
      file = resolve(next)
    }
  }
}
