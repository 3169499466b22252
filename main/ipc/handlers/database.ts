import type { databaseInputs } from '../../../preload/contract/schemas/database'
import * as database from '../../services/database'
import { startedBy, type DomainHandlers, type HandlerOptions } from './domain'

/**
 * Settings → Database (administrators; the access table says so): the local
 * file or a PostgreSQL server. The renderer sends the server's settings and
 * at most a new password; the password kept, the address with it and the
 * local file's path stay in main. A copy runs in the job worker.
 */
export function databaseHandlers({ dataFile, jobs, secrets, databaseChoices, switchDatabase }: HandlerOptions): DomainHandlers<typeof databaseInputs> {
  const choices = database.choicesOf(dataFile, databaseChoices)
  const desk = (): database.DatabaseDesk => ({
    location: dataFile,
    choices,
    secrets,
    switchTo: switchDatabase,
  })
  return {
    'database:status': () => database.databaseStatus(desk()),
    'database:testConnection': (_ctx, input) => database.testConnection(desk(), input),
    'database:useServer': (_ctx, input) => database.useServer(desk(), input),
    'database:useFile': () => database.useLocalFile(desk()),
    'database:copyToServer': async (ctx, { replace, ...server }) =>
      jobs.start('databaseCopy', await database.copyToServerJob(desk(), server, replace ?? false), { ...startedBy(ctx), label: 'Copying the data to the server', writes: 'never' }),
    'database:copyToFile': (ctx, { replace }) =>
      jobs.start('databaseCopy', database.copyToFileJob(desk(), replace ?? false), { ...startedBy(ctx), label: 'Copying the server’s data to the local file', writes: 'never' }),
  }
}
