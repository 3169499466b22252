import { z } from 'zod'
import type { Channel } from './channels'
import { byId, noInput } from './schemas/common'
import {
  blockCustomerInput,
  changesInput,
  countCustomersInput,
  createCustomerInput,
  findByPhoneInput,
  listCustomersInput,
  updateCustomerInput,
  type ChangeEntry,
  type CustomerDetail,
  type CustomerListRow,
  type CustomerPage,
  type GroupRef,
  type TabCounts,
  type TagRef,
} from './schemas/customers'
import { seedDemoInput, updateSettingsInput, type AppInfo, type SeedResult, type Settings } from './schemas/app'

export * from './channels'
export * from './schemas/common'
export * from './schemas/customers'
export * from './schemas/app'

interface Entry<I extends z.ZodType, O> {
  input: I
  /** Phantom: carries the output type only. */
  output: O
}
const entry = <I extends z.ZodType, O>(input: I): Entry<I, O> => ({ input, output: undefined as O })

/** The whole IPC contract: every channel, its input schema and its output type. */
export const contract = {
  'app:info': entry<typeof noInput, AppInfo>(noInput),
  'customers:list': entry<typeof listCustomersInput, CustomerPage>(listCustomersInput),
  'customers:counts': entry<typeof countCustomersInput, TabCounts>(countCustomersInput),
  'customers:get': entry<typeof byId, CustomerDetail>(byId),
  'customers:create': entry<typeof createCustomerInput, CustomerDetail>(createCustomerInput),
  'customers:update': entry<typeof updateCustomerInput, CustomerDetail>(updateCustomerInput),
  'customers:archive': entry<typeof byId, CustomerDetail>(byId),
  'customers:unarchive': entry<typeof byId, CustomerDetail>(byId),
  'customers:block': entry<typeof blockCustomerInput, CustomerDetail>(blockCustomerInput),
  'customers:unblock': entry<typeof byId, CustomerDetail>(byId),
  'customers:findByPhone': entry<typeof findByPhoneInput, CustomerListRow[]>(findByPhoneInput),
  'customers:changes': entry<typeof changesInput, ChangeEntry[]>(changesInput),
  'tags:list': entry<typeof noInput, TagRef[]>(noInput),
  'groups:list': entry<typeof noInput, GroupRef[]>(noInput),
  'settings:get': entry<typeof noInput, Settings>(noInput),
  'settings:update': entry<typeof updateSettingsInput, Settings>(updateSettingsInput),
  'demo:seed': entry<typeof seedDemoInput, SeedResult>(seedDemoInput),
} satisfies Record<Channel, Entry<z.ZodType, unknown>>

export type Contract = typeof contract
/** What the renderer passes (defaults may be omitted). */
export type Input<C extends Channel> = z.input<Contract[C]['input']>
/** What a handler receives, after validation and defaults. */
export type ParsedInput<C extends Channel> = z.output<Contract[C]['input']>
export type Output<C extends Channel> = Contract[C]['output']
