import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const helper = join(__dirname, '..', 'helpers', 'scratchFolder.ts')

/** What a test run's configuration does, in a process of its own: its temporary folder, and whether it is open to all. */
function runWithoutTmpdir(): { folder: string; mode: number } {
  const script = `
    const { scratchInMemory } = require(${JSON.stringify(helper)})
    const { statSync, writeFileSync, mkdirSync } = require('node:fs')
    scratchInMemory()
    const folder = process.env.TMPDIR ?? ''
    // What a test leaves behind: a file, and a folder with a file in it.
    writeFileSync(folder + '/left.sqlite3', 'x')
    mkdirSync(folder + '/backups')
    writeFileSync(folder + '/backups/one', 'x')
    console.log(JSON.stringify({ folder, mode: statSync(folder).mode & 0o7777 }))
  `
  const env = { ...process.env }
  delete env['TMPDIR']
  const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', env, timeout: 60_000 })
  expect(run.stderr).toBe('')
  return JSON.parse(run.stdout.trim()) as { folder: string; mode: number }
}

describe("the test suites' temporary folder", () => {
  it.runIf(process.platform === 'linux' && existsSync('/dev/shm'))('is a folder of the run in memory, open to every user, and goes with the run', () => {
    const { folder, mode } = runWithoutTmpdir()
    expect(folder).toMatch(/^\/dev\/shm\/frontdesk-tests-/)
    // As /tmp: anyone may write, only the owner removes (the command line's tests run as another user).
    expect(mode).toBe(0o1777)
    expect(existsSync(folder)).toBe(false)
  })
})
