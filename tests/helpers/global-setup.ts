import { buildTestWorker } from './worker'

/** Builds the job worker once for the whole run (vitest and Playwright both use this). */
export default function setup(): void {
  buildTestWorker()
}
