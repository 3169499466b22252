import type { Knex } from 'knex'
import { getSettings, readLogo } from '../services/app'

/** The letterhead of everything printed for a customer: who the business is and how to reach it. */
export interface BusinessDetails {
  name: string
  /** The postal address as written in Settings, one entry per line, blank lines left out. */
  addressLines: string[]
  phone: string
  email: string
  logo: { mime: 'image/png' | 'image/jpeg'; bytes: Uint8Array; width: number; height: number } | null
}

/** The business's details from Settings, read when a printout is made so it always carries the current letterhead. */
export async function loadBusinessDetails(db: Knex): Promise<BusinessDetails> {
  const [settings, logo] = await Promise.all([getSettings({ db }), readLogo(db, { forPrint: true })])
  return {
    name: settings.businessName,
    addressLines: settings.businessAddress
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
    phone: settings.businessPhone,
    email: settings.businessEmail,
    logo,
  }
}
