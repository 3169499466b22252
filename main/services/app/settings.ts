import { settingsShape, type Settings } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { diffFields, recordChange } from '../changeLog'

const DEFAULTS: Settings = { businessName: 'My Business', defaultCountry: 'GB', recycleBinDays: 30, currency: 'GBP' }
const LABELS: Record<keyof Settings, string> = {
  businessName: 'Business name',
  defaultCountry: 'Default country',
  recycleBinDays: 'Days in the recycle bin',
  currency: 'Currency',
}

export async function getSettings(ctx: Pick<ServiceContext, 'db'>): Promise<Settings> {
  const rows = (await ctx.db('settings').select('key', 'value')) as Array<{ key: string; value: string }>
  const stored: Record<string, unknown> = {}
  for (const row of rows) stored[row.key] = JSON.parse(row.value)
  const parsed = settingsShape.safeParse({ ...DEFAULTS, ...pick(stored, Object.keys(DEFAULTS)) })
  return parsed.success ? parsed.data : DEFAULTS
}

export async function updateSettings(ctx: ServiceContext, patch: Partial<Settings>): Promise<Settings> {
  return ctx.db.transaction(async (trx) => {
    const before = await getSettings({ db: trx })
    const after = { ...before, ...patch }
    const changes = diffFields(asText(before), asText(after), LABELS)
    if (!changes.length) return before
    for (const [key, value] of Object.entries(patch)) {
      await trx('settings').insert({ key, value: JSON.stringify(value) }).onConflict('key').merge()
    }
    await recordChange(trx, ctx, {
      customerId: null,
      entityType: 'settings',
      entityId: 0,
      action: 'settings.updated',
      summary: 'Settings changed',
      changes,
    })
    return after
  })
}

function asText(settings: Settings): Record<string, string> {
  return Object.fromEntries(Object.entries(settings).map(([key, value]) => [key, String(value)]))
}

function pick(source: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => k in source).map((k) => [k, source[k]]))
}
