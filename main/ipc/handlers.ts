import type { HandlerMap } from './router'
import type { ServiceContext } from '../services/context'
import { appInfo, describeSeed, requireSampleDataRights } from '../services/app'
import type { JobRunner } from '../jobs/runner'
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
import * as profile from '../services/profile'
import * as organise from '../services/organise'
import * as catalogue from '../services/catalogue'
import * as bookings from '../services/bookings'
import * as plans from '../services/plans'

/**
 * Channel → service. Handlers only unpack input; every rule lives in the
 * services. Long work is handed to the job runner, which answers at once.
 */
export function createHandlers(options: { dataFile: string; jobs: JobRunner }): HandlerMap {
  const { jobs } = options
  const who = (ctx: ServiceContext) => ({ staff: ctx.staff, now: ctx.clock() })
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
    'customers:changes': (ctx, { id, limit, kind }) => listCustomerChanges(ctx, id, limit, kind),
    'tags:list': (ctx) => listTags(ctx),
    'groups:list': (ctx) => listGroups(ctx),
    'settings:get': (ctx) => getSettings(ctx),
    'settings:update': (ctx, patch) => updateSettings(ctx, patch),
    'demo:seed': (ctx, input) => {
      requireSampleDataRights(ctx)
      return jobs.start('seed', input, { ...who(ctx), label: describeSeed(input.count), total: input.count })
    },
    'customers:extras': (ctx, { id }) => profile.getExtras(ctx, id),
    'customers:setPreferences': (ctx, input) => profile.setPreferences(ctx, input),
    'customers:consentHistory': (ctx, { id }) => profile.consentHistory(ctx, id),
    'customers:setTax': (ctx, input) => profile.setTax(ctx, input),
    'customers:setReferral': (ctx, input) => profile.setReferral(ctx, input),
    'customers:setHousehold': (ctx, { id, payerId }) => profile.setHousehold(ctx, id, payerId),
    'customers:setCustomFields': (ctx, input) => profile.setCustomFieldValues(ctx, input),
    'customers:setPhoto': (ctx, { id, image }) => profile.setPhoto(ctx, id, image),
    'customers:removePhoto': (ctx, { id }) => profile.removePhoto(ctx, id),
    'customers:photo': (ctx, { id }) => profile.getPhoto(ctx, id),
    'paymentMethods:add': (ctx, input) => profile.addPaymentMethod(ctx, input),
    'paymentMethods:remove': (ctx, { id }) => profile.removePaymentMethod(ctx, id),
    'paymentMethods:setDefault': (ctx, { id }) => profile.setDefaultPaymentMethod(ctx, id),
    'customFields:list': (ctx) => profile.listCustomFields(ctx),
    'customFields:save': (ctx, input) => profile.saveCustomField(ctx, input),
    'customFields:delete': async (ctx, { id }) => jobs.start('customFieldDelete', { id }, { ...who(ctx), label: await profile.describeCustomFieldDelete(ctx, id) }),
    'customers:summary': (ctx, { id }) => organise.customerSummary(ctx, id),
    'notes:list': (ctx, { customerId }) => organise.listNotes(ctx, customerId),
    'notes:add': (ctx, input) => organise.addNote(ctx, input),
    'notes:update': (ctx, input) => organise.updateNote(ctx, input),
    'notes:delete': (ctx, { id }) => organise.deleteNote(ctx, id),
    'notes:reorder': (ctx, { customerId, orderedIds }) => organise.reorderNotes(ctx, customerId, orderedIds),
    'notes:reminders': (ctx, { dueOn }) => organise.dueReminders(ctx, dueOn),
    'tags:suggest': (ctx, { query, limit }) => organise.suggestTags(ctx, query, limit),
    'tags:usage': (ctx) => organise.tagUsage(ctx),
    'tags:create': (ctx, input) => organise.createTag(ctx, input),
    'tags:update': (ctx, input) => organise.updateTag(ctx, input),
    'tags:merge': async (ctx, input) =>
      jobs.start('tagMerge', input, { ...who(ctx), label: await organise.describeTagMerge(ctx, input.sourceId, input.targetId) }),
    'tags:delete': async (ctx, { id }) => jobs.start('tagDelete', { id }, { ...who(ctx), label: await organise.describeTagDelete(ctx, id) }),
    'customers:addTag': (ctx, { customerId, name }) => organise.addCustomerTag(ctx, customerId, name),
    'customers:removeTag': (ctx, { customerId, tagId }) => organise.removeCustomerTag(ctx, customerId, tagId),
    'groups:usage': (ctx) => organise.groupUsage(ctx),
    'groups:create': (ctx, input) => organise.createGroup(ctx, input),
    'groups:update': (ctx, input) => organise.updateGroup(ctx, input),
    'groups:delete': async (ctx, { id }) => jobs.start('groupDelete', { id }, { ...who(ctx), label: await organise.describeGroupDelete(ctx, id) }),
    'customers:addToGroup': (ctx, { customerId, groupId }) => organise.addCustomerToGroup(ctx, customerId, groupId),
    'customers:removeFromGroup': (ctx, { customerId, groupId }) => organise.removeCustomerFromGroup(ctx, customerId, groupId),
    'savedFilters:list': (ctx) => organise.listSavedFilters(ctx),
    'savedFilters:save': (ctx, input) => organise.saveFilter(ctx, input),
    'savedFilters:delete': (ctx, { id }) => organise.deleteSavedFilter(ctx, id),
    'customers:bulk': (ctx, input) => jobs.start('bulk', input, { ...who(ctx), ...organise.describeBulkAction(input) }),
    'customers:delete': (ctx, { id }) => organise.deleteCustomer(ctx, id),
    'recycleBin:list': (ctx) => organise.listRecycleBin(ctx),
    'recycleBin:restore': (ctx, { id }) => organise.restoreCustomer(ctx, id),
    'recycleBin:purge': (ctx, { id }) => organise.purgeCustomer(ctx, id),
    'catalogue:list': (ctx) => catalogue.listCatalogue(ctx),
    'catalogue:saveItem': (ctx, input) => catalogue.saveCatalogueItem(ctx, input),
    'catalogue:deleteItem': (ctx, { id }) => catalogue.deleteCatalogueItem(ctx, id),
    'catalogue:sessions': (ctx, input) => catalogue.listSessions(ctx, input),
    'catalogue:saveSession': (ctx, input) => catalogue.saveSession(ctx, input),
    'catalogue:deleteSession': (ctx, { id }) => catalogue.deleteSession(ctx, id),
    'bookings:findCaller': (ctx, { query }) => bookings.findCaller(ctx, query),
    'bookings:create': (ctx, input) => bookings.createBooking(ctx, input),
    'bookings:get': (ctx, { id }) => bookings.getBooking(ctx, id),
    'bookings:listForCustomer': (ctx, input) => bookings.listCustomerBookings(ctx, input),
    'bookings:setStatus': (ctx, input) => bookings.setBookingStatus(ctx, input),
    'bookings:addPayment': (ctx, input) => bookings.addPayment(ctx, input),
    'bookings:previewTransfer': (ctx, input) => bookings.previewTransfer(ctx, input),
    'bookings:transfer': (ctx, input) => bookings.transferBooking(ctx, input),
    'bookings:warnings': (ctx, { customerId }) => bookings.bookingWarnings(ctx, customerId),
    'customers:invoices': (ctx, { customerId }) => bookings.customerInvoices(ctx, customerId),
    'customers:activity': (ctx, input) => bookings.customerActivity(ctx, input),
    'plans:list': (ctx, { customerId }) => plans.listPlans(ctx, customerId),
    'plans:sell': (ctx, input) => plans.sellPlan(ctx, input),
    'plans:setStatus': (ctx, input) => plans.setPlanStatus(ctx, input),
    'jobs:get': (_ctx, { id }) => jobs.get(id),
    'jobs:cancel': (_ctx, { id }) => jobs.cancel(id),
    'jobs:list': () => jobs.list(),
  }
}
