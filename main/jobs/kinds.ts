import type { z } from 'zod'
import type {
  bulkInput,
  eraseInput,
  countMatchingInput,
  ExportInput,
  JobKind,
  MakeStatementInput,
  markPostedInput,
  marketingInput,
  mergeTagsInput,
  printSelectionInput,
  ReportExportInput,
  ReportInput,
  seedDemoInput,
} from '../../preload/contract'
import type { ServiceContext } from '../services/context'
import type { Progress } from '../services/progress'
import { deleteGroup, deleteTag, mergeTags, purgeCustomer, purgeExpiredCustomers, runBulkAction } from '../services/organise'
import { deleteCustomField } from '../services/profile'
import { countMatchingExactly } from '../services/customers'
import { seedSampleCustomers } from '../demo/seed'
import { DomainError } from '../services/errors'
import { checkImport, previewImport, rollBackInterruptedImports, runImport, undoImport, type ImportJobInput } from '../services/imports'
import { exportCustomers } from '../services/exports'
import { makeStatement } from '../services/statements'
import {
  checkPrint,
  makeLabels,
  makeLetters,
  markPosted,
  previewLetter,
  type PreviewLetterJob,
  type PrintLabelsJob,
  type PrintLettersJob,
} from '../services/brochures'
import { exportReport, printReport, runReport } from '../services/reports'
import { checkChangeLog } from '../services/app/changeLogCheck'
import { DataFileProblem } from '../../db/dataFile'
import { assertUndamaged } from '../../db/open'
import { backupNow, prepareRestoreCopy } from '../services/backups'
import type { BackupKind } from '../../preload/contract/schemas/backups'
import { qualityCounts, scanQuality } from '../services/quality'
import { listDuplicateGroups, scanForDuplicates } from '../services/duplicates'
import { mergeCustomers, undoMerge, type MergeRequest } from '../services/merges'
import { eraseCustomer, makeSubjectAccess, type SubjectAccessJob } from '../services/privacy'
import { previewMarketing, queueMarketing } from '../services/messages'
import { copyDatabase, type CopyOptions } from '../services/database/copy'

/**
 * The work a job can do: a service function run in the job worker, with its
 * own database connection, reporting progress and heeding Cancel. Inputs were
 * validated by the router before the job was started.
 */
export const jobKinds = {
  bulk: (ctx: ServiceContext, input: z.output<typeof bulkInput>, progress: Progress) => runBulkAction(ctx, input, progress),
  countMatching: (ctx: ServiceContext, input: z.output<typeof countMatchingInput>, progress: Progress) => countMatchingExactly(ctx, input, progress),
  seed: (ctx: ServiceContext, input: z.output<typeof seedDemoInput>, progress: Progress) =>
    seedSampleCustomers(ctx, input.count, input.seed, progress),
  tagMerge: (ctx: ServiceContext, input: z.output<typeof mergeTagsInput>, progress: Progress) => mergeTags(ctx, input.sourceId, input.targetId, progress),
  tagDelete: (ctx: ServiceContext, input: { id: number }, progress: Progress) => deleteTag(ctx, input.id, progress),
  groupDelete: (ctx: ServiceContext, input: { id: number }, progress: Progress) => deleteGroup(ctx, input.id, progress),
  customFieldDelete: (ctx: ServiceContext, input: { id: number }, progress: Progress) => deleteCustomField(ctx, input.id, progress),
  importPreview: (ctx: ServiceContext, input: { file: string; sourceId: string; sheet: string | null }) => previewImport(ctx, input),
  importCheck: (ctx: ServiceContext, input: ImportJobInput, progress: Progress) => checkImport(ctx, input, progress),
  import: (ctx: ServiceContext, input: ImportJobInput, progress: Progress) => runImport(ctx, input, progress),
  importUndo: (ctx: ServiceContext, input: { id: number }, progress: Progress) => undoImport(ctx, input.id, progress),
  importRollBack: (ctx: ServiceContext, input: { staleBefore: string | null }, progress: Progress) =>
    rollBackInterruptedImports(ctx, progress, input.staleBefore),
  export: (ctx: ServiceContext, input: ExportInput & { file: string }, progress: Progress) => exportCustomers(ctx, input, input.file, progress),
  statement: (ctx: ServiceContext, input: MakeStatementInput & { printoutsDir: string }) => makeStatement(ctx, input, input.printoutsDir),
  letters: (ctx: ServiceContext, input: PrintLettersJob, progress: Progress) => makeLetters(ctx, input, progress),
  brochureMarkPosted: (ctx: ServiceContext, input: z.output<typeof markPostedInput>, progress: Progress) => markPosted(ctx, input, progress),
  labels: (ctx: ServiceContext, input: PrintLabelsJob, progress: Progress) => makeLabels(ctx, input, progress),
  letterPreview: (ctx: ServiceContext, input: PreviewLetterJob) => previewLetter(ctx, input),
  letterCheck: (ctx: ServiceContext, input: z.output<typeof printSelectionInput>) => checkPrint(ctx, input.selection),
  report: (ctx: ServiceContext, input: ReportInput) => runReport(ctx, input),
  reportExport: (ctx: ServiceContext, input: ReportExportInput & { file: string }) => exportReport(ctx, input, input.file),
  reportPrint: (ctx: ServiceContext, input: ReportInput & { printoutsDir: string }) => printReport(ctx, input, input.printoutsDir),
  changeLogCheck: (ctx: ServiceContext, _input: Record<string, never>, progress: Progress) => checkChangeLog(ctx, progress),
  fileCheck: async (_ctx: ServiceContext, input: { file: string }, progress: Progress) => {
    try {
      // Between tables: the desk cannot cancel the check, but closing the app stops it.
      assertUndamaged(input.file, (done, total) => {
        progress.checkCancelled()
        progress.report(done, total, 'Tables checked')
      })
    } catch (error) {
      if (error instanceof DataFileProblem) throw new DomainError('STORAGE', error.message)
      throw error
    }
    return null
  },
  backup: (ctx: ServiceContext, input: { kind: BackupKind }, progress: Progress) => backupNow(ctx, input.kind, progress),
  restoreCheck: (_ctx: ServiceContext, input: { backupFile: string; copyFile: string; passphrase: string | null; upToDate?: boolean }, progress: Progress) =>
    prepareRestoreCopy(input, progress),
  subjectAccess: (ctx: ServiceContext, input: SubjectAccessJob, progress: Progress) => makeSubjectAccess(ctx, input, progress),
  erase: (ctx: ServiceContext, input: z.output<typeof eraseInput>, progress: Progress) => eraseCustomer(ctx, input, progress),
  qualityScan: (ctx: ServiceContext, _input: Record<string, never>, progress: Progress) => scanQuality(ctx, progress),
  duplicateScan: (ctx: ServiceContext, _input: Record<string, never>, progress: Progress) => scanForDuplicates(ctx, progress),
  duplicateGroups: (ctx: ServiceContext, input: { page: number; pageSize: number }) => listDuplicateGroups(ctx, input.page, input.pageSize),
  qualityCounts: (ctx: ServiceContext, _input: Record<string, never>) => qualityCounts(ctx),
  merge: (ctx: ServiceContext, input: MergeRequest, progress: Progress) => mergeCustomers(ctx, input, progress),
  mergeUndo: (ctx: ServiceContext, input: { mergeId: number }, progress: Progress) => undoMerge(ctx, input.mergeId, progress),
  recyclePurge: (ctx: ServiceContext, input: { id: number }, progress: Progress) => purgeCustomer(ctx, input.id, progress),
  recyclePurgeExpired: (ctx: ServiceContext, _input: Record<string, never>, progress: Progress) => purgeExpiredCustomers(ctx, progress),
  marketingPreview: (ctx: ServiceContext, input: z.output<typeof marketingInput>) => previewMarketing(ctx, input),
  marketingQueue: (ctx: ServiceContext, input: z.output<typeof marketingInput>, progress: Progress) => queueMarketing(ctx, input, progress),
  databaseCopy: (_ctx: ServiceContext, input: CopyOptions, progress: Progress) => copyDatabase(input, progress),
} satisfies Record<JobKind, (ctx: ServiceContext, input: never, progress: Progress) => Promise<unknown>>

export type JobInput<K extends JobKind> = Parameters<(typeof jobKinds)[K]>[1]
