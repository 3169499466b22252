// What can be booked: items (classes, events, appointment types) with their prices, and their dated sessions.
export { listCatalogue, saveCatalogueItem, deleteCatalogueItem, toPriceOption } from './items'
export { listSessions, saveSession, deleteSession, findSession, sessionLabel, spacesLeftOf, type SessionRecord } from './sessions'
