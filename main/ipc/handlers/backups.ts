import type { backupsInputs } from '../../../preload/contract/schemas/backups'
import type { JobKind } from '../../../preload/contract'
import type { ServiceContext } from '../../services/context'
import * as backups from '../../services/backups'
import { startedBy, type DomainHandlers, type HandlerOptions } from './domain'

/**
 * Backups and restore (administrators; the access table says so). The
 * renderer names a backup only by a name main listed; the folder is chosen
 * in a dialog main shows. Backups are made in the job worker; a restore
 * checks the backup and keeps the current data in the worker, then restarts
 * the data layer on the restored file (a server desk: after copying the
 * backup onto the server, also in the worker).
 */
export function backupsHandlers({ dataFile, jobs, secrets, backupDialogs, restart }: HandlerOptions): DomainHandlers<typeof backupsInputs> {
  const store = secrets ?? backups.sessionSecrets()
  const dialogs = backupDialogs ?? backups.NO_BACKUP_DIALOGS
  const status = (ctx: ServiceContext) => backups.backupsStatus(ctx, dataFile, store)

  const run = (ctx: ServiceContext): backups.RunStep =>
    (async (kind: JobKind, input: never, label: string) => {
      // Copying a backup onto a server replaces its data: this desk's saves wait for it.
      const started = jobs.start(kind, input, { ...startedBy(ctx), label, cancellable: false, writes: kind === 'databaseCopy' ? 'whole' : 'never' })
      return backups.finishedResult(await jobs.whenFinished(started.id))
    }) as backups.RunStep

  return {
    'backups:status': (ctx) => status(ctx),
    'backups:list': async (ctx) => (await status(ctx)).backups,
    'backups:create': async (ctx) => {
      await backups.assertCanBackUp(ctx, dataFile, store)
      return jobs.start('backup', { kind: 'manual' }, { ...startedBy(ctx), label: backups.backupJobLabel(dataFile), cancellable: false, writes: 'never' })
    },
    'backups:restore': (ctx, input) => backups.restoreFromBackup(ctx, { dataFile, secrets: store, run: run(ctx), restart }, input),
    'backups:setOptions': async (ctx, options) => {
      await backups.setBackupOptions(ctx, store, options)
      return status(ctx)
    },
    'backups:setPassphrase': async (ctx, { passphrase }) => {
      await backups.setBackupPassphrase(ctx, store, passphrase)
      jobs.setBackupPassphrase(await store.get('backupPassphrase'))
      return status(ctx)
    },
    'backups:chooseFolder': async (ctx) => {
      const current = await status(ctx)
      const folder = await dialogs.chooseBackupFolder(current.folder)
      if (!folder) return null
      await backups.setBackupFolder(ctx, folder)
      return status(ctx)
    },
    'backups:useDefaultFolder': async (ctx) => {
      await backups.setBackupFolder(ctx, '')
      return status(ctx)
    },
    'backups:recovery': () => null,
    'backups:recover': () => backups.notInRecovery(),
    'backups:recoverFromFile': () => backups.notInRecovery(),
  }
}
