import type { HandlerMap } from './router'
import { appInfo, seedSampleCustomers } from '../services/app'
import { listCustomerChanges } from '../services/changeLog'
import {
  changeCustomerStatus,
  countCustomers,
  createCustomer,
  findCustomersByPhone,
  listCustomers,
  loadCustomer,
  updateCustomer,
} from '../services/customers'
import { getSettings, updateSettings } from '../services/settings'
import { listGroups, listTags } from '../services/tags'

/** Channel → service. Handlers only unpack input; every rule lives in the services. */
export function createHandlers(options: { dataFile: string }): HandlerMap {
  return {
    'app:info': (ctx) => appInfo(ctx, options.dataFile),
    'customers:list': (ctx, input) => listCustomers(ctx, input),
    'customers:counts': (ctx, input) => countCustomers(ctx, input),
    'customers:get': (ctx, { id }) => loadCustomer(ctx.db, id),
    'customers:create': (ctx, input) => createCustomer(ctx, input),
    'customers:update': (ctx, { id, customer }) => updateCustomer(ctx, id, customer),
    'customers:archive': (ctx, { id }) => changeCustomerStatus(ctx, id, 'archive'),
    'customers:unarchive': (ctx, { id }) => changeCustomerStatus(ctx, id, 'unarchive'),
    'customers:block': (ctx, { id, reason }) => changeCustomerStatus(ctx, id, 'block', reason),
    'customers:unblock': (ctx, { id }) => changeCustomerStatus(ctx, id, 'unblock'),
    'customers:findByPhone': (ctx, { phone }) => findCustomersByPhone(ctx, phone),
    'customers:changes': (ctx, { id, limit }) => listCustomerChanges(ctx, id, limit),
    'tags:list': (ctx) => listTags(ctx),
    'groups:list': (ctx) => listGroups(ctx),
    'settings:get': (ctx) => getSettings(ctx),
    'settings:update': (ctx, patch) => updateSettings(ctx, patch),
    'demo:seed': (ctx, { count, seed }) => seedSampleCustomers(ctx, count, seed),
  }
}
