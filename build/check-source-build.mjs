#!/usr/bin/env node
/**
 * CI check: a clean install of better-sqlite3 still works when no prebuilt
 * binary can be downloaded, i.e. its install script falls back to compiling
 * SQLite and the addon from source with node-gyp, for this Node's ABI.
 *
 *   node build/check-source-build.mjs [--unless-installed-from-source]
 *
 * It installs the lockfile's better-sqlite3 into a throwaway project in the
 * system temp folder, with prebuild-install's download host pointed at a
 * closed local port (so "prebuild-install || node-gyp rebuild" takes the
 * second branch, as on a machine that cannot reach GitHub), then loads the
 * result in a fresh Node process and runs a query. The project's own
 * node_modules is never touched: the tests keep whatever binary
 * build/native-deps.mjs put there (Node's or Electron's ABI).
 *
 * Needs what node-gyp needs: Python 3, make and a C++ compiler (on Windows,
 * Visual Studio's C++ build tools). Takes about a minute on a quiet machine.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const isWindows = process.platform === 'win32'
const started = Date.now()

const say = (line) => console.log(`source-build: ${line}`)
const fail = (line) => {
  console.error(`\nsource-build: FAILED: ${line}\n`)
  process.exit(1)
}
const seconds = () => `${((Date.now() - started) / 1000).toFixed(0)} s`

/** The exact version the lockfile installs, so the check builds what the app ships. */
function lockedVersion() {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'))
  const version = lock.packages?.['node_modules/better-sqlite3']?.version
  if (!version) fail('package-lock.json has no entry for node_modules/better-sqlite3.')
  return version
}

function onPath(command) {
  const probe = isWindows ? spawnSync('where', [command]) : spawnSync('sh', ['-c', `command -v ${command}`])
  return probe.status === 0
}

/** node-gyp's needs, checked first so a missing tool is named rather than buried in a compiler log. */
function checkToolchain() {
  if (isWindows) return // Visual Studio is found by node-gyp itself; its error names what is missing.
  const missing = []
  if (!onPath('python3') && !onPath('python')) missing.push('python3')
  if (!onPath('make')) missing.push('make')
  if (!['c++', 'g++', 'clang++'].some(onPath)) missing.push('a C++ compiler (g++ or clang++)')
  if (missing.length) {
    fail(`node-gyp needs ${missing.join(', ')} to compile better-sqlite3; install them (Debian: apt-get install python3 make g++).`)
  }
}

/** The child environment: no settings inherited from an npm run that could redirect the install or skip scripts. */
function childEnv() {
  const env = { ...process.env }
  for (const key of Object.keys(env)) {
    const lower = key.toLowerCase()
    if (lower.startsWith('npm_package_') || lower.startsWith('npm_lifecycle_')) delete env[key]
    if (['npm_config_prefix', 'npm_config_local_prefix', 'npm_config_global', 'npm_config_build_from_source'].includes(lower)) {
      delete env[key]
    }
  }
  env.npm_config_ignore_scripts = 'false'
  // prebuild-install downloads from <host>/v<version>/<file>: a closed port refuses at once, like an unreachable GitHub.
  env.npm_config_better_sqlite3_binary_host = 'http://127.0.0.1:9'
  // Node's headers: the ones installed with this Node if present (no download from nodejs.org), unless npm is told otherwise.
  const prefix = dirname(dirname(process.execPath))
  const hasNodedir = Object.keys(env).some((key) => key.toLowerCase() === 'npm_config_nodedir')
  if (!hasNodedir && existsSync(join(prefix, 'include', 'node', 'node.h'))) env.npm_config_nodedir = prefix
  return env
}

function tail(text, lines = 60) {
  return text.trimEnd().split('\n').slice(-lines).join('\n')
}

const version = lockedVersion()

/*
 * --unless-installed-from-source (CI, right after `npm ci`): when that install
 * itself had no prebuilt binary and compiled better-sqlite3 (node-gyp's
 * build/config.gypi is there, the package is the lockfile's version, and the
 * binary loads in this Node), the check has just happened for real; doing it
 * again in a throwaway project would only repeat the same compile.
 */
if (process.argv.includes('--unless-installed-from-source')) {
  const installed = join(root, 'node_modules', 'better-sqlite3')
  const installedVersion = existsSync(join(installed, 'package.json')) ? JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).version : null
  if (installedVersion === version && existsSync(join(installed, 'build', 'config.gypi'))) {
    const loads = spawnSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()"], { cwd: root, encoding: 'utf8' })
    if (loads.status === 0) {
      say(`OK: this install compiled better-sqlite3 ${version} from source for Node ${process.version} (no prebuilt binary was reachable); not compiling it a second time.`)
      process.exit(0)
    }
  }
  say('this install used a prebuilt binary: checking that a compile from source works too.')
}

checkToolchain()
const dir = mkdtempSync(join(tmpdir(), 'frontdesk-source-build-'))
const moduleDir = join(dir, 'node_modules', 'better-sqlite3')
say(`installing better-sqlite3 ${version} with no prebuilt binary reachable, in ${dir} (compiles SQLite, about a minute)…`)

writeFileSync(
  join(dir, 'package.json'),
  `${JSON.stringify(
    {
      name: 'frontdesk-source-build-check',
      private: true,
      dependencies: { 'better-sqlite3': version },
      allowScripts: { 'better-sqlite3': true },
    },
    null,
    2,
  )}\n`,
)

const install = spawnSync(
  isWindows ? 'npm.cmd' : 'npm',
  ['install', '--no-audit', '--no-fund', '--prefer-offline', '--foreground-scripts', '--strict-allow-scripts'],
  { cwd: dir, env: childEnv(), encoding: 'utf8', shell: isWindows, timeout: 15 * 60_000, maxBuffer: 64 * 1024 * 1024 },
)
const installLog = `${install.stdout ?? ''}${install.stderr ?? ''}`
writeFileSync(join(dir, 'install.log'), installLog)
if (install.error || install.status !== 0) {
  console.error(tail(installLog))
  fail(
    `"npm install better-sqlite3@${version}" without a prebuilt binary did not succeed (${install.error?.message ?? `exit code ${install.status ?? install.signal}`}). ` +
      `A clean install on a machine that cannot download the prebuilt binary would fail the same way. Full log: ${join(dir, 'install.log')}`,
  )
}

// node-gyp's configure step writes build/config.gypi; an unpacked prebuilt binary has none. Proof that it compiled.
const binary = join(moduleDir, 'build', 'Release', 'better_sqlite3.node')
if (!existsSync(join(moduleDir, 'build', 'config.gypi')) || !existsSync(binary)) {
  console.error(tail(installLog))
  fail(`the install finished but better-sqlite3 was not compiled from source (no build/config.gypi or no ${binary}). Full log: ${join(dir, 'install.log')}`)
}
const prebuildLines = installLog.split('\n').filter((line) => /^prebuild-install (warn|info|ERR)/.test(line))
if (prebuildLines.length) say(`prebuild-install said: ${prebuildLines.map((line) => line.trim()).join(' | ')}`)
else say('note: prebuild-install said nothing; the download-then-compile fallback may have changed upstream.')

const probeScript = `
  const Database = require('better-sqlite3')
  const db = new Database(':memory:')
  const row = db.prepare('select sqlite_version() as version').get()
  db.close()
  process.stdout.write(JSON.stringify({ sqlite: row.version, abi: process.versions.modules }))
`
const probe = spawnSync(process.execPath, ['-e', probeScript], { cwd: dir, encoding: 'utf8' })
if (probe.status !== 0) {
  fail(`the compiled better-sqlite3 does not load or query in Node ${process.version}:\n${tail(`${probe.stderr}${probe.stdout}`, 20)}\nFull install log: ${join(dir, 'install.log')}`)
}
const result = JSON.parse(probe.stdout)
if (result.abi !== process.versions.modules || !/^3\.\d+\.\d+$/.test(result.sqlite)) {
  fail(`unexpected probe result ${probe.stdout} (wanted ABI ${process.versions.modules} and a SQLite version).`)
}

rmSync(dir, { recursive: true, force: true })
say(
  `OK: better-sqlite3 ${version} compiled from source for Node ${process.version} (ABI ${result.abi}); ` +
    `select sqlite_version() = ${result.sqlite}; ${seconds()}.`,
)
