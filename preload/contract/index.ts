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
import { seedDemoInput, updateSettingsInput, type AppInfo, type Settings } from './schemas/app'
import {
  addPaymentMethodInput,
  paymentMethodIdInput,
  saveCustomFieldInput,
  setCustomFieldsInput,
  setHouseholdInput,
  setPhotoInput,
  setPreferencesInput,
  setReferralInput,
  setTaxInput,
  type ConsentEvent,
  type CustomerExtras,
  type CustomerPhoto,
  type CustomFieldDefinition,
} from './schemas/profile'
import {
  addNoteInput,
  bulkInput,
  createGroupInput,
  createTagInput,
  customerGroupInput,
  customerSummaryInput,
  customerTagInput,
  customerTagRemoveInput,
  groupIdInput,
  listNotesInput,
  mergeTagsInput,
  noteIdInput,
  remindersInput,
  reorderNotesInput,
  savedFilterIdInput,
  saveFilterInput,
  suggestTagsInput,
  tagIdInput,
  updateGroupInput,
  updateNoteInput,
  updateTagInput,
  type CustomerSummary,
  type DueReminder,
  type GroupUsage,
  type Note,
  type RecycledCustomer,
  type SavedFilter,
  type TagUsage,
} from './schemas/organise'

import {
  listSessionsInput,
  saveCatalogueItemInput,
  saveSessionInput,
  type CatalogueItem,
  type CatalogueSession,
} from './schemas/catalogue'
import {
  activityInput,
  addPaymentInput,
  bookingIdInput,
  createBookingInput,
  customerIdInput,
  findCallerInput,
  listCustomerBookingsInput,
  sellPlanInput,
  setBookingStatusInput,
  setPlanStatusInput,
  transferBookingInput,
  type BookingDetail,
  type BookingRow,
  type BookingWarnings,
  type CallerMatch,
  type CreateBookingResult,
  type CustomerActivity,
  type CustomerInvoices,
  type CustomerPlans,
  type TransferQuote,
  type TransferResult,
} from './schemas/bookings'
import { jobIdInput, type JobStatus } from './schemas/jobs'

export * from './channels'
export * from './schemas/common'
export * from './schemas/customers'
export * from './schemas/app'
export * from './schemas/profile'
export * from './schemas/organise'
export * from './schemas/catalogue'
export * from './schemas/bookings'
export * from './schemas/jobs'

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
  'demo:seed': entry<typeof seedDemoInput, JobStatus>(seedDemoInput),
  'customers:extras': entry<typeof byId, CustomerExtras>(byId),
  'customers:setPreferences': entry<typeof setPreferencesInput, CustomerExtras>(setPreferencesInput),
  'customers:consentHistory': entry<typeof byId, ConsentEvent[]>(byId),
  'customers:setTax': entry<typeof setTaxInput, CustomerExtras>(setTaxInput),
  'customers:setReferral': entry<typeof setReferralInput, CustomerExtras>(setReferralInput),
  'customers:setHousehold': entry<typeof setHouseholdInput, CustomerExtras>(setHouseholdInput),
  'customers:setCustomFields': entry<typeof setCustomFieldsInput, CustomerExtras>(setCustomFieldsInput),
  'customers:setPhoto': entry<typeof setPhotoInput, CustomerExtras>(setPhotoInput),
  'customers:removePhoto': entry<typeof byId, CustomerExtras>(byId),
  'customers:photo': entry<typeof byId, CustomerPhoto | null>(byId),
  'paymentMethods:add': entry<typeof addPaymentMethodInput, CustomerExtras>(addPaymentMethodInput),
  'paymentMethods:remove': entry<typeof paymentMethodIdInput, CustomerExtras>(paymentMethodIdInput),
  'paymentMethods:setDefault': entry<typeof paymentMethodIdInput, CustomerExtras>(paymentMethodIdInput),
  'customFields:list': entry<typeof noInput, CustomFieldDefinition[]>(noInput),
  'customFields:save': entry<typeof saveCustomFieldInput, CustomFieldDefinition[]>(saveCustomFieldInput),
  'customFields:delete': entry<typeof byId, JobStatus>(byId),
  'customers:summary': entry<typeof customerSummaryInput, CustomerSummary>(customerSummaryInput),
  'notes:list': entry<typeof listNotesInput, Note[]>(listNotesInput),
  'notes:add': entry<typeof addNoteInput, Note[]>(addNoteInput),
  'notes:update': entry<typeof updateNoteInput, Note[]>(updateNoteInput),
  'notes:delete': entry<typeof noteIdInput, Note[]>(noteIdInput),
  'notes:reorder': entry<typeof reorderNotesInput, Note[]>(reorderNotesInput),
  'notes:reminders': entry<typeof remindersInput, DueReminder[]>(remindersInput),
  'tags:suggest': entry<typeof suggestTagsInput, TagRef[]>(suggestTagsInput),
  'tags:usage': entry<typeof noInput, TagUsage[]>(noInput),
  'tags:create': entry<typeof createTagInput, TagRef>(createTagInput),
  'tags:update': entry<typeof updateTagInput, TagRef>(updateTagInput),
  'tags:merge': entry<typeof mergeTagsInput, JobStatus>(mergeTagsInput),
  'tags:delete': entry<typeof tagIdInput, JobStatus>(tagIdInput),
  'customers:addTag': entry<typeof customerTagInput, TagRef[]>(customerTagInput),
  'customers:removeTag': entry<typeof customerTagRemoveInput, TagRef[]>(customerTagRemoveInput),
  'groups:usage': entry<typeof noInput, GroupUsage[]>(noInput),
  'groups:create': entry<typeof createGroupInput, GroupRef>(createGroupInput),
  'groups:update': entry<typeof updateGroupInput, GroupRef>(updateGroupInput),
  'groups:delete': entry<typeof groupIdInput, JobStatus>(groupIdInput),
  'customers:addToGroup': entry<typeof customerGroupInput, GroupRef[]>(customerGroupInput),
  'customers:removeFromGroup': entry<typeof customerGroupInput, GroupRef[]>(customerGroupInput),
  'savedFilters:list': entry<typeof noInput, SavedFilter[]>(noInput),
  'savedFilters:save': entry<typeof saveFilterInput, SavedFilter>(saveFilterInput),
  'savedFilters:delete': entry<typeof savedFilterIdInput, SavedFilter[]>(savedFilterIdInput),
  'customers:bulk': entry<typeof bulkInput, JobStatus>(bulkInput),
  'customers:delete': entry<typeof byId, RecycledCustomer>(byId),
  'recycleBin:list': entry<typeof noInput, RecycledCustomer[]>(noInput),
  'recycleBin:restore': entry<typeof byId, CustomerDetail>(byId),
  'recycleBin:purge': entry<typeof byId, RecycledCustomer[]>(byId),
  'catalogue:list': entry<typeof noInput, CatalogueItem[]>(noInput),
  'catalogue:saveItem': entry<typeof saveCatalogueItemInput, CatalogueItem>(saveCatalogueItemInput),
  'catalogue:deleteItem': entry<typeof byId, CatalogueItem[]>(byId),
  'catalogue:sessions': entry<typeof listSessionsInput, CatalogueSession[]>(listSessionsInput),
  'catalogue:saveSession': entry<typeof saveSessionInput, CatalogueSession>(saveSessionInput),
  'catalogue:deleteSession': entry<typeof byId, { deleted: number }>(byId),
  'bookings:findCaller': entry<typeof findCallerInput, CallerMatch>(findCallerInput),
  'bookings:create': entry<typeof createBookingInput, CreateBookingResult>(createBookingInput),
  'bookings:get': entry<typeof bookingIdInput, BookingDetail>(bookingIdInput),
  'bookings:listForCustomer': entry<typeof listCustomerBookingsInput, BookingRow[]>(listCustomerBookingsInput),
  'bookings:setStatus': entry<typeof setBookingStatusInput, BookingDetail>(setBookingStatusInput),
  'bookings:addPayment': entry<typeof addPaymentInput, BookingDetail>(addPaymentInput),
  'bookings:previewTransfer': entry<typeof transferBookingInput, TransferQuote>(transferBookingInput),
  'bookings:transfer': entry<typeof transferBookingInput, TransferResult>(transferBookingInput),
  'bookings:warnings': entry<typeof customerIdInput, BookingWarnings>(customerIdInput),
  'customers:invoices': entry<typeof customerIdInput, CustomerInvoices>(customerIdInput),
  'customers:activity': entry<typeof activityInput, CustomerActivity>(activityInput),
  'plans:list': entry<typeof customerIdInput, CustomerPlans>(customerIdInput),
  'plans:sell': entry<typeof sellPlanInput, CustomerPlans>(sellPlanInput),
  'plans:setStatus': entry<typeof setPlanStatusInput, CustomerPlans>(setPlanStatusInput),
  'jobs:get': entry<typeof jobIdInput, JobStatus>(jobIdInput),
  'jobs:cancel': entry<typeof jobIdInput, JobStatus>(jobIdInput),
  'jobs:list': entry<typeof noInput, JobStatus[]>(noInput),
} satisfies Record<Channel, Entry<z.ZodType, unknown>>

export type Contract = typeof contract
/** What the renderer passes (defaults may be omitted). */
export type Input<C extends Channel> = z.input<Contract[C]['input']>
/** What a handler receives, after validation and defaults. */
export type ParsedInput<C extends Channel> = z.output<Contract[C]['input']>
export type Output<C extends Channel> = Contract[C]['output']
