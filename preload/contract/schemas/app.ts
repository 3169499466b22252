import { z } from 'zod'
import { contactText, freeText, nameText, noInput } from './common'
import { isPlausibleEmail } from './customers'

export interface AppInfo {
  name: string
  version: string
  dataFile: string
  staff: { id: number; name: string; role: 'admin' | 'staff' | 'team' }
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
  /** The letterhead of statements and letters: the business's postal address, one line per line as it is written. */
  businessAddress: freeText(500).refine((v) => v.split('\n').length <= 8, { error: 'Keep the address to at most 8 lines.' }),
  businessPhone: contactText(40).refine((v) => v === '' || /\d/.test(v), { error: 'Enter the phone number with its digits, e.g. +44 20 7946 0000.' }),
  businessEmail: contactText(254, 'An email address is at most 254 characters.').refine((v) => v === '' || isPlausibleEmail(v), {
    error: 'This is not a valid email address.',
  }),
  /** Catalogue and plan prices are what the customer pays at the standard rate (true) or before tax (false). */
  pricesIncludeTax: z.boolean(),
  /** The rates prices can carry, the standard one first; none at all: no tax is charged. */
  taxRates: z
    .array(
      z.strictObject({
        name: nameText(60).min(1, { error: 'Name the rate, e.g. Standard.' }),
        /** Basis points: 20% is 2000. */
        rateBp: z.number().int({ error: 'Use at most two decimals, e.g. 12.5.' }).min(0, { error: 'A rate is 0% or more.' }).max(10000, { error: 'A rate is at most 100%.' }),
      }),
    )
    .max(10, { error: 'At most 10 tax rates.' })
    .refine((rates) => new Set(rates.map((r) => r.rateBp)).size === rates.length, { error: 'Each rate is listed once.' }),
  /** The referrer earns a reward when the person they referred first pays a booking in full. */
  referralRewardsEnabled: z.boolean(),
  referralRewardKind: z.enum(['amount', 'percent']),
  /** A fixed reward in the business's currency (minor units). */
  referralRewardAmountMinor: z.number().int().min(0, { error: 'Enter an amount of 0 or more.' }).max(100_000_00, { error: 'At most 100,000.' }),
  /** A percentage of that first paid booking's total, in basis points. */
  referralRewardPercentBp: z.number().int().min(0, { error: 'Enter a percentage of 0 or more.' }).max(10000, { error: 'At most 100%.' }),
  /** Minutes without a key or click before the desk locks (quick unlock with a PIN or password); 0: never. */
  lockAfterMinutes: z
    .number({ error: 'Enter a number of minutes.' })
    .int({ error: 'Enter a whole number of minutes.' })
    .min(0, { error: 'Enter 0 (never) or more minutes.' })
    .max(480, { error: 'Lock after at most 480 minutes (8 hours).' }),
  /** Where backups are kept (a USB drive or network share); empty: the Backups folder beside the customer file. */
  backupFolder: z.string().trim().max(1000, { error: 'A folder path is at most 1,000 characters.' }),
  /** One automatic backup a day, kept 7 daily, 4 weekly and 12 monthly. */
  backupDaily: z.boolean(),
  /** Backups are encrypted with the passphrase kept on this computer (never in the customer file). */
  backupEncrypted: z.boolean(),
  /** Months without a booking, payment or change after which a customer is listed as inactive in the data-quality queue. */
  retentionMonths: z
    .number({ error: 'Enter a number of months.' })
    .int({ error: 'Enter a whole number of months.' })
    .min(1, { error: 'Enter at least 1 month.' })
    .max(600, { error: 'Enter at most 600 months (50 years).' }),
})
export type Settings = z.output<typeof settingsShape>
export type TaxRate = Settings['taxRates'][number]

export const updateSettingsInput = settingsShape.partial()

const MAX_LOGO_BYTES = 10 * 2 ** 20

export const setLogoInput = z.strictObject({
  /** The picked image file's bytes (PNG, JPEG or WebP), at most 10 MB. */
  image: z
    .instanceof(Uint8Array)
    .refine((b) => b.byteLength > 0, { error: 'This file is empty, so it is not a picture. Choose the picture again.' })
    .refine((b) => b.byteLength <= MAX_LOGO_BYTES, { error: 'This file is too big for a logo. Choose a picture of at most 10 MB.' }),
})

/** The letterhead's logo as stored: at most 600 pixels wide, PNG (keeps transparency) or JPEG. */
export interface BusinessLogo {
  bytes: Uint8Array
  mime: 'image/png' | 'image/jpeg'
  width: number
  height: number
}

export const seedDemoInput = z.strictObject({
  count: z.number().int().min(1).max(1_000_000).default(1000),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(42),
})

export interface SeedResult {
  created: number
  ms: number
}

/** Whether the change log is as it was written: the first entry edited, removed or added outside Frontdesk, if any. */
export interface ChangeLogCheck {
  /** Entries read: all of them, or up to the one after the break. */
  entries: number
  intact: boolean
  firstBreak: { id: number; at: string; kind: 'edited' | 'removed' | 'inserted'; missing?: { from: number; to: number } } | null
  /** The outcome in a sentence for the desk. */
  message: string
}

/** The channels answered by the app itself: what it is, its settings and sample data, each with the input it takes. */
export const appInputs = {
  'app:info': noInput,
  'app:checkChangeLog': noInput,
  'settings:get': noInput,
  'settings:update': updateSettingsInput,
  'settings:logo': noInput,
  'settings:setLogo': setLogoInput,
  'settings:removeLogo': noInput,
  'demo:seed': seedDemoInput,
}
