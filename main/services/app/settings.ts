import { settingsShape, type Settings } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { diffFields, recordChange } from '../changeLog'
import { formatMoney } from '../money'
import { basisPointsToPercent } from '../taxRates'

const DEFAULTS: Settings = {
  businessName: 'My Business',
  defaultCountry: 'GB',
  recycleBinDays: 30,
  currency: 'GBP',
  businessAddress: '',
  businessPhone: '',
  businessEmail: '',
  pricesIncludeTax: true,
  taxRates: [],
  referralRewardsEnabled: false,
  referralRewardKind: 'amount',
  referralRewardAmountMinor: 500,
  referralRewardPercentBp: 1000,
  lockAfterMinutes: 10,
  backupFolder: '',
  backupDaily: true,
  backupEncrypted: false,
  retentionMonths: 36,
}
const LABELS: Record<keyof Settings, string> = {
  businessName: 'Business name',
  defaultCountry: 'Default country',
  recycleBinDays: 'Days in the recycle bin',
  currency: 'Currency',
  businessAddress: 'Business address',
  businessPhone: 'Business phone',
  businessEmail: 'Business email',
  pricesIncludeTax: 'Prices include tax',
  taxRates: 'Tax rates',
  referralRewardsEnabled: 'Referral rewards',
  referralRewardKind: 'Referral reward',
  referralRewardAmountMinor: 'Referral reward amount',
  referralRewardPercentBp: 'Referral reward percentage',
  lockAfterMinutes: 'Lock after (minutes)',
  backupFolder: 'Backup folder',
  backupDaily: 'Daily backup',
  backupEncrypted: 'Encrypted backups',
  retentionMonths: 'Inactive after (months)',
}

export async function getSettings(ctx: Pick<ServiceContext, 'db'>): Promise<Settings> {
  // Only the keys of these settings: the letterhead's logo lives in the same table and is read on its own.
  const rows = (await ctx.db('settings').whereIn('key', Object.keys(DEFAULTS)).select('key', 'value')) as Array<{ key: string; value: string }>
  const stored: Record<string, unknown> = {}
  for (const row of rows) stored[row.key] = JSON.parse(row.value)
  const merged = { ...DEFAULTS, ...stored }
  const parsed = settingsShape.safeParse(merged)
  if (parsed.success) return parsed.data
  // One unreadable value falls back to its default without losing the others.
  const fallback = { ...DEFAULTS }
  for (const key of Object.keys(DEFAULTS) as Array<keyof Settings>) {
    const one = settingsShape.shape[key].safeParse(merged[key])
    if (one.success) Object.assign(fallback, { [key]: one.data })
  }
  return fallback
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
  return {
    ...Object.fromEntries(Object.entries(settings).map(([key, value]) => [key, String(value)])),
    taxRates: settings.taxRates.map((r) => `${r.name} ${basisPointsToPercent(r.rateBp)}%`).join(', ') || 'None',
    pricesIncludeTax: settings.pricesIncludeTax ? 'Yes' : 'No',
    referralRewardsEnabled: settings.referralRewardsEnabled ? 'On' : 'Off',
    referralRewardAmountMinor: formatMoney(settings.referralRewardAmountMinor, settings.currency),
    referralRewardPercentBp: `${basisPointsToPercent(settings.referralRewardPercentBp)}%`,
    lockAfterMinutes: settings.lockAfterMinutes ? `${settings.lockAfterMinutes} min` : 'Never',
    backupFolder: settings.backupFolder || 'Beside the customer file',
    backupDaily: settings.backupDaily ? 'On' : 'Off',
    backupEncrypted: settings.backupEncrypted ? 'On' : 'Off',
  }
}
