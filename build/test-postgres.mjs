#!/usr/bin/env node
/**
 * Runs a command with a throwaway PostgreSQL server of its own, for the tests
 * and benchmarks that run on PostgreSQL as well as SQLite:
 *
 *   node build/test-postgres.mjs -- vitest run
 *
 * The server is made from Debian's PostgreSQL (postgresql and
 * postgresql-contrib, for pg_trgm and unaccent) in a temporary folder, listens
 * on 127.0.0.1 only, trusts local connections and keeps nothing on exit.
 * Durability is off (fsync, synchronous commit): it holds test data only.
 * The command sees FRONTDESK_TEST_POSTGRES, a URL of the server's `postgres`
 * database, which the test helpers use to make one database per test, and
 * FRONTDESK_TEST_ENGINE=postgres, which puts the suites on PostgreSQL.
 *
 * With --in-memory (the test suites) its files live in /dev/shm where that
 * has room: every test makes a database from a template and drops it, a copy
 * of some 300 files, and on a virtual machine's disk making files is slow
 * (here 450 ms a database against some 30 in memory). The benchmarks' million
 * customers stay on disk.
 *
 * With --dedicated (the benchmarks) the server keeps a quarter of the
 * machine's memory as its own cache (shared_buffers, at most 8 GB), as
 * PostgreSQL's documentation advises for a server that runs alone: what the
 * desks read stays in it. With the 256 MB the suites use, a million customers'
 * search rows and lists were read from the system's file cache, which a
 * virtual machine may hand back to its host within a minute of not being read
 * (this one's kernel pages out file pages idle for 60 s), and the same search
 * then took one to three times as long from one run to the next.
 *
 * PostgreSQL runs as the `postgres` user when this is run as root (CI).
 * Without PostgreSQL installed the command fails, unless
 * FRONTDESK_TEST_POSTGRES is already set (a server of your own).
 */
import { spawn, spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statfsSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'

const separator = process.argv.indexOf('--')
const command = separator >= 0 ? process.argv.slice(separator + 1) : []
const inMemory = process.argv.slice(2, separator).includes('--in-memory')
const dedicated = process.argv.slice(2, separator).includes('--dedicated')
if (!command.length) {
  console.error('usage: node build/test-postgres.mjs [--in-memory] [--dedicated] -- <command> [args…]')
  process.exit(2)
}

const say = (line) => console.log(`test-postgres: ${line}`)

function postgresBin() {
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return null
  const versions = readdirSync(root)
    .filter((name) => existsSync(join(root, name, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a))
  return versions.length ? join(root, versions[0], 'bin') : null
}

/** Where the server's folder goes: in memory when asked and there is room (the suites' databases come and go, a few hundred MB at most). */
function serverHome() {
  const memory = '/dev/shm'
  if (!inMemory) return tmpdir()
  try {
    const space = statfsSync(memory)
    if (space.bavail * space.bsize >= 2 * 1024 ** 3) return memory
  } catch {
    // No such file system (not Linux): the disk it is.
  }
  return tmpdir()
}

/** A quarter of the machine's memory, between 256 MB and 8 GB: the usual start for a server that runs alone. */
function dedicatedBuffersMb() {
  return Math.max(256, Math.min(8192, Math.floor(totalmem() / 4 / 1024 ** 2)))
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

function run(commandLine, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(commandLine[0], commandLine.slice(1), { stdio: 'inherit', ...options })
    child.on('exit', (code, signal) => resolve(signal ? 1 : (code ?? 1)))
  })
}

async function main() {
  if (process.env.FRONTDESK_TEST_POSTGRES) {
    say(`using the server at ${process.env.FRONTDESK_TEST_POSTGRES.replace(/:[^:@/]*@/, ':***@')}`)
    return run(command, { env: { ...process.env, FRONTDESK_TEST_ENGINE: 'postgres' } })
  }
  const bin = postgresBin()
  if (!bin) {
    console.error('test-postgres: PostgreSQL is not installed (Debian: apt-get install postgresql postgresql-contrib), and FRONTDESK_TEST_POSTGRES is not set.')
    return 1
  }
  const asRoot = process.getuid?.() === 0
  const as = (args) => (asRoot ? ['runuser', '-u', 'postgres', '--', ...args] : args)
  const runQuietly = (args) => spawnSync(args[0], args.slice(1), { stdio: ['ignore', 'ignore', 'inherit'] })
  const dir = mkdtempSync(join(serverHome(), 'frontdesk-postgres-'))
  const data = join(dir, 'data')
  if (asRoot) {
    chmodSync(dir, 0o755)
    spawnSync('chown', ['postgres:postgres', dir])
  }
  const port = await freePort()
  const initdb = runQuietly(as([join(bin, 'initdb'), '-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']))
  if (initdb.status !== 0) {
    console.error('test-postgres: initdb failed')
    return 1
  }
  const settings = [
    `-p ${port}`,
    "-c listen_addresses='127.0.0.1'",
    `-c unix_socket_directories='${dir}'`,
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=300',
    `-c shared_buffers=${dedicated ? dedicatedBuffersMb() : 256}MB`,
  ].join(' ')
  const start = runQuietly(as([join(bin, 'pg_ctl'), '-D', data, '-l', join(dir, 'server.log'), '-o', settings, '-w', 'start']))
  if (start.status !== 0) {
    console.error(`test-postgres: the server did not start (see ${join(dir, 'server.log')})`)
    return 1
  }
  say(`PostgreSQL from ${bin} on 127.0.0.1:${port}, its files in ${dir}`)
  const stop = () => {
    runQuietly(as([join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', 'stop']))
    rmSync(dir, { recursive: true, force: true })
  }
  process.on('SIGINT', () => {
    stop()
    process.exit(130)
  })
  try {
    return await run(command, {
      env: { ...process.env, FRONTDESK_TEST_ENGINE: 'postgres', FRONTDESK_TEST_POSTGRES: `postgres://postgres@127.0.0.1:${port}/postgres` },
    })
  } finally {
    stop()
  }
}

process.exit(await main())
