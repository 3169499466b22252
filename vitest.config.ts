import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/helpers/global-setup.ts'],
    // better-sqlite3 is a native module: forks are the safe pool for it.
    pool: 'forks',
    // Vitest leaves one core idle by default; CI machines have two, and the
    // suite is mostly I/O-bound SQLite work that runs well side by side.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
