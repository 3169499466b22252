export { DeskSession } from './session'
export { assignableStaff, createStaff, listStaff, resetPassword, resetPasswordAtComputer, updateStaff, ROLE_NAMES } from './accounts'
export { changePassword, lock, lockAfterMinutes, needsSetUp, sessionState, setPin, setUp, signIn, signOut, unlock } from './signIn'
export { hashSecret, verifySecret } from './passwords'
