export { tokensForCustomer } from './tokens'
