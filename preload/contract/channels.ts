/**
 * Every IPC channel the renderer may call, as `domain:verb`.
 * No imports: the sandboxed preload bundles only this file and `electron`.
 */
export const channels = [
  'app:info',
  'customers:list',
  'customers:counts',
  'customers:countMatching',
  'customers:get',
  'customers:create',
  'customers:update',
  'customers:archive',
  'customers:unarchive',
  'customers:block',
  'customers:unblock',
  'customers:findByPhone',
  'customers:changes',
  'tags:list',
  'groups:list',
  'settings:get',
  'settings:update',
  'settings:logo',
  'settings:setLogo',
  'settings:removeLogo',
  'demo:seed',
  // The rest of the customer's record
  'customers:extras',
  'customers:setPreferences',
  'customers:consentHistory',
  'customers:setTax',
  'customers:setReferral',
  'customers:setHousehold',
  'customers:setCustomFields',
  'customers:setPhoto',
  'customers:removePhoto',
  'customers:photo',
  'paymentMethods:add',
  'paymentMethods:remove',
  'paymentMethods:setDefault',
  'customFields:list',
  'customFields:save',
  'customFields:delete',
  // Organising the address book
  'customers:summary',
  'notes:list',
  'notes:add',
  'notes:update',
  'notes:delete',
  'notes:reorder',
  'notes:reminders',
  'tags:suggest',
  'tags:usage',
  'tags:create',
  'tags:update',
  'tags:merge',
  'tags:delete',
  'customers:addTag',
  'customers:removeTag',
  'groups:usage',
  'groups:create',
  'groups:update',
  'groups:delete',
  'customers:addToGroup',
  'customers:removeFromGroup',
  'savedFilters:list',
  'savedFilters:save',
  'savedFilters:delete',
  'customers:bulk',
  'customers:delete',
  'recycleBin:list',
  'recycleBin:restore',
  'recycleBin:purge',
  // Catalogue, bookings, money, plans
  'catalogue:list',
  'catalogue:saveItem',
  'catalogue:deleteItem',
  'catalogue:sessions',
  'catalogue:saveSession',
  'catalogue:deleteSession',
  'bookings:findCaller',
  'bookings:create',
  'bookings:get',
  'bookings:listForCustomer',
  'bookings:setStatus',
  'bookings:addPayment',
  'bookings:previewTransfer',
  'bookings:transfer',
  'bookings:warnings',
  'customers:invoices',
  'customers:activity',
  'plans:list',
  'plans:sell',
  'plans:setStatus',
  // Customers in and out
  'imports:choose',
  'imports:preview',
  'imports:check',
  'imports:run',
  'imports:saveRejects',
  'imports:list',
  'imports:undo',
  'exports:columns',
  'exports:start',
  // A PDF made this session: shown, saved, opened in the viewer
  'printouts:read',
  'printouts:save',
  'printouts:open',
  // Reports
  'reports:run',
  'reports:export',
  'reports:print',
  // Brochure requests
  'brochures:request',
  'brochures:forCustomer',
  'brochures:cancel',
  'brochures:worklist',
  'brochures:counts',
  'brochures:markPosted',
  'brochures:templates',
  'brochures:mergeFields',
  'brochures:saveTemplate',
  'brochures:deleteTemplate',
  'brochures:previewLetter',
  'brochures:printCheck',
  'brochures:printLetters',
  'brochures:printLabels',
  // Statements
  'statements:make',
  // Referral rewards
  'rewards:balance',
  'rewards:ledger',
  'rewards:referred',
  'rewards:adjust',
  'jobs:get',
  'jobs:cancel',
  'jobs:list',
] as const

export type Channel = (typeof channels)[number]

/** Events main may push to the renderer (menu commands). */
export const menuEvents = ['menu:new-customer', 'menu:new-booking', 'menu:focus-search', 'menu:open-settings'] as const

export type MenuEvent = (typeof menuEvents)[number]

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && (channels as readonly string[]).includes(value)
}

export function isMenuEvent(value: unknown): value is MenuEvent {
  return typeof value === 'string' && (menuEvents as readonly string[]).includes(value)
}
