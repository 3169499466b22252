/*
 * Bundled and run in a process of its own (`node upload-child.js rounds.json`)
 * so its peak memory is the uploads' alone: opens a fresh Frontdesk on a temp
 * file, uploads the pictures of each round at once through the real router and
 * prints one JSON line with every outcome and the peak resident memory (MB)
 * after each round.
 */
import { readFileSync } from 'node:fs'
import { openTestCore } from './core'
import { peakMemoryMb } from './peakMemory'

export interface UploadRound {
  label: string
  files: string[]
}

export interface UploadOutcome {
  ok: boolean
  message?: string
  field?: string
}

export interface UploadReport {
  baselineMB: number
  rounds: Array<{ label: string; peakMB: number; outcomes: UploadOutcome[] }>
}

const peakMB = () => Math.round(peakMemoryMb())

async function main(): Promise<void> {
  const rounds = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as UploadRound[]
  const app = await openTestCore()
  try {
    await app.invoke('customers:create', { firstName: 'Ann', lastName: 'Smith' })
    const report: UploadReport = { baselineMB: peakMB(), rounds: [] }
    for (const round of rounds) {
      const pictures = round.files.map((file) => new Uint8Array(readFileSync(file)))
      const results = await Promise.all(pictures.map((image) => app.call('customers:setPhoto', { id: 1, image })))
      const outcomes = results.map((r): UploadOutcome => (r.ok ? { ok: true } : { ok: false, message: r.error.message, field: r.error.field }))
      report.rounds.push({ label: round.label, peakMB: peakMB(), outcomes })
    }
    process.stdout.write(`${JSON.stringify(report)}\n`)
  } finally {
    await app.cleanup()
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
