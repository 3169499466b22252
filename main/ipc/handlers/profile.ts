import type { profileInputs } from '../../../preload/contract/schemas/profile'
import * as profile from '../../services/profile'
import { startedBy, type DomainHandlers, type HandlerOptions } from './domain'

export function profileHandlers({ jobs }: HandlerOptions): DomainHandlers<typeof profileInputs> {
  return {
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
    'customFields:delete': async (ctx, { id }) =>
      jobs.start('customFieldDelete', { id }, { ...startedBy(ctx), label: await profile.describeCustomFieldDelete(ctx, id) }),
  }
}
