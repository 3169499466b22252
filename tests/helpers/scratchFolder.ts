import { accessSync, chmodSync, constants, mkdtempSync, rmSync, statfsSync } from 'node:fs'
import { join } from 'node:path'

/*
 * The suites make thousands of customer files, logs and backups in the temporary folder. On a
 * virtual machine's disk making files is slow (copying 300 small files took 350 ms there, 27 ms in
 * memory), so on Linux the temporary folder is a folder of the run's own in /dev/shm where that has
 * room and TMPDIR names no other. Set by the configurations before any worker starts: every test
 * process inherits it. Memory is not given back until the files go, so the folder goes with the
 * run, with whatever a test left in it.
 */
const MEMORY = '/dev/shm'
const ROOM = 2 * 1024 ** 3

export function scratchInMemory(): void {
  if (process.platform !== 'linux' || process.env['TMPDIR']) return
  let folder: string
  try {
    accessSync(MEMORY, constants.W_OK)
    const space = statfsSync(MEMORY)
    if (space.bavail * space.bsize < ROOM) return
    folder = mkdtempSync(join(MEMORY, 'frontdesk-tests-'))
    // Open to all as /tmp is: a test runs the command line as another user.
    chmodSync(folder, 0o1777)
  } catch {
    return
  }
  process.env['TMPDIR'] = folder
  process.on('exit', () => rmSync(folder, { recursive: true, force: true }))
}
