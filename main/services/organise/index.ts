/** Notes, tags, customer lists, saved filters, bulk actions, the recycle bin and the profile summary. */
export { listNotes, addNote, updateNote, deleteNote, reorderNotes, dueReminders } from './notes'
export {
  listTags,
  suggestTags,
  tagUsage,
  createTag,
  updateTag,
  mergeTags,
  deleteTag,
  describeTagMerge,
  describeTagDelete,
  addCustomerTag,
  removeCustomerTag,
} from './tags'
export { listGroups, groupUsage, createGroup, updateGroup, deleteGroup, describeGroupDelete, addCustomerToGroup, removeCustomerFromGroup } from './groups'
export { listSavedFilters, saveFilter, deleteSavedFilter } from './savedFilters'
export { runBulkAction, describeBulkAction, resolveSelection } from './bulk'
export { deleteCustomer, listRecycleBin, restoreCustomer, describePurge, purgeCustomer, purgeExpiredCustomers, hasExpiredCustomers } from './recycleBin'
export { customerSummary } from './summary'
