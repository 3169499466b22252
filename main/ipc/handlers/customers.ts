import type { customersInputs } from '../../../preload/contract/schemas/customers'
import * as customers from '../../services/customers'
import { startedBy, type DomainHandlers, type HandlerOptions } from './domain'

export function customersHandlers({ jobs }: HandlerOptions): DomainHandlers<typeof customersInputs> {
  return {
    'customers:list': (ctx, input) => customers.listCustomers(ctx, input),
    'customers:counts': (ctx, input) => customers.countCustomers(ctx, input),
    'customers:countMatching': (ctx, input) => jobs.start('countMatching', input, { ...startedBy(ctx), label: 'Counting the matching customers' }),
    'customers:get': (ctx, { id }) => customers.getCustomer(ctx.db, id),
    'customers:create': (ctx, input) => customers.createCustomer(ctx, input),
    'customers:update': (ctx, { id, customer, confirmErased, version }) => customers.updateCustomer(ctx, id, customer, { confirmErased, version }),
    'customers:archive': (ctx, { id }) => customers.changeCustomerStatus(ctx, id, 'archive'),
    'customers:unarchive': (ctx, { id }) => customers.changeCustomerStatus(ctx, id, 'unarchive'),
    'customers:block': (ctx, { id, reason }) => customers.changeCustomerStatus(ctx, id, 'block', reason),
    'customers:unblock': (ctx, { id }) => customers.changeCustomerStatus(ctx, id, 'unblock'),
    'customers:changes': (ctx, { id, limit, kind }) => customers.listCustomerChanges(ctx, id, limit, kind),
    'customers:contact': (ctx, { id }) => customers.loadCustomerContact(ctx, id),
  }
}
