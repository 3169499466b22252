import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeSessionFolder, removeAbandonedSessionFolders } from '../../main/sessionFolders'
import { openTestCore } from '../helpers/core'

/*
 * A session's printouts and refused import rows live in private folders of the temporary folder. A
 * session that crashed never removed them: the next start does, once their process has ended.
 */

let parent: string

beforeEach(() => {
  parent = mkdtempSync(join(tmpdir(), 'frontdesk-session-folders-'))
})

afterEach(() => rmSync(parent, { recursive: true, force: true }))

/** The id of a process that has ended. */
function endedProcess(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
  return Number(child.stdout)
}

/**
 * A process that has ended and is not collected by its parent (a zombie), as a command killed with its
 * parent is until the system's first process collects it: `sh` starts it, then becomes a `sleep` that
 * never collects it. Returns its id and a way to end the parent.
 */
async function uncollectedProcess(): Promise<{ pid: number; end: () => void }> {
  const parentProcess = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] })
  let out = ''
  parentProcess.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
  const deadline = Date.now() + 10_000
  for (;;) {
    const pid = Number(out.trim())
    if (pid > 0 && existsSync(`/proc/${pid}`) && readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z')) return { pid, end: () => parentProcess.kill() }
    if (Date.now() > deadline) throw new Error('The child never ended')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** A folder as a session that crashed left it: its owner written inside (or not, as older versions did). */
function leftBehind(name: string, owner: number | null, modifiedDaysAgo = 0): string {
  const folder = join(parent, name)
  mkdirSync(folder, { mode: 0o700 })
  if (owner !== null) writeFileSync(join(folder, 'owner.pid'), String(owner))
  writeFileSync(join(folder, 'rows.csv'), 'Anna,anna@example.com\n')
  const when = new Date(Date.now() - modifiedDaysAgo * 24 * 60 * 60 * 1000)
  utimesSync(folder, when, when)
  return folder
}

describe('session folders', () => {
  it('are private and name the process that owns them', () => {
    const folder = makeSessionFolder('printouts', parent)
    expect(folder.startsWith(join(parent, 'frontdesk-printouts-'))).toBe(true)
    expect(statSync(folder).mode & 0o077).toBe(0)
    expect(readFileSync(join(folder, 'owner.pid'), 'utf8')).toBe(String(process.pid))
  })

  it('left by a process that has ended are removed; those of a running process, and others, stay', () => {
    const ours = makeSessionFolder('rejects', parent)
    const crashed = leftBehind('frontdesk-rejects-Ab12Cd', endedProcess())
    const oldUnowned = leftBehind('frontdesk-printouts-Old123', null, 2)
    const newUnowned = leftBehind('frontdesk-printouts-New123', null)
    const running = leftBehind('frontdesk-printouts-Run123', process.ppid)
    const notOurs = leftBehind('frontdesk-printouts-test-Xy12Zw', endedProcess())
    expect(removeAbandonedSessionFolders(parent).sort()).toEqual([crashed, oldUnowned].sort())
    for (const kept of [ours, newUnowned, running, notOurs]) expect(existsSync(kept), kept).toBe(true)
    expect(existsSync(crashed)).toBe(false)
    expect(existsSync(oldUnowned)).toBe(false)
  })

  it.runIf(process.platform === 'linux')('left by a process that has ended but was never collected by its parent are removed', async () => {
    const zombie = await uncollectedProcess()
    try {
      const killed = leftBehind('frontdesk-rejects-Zz12Zz', zombie.pid)
      expect(removeAbandonedSessionFolders(parent)).toEqual([killed])
    } finally {
      zombie.end()
    }
  })

  it('left in the temporary folder by a crashed desk are gone once the desk opens again', async () => {
    const crashed = mkdtempSync(join(tmpdir(), 'frontdesk-printouts-'))
    writeFileSync(join(crashed, 'owner.pid'), String(endedProcess()))
    writeFileSync(join(crashed, 'statement.pdf'), '%PDF-1.7')
    const app = await openTestCore()
    try {
      expect(existsSync(crashed)).toBe(false)
      expect(existsSync(app.printoutsDir)).toBe(true)
      expect(existsSync(app.rejectsDir)).toBe(true)
    } finally {
      await app.cleanup()
    }
    expect(existsSync(app.printoutsDir)).toBe(false)
    expect(existsSync(app.rejectsDir)).toBe(false)
  })
})
