import type { databaseInputs } from '../../../preload/contract/schemas/database'
import { isServerDatabase } from '../../../db/location'
import * as database from '../../services/database'
import { DomainError } from '../../services/errors'
import { startedBy, type DomainHandlers, type HandlerOptions } from './domain'

/**
 * Settings → Database (administrators; the access table says so): the local
 * file or a PostgreSQL server. The renderer sends the server's settings and
 * at most a new password; the password kept, the address with it and the
 * local file's path stay in main. A copy runs in the job worker.
 */
export function databaseHandlers({ dataFile, jobs, secrets, databaseChoices, switchDatabase }: HandlerOptions): DomainHandlers<typeof databaseInputs> {
  const desk = (): database.DatabaseDesk => ({
    location: dataFile,
    choices: databaseChoices ?? new database.MemoryDatabaseChoices(isServerDatabase(dataFile) ? '' : dataFile),
    secrets,
    switchTo: switchDatabase,
  })
  return {
    'database:status': () => database.databaseStatus(desk()),
    'database:testConnection': (_ctx, input) => database.testConnection(desk(), input),
    'database:useServer': (_ctx, input) => database.useServer(desk(), input),
    'database:useFile': () => database.useLocalFile(desk()),
    'database:copyToServer': async (ctx, { replace, ...server }) => {
      const to = await database.addressFor(desk(), server)
      if (to === dataFile) throw new DomainError('VALIDATION', 'This desk already uses that server: there is nothing to copy.')
      return jobs.start('databaseCopy', { from: dataFile, to, force: replace ?? false }, { ...startedBy(ctx), label: 'Copying the data to the server', writes: 'never' })
    },
    'database:copyToFile': (ctx, { replace }) => {
      if (!isServerDatabase(dataFile)) throw new DomainError('VALIDATION', 'This desk already uses the local file: there is nothing to copy.')
      const to = desk().choices.read().localFile
      return jobs.start('databaseCopy', { from: dataFile, to, force: replace ?? false }, { ...startedBy(ctx), label: 'Copying the server’s data to the local file', writes: 'never' })
    },
  }
}
