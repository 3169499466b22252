import { describeLocation, isServerDatabase } from '../../../db/location'
import type { ConnectionTest, DatabaseStatus, ServerSettingsInput } from '../../../preload/contract/schemas/database'
import type { SecretStore } from '../../secrets'
import { DomainError } from '../errors'
import { MemoryDatabaseChoices, type DatabaseChoices } from './choice'
import type { CopyOptions } from './copy'
import { serverAddress, settingsOfAddress, testServerConnection, type ServerSettings } from './server'

export { copyDatabase, type CopyOptions } from './copy'
export { MemoryDatabaseChoices, type DatabaseChoice, type DatabaseChoices } from './choice'
export { serverAddress, settingsOfAddress, testServerConnection, type ServerSettings } from './server'

export interface DatabaseDesk {
  /** Where the desk's data is now (a file path or a server address). */
  location: string
  choices: DatabaseChoices
  secrets?: SecretStore
  /** Reopens the desk on another location; absent where the desk cannot (then switching is refused). */
  switchTo?: (location: string) => Promise<void>
}

const settingsOf = (input: ServerSettingsInput): ServerSettings => ({ host: input.host, port: input.port, database: input.database, user: input.user, tls: input.tls })

async function storedPassword(secrets: SecretStore | undefined): Promise<string | null> {
  return secrets ? await secrets.get('serverPassword').catch(() => null) : null
}

/** The password to use: one just typed, none (null), or the one kept. */
async function passwordFor(input: ServerSettingsInput, secrets: SecretStore | undefined): Promise<string | null> {
  return input.password === undefined ? storedPassword(secrets) : input.password
}

export async function databaseStatus(desk: DatabaseDesk, location = desk.location): Promise<DatabaseStatus> {
  const choice = desk.choices.read()
  const onServer = isServerDatabase(location)
  // A desk started with --db shows the server it is on, even if another was set here.
  const server = onServer ? (settingsOfAddress(location) ?? choice.server) : choice.server
  const passwordSet = onServer ? Boolean(new URL(location).password) || Boolean(await storedPassword(desk.secrets)) : Boolean(await storedPassword(desk.secrets))
  return {
    using: onServer ? 'server' : 'file',
    file: onServer ? choice.localFile : location,
    server: server ? { ...server, passwordSet } : null,
    location: describeLocation(location),
    canKeepPassword: Boolean(desk.secrets),
    canSwitch: Boolean(desk.switchTo),
  }
}

export async function testConnection(desk: DatabaseDesk, input: ServerSettingsInput): Promise<ConnectionTest> {
  return testServerConnection(serverAddress(settingsOf(input), await passwordFor(input, desk.secrets)))
}

/** The server's address with the password to use (for a copy). */
export async function addressFor(desk: DatabaseDesk, input: ServerSettingsInput): Promise<string> {
  return serverAddress(settingsOf(input), await passwordFor(input, desk.secrets))
}

/**
 * Points this desk at the server: tested first (a server that would refuse
 * the desk is not switched to), the settings and password kept for the next
 * start, then the desk reopens on it.
 */
export async function useServer(desk: DatabaseDesk, input: ServerSettingsInput): Promise<DatabaseStatus> {
  if (!desk.switchTo) throw new DomainError('FORBIDDEN', 'This desk cannot change where its data is while it runs. Start it with --db instead.')
  const password = await passwordFor(input, desk.secrets)
  const address = serverAddress(settingsOf(input), password)
  const test = await testServerConnection(address)
  if (!test.usable) throw new DomainError('VALIDATION', `${test.message} This desk still uses ${describeLocation(desk.location)}.`)
  if (input.password !== undefined) {
    if (!desk.secrets && input.password) throw new DomainError('STORAGE', 'This computer has no protected storage for the password, so it cannot be kept.')
    await desk.secrets?.set('serverPassword', input.password)
  }
  const previous = desk.choices.read()
  desk.choices.save({ server: settingsOf(input), useServer: true })
  try {
    await desk.switchTo(address)
  } catch (error) {
    desk.choices.save({ server: previous.server, useServer: previous.useServer })
    throw error
  }
  return databaseStatus(desk, address)
}

/** Back to the local customer file (the server keeps its data; copy it first to take it along). */
export async function useLocalFile(desk: DatabaseDesk): Promise<DatabaseStatus> {
  if (!desk.switchTo) throw new DomainError('FORBIDDEN', 'This desk cannot change where its data is while it runs.')
  const { localFile } = desk.choices.read()
  if (!isServerDatabase(desk.location)) return databaseStatus(desk)
  await desk.switchTo(localFile)
  desk.choices.save({ useServer: false })
  return databaseStatus(desk, localFile)
}

/** What a copy of this desk's data to the server reads and writes (refused when the desk is on that server already). */
export async function copyToServerJob(desk: DatabaseDesk, input: ServerSettingsInput, replace: boolean): Promise<CopyOptions> {
  const to = await addressFor(desk, input)
  if (to === desk.location) throw new DomainError('VALIDATION', 'This desk already uses that server: there is nothing to copy.')
  return { from: desk.location, to, force: replace }
}

/** What a copy of the server's data into this computer's own file reads and writes. */
export function copyToFileJob(desk: DatabaseDesk, replace: boolean): CopyOptions {
  if (!isServerDatabase(desk.location)) throw new DomainError('VALIDATION', 'This desk already uses the local file: there is nothing to copy.')
  const to = desk.choices.read().localFile
  if (!to) throw new DomainError('VALIDATION', 'This desk has no local file to copy into.')
  return { from: desk.location, to, force: replace }
}

/** The choices a desk without a remembered one starts with: its own file, when it is on one. */
export function choicesOf(location: string, remembered: DatabaseChoices | undefined): DatabaseChoices {
  return remembered ?? new MemoryDatabaseChoices(isServerDatabase(location) ? '' : location)
}
