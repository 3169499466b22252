import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/*
 * A session's private folders in the system's temporary folder (printouts, the rows an import
 * refused) hold personal data. The app removes them when it closes; when it never closed (a crash,
 * a power cut), the next start removes them once the process that made them is gone.
 */

/** The folder kinds a desk makes: `frontdesk-<kind>-XXXXXX`. */
export const SESSION_FOLDER_KINDS = ['printouts', 'rejects'] as const
export type SessionFolderKind = (typeof SESSION_FOLDER_KINDS)[number]

const SESSION_FOLDER = new RegExp(`^frontdesk-(${SESSION_FOLDER_KINDS.join('|')})-[A-Za-z0-9]{6}$`)
const OWNER_FILE = 'owner.pid'
/** A folder made before owners were written down is left a day after its last change. */
const UNOWNED_KEPT_MS = 24 * 60 * 60 * 1000

/** A new private folder (only this account can read it) with the process that owns it written inside. */
export function makeSessionFolder(kind: SessionFolderKind, parent = tmpdir()): string {
  const folder = mkdtempSync(join(parent, `frontdesk-${kind}-`))
  writeFileSync(join(folder, OWNER_FILE), String(process.pid), { mode: 0o600 })
  return folder
}

/** Removes the session folders whose process has ended without removing them; returns them. */
export function removeAbandonedSessionFolders(parent = tmpdir()): string[] {
  const removed: string[] = []
  let names: string[]
  try {
    names = readdirSync(parent)
  } catch {
    return removed
  }
  for (const name of names) {
    if (!SESSION_FOLDER.test(name)) continue
    const folder = join(parent, name)
    try {
      const owner = ownerOf(folder)
      const abandoned = owner === null ? Date.now() - statSync(folder).mtimeMs > UNOWNED_KEPT_MS : !isRunning(owner)
      if (!abandoned) continue
      rmSync(folder, { recursive: true, force: true })
      removed.push(folder)
    } catch {
      // Another account's folder, or removed meanwhile: not this desk's to tidy.
    }
  }
  return removed
}

function ownerOf(folder: string): number | null {
  try {
    const pid = Number(readFileSync(join(folder, OWNER_FILE), 'utf8'))
    return Number.isInteger(pid) && pid > 0 ? pid : null
  } catch {
    return null
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    // EPERM: it runs, as another account.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
  return !isZombie(pid)
}

/**
 * A process that has ended but that its parent has not yet collected still answers to its id. Killed
 * with its parent, it waits for the system's first process to collect it, which in a container may
 * never happen.
 */
function isZombie(pid: number): boolean {
  if (process.platform !== 'linux') return false
  try {
    // "pid (name) state …": the name may hold spaces and brackets, the state follows the last ")".
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const state = stat.slice(stat.lastIndexOf(')') + 2).charAt(0)
    return state === 'Z' || state === 'X'
  } catch {
    return false
  }
}
