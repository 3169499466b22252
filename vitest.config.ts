import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/helpers/global-setup.ts'],
    // better-sqlite3 is a native module: forks are the safe pool for it.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
