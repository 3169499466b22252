import { z } from 'zod'
import { id, noInput } from './common'
import type { ApiError } from './common'
import type { BulkResult, GroupUsage, RecyclePurgeResult, TagUsage } from './organise'
import type { ChangeLogCheck, SeedResult } from './app'
import type { MatchingCount, TagRef } from './customers'
import type { CustomFieldDefinition } from './profile'
import type { ImportPreview, ImportSummary, ImportUndoResult } from './imports'
import type { ExportResult } from './exports'
import type { MarkPostedResult } from './brochures'
import type { BackupMade } from './backups'
import type { QualityCounts, QualityScanResult } from './quality'
import type { SubjectAccessResult } from './privacy'
import type { DuplicateGroupsPage, DuplicateScanResult } from './duplicates'
import type { MarketingPreview, MarketingResult } from './messages'
import type { CopyReport } from './database'

/**
 * Long work (bulk changes, sample data, removing a tag, list or custom field
 * from every customer) runs off the main process as a job:
 * the channel that starts it answers at once with the job, and the screen
 * follows its progress with `jobs:get` until it has finished.
 */
export type JobKind =
  | 'bulk'
  | 'countMatching'
  | 'seed'
  | 'tagMerge'
  | 'tagDelete'
  | 'groupDelete'
  | 'customFieldDelete'
  | 'fileCheck'
  | 'importPreview'
  | 'importCheck'
  | 'import'
  | 'importUndo'
  | 'importRollBack'
  | 'export'
  | 'statement'
  | 'letters'
  | 'brochureMarkPosted'
  | 'labels'
  | 'letterPreview'
  | 'letterCheck'
  | 'report'
  | 'reportExport'
  | 'reportPrint'
  | 'backup'
  | 'restoreCheck'
  | 'changeLogCheck'
  | 'qualityScan'
  | 'qualityCounts'
  | 'subjectAccess'
  | 'erase'
  | 'duplicateScan'
  | 'duplicateGroups'
  | 'merge'
  | 'mergeUndo'
  | 'recyclePurge'
  | 'recyclePurgeExpired'
  | 'marketingPreview'
  | 'marketingQueue'
  | 'databaseCopy'

export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled'

export interface JobStatus {
  id: number
  kind: JobKind
  /** What is being done, in the receptionist's words ("Archiving 46,000 customers"). */
  label: string
  state: JobState
  /** Items done of `total` (0 of 0 before the job knows its size). */
  done: number
  total: number
  /** The current step, when a job has several ("Indexing for search"). */
  phase: string
  cancellable: boolean
  /** What the desk should know while it runs, when not the usual "all or nothing". */
  note: string
  /** Changes made at the desk meanwhile that wait for this job to finish writing (they are saved then). */
  savesWaiting: number
  /**
   * Set when state is 'done', what the channel that started it would have
   * answered: BulkResult ('bulk'), MatchingCount ('countMatching'), SeedResult ('seed'), the kept TagRef
   * ('tagMerge'), TagUsage[] ('tagDelete'), GroupUsage[] ('groupDelete'),
   * CustomFieldDefinition[] ('customFieldDelete'), ImportPreview ('importPreview'), ImportSummary ('importCheck', 'import'),
   * ImportUndoResult ('importUndo'), ExportResult ('export'), MarkPostedResult ('brochureMarkPosted'), BackupMade ('backup'), ChangeLogCheck ('changeLogCheck'),
   * SubjectAccessResult ('subjectAccess'), ErasureResult ('erase'), QualityScanResult ('qualityScan'), QualityCounts ('qualityCounts'), DuplicateScanResult ('duplicateScan'), DuplicateGroupsPage ('duplicateGroups'),
   * RecyclePurgeResult ('recyclePurge', 'recyclePurgeExpired'), MarketingPreview ('marketingPreview'), MarketingResult ('marketingQueue'), CopyReport ('databaseCopy'); nothing for 'fileCheck'.
   */
  result:
    | BulkResult
    | MatchingCount
    | SeedResult
    | TagRef
    | TagUsage[]
    | GroupUsage[]
    | CustomFieldDefinition[]
    | ImportPreview
    | ImportSummary
    | ImportUndoResult
    | ExportResult
    | MarkPostedResult
    | BackupMade
    | ChangeLogCheck
    | QualityScanResult
    | QualityCounts
    | SubjectAccessResult
    | DuplicateScanResult
    | DuplicateGroupsPage
    | RecyclePurgeResult
    | MarketingPreview
    | MarketingResult
    | CopyReport
    | null
  /** Set when state is 'failed' (or 'cancelled', saying nothing was changed). */
  error: ApiError | null
  startedAt: string
  finishedAt: string | null
}

export const jobIdInput = z.strictObject({ id })

/** The channels answered by long work running in the background, each with the input it takes. */
export const jobsInputs = {
  'jobs:get': jobIdInput,
  'jobs:cancel': jobIdInput,
  'jobs:list': noInput,
}
