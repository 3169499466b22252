/*
 * Personal-data requests: what is held about a person, given to them
 * (subject access), and their erasure.
 */
export {
  describeSubjectAccess,
  makeSubjectAccess,
  subjectAccessFileName,
  saveSubjectAccessFile,
  type SubjectAccessJob,
} from './subjectAccess'
export { eraseCustomer, previewErasure, describeErasure, ERASED_NAME } from './erasure'
export { findTombstone, type TombstoneMatch } from './tombstones'
