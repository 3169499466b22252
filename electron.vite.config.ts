import { defineConfig } from 'electron-vite'
import { rendererConfig } from './renderer/vite.config'

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // The job worker is a second entry: a thread started from out/main/jobs-worker.js; a large
      // import's rows are checked on threads of its own, a first load's search indexes built on
      // one, and a large export's second half written on one (out/main/import-checker.js,
      // import-search.js and export-half.js, beside it).
      lib: {
        entry: {
          index: 'main/index.ts',
          'jobs-worker': 'main/jobs/worker.ts',
          'import-checker': 'main/services/imports/checkerThread.ts',
          'export-half': 'main/services/exports/halfThread.ts',
          'import-search': 'main/services/imports/searchThread.ts',
        },
      },
      // Native and driver-heavy modules stay outside the bundle.
      rollupOptions: { external: ['better-sqlite3', 'knex', 'sharp'] },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      lib: { entry: 'preload/index.ts' },
    },
  },
  renderer: {
    ...rendererConfig,
    build: { ...rendererConfig.build, rollupOptions: { input: 'renderer/index.html' } },
  },
})
