import { readFileSync } from 'node:fs'
import type { StaffAccount } from '../../preload/contract'
import type { CommandSession } from './session'

/** The new password: from FRONTDESK_NEW_PASSWORD, or the first line piped in — never an argument, which the shell would remember. */
export function newPasswordFromOutside(): string | null {
  const fromEnv = process.env.FRONTDESK_NEW_PASSWORD
  if (fromEnv) return fromEnv
  if (process.stdin.isTTY) return null
  const piped = readFileSync(0, 'utf8').split(/\r?\n/)[0] ?? ''
  return piped || null
}

export async function resetPasswordCommand(session: CommandSession, name: string, password: string): Promise<StaffAccount> {
  const { resetPasswordAtComputer } = await import('../services/staff/accounts')
  return resetPasswordAtComputer(session.context(), name, password)
}
