import { z } from 'zod'
import { nameText, noInput } from './common'

export interface AppInfo {
  name: string
  version: string
  dataFile: string
  staff: { id: number; name: string; role: 'admin' | 'staff' }
  customerCount: number
}

export const settingsShape = z.strictObject({
  businessName: nameText(200).min(1, { error: 'Enter the business name.' }),
  defaultCountry: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, { error: 'Use a two-letter country code, e.g. GB.' }),
  /** Days a deleted customer stays in the recycle bin before being removed for good. */
  recycleBinDays: z
    .number({ error: 'Enter a number of days.' })
    .int({ error: 'Enter a whole number of days.' })
    .min(1, { error: 'Keep deleted customers at least 1 day.' })
    .max(365, { error: 'Keep deleted customers at most 365 days.' }),
  /** The business's currency: the default for new prices and the first in money totals. */
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, { error: 'Use a three-letter currency code, e.g. GBP.' }),
})
export type Settings = z.output<typeof settingsShape>

export const updateSettingsInput = settingsShape.partial()

export const seedDemoInput = z.strictObject({
  count: z.number().int().min(1).max(1_000_000).default(1000),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(42),
})

export interface SeedResult {
  created: number
  ms: number
}

/** The channels answered by the app itself: what it is, its settings and sample data, each with the input it takes. */
export const appInputs = {
  'app:info': noInput,
  'settings:get': noInput,
  'settings:update': updateSettingsInput,
  'demo:seed': seedDemoInput,
}
