import type { catalogueInputs } from '../../../preload/contract/schemas/catalogue'
import * as catalogue from '../../services/catalogue'
import type { DomainHandlers } from './domain'

export function catalogueHandlers(): DomainHandlers<typeof catalogueInputs> {
  return {
    'catalogue:list': (ctx) => catalogue.listCatalogue(ctx),
    'catalogue:saveItem': (ctx, input) => catalogue.saveCatalogueItem(ctx, input),
    'catalogue:deleteItem': (ctx, { id }) => catalogue.deleteCatalogueItem(ctx, id),
    'catalogue:sessions': (ctx, input) => catalogue.listSessions(ctx, input),
    'catalogue:saveSession': (ctx, input) => catalogue.saveSession(ctx, input),
    'catalogue:deleteSession': (ctx, { id }) => catalogue.deleteSession(ctx, id),
  }
}
