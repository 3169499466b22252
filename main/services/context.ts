import type { Knex } from 'knex'

export type StaffRole = 'admin' | 'staff'

export interface StaffMember {
  id: number
  name: string
  role: StaffRole
}

/** What every service function receives: the database, who is acting, and the time. */
export interface ServiceContext {
  db: Knex
  staff: StaffMember
  clock: () => Date
}

/** The built-in administrator, acting until staff sign-in exists. */
export const BUILT_IN_ADMIN: StaffMember = { id: 1, name: 'Administrator', role: 'admin' }
