/**
 * One import in a process of its own, so its peak memory is the import's
 * alone: `node out/bench/import-child.js <database> <file.csv>` (bundled by
 * tests/bench/import.ts) imports the file as the command line does and prints
 * `{ ms, peakRssMb, phases, cpu, summary }` as JSON (phases: the seconds each step
 * the progress bar names took; cpu: the processor seconds of all its threads in each).
 */
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { rmSync } from 'node:fs'
import { openForCommand } from '../../main/cli/session'
import { runImport } from '../../main/services/imports'
import { NO_PROGRESS, type Progress } from '../../main/services/progress'
import { peakMemoryMb } from '../helpers/peakMemory'

async function main(): Promise<void> {
  const [database, file] = process.argv.slice(2)
  if (!database || !file) throw new Error('Usage: import-child.ts <database> <file.csv>')
  const session = await openForCommand(database)
  const rejectsFile = join(tmpdir(), `bench-rejects-${process.pid}.csv`)
  try {
    const started = performance.now()
    const phases: Record<string, number> = {}
    /** Processor seconds of every thread of the process, per step: above its wall seconds, the step kept several cores busy. */
    const cpu: Record<string, number> = {}
    let phase = 'Opening the file'
    let phaseStarted = started
    let cpuStarted = process.cpuUsage()
    const enter = (name: string) => {
      const now = performance.now()
      const used = process.cpuUsage(cpuStarted)
      phases[phase] = (phases[phase] ?? 0) + (now - phaseStarted) / 1000
      cpu[phase] = (cpu[phase] ?? 0) + (used.user + used.system) / 1e6
      phase = name
      phaseStarted = now
      cpuStarted = process.cpuUsage()
    }
    const progress: Progress = {
      ...NO_PROGRESS,
      report(_done, _total, name) {
        // A step's own "Done" (the backup's) is no step of the import's.
        if (name && name !== phase && name !== 'Done') enter(name)
      },
    }
    const summary = await runImport(session.context(), { file, sheet: null, mapping: null, match: 'fill', rejectsFile }, progress)
    const ms = performance.now() - started
    enter('')
    console.log(JSON.stringify({ ms, peakRssMb: peakMemoryMb(), phases, cpu, summary: { ...summary, rejects: summary.rejects.slice(0, 3) } }))
  } finally {
    rmSync(rejectsFile, { force: true })
    await session.close()
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
