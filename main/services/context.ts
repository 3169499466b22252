import type { Knex } from 'knex'
import type { StaffRole } from '../../preload/contract/schemas/staff'

export type { StaffRole }

export interface StaffMember {
  id: number
  name: string
  role: StaffRole
}

/** What every service function receives: the database, who is acting (the signed-in person), and the time. */
export interface ServiceContext {
  db: Knex
  staff: StaffMember
  clock: () => Date
}

/** The administrator every file starts with (staff row 1): acts for the app's own upkeep and in tests. */
export const BUILT_IN_ADMIN: StaffMember = { id: 1, name: 'Administrator', role: 'admin' }
