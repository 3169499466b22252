import { readdirSync, readFileSync } from 'node:fs'
import { defineConfig } from 'vitest/config'
import { scratchInMemory } from './tests/helpers/scratchFolder'

scratchInMemory()

/*
 * The unit and integration suites run on SQLite; the integration suite runs a
 * second time on PostgreSQL with FRONTDESK_TEST_ENGINE=postgres (started by
 * `npm run test:postgres`, which brings its own server), leaving out what is
 * about SQLite files themselves.
 */
const onPostgres = process.env['FRONTDESK_TEST_ENGINE'] === 'postgres'

/** About the SQLite file: its identity and lock, WAL and checkpoints, crashes mid-write, upgrades of old files, backups as file copies. */
const SQLITE_FILE_TESTS = [
  'tests/integration/data-file.test.ts',
  'tests/integration/writers.test.ts',
  // The SQLite client's statements kept for reuse.
  'tests/integration/sqlite-statements.test.ts',
  'tests/integration/maintenance.test.ts',
  'tests/integration/storage-failures.test.ts',
  'tests/integration/crash-safety.test.ts',
  'tests/integration/migrations.test.ts',
  'tests/integration/schema-fixtures.test.ts',
  'tests/integration/schema-snapshot.test.ts',
  'tests/integration/brochure-migration.test.ts',
  'tests/integration/letter-templates-migration.test.ts',
  'tests/integration/profile-migration.test.ts',
  // It edits copies of the file behind Frontdesk's back (VACUUM INTO, the raw driver); the server's chain is checked by the erasure and bulk-write tests.
  'tests/integration/change-chain.test.ts',
  // Backups and the command line's file commands are copies and checks of SQLite files (a server desk's backup is a copy, tested with the copy).
  'tests/integration/backups.test.ts',
  'tests/integration/backups-cli.test.ts',
  'tests/integration/cli.test.ts',
  // The command line's import, killed part-way, on a SQLite file it names with --db.
  'tests/integration/import-kill.test.ts',
]

/**
 * Files read without any database at all: a second run on PostgreSQL would repeat them exactly. Photo
 * decoding's memory is the decoder's, whichever engine stores the photo (profile-photo runs on both).
 */
const ENGINE_FREE_TESTS = [
  'tests/integration/import-corpora.test.ts',
  'tests/integration/import-sources.test.ts',
  'tests/integration/profile-photo-memory.test.ts',
]

const include = onPostgres ? ['tests/integration'] : ['tests/unit', 'tests/integration']
const exclude = onPostgres ? ['**/node_modules/**', ...SQLITE_FILE_TESTS, ...ENGINE_FREE_TESTS] : ['**/node_modules/**']

/**
 * Files that replace modules (vi.mock, Electron above all) or set the process's time zone: each runs
 * in a process of its own. Every other file shares its worker's modules with the files before it,
 * which saves loading the app's modules again for each file (most of a file's start-up); the tests
 * set up their own databases and state, so nothing else carries over. Found by what the files say,
 * so a new one cannot be forgotten.
 */
const OWN_PROCESS_TESTS = include.flatMap((dir) =>
  readdirSync(dir)
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => `${dir}/${name}`)
    .filter((file) => /\bvi\.(do)?[mM]ock\(|process\.env\.TZ\s*=[^=]/.test(readFileSync(file, 'utf8'))),
)
const testFiles = include.map((dir) => `${dir}/**/*.test.ts`)

export default defineConfig({
  test: {
    environment: 'node',
    globalSetup: ['tests/helpers/global-setup.ts'],
    // better-sqlite3 is a native module: forks are the safe pool for it.
    pool: 'forks',
    // Vitest leaves one core idle by default; CI machines have two, and the
    // suite is mostly I/O-bound database work that runs well side by side.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'shared', include: testFiles, exclude: [...exclude, ...OWN_PROCESS_TESTS], isolate: false } },
      { extends: true, test: { name: 'own-process', include: OWN_PROCESS_TESTS, exclude } },
    ],
  },
})
