export { previewMerge, describeMerge, mergeCustomers, type MergeRequest } from './merge'
export { undoMerge, describeUndo, mergesForCustomer } from './undo'
export { survivorOf, aliasesOf } from './aliases'
