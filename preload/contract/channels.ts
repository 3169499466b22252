/**
 * Every IPC channel the renderer may call, as `domain:verb`.
 * No imports: the sandboxed preload bundles only this file and `electron`.
 */
export const channels = [
  'app:info',
  'customers:list',
  'customers:counts',
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
  'demo:seed',
] as const

export type Channel = (typeof channels)[number]

/** Events main may push to the renderer (menu commands). */
export const menuEvents = ['menu:new-customer', 'menu:focus-search', 'menu:open-settings'] as const

export type MenuEvent = (typeof menuEvents)[number]

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && (channels as readonly string[]).includes(value)
}

export function isMenuEvent(value: unknown): value is MenuEvent {
  return typeof value === 'string' && (menuEvents as readonly string[]).includes(value)
}
