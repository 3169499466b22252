// Scans the Electron shell (main/, preload/ and renderer/ as one tree, so
// that global checks such as "navigation is limited somewhere" see all three)
// with Doyensec's Electronegativity, and fails on any HIGH or MEDIUM finding
// except two review-only checks, each allowed in one file only:
//
// - PRELOAD_JS_CHECK: any window with a preload is flagged for review. Ours is
//   main/window.ts; the preload exposes only the contract's channels through
//   contextBridge (reviewed in preload/index.ts and tests/unit/preload.test.ts).
// - OPEN_EXTERNAL_JS_CHECK: any shell.openExternal call is flagged for review.
//   The one call is in main/externalLinks.ts, behind the allow-list there
//   (tests/unit/electron-security.test.ts). A call anywhere else fails.
//
// The network-only check for newer Electron releases is left out, so the scan
// gives the same answer offline (CI) and online; Electron is kept current by
// updating package.json. The runner is called as a module (the CLI's CSV is
// written by two racing asynchronous writes and can lose its rows).
//
// Usage: node build/electronegativity.mjs   (npm run security; part of npm test)
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
export const SCANNED = ['main', 'preload', 'renderer']
export const REVIEW_ONLY = { PRELOAD_JS_CHECK: 'main/window.ts', OPEN_EXTERNAL_JS_CHECK: 'main/externalLinks.ts' }
const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck']
const SCANNABLE = /\.(js|jsx|ts|tsx|html|htm)$/i

/** The findings that fail the scan: HIGH or MEDIUM, unless a review-only check in its one allowed file. */
export function failingFindings(issues) {
  return issues.filter((issue) => {
    const severity = issue.severity?.name ?? String(issue.severity)
    if (severity !== 'HIGH' && severity !== 'MEDIUM') return false
    const allowedIn = REVIEW_ONLY[issue.id]
    return !(allowedIn && normalise(issue.file) === allowedIn)
  })
}

function normalise(file) {
  return String(file ?? '').replace(/\\/g, '/').replace(/^\/+/, '')
}

function countScannable(dir) {
  let count = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue
    const path = join(dir, entry.name)
    if (entry.isDirectory()) count += countScannable(path)
    else if (SCANNABLE.test(entry.name)) count += 1
  }
  return count
}

export async function scan() {
  const started = Date.now()
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  const electronVersion = String(pkg.devDependencies?.electron ?? '').replace(/^[^\d]*/, '')
  if (!electronVersion) throw new Error('package.json names no Electron version to scan against.')
  const tree = mkdtempSync(join(tmpdir(), 'frontdesk-scan-'))
  try {
    const counts = {}
    for (const folder of SCANNED) {
      cpSync(join(root, folder), join(tree, folder), {
        recursive: true,
        filter: (source) => !/[\\/](node_modules|dist|out)([\\/]|$)/.test(relative(root, source)),
      })
      counts[folder] = countScannable(join(tree, folder))
      if (counts[folder] === 0) throw new Error(`Nothing to scan in ${folder}/.`)
    }
    const require = createRequire(import.meta.url)
    const run = require('@doyensec/electronegativity/dist/runner.js')
    const result = await run({
      input: tree,
      electronVersionOverride: electronVersion,
      isRelative: true,
      isVerbose: false,
      excludeFromScan: EXCLUDED_CHECKS,
    })
    const unread = result.errors.filter((error) => !error.tolerable)
    return { result, unread, counts, electronVersion, seconds: (Date.now() - started) / 1000 }
  } finally {
    rmSync(tree, { recursive: true, force: true })
  }
}

async function main() {
  const { result, unread, counts, electronVersion, seconds } = await scan()
  const files = Object.entries(counts).map(([folder, n]) => `${folder}/ ${n}`).join(', ')
  console.log(`Electronegativity: ${result.globalChecks + result.atomicChecks} checks over ${files} files (Electron ${electronVersion}), ${seconds.toFixed(1)} s`)
  for (const issue of result.issues) {
    const review = REVIEW_ONLY[issue.id] === normalise(issue.file) ? ' (review-only, allowed here)' : ''
    console.log(`  ${issue.severity.name.padEnd(13)} ${issue.confidence.name.padEnd(9)} ${issue.id}  ${normalise(issue.file)}:${issue.location?.line ?? 0}${review}`)
  }
  const failing = failingFindings(result.issues)
  for (const error of unread) console.error(`Could not scan ${normalise(relative(root, error.file ?? ''))}: ${error.message}`)
  if (failing.length > 0 || unread.length > 0) {
    console.error(`Electronegativity: ${failing.length} HIGH or MEDIUM finding(s) to fix, ${unread.length} file(s) not scanned.`)
    for (const issue of failing) console.error(`  ${issue.id} ${normalise(issue.file)}:${issue.location?.line ?? 0} ${issue.description ?? ''}`)
    process.exitCode = 1
    return
  }
  console.log('Electronegativity: no HIGH or MEDIUM finding beyond the review-only preload and openExternal checks.')
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error)
    process.exitCode = 1
  })
}

