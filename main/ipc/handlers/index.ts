import type { HandlerMap } from '../router'
import { appHandlers } from './app'
import { bookingsHandlers } from './bookings'
import { catalogueHandlers } from './catalogue'
import { customersHandlers } from './customers'
import type { HandlerOptions } from './domain'
import { jobsHandlers } from './jobs'
import { importsHandlers } from './imports'
import { exportsHandlers } from './exports'
import { printoutsHandlers } from './printouts'
import { organiseHandlers } from './organise'
import { plansHandlers } from './plans'
import { profileHandlers } from './profile'
import { reportsHandlers } from './reports'
import { brochuresHandlers } from './brochures'
import { statementsHandlers } from './statements'
import { rewardsHandlers } from './rewards'
import { staffHandlers } from './staff'
import { backupsHandlers } from './backups'
import { duplicatesHandlers } from './duplicates'
import { qualityHandlers } from './quality'
import { privacyHandlers } from './privacy'
import { mergesHandlers } from './merges'
import { mailHandlers } from './mail'
import { messagesHandlers } from './messages'
import { siteAccountsHandlers } from './siteAccounts'
import { databaseHandlers } from './database'

export type { HandlerOptions } from './domain'

/**
 * Channel → service, one file per domain: `handlers/<domain>.ts` answers the
 * channels `preload/contract/schemas/<domain>.ts` lists, with
 * `main/services/<domain>/` only. Handlers only unpack input; every rule lives
 * in the services. Long work is handed to the job runner, which answers at once.
 */
export function createHandlers(options: HandlerOptions): HandlerMap {
  return {
    ...appHandlers(options),
    ...customersHandlers(options),
    ...organiseHandlers(options),
    ...profileHandlers(options),
    ...catalogueHandlers(),
    ...bookingsHandlers(),
    ...plansHandlers(),
    ...importsHandlers(options),
    ...exportsHandlers(options),
    ...printoutsHandlers(options),
    ...reportsHandlers(options),
    ...brochuresHandlers(options),
    ...statementsHandlers(options),
    ...rewardsHandlers(),
    ...jobsHandlers(options),
    ...staffHandlers(options),
    ...backupsHandlers(options),
    ...duplicatesHandlers(options),
    ...qualityHandlers(options),
    ...privacyHandlers(options),
    ...mergesHandlers(options),
    ...mailHandlers(options),
    ...messagesHandlers(options),
    ...siteAccountsHandlers(options),
    ...databaseHandlers(options),
  }
}
