import { fileURLToPath } from 'node:url'
import vue from '@vitejs/plugin-vue'
import vuetify from 'vite-plugin-vuetify'
import { defineConfig, type UserConfig } from 'vite'

const root = fileURLToPath(new URL('.', import.meta.url))

/** Shared by electron-vite (the app) and by the Playwright build (the renderer alone). */
export const rendererConfig: UserConfig = {
  root,
  base: './',
  plugins: [vue(), vuetify({ autoImport: true })],
  build: {
    // RENDERER_OUT_DIR lets two end-to-end runs on one machine build side by side (see E2E_PORT).
    outDir: process.env['RENDERER_OUT_DIR'] ?? fileURLToPath(new URL('../out/renderer', import.meta.url)),
    emptyOutDir: true,
  },
}

export default defineConfig(rendererConfig)
