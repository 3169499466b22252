import { existsSync, readdirSync } from 'node:fs'
import { basename, join, relative, sep } from 'node:path'
import { describe, expect, it } from 'vitest'
import { channels } from '../../preload/contract'
import * as common from '../../preload/contract/schemas/common'
import * as app from '../../preload/contract/schemas/app'
import * as bookings from '../../preload/contract/schemas/bookings'
import * as catalogue from '../../preload/contract/schemas/catalogue'
import * as customers from '../../preload/contract/schemas/customers'
import * as jobs from '../../preload/contract/schemas/jobs'
import * as imports from '../../preload/contract/schemas/imports'
import * as exports from '../../preload/contract/schemas/exports'
import * as printouts from '../../preload/contract/schemas/printouts'
import * as organise from '../../preload/contract/schemas/organise'
import * as plans from '../../preload/contract/schemas/plans'
import * as profile from '../../preload/contract/schemas/profile'
import * as reports from '../../preload/contract/schemas/reports'
import * as brochures from '../../preload/contract/schemas/brochures'
import * as statements from '../../preload/contract/schemas/statements'
import * as rewards from '../../preload/contract/schemas/rewards'
import * as staff from '../../preload/contract/schemas/staff'
import * as backups from '../../preload/contract/schemas/backups'
import * as duplicates from '../../preload/contract/schemas/duplicates'
import * as quality from '../../preload/contract/schemas/quality'
import * as mail from '../../preload/contract/schemas/mail'
import * as messages from '../../preload/contract/schemas/messages'
import * as siteAccounts from '../../preload/contract/schemas/siteAccounts'
import * as privacy from '../../preload/contract/schemas/privacy'
import * as merges from '../../preload/contract/schemas/merges'
import * as database from '../../preload/contract/schemas/database'
import { appHandlers } from '../../main/ipc/handlers/app'
import { bookingsHandlers } from '../../main/ipc/handlers/bookings'
import { catalogueHandlers } from '../../main/ipc/handlers/catalogue'
import { customersHandlers } from '../../main/ipc/handlers/customers'
import { jobsHandlers } from '../../main/ipc/handlers/jobs'
import { importsHandlers } from '../../main/ipc/handlers/imports'
import { exportsHandlers } from '../../main/ipc/handlers/exports'
import { printoutsHandlers } from '../../main/ipc/handlers/printouts'
import { organiseHandlers } from '../../main/ipc/handlers/organise'
import { plansHandlers } from '../../main/ipc/handlers/plans'
import { profileHandlers } from '../../main/ipc/handlers/profile'
import { reportsHandlers } from '../../main/ipc/handlers/reports'
import { brochuresHandlers } from '../../main/ipc/handlers/brochures'
import { statementsHandlers } from '../../main/ipc/handlers/statements'
import { rewardsHandlers } from '../../main/ipc/handlers/rewards'
import { staffHandlers } from '../../main/ipc/handlers/staff'
import { backupsHandlers } from '../../main/ipc/handlers/backups'
import { duplicatesHandlers } from '../../main/ipc/handlers/duplicates'
import { qualityHandlers } from '../../main/ipc/handlers/quality'
import { mailHandlers } from '../../main/ipc/handlers/mail'
import { messagesHandlers } from '../../main/ipc/handlers/messages'
import { siteAccountsHandlers } from '../../main/ipc/handlers/siteAccounts'
import { privacyHandlers } from '../../main/ipc/handlers/privacy'
import { mergesHandlers } from '../../main/ipc/handlers/merges'
import { databaseHandlers } from '../../main/ipc/handlers/database'
import { DeskSession } from '../../main/services/staff/session'
import type { HandlerOptions } from '../../main/ipc/handlers'
import type { JobRunner } from '../../main/jobs/runner'
import { relativeImports, typeScriptFiles } from '../helpers/imports'
import { NO_FILE_DIALOGS, NO_SYSTEM_VIEWER } from '../../main/fileDialogs'

/*
 * A channel's domain leads to its code: preload/contract/schemas/<domain>.ts
 * lists the channels (with their inputs), main/ipc/handlers/<domain>.ts answers
 * exactly those, and calls only main/services/<domain>/.
 */
const root = join(__dirname, '..', '..')
const options: HandlerOptions = { dataFile: ':memory:', jobs: {} as JobRunner, reads: {} as JobRunner, printoutsDir: '', rejectsDir: '', dialogs: NO_FILE_DIALOGS, viewer: NO_SYSTEM_VIEWER, session: new DeskSession(null) }
/** Each domain's handler factory; those that start no job ignore the options. */
type HandlerFactory = (options: HandlerOptions) => object
const domain = (schemas: Record<string, unknown>, inputs: Record<string, unknown>, handlers: HandlerFactory) => ({
  schemas,
  inputs,
  handlers: handlers(options),
})
const domains: Record<string, { schemas: Record<string, unknown>; inputs: Record<string, unknown>; handlers: object }> = {
  app: domain(app, app.appInputs, appHandlers),
  bookings: domain(bookings, bookings.bookingsInputs, bookingsHandlers),
  catalogue: domain(catalogue, catalogue.catalogueInputs, catalogueHandlers),
  customers: domain(customers, customers.customersInputs, customersHandlers),
  jobs: domain(jobs, jobs.jobsInputs, jobsHandlers),
  imports: domain(imports, imports.importsInputs, importsHandlers),
  exports: domain(exports, exports.exportsInputs, exportsHandlers),
  printouts: domain(printouts, printouts.printoutsInputs, printoutsHandlers),
  organise: domain(organise, organise.organiseInputs, organiseHandlers),
  plans: domain(plans, plans.plansInputs, plansHandlers),
  profile: domain(profile, profile.profileInputs, profileHandlers),
  reports: domain(reports, reports.reportsInputs, reportsHandlers),
  brochures: domain(brochures, brochures.brochuresInputs, brochuresHandlers),
  statements: domain(statements, statements.statementsInputs, statementsHandlers),
  rewards: domain(rewards, rewards.rewardsInputs, rewardsHandlers),
  staff: domain(staff, staff.staffInputs, staffHandlers),
  backups: domain(backups, backups.backupsInputs, backupsHandlers),
  duplicates: domain(duplicates, duplicates.duplicatesInputs, duplicatesHandlers),
  quality: domain(quality, quality.qualityInputs, qualityHandlers),
  privacy: domain(privacy, privacy.privacyInputs, privacyHandlers),
  merges: domain(merges, merges.mergesInputs, mergesHandlers),
  mail: domain(mail, mail.mailInputs, mailHandlers),
  messages: domain(messages, messages.messagesInputs, messagesHandlers),
  siteAccounts: domain(siteAccounts, siteAccounts.siteAccountsInputs, siteAccountsHandlers),
  database: domain(database, database.databaseInputs, databaseHandlers),
}
/** Modules every handler may use besides its own service folder. */
const shared = [join('main', 'services', 'context.ts'), join('main', 'jobs', 'runner.ts'), join('main', 'ipc', 'router.ts')]

const sorted = (values: Iterable<string>) => [...values].sort()
const fileNames = (dir: string, leaveOut: string[]) =>
  sorted(readdirSync(join(root, dir)).filter((name) => name.endsWith('.ts') && !leaveOut.includes(name)).map((name) => basename(name, '.ts')))

describe('IPC domains', () => {
  it('have one contract schema file and one handler file each, named alike', () => {
    expect(fileNames('preload/contract/schemas', ['common.ts'])).toEqual(sorted(Object.keys(domains)))
    expect(fileNames('main/ipc/handlers', ['index.ts', 'domain.ts'])).toEqual(sorted(Object.keys(domains)))
  })

  it('list every channel once, in one domain', () => {
    const listed = Object.values(domains).flatMap(({ inputs }) => Object.keys(inputs))
    expect(sorted(listed)).toEqual(sorted(channels))
  })

  it.each(Object.entries(domains))('%s: the handler file answers exactly the channels its schema file lists', (_domain, { inputs, handlers }) => {
    expect(sorted(Object.keys(handlers))).toEqual(sorted(Object.keys(inputs)))
  })

  it.each(Object.entries(domains))('%s: each channel takes an input declared in its own schema file (or a shared one)', (domain, { schemas, inputs }) => {
    const declared = new Set([...Object.values(schemas), ...Object.values(common)])
    const foreign = Object.entries(inputs).filter(([, schema]) => !declared.has(schema)).map(([channel]) => channel)
    expect(foreign, `inputs of ${domain} declared elsewhere`).toEqual([])
  })

  it.each(Object.keys(domains))('%s: the handler file calls only its own service folder', (domain) => {
    const handlerFile = join(root, 'main', 'ipc', 'handlers', `${domain}.ts`)
    const ownFolder = join('main', 'services', domain) + sep
    const allowed = (path: string) =>
      path.startsWith(ownFolder) || shared.includes(path) || path.startsWith(join('preload', 'contract') + sep) || path === join('main', 'ipc', 'handlers', 'domain.ts')
    const strays = relativeImports(handlerFile)
      .map((path) => relative(root, path))
      .filter((path) => !allowed(path))
    expect(strays).toEqual([])
  })

  it('every service folder is a domain with a contract of its own', () => {
    const folders = readdirSync(join(root, 'main', 'services'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
    for (const folder of folders) expect(existsSync(join(root, 'main', 'ipc', 'handlers', `${folder}.ts`)), folder).toBe(true)
    expect(typeScriptFiles(join(root, 'main', 'ipc', 'handlers')).length).toBe(Object.keys(domains).length + 2)
  })
})
