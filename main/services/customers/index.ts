export { createCustomer, updateCustomer, changeCustomerStatus, loadWritableCustomer } from './customers'
export { listCustomers, countCustomers, countMatchingExactly, findCustomersByPhone } from './list'
export { loadCustomer } from './records'
export { listCustomerChanges } from './changes'
