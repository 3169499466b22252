import { prepared, type RouterCase } from './types'

/**
 * Backups: the renderer names a backup only by a name main listed, so a path,
 * a made-up name or a short passphrase is refused before anything is read.
 * Restore and recovery take valid input but are refused for the app's
 * state: the router's core cannot restart its data layer (the app's and the
 * E2E bridge's can), and the file opened normally, so there is nothing to
 * recover. A desk on a server has no file to back up or put back: both are
 * refused in words there (its backup is a copy into a file).
 */
const backupName = 'frontdesk-2026-12-02T093015Z-manual.sqlite3'
const noInput = [{ x: 1 }, { folder: '/tmp' }]

export const backupCases: Record<string, RouterCase> = {
  'backups:status': { valid: undefined, invalid: noInput },
  'backups:list': { valid: {}, invalid: noInput },
  'backups:create': { valid: undefined, invalid: noInput },
  'backups:restore': {
    valid: prepared(async (app) => ({ name: (await app.invoke('backups:list', undefined))[0]?.name ?? backupName })),
    refusedFor: 'CONFLICT',
    invalid: [{}, { name: '../frontdesk.sqlite3' }, { name: '/etc/passwd' }, { name: backupName, passphrase: 'short' }, { name: backupName, path: '/tmp/x.sqlite3' }, { name: 'x'.repeat(200) }],
  },
  'backups:setOptions': { valid: { daily: true }, invalid: [{ daily: 'yes' }, { encrypted: 1 }, { folder: '/tmp' }] },
  'backups:setPassphrase': { valid: { passphrase: 'correct horse battery' }, invalid: [{}, { passphrase: 'short' }, { passphrase: 'x'.repeat(201) }, { passphrase: 42 }] },
  'backups:chooseFolder': { valid: undefined, invalid: [{ folder: '/tmp' }] },
  'backups:useDefaultFolder': { valid: undefined, invalid: [{ folder: '/tmp' }] },
  'backups:recovery': { valid: undefined, invalid: noInput },
  'backups:recover': { valid: { name: backupName }, refusedFor: 'CONFLICT', invalid: [{}, { name: '../../x' }, { file: '/tmp/x.sqlite3' }] },
  'backups:recoverFromFile': { valid: undefined, refusedFor: 'CONFLICT', invalid: [{ file: '/tmp/x.sqlite3' }] },
}
