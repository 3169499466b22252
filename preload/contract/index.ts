import { z } from 'zod'
import type { Channel } from './channels'
import { appInputs, type AppInfo, type BusinessLogo, type ChangeLogCheck, type Settings } from './schemas/app'
import {
  customersInputs,
  type CustomerContact,
  type CustomerDetail,
  type CustomerPage,
  type TabCounts,
  type TagRef,
} from './schemas/customers'
import type { ChangeEntry, GroupRef } from './schemas/common'
import {
  organiseInputs,
  type CustomerSummary,
  type DueReminder,
  type GroupUsage,
  type Note,
  type RecycledCustomer,
  type SavedFilter,
  type TagUsage,
} from './schemas/organise'
import { profileInputs, type ConsentEvent, type CustomFieldDefinition, type CustomerExtras, type CustomerPhoto } from './schemas/profile'
import { catalogueInputs, type CatalogueItem, type CatalogueSession } from './schemas/catalogue'
import {
  bookingsInputs,
  type BookingDetail,
  type BookingQuote,
  type BookingListPage,
  type BookingWarnings,
  type CallerMatch,
  type CreateBookingResult,
  type CustomerActivity,
  type CustomerInvoices,
  type MyBookings,
  type TransferQuote,
  type TransferResult,
} from './schemas/bookings'
import {
  plansInputs,
  type CollectionRecorded,
  type CollectionsDuePage,
  type CustomerPlans,
  type PlanProduct,
  type PlanSold,
} from './schemas/plans'
import { jobsInputs, type JobStatus } from './schemas/jobs'
import { importsInputs, type ImportPreview, type ImportRecord } from './schemas/imports'
import { exportsInputs, type ExportColumn } from './schemas/exports'
import { printoutsInputs, type Printout, type PrintoutBytes, type SavedPrintout } from './schemas/printouts'
import { reportsInputs, type ReportResult } from './schemas/reports'
import {
  brochuresInputs,
  type BrochurePrintout,
  type BrochureRequest,
  type LetterTemplate,
  type MergeField,
  type PrintCheck,
  type WorklistCounts,
  type WorklistPage,
} from './schemas/brochures'
import { statementsInputs } from './schemas/statements'
import { rewardsInputs, type ReferredCustomersPage, type RewardsBalance, type RewardsLedgerPage } from './schemas/rewards'
import { staffInputs, type AssignableStaff, type StaffAccount, type StaffSession } from './schemas/staff'
import { privacyInputs, type ErasurePreview, type SavedSubjectAccessFile } from './schemas/privacy'
import { qualityInputs, type QualityCounts, type QualityPage } from './schemas/quality'
import { duplicatesInputs, type DuplicateCheck, type DuplicateGroupsPage, type DuplicateMatch } from './schemas/duplicates'
import { mailInputs, type MailOutputs } from './schemas/mail'
import { messagesInputs, type MessagesOutputs } from './schemas/messages'
import { siteAccountsInputs, type SiteAccountsOutputs } from './schemas/siteAccounts'
import { databaseInputs, type DatabaseOutputs } from './schemas/database'
import { mergesInputs, type MergePreview, type MergeRecord } from './schemas/merges'
import { backupsInputs, type BackupInfo, type BackupsStatus, type RecoveryInfo, type RecoveryOutcome, type RestoreOutcome } from './schemas/backups'

export * from './channels'
export * from './schemas/common'
export * from './schemas/app'
export * from './schemas/customers'
export * from './schemas/organise'
export * from './schemas/profile'
export * from './schemas/catalogue'
export * from './schemas/bookings'
export * from './schemas/plans'
export * from './schemas/jobs'
export * from './schemas/imports'
export * from './schemas/exports'
export * from './schemas/printouts'
export * from './schemas/reports'
export * from './schemas/brochures'
export * from './schemas/statements'
export * from './schemas/rewards'
export * from './schemas/staff'
export * from './schemas/merges'
export * from './schemas/mail'
export * from './schemas/messages'
export * from './schemas/siteAccounts'
export * from './schemas/database'
export * from './schemas/backups'
export * from './schemas/duplicates'
export * from './schemas/quality'
export * from './schemas/privacy'

/**
 * Every channel's input schema, from the schema file of the domain that
 * answers it: `schemas/<domain>.ts` lists its channels, and
 * `main/ipc/handlers/<domain>.ts` answers exactly those with
 * `main/services/<domain>/`.
 */
const inputs = {
  ...appInputs,
  ...customersInputs,
  ...organiseInputs,
  ...profileInputs,
  ...catalogueInputs,
  ...bookingsInputs,
  ...plansInputs,
  ...importsInputs,
  ...exportsInputs,
  ...printoutsInputs,
  ...reportsInputs,
  ...brochuresInputs,
  ...statementsInputs,
  ...rewardsInputs,
  ...jobsInputs,
  ...staffInputs,
  ...backupsInputs,
  ...mergesInputs,
  ...duplicatesInputs,
  ...qualityInputs,
  ...privacyInputs,
  ...mailInputs,
  ...messagesInputs,
  ...siteAccountsInputs,
  ...databaseInputs,
} satisfies Record<Channel, z.ZodType>

/** What each channel answers. */
interface Outputs extends MailOutputs, MessagesOutputs, SiteAccountsOutputs, DatabaseOutputs {
  /** Jobs ('databaseCopy') whose result is a CopyReport; declared here, as the jobs' results name the database domain's types. */
  'database:copyToServer': JobStatus
  'database:copyToFile': JobStatus
  /** A job ('marketingQueue') whose result is a MarketingResult; declared here, as the jobs' results name the messages domain's types. */
  'messages:sendMarketing': JobStatus
  'app:info': AppInfo
  'app:checkChangeLog': ChangeLogCheck
  'customers:list': CustomerPage
  'customers:counts': TabCounts
  'customers:countMatching': JobStatus
  'customers:get': CustomerDetail
  'customers:create': CustomerDetail
  'customers:update': CustomerDetail
  'customers:archive': CustomerDetail
  'customers:unarchive': CustomerDetail
  'customers:block': CustomerDetail
  'customers:unblock': CustomerDetail
  'customers:changes': ChangeEntry[]
  'customers:contact': CustomerContact
  'tags:list': TagRef[]
  'groups:list': GroupRef[]
  'settings:get': Settings
  'settings:update': Settings
  'settings:logo': BusinessLogo | null
  'settings:setLogo': BusinessLogo
  'settings:removeLogo': null
  'demo:seed': JobStatus
  'customers:extras': CustomerExtras
  'customers:setPreferences': CustomerExtras
  'customers:consentHistory': ConsentEvent[]
  'customers:setTax': CustomerExtras
  'customers:setReferral': CustomerExtras
  'customers:setHousehold': CustomerExtras
  'customers:setCustomFields': CustomerExtras
  'customers:setPhoto': CustomerExtras
  'customers:removePhoto': CustomerExtras
  'customers:photo': CustomerPhoto | null
  'paymentMethods:add': CustomerExtras
  'paymentMethods:remove': CustomerExtras
  'paymentMethods:setDefault': CustomerExtras
  'customFields:list': CustomFieldDefinition[]
  'customFields:save': CustomFieldDefinition[]
  'customFields:delete': JobStatus
  'customers:summary': CustomerSummary
  'notes:list': Note[]
  'notes:add': Note[]
  'notes:update': Note[]
  'notes:delete': Note[]
  'notes:reorder': Note[]
  'notes:reminders': DueReminder[]
  'tags:suggest': TagRef[]
  'tags:usage': TagUsage[]
  'tags:create': TagRef
  'tags:update': TagRef
  'tags:merge': JobStatus
  'tags:delete': JobStatus
  'customers:addTag': TagRef[]
  'customers:removeTag': TagRef[]
  'groups:usage': GroupUsage[]
  'groups:create': GroupRef
  'groups:update': GroupRef
  'groups:delete': JobStatus
  'customers:addToGroup': GroupRef[]
  'customers:removeFromGroup': GroupRef[]
  'savedFilters:list': SavedFilter[]
  'savedFilters:save': SavedFilter
  'savedFilters:delete': SavedFilter[]
  'customers:bulk': JobStatus
  'customers:delete': RecycledCustomer
  'recycleBin:list': RecycledCustomer[]
  'recycleBin:restore': CustomerDetail
  'recycleBin:purge': JobStatus
  'catalogue:list': CatalogueItem[]
  'catalogue:saveItem': CatalogueItem
  'catalogue:deleteItem': CatalogueItem[]
  'catalogue:sessions': CatalogueSession[]
  'catalogue:saveSession': CatalogueSession
  'catalogue:deleteSession': { deleted: number }
  'bookings:findCaller': CallerMatch
  'bookings:create': CreateBookingResult
  'bookings:quote': BookingQuote
  'bookings:get': BookingDetail
  'bookings:listForCustomer': BookingListPage
  'bookings:list': BookingListPage
  'bookings:setStatus': BookingDetail
  'bookings:addPayment': BookingDetail
  'bookings:previewTransfer': TransferQuote
  'bookings:transfer': TransferResult
  'bookings:warnings': BookingWarnings
  'bookings:assign': BookingDetail
  'bookings:mine': MyBookings
  'customers:invoices': CustomerInvoices
  'customers:activity': CustomerActivity
  'plans:list': CustomerPlans
  'plans:sell': PlanSold
  'plans:setStatus': CustomerPlans
  'plans:products': PlanProduct[]
  'plans:saveProduct': PlanProduct
  'plans:archiveProduct': PlanProduct[]
  'plans:collectionsDue': CollectionsDuePage
  'plans:recordCollection': CollectionRecorded
  'imports:choose': ImportPreview | null
  'imports:preview': ImportPreview
  'imports:check': JobStatus
  'imports:run': JobStatus
  /** The file's name once saved; null when the save dialog was cancelled. */
  'imports:saveRejects': string | null
  'imports:list': ImportRecord[]
  'imports:undo': JobStatus
  'exports:columns': ExportColumn[]
  /** null when the save dialog was cancelled. */
  'exports:start': JobStatus | null
  'printouts:read': PrintoutBytes
  'printouts:save': SavedPrintout | null
  'printouts:open': null
  'reports:run': ReportResult
  /** The file's name once saved; null when the save dialog was cancelled. */
  'reports:export': { fileName: string } | null
  'reports:print': Printout
  'brochures:request': BrochureRequest[]
  'brochures:forCustomer': BrochureRequest[]
  'brochures:cancel': BrochureRequest[]
  'brochures:worklist': WorklistPage
  'brochures:counts': WorklistCounts
  'brochures:markPosted': JobStatus
  'brochures:templates': LetterTemplate[]
  'brochures:mergeFields': MergeField[]
  'brochures:saveTemplate': LetterTemplate[]
  'brochures:deleteTemplate': LetterTemplate[]
  /** One page: the template on the chosen customer (or a sample). */
  'brochures:previewLetter': BrochurePrintout
  'brochures:printCheck': PrintCheck
  /** The job making the letters; its result is the Printout. */
  'brochures:printLetters': JobStatus
  /** The job making the labels; its result is the Printout. */
  'brochures:printLabels': JobStatus
  'statements:make': Printout
  'rewards:balance': RewardsBalance
  'rewards:ledger': RewardsLedgerPage
  'rewards:referred': ReferredCustomersPage
  'rewards:adjust': RewardsLedgerPage
  'jobs:get': JobStatus
  'jobs:cancel': JobStatus
  'jobs:list': JobStatus[]
  'staff:session': StaffSession
  'staff:setUp': StaffSession
  'staff:signIn': StaffSession
  'staff:signOut': StaffSession
  'staff:lock': StaffSession
  'staff:unlock': StaffSession
  'staff:list': StaffAccount[]
  'staff:create': StaffAccount
  'staff:update': StaffAccount
  'staff:resetPassword': StaffAccount
  'staff:changePassword': null
  'staff:setPin': StaffSession
  'staff:assignable': AssignableStaff[]
  'backups:status': BackupsStatus
  'backups:list': BackupInfo[]
  'backups:create': JobStatus
  'backups:restore': RestoreOutcome
  'backups:setOptions': BackupsStatus
  'backups:setPassphrase': BackupsStatus
  'backups:chooseFolder': BackupsStatus | null
  'backups:useDefaultFolder': BackupsStatus
  'backups:recovery': RecoveryInfo | null
  'backups:recover': RecoveryOutcome
  'backups:recoverFromFile': RecoveryOutcome | null
  'merges:preview': MergePreview
  /** The job merging; its result is the MergeResult. */
  'merges:merge': JobStatus
  /** The job undoing a merge; its result is the MergeUndoResult. */
  'merges:undo': JobStatus
  'merges:forCustomer': MergeRecord[]
  'duplicates:check': DuplicateCheck
  'duplicates:dismiss': { dismissed: number }
  'duplicates:forCustomer': DuplicateMatch[]
  'duplicates:groups': DuplicateGroupsPage
  /** The full scan; its result is the DuplicateScanResult. */
  'duplicates:scan': JobStatus
  'quality:counts': QualityCounts
  'quality:page': QualityPage
  /** The job checking every customer; its result is the QualityScanResult. */
  'quality:scan': JobStatus
  /** The job collecting the data and making both files; its result is the SubjectAccessResult. */
  'privacy:subjectAccess': JobStatus
  /** null when the save dialog was cancelled. */
  'privacy:subjectAccessSave': SavedSubjectAccessFile | null
  'privacy:erasePreview': ErasurePreview
  /** The erasure, in the worker; its result is the ErasureResult. */
  'privacy:erase': JobStatus
}

interface Entry<I extends z.ZodType, O> {
  input: I
  /** Phantom: carries the output type only. */
  output: O
}

/** The whole IPC contract: every channel, its input schema and its output type. */
export type Contract = { [C in Channel]: Entry<(typeof inputs)[C], Outputs[C]> }
export const contract = Object.fromEntries(Object.entries(inputs).map(([channel, input]) => [channel, { input, output: undefined }])) as unknown as Contract

/** What the renderer passes (defaults may be omitted). */
export type Input<C extends Channel> = z.input<Contract[C]['input']>
/** What a handler receives, after validation and defaults. */
export type ParsedInput<C extends Channel> = z.output<Contract[C]['input']>
export type Output<C extends Channel> = Contract[C]['output']
