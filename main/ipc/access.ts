import type { ApiError, Channel, ParsedInput, StaffRole } from '../../preload/contract'
import type { CustomerFilter } from '../../preload/contract'

/*
 * Who may call which channel: the one rule, checked by the router before any
 * handler runs. Hiding a button is a courtesy; this is the lock.
 *
 *   public  anyone at the desk, signed in or not (signing in, first run)
 *   team    anyone signed in: team members see customers' contact details and
 *           their own bookings — never notes, never money
 *   staff   staff and administrators
 *   admin   administrators: deleting, importing, exporting, staff accounts,
 *           settings, the recycle bin, sample data
 *
 * `can` finishes the refusal: "Only an administrator can delete customers."
 */
export type Rule = 'public' | 'team' | { role: 'staff' | 'admin'; can: string }

/** A rule, or one chosen by the (validated) input where only some inputs need more rights. */
export type Access<C extends Channel> = Rule | ((input: ParsedInput<C>) => Exclude<Rule, 'public'>)

export type AccessTable = { [C in Channel]: Access<C> }

const staff = (can: string) => ({ role: 'staff', can }) as const
const admin = (can: string) => ({ role: 'admin', can }) as const

/** Team members look customers up by contact details only: not by money owed or custom fields, and only live customers (a block reason is a note). */
const customerLookup = (input: Partial<CustomerFilter> & { tab?: string }): Exclude<Rule, 'public'> =>
  input.outstanding === 'yes'
    ? staff('find customers by money owed')
    : (input.customFields?.length ?? 0) > 0
      ? staff('find customers by custom fields')
      : input.tab !== undefined && input.tab !== 'active'
        ? staff('see archived or blocked customers')
        : 'team'

export const access = {
  'app:info': 'team',
  'app:checkChangeLog': admin('check the change log'),
  'customers:list': customerLookup,
  'customers:counts': customerLookup,
  'customers:countMatching': staff('select customers for changes'),
  'customers:get': staff('open the full customer record'),
  'customers:create': staff('add customers'),
  'customers:update': staff('change customers'),
  'customers:archive': staff('archive customers'),
  'customers:unarchive': staff('archive customers'),
  'customers:block': staff('block customers'),
  'customers:unblock': staff('block customers'),
  'customers:changes': staff("see a customer's history"),
  'customers:contact': 'team',
  'tags:list': staff('see tags'),
  'groups:list': staff('see customer lists'),
  // The business's name, country and currency, which every screen formats with.
  'settings:get': 'team',
  'settings:update': admin('change settings'),
  'settings:logo': staff('see the letterhead'),
  'settings:setLogo': admin('change settings'),
  'settings:removeLogo': admin('change settings'),
  'demo:seed': admin('add sample data'),
  'customers:extras': staff("see a customer's preferences and payment details"),
  'customers:setPreferences': staff('change customers'),
  'customers:consentHistory': staff("see a customer's consent history"),
  'customers:setTax': staff('change customers'),
  'customers:setReferral': staff('change customers'),
  'customers:setHousehold': staff('change customers'),
  'customers:setCustomFields': staff('change customers'),
  'customers:setPhoto': staff('change customers'),
  'customers:removePhoto': staff('change customers'),
  'customers:photo': 'team',
  'paymentMethods:add': staff('change payment details'),
  'paymentMethods:remove': staff('change payment details'),
  'paymentMethods:setDefault': staff('change payment details'),
  'customFields:list': staff('see custom fields'),
  'customFields:save': admin('change custom fields'),
  'customFields:delete': admin('change custom fields'),
  'customers:summary': staff("see a customer's notes and money"),
  'notes:list': staff('see notes'),
  'notes:add': staff('write notes'),
  'notes:update': staff('write notes'),
  'notes:delete': staff('write notes'),
  'notes:reorder': staff('write notes'),
  'notes:reminders': staff('see reminders'),
  'tags:suggest': staff('see tags'),
  'tags:usage': staff('see tags'),
  'tags:create': staff('add tags'),
  // Recolouring is anyone's; renaming (it changes every tagged customer) is checked by the service.
  'tags:update': staff('change tags'),
  'tags:merge': admin('merge tags'),
  'tags:delete': admin('delete tags'),
  'customers:addTag': staff('tag customers'),
  'customers:removeTag': staff('tag customers'),
  'groups:usage': staff('see customer lists'),
  'groups:create': staff('add customer lists'),
  'groups:update': staff('change customer lists'),
  'groups:delete': admin('delete customer lists'),
  'customers:addToGroup': staff('change customer lists'),
  'customers:removeFromGroup': staff('change customer lists'),
  'savedFilters:list': staff('use saved filters'),
  'savedFilters:save': staff('use saved filters'),
  'savedFilters:delete': staff('use saved filters'),
  'customers:bulk': staff('change many customers at once'),
  'customers:delete': admin('delete customers'),
  'recycleBin:list': admin('open the recycle bin'),
  'recycleBin:restore': admin('restore customers from the recycle bin'),
  'recycleBin:purge': admin('empty the recycle bin'),
  'catalogue:list': staff('see the catalogue and its prices'),
  'catalogue:saveItem': staff('change the catalogue'),
  'catalogue:deleteItem': staff('change the catalogue'),
  'catalogue:sessions': staff('see the catalogue and its prices'),
  'catalogue:saveSession': staff('change the catalogue'),
  'catalogue:deleteSession': staff('change the catalogue'),
  'bookings:findCaller': staff('take bookings'),
  'bookings:create': staff('take bookings'),
  'bookings:quote': staff('see prices'),
  'bookings:get': staff('open bookings with their prices and payments'),
  'bookings:listForCustomer': staff("see a customer's bookings and what they owe"),
  'bookings:list': staff('see all bookings'),
  'bookings:setStatus': staff('change bookings'),
  'bookings:addPayment': staff('take payments'),
  'bookings:previewTransfer': staff('transfer bookings'),
  'bookings:transfer': staff('transfer bookings'),
  'bookings:warnings': staff('take bookings'),
  'bookings:assign': staff('assign bookings'),
  // Only bookings assigned to the signed-in person, without money.
  'bookings:mine': 'team',
  'customers:invoices': staff('see invoices'),
  'customers:activity': staff("see a customer's bookings and payments"),
  'plans:list': staff('see plans'),
  'plans:sell': staff('sell plans'),
  'plans:setStatus': staff('change plans'),
  'plans:products': staff('see plans'),
  'plans:saveProduct': staff('change plans'),
  'plans:archiveProduct': staff('change plans'),
  'plans:collectionsDue': staff('see payments due'),
  'plans:recordCollection': staff('take payments'),
  'imports:choose': admin('import customers'),
  'imports:preview': admin('import customers'),
  'imports:check': admin('import customers'),
  'imports:run': admin('import customers'),
  'imports:saveRejects': admin('import customers'),
  'imports:list': admin('import customers'),
  'imports:undo': admin('import customers'),
  'exports:columns': admin('export customers'),
  'exports:start': admin('export customers'),
  'printouts:read': staff('open printouts'),
  'printouts:save': staff('save printouts'),
  'printouts:open': staff('open printouts'),
  'reports:run': staff('see reports'),
  // A report's figures leave the app as a file: an export.
  'reports:export': admin('export reports'),
  'reports:print': staff('print reports'),
  'brochures:request': staff('request brochures'),
  'brochures:forCustomer': staff('see brochure requests'),
  'brochures:cancel': staff('request brochures'),
  'brochures:worklist': staff('post brochures'),
  'brochures:counts': staff('post brochures'),
  'brochures:markPosted': staff('post brochures'),
  'brochures:templates': staff('see letter templates'),
  'brochures:mergeFields': staff('see letter templates'),
  'brochures:saveTemplate': staff('change letter templates'),
  'brochures:deleteTemplate': staff('change letter templates'),
  'brochures:previewLetter': staff('print letters'),
  'brochures:printCheck': staff('print letters'),
  'brochures:printLetters': staff('print letters'),
  'brochures:printLabels': staff('print letters'),
  'statements:make': staff('make statements'),
  'rewards:balance': staff('see rewards'),
  'rewards:ledger': staff('see rewards'),
  'rewards:referred': staff('see rewards'),
  'rewards:adjust': admin('adjust a rewards balance'),
  'jobs:get': staff('follow background work'),
  'jobs:cancel': staff('stop background work'),
  'jobs:list': staff('follow background work'),
  'staff:session': 'public',
  // Refuses itself once an administrator can sign in.
  'staff:setUp': 'public',
  // Also how someone else takes over a locked desk (switching user).
  'staff:signIn': 'public',
  'staff:signOut': 'public',
  'staff:lock': 'team',
  'staff:unlock': 'team',
  'staff:list': admin('manage staff accounts'),
  'staff:create': admin('manage staff accounts'),
  'staff:update': admin('manage staff accounts'),
  'staff:resetPassword': admin("reset someone's password"),
  'staff:changePassword': 'team',
  'staff:setPin': 'team',
  'staff:assignable': staff('assign bookings'),
  'backups:status': admin('manage backups'),
  'backups:list': admin('manage backups'),
  'backups:create': admin('make backups'),
  'backups:restore': admin('restore a backup'),
  'backups:setOptions': admin('change backup settings'),
  'backups:setPassphrase': admin('set the backup passphrase'),
  'backups:chooseFolder': admin('change backup settings'),
  'backups:useDefaultFolder': admin('change backup settings'),
  // Recovery runs before anyone can sign in (the file is damaged); an open file answers it with "nothing to recover".
  'backups:recovery': 'public',
  'backups:recover': 'public',
  'backups:recoverFromFile': 'public',
  'quality:counts': admin('see the records that need attention'),
  'quality:page': admin('see the records that need attention'),
  'quality:scan': admin('check the quality of customer records'),
  // A person's complete data goes out of the building: administrators only.
  'privacy:subjectAccess': admin("give a customer all the data held about them"),
  'privacy:subjectAccessSave': admin("give a customer all the data held about them"),
  'privacy:erasePreview': admin("erase a customer's personal data"),
  'privacy:erase': admin("erase a customer's personal data"),
  // Warnings as a record is typed, and "It's a different person", are part of adding and editing customers.
  'duplicates:check': staff('add customers'),
  'duplicates:dismiss': staff('change customers'),
  'duplicates:forCustomer': staff('open the full customer record'),
  'duplicates:groups': admin('review duplicate customers'),
  'duplicates:scan': admin('look for duplicate customers'),
  'merges:preview': admin('merge customers'),
  'merges:merge': admin('merge customers'),
  'merges:undo': admin('undo a merge'),
  'merges:forCustomer': admin('see merges'),
  'mail:settings': admin('change the email settings'),
  'mail:updateSettings': admin('change the email settings'),
  'mail:sendTest': admin('send a test email'),
  'mail:templates': staff('see the email templates'),
  'mail:template': staff('see the email templates'),
  'mail:saveTemplate': admin('change the email templates'),
  'mail:deleteTemplate': admin('remove an email template'),
  'mail:fields': staff('see the merge fields'),
  'mail:preview': staff('preview an email'),
  'messages:outboxCounts': staff('see the outbox'),
  'messages:marketingPreview': staff('send marketing emails'),
  'messages:sendMarketing': staff('send marketing emails'),
  'messages:unsubscribe': staff('record an unsubscribe'),
  'messages:send': staff('send an email'),
  'messages:forCustomer': staff("see a customer's emails"),
  'messages:get': staff('read an email'),
  'messages:outbox': staff('see the outbox'),
  'messages:retry': staff('retry an email'),
  'messages:cancel': staff('cancel an email'),
  'messages:sendNow': staff('send the outbox'),
  'siteAccounts:forCustomer': staff("see a customer's online account emails"),
  'siteAccounts:sendEmail': staff('send an online account email'),
  'siteAccounts:redeem': staff('use an online account link'),
  'database:status': admin('change where the data is kept'),
  'database:testConnection': admin('change where the data is kept'),
  'database:useServer': admin('change where the data is kept'),
  'database:useFile': admin('change where the data is kept'),
  'database:copyToServer': admin('copy the data to a server'),
  'database:copyToFile': admin('copy the data to the local file'),
} satisfies AccessTable

/** The rule for a channel before its input is read (a rule chosen by input: at least team). */
export function staticRule(channel: Channel): Rule | null {
  const rule: Access<Channel> = access[channel] as Access<Channel>
  return typeof rule === 'function' ? null : rule
}

export function ruleFor<C extends Channel>(channel: C, input: ParsedInput<C>): Rule {
  const rule = access[channel] as Access<C>
  return typeof rule === 'function' ? rule(input) : rule
}

/** Calls still answered at a locked desk: what the lock screen needs, and signing in as someone else. */
export function passesLock(channel: Channel): boolean {
  return channel === 'staff:unlock' || staticRule(channel) === 'public'
}

const RANK: Record<StaffRole, number> = { team: 0, staff: 1, admin: 2 }

/** FORBIDDEN for someone whose role is below the rule, with the sentence they read; null when allowed. */
export function roleRefusal(rule: Rule, role: StaffRole): ApiError | null {
  if (rule === 'public' || rule === 'team') return null
  if (RANK[role] >= RANK[rule.role]) return null
  const who = rule.role === 'admin' ? 'an administrator' : 'staff and administrators'
  return { code: 'FORBIDDEN', message: `Only ${who} can ${rule.can}.` }
}

export const SIGNED_OUT: ApiError = { code: 'SIGNED_OUT', message: 'No one is signed in. Sign in to continue.' }
export const LOCKED: ApiError = { code: 'LOCKED', message: 'The desk is locked. Unlock it to continue.' }
