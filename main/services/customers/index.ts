export { createCustomer, updateCustomer, changeCustomerStatus } from './customers'
export { listCustomers, countCustomers, findCustomersByPhone } from './list'
export { loadCustomer } from './records'
