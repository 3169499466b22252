import type { AppInfo } from '../../../preload/contract'
import { tabCounters } from '../../../db/queries/customerList'
import type { ServiceContext } from '../context'

export { getSettings, updateSettings } from './settings'
export { getLogo, readLogo, removeLogo, setLogo } from './logo'

export const APP_VERSION = '0.1.0'

export async function appInfo(ctx: ServiceContext, dataFile: string): Promise<AppInfo> {
  const counts = await tabCounters(ctx.db)
  return {
    name: 'Frontdesk',
    version: APP_VERSION,
    dataFile,
    staff: { ...ctx.staff },
    customerCount: counts.active + counts.archived + counts.blocked,
  }
}

export function describeSeed(count: number): string {
  return `Adding ${count.toLocaleString('en-GB')} sample customer${count === 1 ? '' : 's'}`
}
