// Runs npm scripts at the same time and fails when any of them fails.
//
//   node build/side-by-side.mjs typecheck lint security
//
// The type checks and the linter each keep one core busy for a minute or more; on a
// two-core machine they finish together in the time of the longest. Each script's
// output is printed whole when it ends, so the logs do not interleave.
import { spawn } from 'node:child_process'

const scripts = process.argv.slice(2)
if (!scripts.length) {
  console.error('usage: node build/side-by-side.mjs SCRIPT...')
  process.exit(2)
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const started = Date.now()

function run(name) {
  return new Promise((resolve) => {
    const child = spawn(npm, ['run', name], { stdio: ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32' })
    const chunks = []
    child.stdout.on('data', (chunk) => chunks.push(chunk))
    child.stderr.on('data', (chunk) => chunks.push(chunk))
    child.on('error', (error) => chunks.push(Buffer.from(`${error.message}\n`)))
    child.on('close', (code, signal) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1)
      const outcome = code === 0 ? 'passed' : `failed (${signal ?? `exit code ${code}`})`
      process.stdout.write(`${Buffer.concat(chunks).toString()}\n[side-by-side] ${name} ${outcome} after ${seconds} s\n`)
      resolve(code === 0)
    })
  })
}

const results = await Promise.all(scripts.map(run))
const failed = scripts.filter((_, i) => !results[i])
if (failed.length) {
  console.error(`[side-by-side] failed: ${failed.join(', ')}`)
  process.exitCode = 1
}
