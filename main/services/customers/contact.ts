import type { CustomerContact } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { NotFound } from '../errors'
import { formatCustomerNumber } from './normalize'
import { loadCustomer } from './records'

/** Contact details only — what a team member may see of a customer (no notes, tags, block reasons or money). */
export async function loadCustomerContact(ctx: ServiceContext, id: number): Promise<CustomerContact> {
  const customer = await loadCustomer(ctx.db, id)
  if (customer.status === 'deleted') throw new NotFound(`Customer ${formatCustomerNumber(id)} does not exist.`)
  return {
    id: customer.id,
    number: customer.number,
    displayName: customer.displayName,
    company: customer.company,
    email: customer.email,
    status: customer.status,
    phones: customer.phones,
    addresses: customer.addresses,
  }
}
