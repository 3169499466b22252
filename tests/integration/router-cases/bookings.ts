import type { RouterCase } from './types'

/** Issue 4: catalogue, the desk's booking actions and plans. */
export const bookingCases: Record<string, RouterCase> = {}
