#!/usr/bin/env node
/**
 * better-sqlite3 is compiled for one ABI at a time: Node's (tests, scripts)
 * or Electron's (the app). This puts the right binary in place before each
 * use and does nothing when it already is.
 *
 *   node build/native-deps.mjs node       tests, benchmarks, demo data
 *   node build/native-deps.mjs electron   npm start / dev / dist
 *
 * Every Electron build runs with npm's `nodedir` removed from the
 * environment: with nodedir set (this machine's npmrc has nodedir=/usr) a
 * rebuild compiles against Node's headers while labelling the result for
 * Electron, and the packaged app crashes on start. The result is therefore
 * verified by its ABI number, not by the tool's exit code.
 */
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const moduleDir = join(root, 'node_modules', 'better-sqlite3')
const releaseDir = join(moduleDir, 'build', 'Release')
const binary = join(releaseDir, 'better_sqlite3.node')
const marker = join(releaseDir, '.frontdesk-abi')
const backup = join(root, 'node_modules', '.cache', 'frontdesk-native', 'better_sqlite3.node')
const isWindows = process.platform === 'win32'

const say = (line) => console.log(`native-deps: ${line}`)
const fail = (line) => {
  console.error(`native-deps: ${line}`)
  process.exit(1)
}

/** The environment for child builds, without any nodedir override (any case, Windows env is case-insensitive). */
function envWithoutNodedir() {
  const env = { ...process.env }
  for (const key of Object.keys(env)) {
    if (key.toLowerCase() === 'npm_config_nodedir') delete env[key]
  }
  return env
}

function run(command, args, options) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options })
  if (result.error) return { ok: false, reason: result.error.message }
  if (result.status !== 0) return { ok: false, reason: `exit code ${result.status ?? result.signal}` }
  return { ok: true }
}

/**
 * Loads the binary in a fresh Node process. `abi` is the NODE_MODULE_VERSION
 * it was compiled for when Node refuses it for that reason.
 */
function probeInNode() {
  const script = "new (require('better-sqlite3'))(':memory:').close()"
  const result = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' })
  if (result.status === 0) return { loads: true, abi: process.versions.modules }
  const output = `${result.stderr ?? ''}${result.stdout ?? ''}`
  const abi = /compiled against a different Node\.js version using\s+NODE_MODULE_VERSION (\d+)/.exec(output)?.[1]
  const firstError = output.split('\n').find((line) => /Error/.test(line)) ?? output.trim().split('\n')[0] ?? ''
  return { loads: false, abi, reason: firstError.trim() }
}

const readMarker = () => (existsSync(marker) ? readFileSync(marker, 'utf8').trim() : '')
const writeMarker = (value) => writeFileSync(marker, `${value}\n`)
const removeMarker = () => rmSync(marker, { force: true })

function saveBackup() {
  if (!existsSync(binary)) return false
  mkdirSync(dirname(backup), { recursive: true })
  copyFileSync(binary, backup)
  return true
}

/** Puts the previous binary back after a failed build, whatever the build deleted. */
function restoreBackup() {
  if (!existsSync(backup)) return
  mkdirSync(releaseDir, { recursive: true })
  copyFileSync(backup, binary)
}

function ensureForNode() {
  const before = probeInNode()
  if (before.loads) {
    if (readMarker().startsWith('electron-')) removeMarker()
    say(`better-sqlite3 loads in Node ${process.version} (ABI ${process.versions.modules}).`)
    return
  }
  say(`better-sqlite3 does not load in Node (${before.reason}); rebuilding it for Node, this can take a minute…`)
  removeMarker()
  // The current environment on purpose: npm's nodedir, if any, points at Node's headers, which is right here.
  const rebuild = run(isWindows ? 'npm.cmd' : 'npm', ['rebuild', 'better-sqlite3'], { cwd: root, shell: isWindows })
  const after = probeInNode()
  if (!after.loads) {
    fail(`rebuilding better-sqlite3 for Node failed (${rebuild.ok ? after.reason : rebuild.reason}). Run "npm rebuild better-sqlite3" and read its output.`)
  }
  say(`better-sqlite3 rebuilt for Node ${process.version} (ABI ${process.versions.modules}).`)
}

function electronTarget() {
  const dir = join(root, 'node_modules', 'electron')
  if (!existsSync(join(dir, 'package.json'))) fail('electron is not installed; run "npm install" first.')
  const version = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version
  const abiFile = join(dir, 'abi_version')
  const abi = existsSync(abiFile) ? readFileSync(abiFile, 'utf8').trim() : undefined
  return { version, abi }
}

/** Node refuses an Electron binary, naming the ABI it was built for: that is the proof it is Electron's. */
function builtForElectron(target) {
  if (!existsSync(binary)) return false
  const probe = probeInNode()
  if (probe.loads) return target.abi === process.versions.modules
  return target.abi ? probe.abi === target.abi : probe.abi !== undefined
}

function ensureForElectron() {
  const target = electronTarget()
  const wanted = `electron-${target.version}`
  if (readMarker() === wanted && existsSync(binary)) {
    say(`better-sqlite3 is already built for Electron ${target.version}.`)
    return
  }
  const hadBinary = saveBackup()
  removeMarker()
  const env = envWithoutNodedir()
  const attempts = [
    {
      name: 'prebuilt download (prebuild-install)',
      command: process.execPath,
      args: [
        join(root, 'node_modules', 'prebuild-install', 'bin.js'),
        '--runtime', 'electron', '--target', target.version, '--arch', process.arch,
      ],
      cwd: moduleDir,
      timeout: 180_000,
    },
    {
      name: 'compile against Electron headers (electron-builder install-app-deps)',
      command: process.execPath,
      args: [join(root, 'node_modules', 'electron-builder', 'cli.js'), 'install-app-deps'],
      cwd: root,
      timeout: 900_000,
    },
  ]
  const failures = []
  for (const attempt of attempts) {
    say(`building better-sqlite3 for Electron ${target.version} (${process.arch}): ${attempt.name}…`)
    const result = run(attempt.command, attempt.args, { cwd: attempt.cwd, env, timeout: attempt.timeout })
    if (result.ok && builtForElectron(target)) {
      writeMarker(wanted)
      say(`better-sqlite3 is built for Electron ${target.version} (ABI ${target.abi ?? 'unknown'}).`)
      return
    }
    failures.push(`${attempt.name}: ${result.ok ? 'finished but the binary is not for Electron (wrong ABI)' : result.reason}`)
    if (hadBinary) restoreBackup()
  }
  fail(
    `could not build better-sqlite3 for Electron ${target.version}. Both ways need internet access ` +
      `(the prebuilt binary and the Electron headers come from GitHub / electronjs.org).\n  - ${failures.join('\n  - ')}\n` +
      `The previous binary was ${hadBinary ? 'put back' : 'missing'}; "node build/native-deps.mjs node" restores it for tests.`,
  )
}

const mode = process.argv[2]
if (mode === 'node') ensureForNode()
else if (mode === 'electron') ensureForElectron()
else fail('usage: node build/native-deps.mjs <node|electron>')
