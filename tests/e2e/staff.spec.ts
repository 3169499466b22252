import type { Page } from '@playwright/test'
import { expect, test, type FrontdeskApp } from './fixtures'
import { expectNoSeriousA11yViolations } from './a11y'
import { chooseOption } from './choose'

/**
 * Signing in at the desk: first-run set-up, sign in and out, the lock screen
 * with its PIN, the inactivity lock, staff accounts, and what each role sees —
 * through the built renderer against the real backend on a fresh file.
 */

const ADMIN_PASSWORD = 'front desk admin 1'

function gate(page: Page) {
  return page.getByTestId('session-gate')
}

/** Signs the desk out and sets up the first administrator through the api, then leaves it signed out. */
async function setUpAdmin(app: FrontdeskApp, pin?: string) {
  await app.api.invoke('staff:signOut', {})
  const session = await app.api.invoke('staff:setUp', { name: 'Alex Morgan', email: 'alex@example.com', password: ADMIN_PASSWORD, ...(pin ? { pin } : {}) })
  await app.api.invoke('staff:signOut', {})
  return session.staff!
}

async function signInOnScreen(page: Page, name: string, secret: string) {
  const people = gate(page).getByTestId('sign-in-people')
  if (await people.isVisible()) await people.getByText(name, { exact: true }).click()
  await expect(gate(page).getByTestId('sign-in-chosen')).toHaveText(name)
  // Someone with a PIN is asked for it first; a password is one click away.
  const toggle = gate(page).getByTestId('sign-in-toggle-pin')
  if (!/^\d+$/.test(secret) && (await toggle.isVisible()) && (await toggle.textContent())?.includes('Use password')) await toggle.click()
  await gate(page).getByTestId('sign-in-secret').locator('input').fill(secret)
  await gate(page).getByTestId('sign-in-submit').click()
}

/** A try the desk refuses: it empties the box once main has answered, so the next try is typed after that. */
async function refusedSignIn(page: Page, name: string, secret: string) {
  await signInOnScreen(page, name, secret)
  await expect(gate(page).getByTestId('sign-in-secret').locator('input')).toHaveValue('')
  await expect(gate(page).getByTestId('sign-in-submit')).toBeEnabled()
}

test.describe('a new file', () => {
  test.use({ startAs: null })

  test('first run asks for the first administrator, who is then signed in', async ({ page, app }) => {
    await page.goto('/')
    const setUp = page.getByTestId('setup-form')
    await expect(setUp).toBeVisible()
    await expect(setUp.getByText('At least 10 characters')).toBeVisible()
    await app.screenshot('staff-first-run')

    await setUp.getByTestId('setup-name').locator('input').fill('Alex Morgan')
    await setUp.getByTestId('setup-email').locator('input').fill('alex@example.com')
    await setUp.getByTestId('setup-password').locator('input').fill('short')
    await expect(setUp.getByText('5 more characters to go')).toBeVisible()
    await setUp.getByTestId('setup-submit').click()
    await expect(setUp.getByText('Use at least 10 characters for a password.')).toBeVisible()

    await setUp.getByTestId('setup-password').locator('input').fill(ADMIN_PASSWORD)
    await setUp.getByTestId('setup-confirm').locator('input').fill('something else')
    await setUp.getByTestId('setup-submit').click()
    await expect(setUp.getByText('The two passwords are not the same.')).toBeVisible()
    await setUp.getByTestId('setup-confirm').locator('input').fill(ADMIN_PASSWORD)
    await setUp.getByTestId('setup-pin').locator('input').fill('12a')
    await setUp.getByTestId('setup-submit').click()
    await expect(setUp.getByText('A PIN is digits only, 4 to 8 of them.')).toBeVisible()
    await setUp.getByTestId('setup-pin').locator('input').fill('2468')
    await app.screenshot('staff-first-run-filled')
    await setUp.getByTestId('setup-submit').click()

    await expect(gate(page)).toBeHidden()
    await expect(page.getByRole('heading', { name: 'Customers', level: 1 })).toBeVisible()
    await expect(page.getByTestId('account-name')).toHaveText('Alex Morgan')
    await expect(page.getByTestId('account-role')).toHaveText('Administrator')
    const session = await app.api.invoke('staff:session', undefined)
    expect(session.state).toBe('signedIn')
    expect(session.staff).toMatchObject({ name: 'Alex Morgan', role: 'admin', hasPin: true })
  })
})

test('sign in with a password, a wrong one is said plainly, and sign out', async ({ page, app }) => {
  await setUpAdmin(app)
  await page.goto('/#/bookings')
  await expect(gate(page).getByText('Who’s at the desk?')).toBeVisible()
  // The only person who can sign in is already chosen.
  await expect(gate(page).getByTestId('sign-in-chosen')).toHaveText('Alex Morgan')
  await app.screenshot('staff-sign-in')

  await signInOnScreen(page, 'Alex Morgan', 'not the password')
  const secret = gate(page).getByTestId('sign-in-secret')
  await expect(secret.locator('.v-messages')).toContainText(/not right|wrong|incorrect/i)
  await expect(secret.locator('input')).toHaveValue('')
  await app.screenshot('staff-sign-in-wrong-password')

  await signInOnScreen(page, 'Alex Morgan', ADMIN_PASSWORD)
  await expect(gate(page)).toBeHidden()
  // The page asked for is the one that opens.
  await expect(page.getByRole('heading', { name: 'Bookings', level: 1 })).toBeVisible()

  await page.getByTestId('account-menu').click()
  await app.screenshot('staff-account-menu')
  await chooseOption(page.getByTestId('account-sign-out'))
  await expect(gate(page).getByText('Who’s at the desk?')).toBeVisible()
  expect((await app.api.invoke('staff:session', undefined)).state).toBe('signedOut')
})

test('lock now, a wrong PIN, then unlock with the PIN back where the desk was', async ({ page, app }) => {
  const admin = await setUpAdmin(app, '2468')
  await app.api.invoke('staff:signIn', { staffId: admin.id, password: ADMIN_PASSWORD })
  await app.api.invoke('customers:create', { firstName: 'Maria', lastName: 'Lopez' })
  await page.goto('/#/customers')
  const search = page.getByRole('textbox', { name: 'Search customers' })
  await search.fill('Lopez')
  await expect(page.getByRole('row').filter({ hasText: 'Maria Lopez' })).toBeVisible()

  await page.getByTestId('account-menu').click()
  await chooseOption(page.getByTestId('account-lock'))
  const lock = gate(page).getByTestId('lock-screen')
  await expect(lock).toBeVisible()
  await expect(lock.getByTestId('lock-name')).toHaveText('Alex Morgan')
  await expect(lock.getByTestId('unlock-secret')).toContainText('PIN')
  expect((await app.api.invoke('staff:session', undefined)).state).toBe('locked')
  await app.screenshot('staff-lock-screen')

  await lock.getByTestId('unlock-secret').locator('input').fill('1111')
  await lock.getByTestId('unlock-submit').click()
  await expect(lock.getByTestId('unlock-secret').locator('.v-messages')).not.toBeEmpty()
  await app.screenshot('staff-lock-wrong-pin')

  await lock.getByTestId('unlock-secret').locator('input').fill('2468')
  await lock.getByTestId('unlock-secret').locator('input').press('Enter')
  await expect(gate(page)).toBeHidden()
  // Still on the same search.
  await expect(search).toHaveValue('Lopez')
  await expect(page.getByRole('row').filter({ hasText: 'Maria Lopez' })).toBeVisible()
})

test('the desk locks itself after the minutes set in Settings', async ({ page, app }) => {
  await app.api.invoke('settings:update', { lockAfterMinutes: 1 })
  await page.clock.install()
  await page.goto('/#/customers')
  await expect(page.getByRole('heading', { name: 'Customers', level: 1 })).toBeVisible()
  await page.clock.fastForward(30_000)
  await expect(gate(page)).toBeHidden()
  await page.clock.fastForward(31_000)
  await expect(gate(page).getByTestId('lock-screen')).toBeVisible()
  expect((await app.api.call('customers:counts', {})).ok).toBe(false)
})

test('Settings → Security sets the inactivity lock', async ({ page, app }) => {
  await page.goto('/#/settings?section=security')
  const card = page.getByTestId('security-settings')
  await expect(card).toBeVisible()
  await card.getByTestId('settings-lock-after').click()
  await chooseOption(page.getByRole('option', { name: 'After 5 minutes' }))
  await card.getByTestId('security-save').click()
  await expect(page.getByTestId('snackbar')).toContainText('Lock setting saved')
  expect((await app.api.invoke('settings:get', undefined)).lockAfterMinutes).toBe(5)
  await app.screenshot('staff-settings-security')
})

/** A home service tomorrow at 10:00 and its one price. */
async function homeService(app: FrontdeskApp) {
  const item = await app.api.invoke('catalogue:saveItem', {
    kind: 'appointment',
    name: 'Window cleaning',
    location: '',
    atCustomerAddress: true,
    priceOptions: [{ name: 'Standard', amountMinor: 4500, currency: 'GBP' }],
  })
  const start = new Date()
  start.setDate(start.getDate() + 1)
  start.setHours(10, 0, 0, 0)
  const session = await app.api.invoke('catalogue:saveSession', {
    itemId: item.id,
    startsAt: start.toISOString(),
    endsAt: new Date(start.getTime() + 90 * 60_000).toISOString(),
    capacity: 10,
  })
  return { sessionId: session.id, priceOptionId: item.priceOptions[0]!.id }
}

test('an administrator adds a team member, who sees only contact details and the bookings assigned to them', async ({ page, app }) => {
  const maria = await app.api.invoke('customers:create', {
    firstName: 'Maria',
    lastName: 'Lopez',
    email: 'maria@example.com',
    phones: [{ label: 'mobile', number: '07700 900123', isPrimary: true }],
    addresses: [{ label: 'home', line1: '12 High Street', city: 'Bath', postcode: 'BA1 1AA', isDefaultService: true }],
  })
  const other = await app.api.invoke('customers:create', {
    firstName: 'Oscar',
    lastName: 'Nash',
    phones: [{ label: 'mobile', number: '07700 900456', isPrimary: true }],
    addresses: [{ label: 'home', line1: '3 Low Lane', city: 'Bath', postcode: 'BA2 2BB', isDefaultService: true }],
  })
  await app.api.invoke('notes:add', { customerId: maria.id, body: 'Prefers mornings; owes for last visit' }).catch(() => undefined)
  await page.goto('/#/staff')
  await expect(page.getByRole('heading', { name: 'Staff', level: 1 })).toBeVisible()
  await expect(page.getByTestId('staff-row')).toHaveCount(1)

  await page.getByTestId('staff-add').click()
  const dialog = page.getByTestId('staff-dialog')
  // The cursor is in Name as the dialog opens, and stays wherever the person goes next.
  await expect(dialog.getByTestId('staff-name').locator('input')).toBeFocused()
  await dialog.getByTestId('staff-name').locator('input').fill('Jamie Fox')
  await dialog.getByTestId('staff-email').locator('input').fill('jamie@example.com')
  await dialog.getByTestId('staff-role').click()
  await chooseOption(page.getByRole('option', { name: /Team member/ }))
  await dialog.getByTestId('staff-password').locator('input').fill('crew member 22')
  await dialog.getByTestId('staff-confirm').locator('input').fill('crew member 22')
  await app.screenshot('staff-add-dialog')
  await expectNoSeriousA11yViolations(page, 'add dialog')
  await dialog.getByTestId('staff-save').click()
  await expect(dialog).toBeHidden()
  const jamieRow = page.getByTestId('staff-row').filter({ hasText: 'Jamie Fox' })
  await expect(jamieRow.getByTestId('staff-row-role')).toHaveText('Team member')
  await expect(jamieRow).toContainText('Never')

  // The same name twice is refused next to the field, in main's words.
  await page.getByTestId('staff-add').click()
  await expect(dialog.getByTestId('staff-name').locator('input')).toBeFocused()
  await dialog.getByTestId('staff-name').locator('input').fill('Jamie Fox')
  await dialog.getByTestId('staff-password').locator('input').fill('another one 33')
  await dialog.getByTestId('staff-confirm').locator('input').fill('another one 33')
  await dialog.getByTestId('staff-save').click()
  await expect(dialog.getByTestId('staff-name')).toContainText('There is already a staff account named Jamie Fox')
  await app.screenshot('staff-add-duplicate-name')
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await app.screenshot('staff-page')

  // One job for Jamie at Maria's, one for no one at Oscar's.
  const jamie = (await app.api.invoke('staff:list', undefined)).find((s) => s.name === 'Jamie Fox')!
  const line = await homeService(app)
  await app.api.invoke('bookings:create', {
    customer: { kind: 'existing', id: maria.id },
    lines: [{ ...line, quantity: 1 }],
    addressId: maria.addresses[0]!.id,
    assignedStaffId: jamie.id,
    note: 'Side gate code 1234',
  })
  await app.api.invoke('bookings:create', { customer: { kind: 'existing', id: other.id }, lines: [{ ...line, quantity: 1 }], addressId: other.addresses[0]!.id })

  // Hand the desk over.
  await page.getByTestId('account-menu').click()
  await chooseOption(page.getByTestId('account-switch'))
  await expect(gate(page).getByText('Switch user')).toBeVisible()
  await signInOnScreen(page, 'Jamie Fox', 'crew member 22')
  await expect(page.getByTestId('account-name')).toHaveText('Jamie Fox')
  await expect(page.getByTestId('account-role')).toHaveText('Team member')

  // A team member's desk: their bookings and customers' contact details, nothing else.
  const nav = page.getByRole('navigation', { name: 'Main navigation' })
  await expect(nav.getByRole('link')).toHaveText(['Customers', 'My bookings'])
  await expect(page.getByTestId('nav-new-customer')).toHaveCount(0)
  await nav.getByRole('link', { name: 'My bookings' }).click()
  const job = page.getByTestId('my-booking')
  await expect(job).toHaveCount(1)
  await expect(page.getByTestId('my-bookings-day')).toHaveText('Tomorrow')
  await expect(job.getByTestId('my-booking-time')).toHaveText(/10:00.11:30/)
  await expect(job.getByTestId('my-booking-what')).toContainText('Window cleaning')
  await expect(job.getByTestId('my-booking-address')).toContainText('12 High Street')
  await expect(job.getByTestId('my-booking-customer')).toContainText('Maria Lopez')
  await expect(job.getByTestId('my-booking-phone')).toContainText('7700 900123')
  await expect(page.getByText('Oscar Nash')).toHaveCount(0)
  await expect(page.getByText('£')).toHaveCount(0)
  await expect(page.getByText('Side gate code')).toHaveCount(0)
  await app.screenshot('staff-team-my-bookings')
  await expectNoSeriousA11yViolations(page, 'My bookings')

  await nav.getByRole('link', { name: 'Customers' }).click()
  const row = page.getByTestId('contacts-row').filter({ hasText: 'Maria Lopez' })
  await expect(row).toContainText('maria@example.com')
  await expect(row).toContainText('7700 900123')
  await expect(page.getByText('Prefers mornings')).toHaveCount(0)
  await app.screenshot('staff-team-customers')
  await row.click()
  const card = page.getByTestId('contact-card')
  await expect(card.getByTestId('contact-card-address')).toContainText('12 High Street, Bath, BA1 1AA')
  await expect(card.getByTestId('contact-card-phone')).toContainText('7700 900123')
  await app.screenshot('staff-team-contact-card')
  await expectNoSeriousA11yViolations(page, 'a team member’s contact card')
  await card.getByRole('button', { name: 'Close' }).click()

  // Other screens are not theirs: the address opens their own first screen.
  await page.goto('/#/bookings')
  await expect(page.getByRole('heading', { name: 'My bookings', level: 1 })).toBeVisible()
  await page.goto('/#/settings')
  await expect(page.getByRole('heading', { name: 'My bookings', level: 1 })).toBeVisible()
})

test('bookings are assigned on the new-booking screen and the booking page, and the list says to whom', async ({ page, app }) => {
  const jamie = await app.api.invoke('staff:create', { name: 'Jamie Fox', role: 'team', password: 'crew member 22' })
  await app.api.invoke('staff:create', { name: 'Robin Hale', role: 'staff', password: 'front desk 22' })
  const maria = await app.api.invoke('customers:create', {
    firstName: 'Maria',
    lastName: 'Lopez',
    addresses: [{ label: 'home', line1: '12 High Street', city: 'Bath', postcode: 'BA1 1AA', isDefaultService: true }],
  })
  const line = await homeService(app)
  const { booking } = await app.api.invoke('bookings:create', { customer: { kind: 'existing', id: maria.id }, lines: [{ ...line, quantity: 1 }], addressId: maria.addresses[0]!.id })

  await page.goto(`/#/bookings/${booking.id}`)
  const picker = page.getByTestId('booking-customer').getByTestId('assigned-to')
  await expect(picker).toContainText('No one yet')
  await picker.click()
  await chooseOption(page.getByRole('option', { name: /Jamie Fox/ }))
  await expect(page.getByTestId('snackbar')).toContainText('Assigned to Jamie Fox')
  expect((await app.api.invoke('bookings:get', { id: booking.id })).assignedTo).toEqual({ id: jamie.id, name: 'Jamie Fox' })
  await app.screenshot('staff-booking-assigned')

  await page.goto('/#/bookings')
  await expect(page.getByTestId('bookings-page-row').first().getByTestId('bookings-page-assigned')).toHaveText('Jamie Fox')
  await app.screenshot('staff-bookings-list-assigned')

  await page.goto(`/#/bookings/new?customerId=${maria.id}`)
  const assigned = page.getByTestId('assigned-to')
  await expect(assigned).toBeVisible()
  await assigned.click()
  await expect(page.getByRole('option', { name: /Robin Hale/ })).toBeVisible()
  await chooseOption(page.getByRole('option', { name: /Jamie Fox/ }))
  await app.screenshot('staff-new-booking-assigned')
})

test('staff do not see what only an administrator can do', async ({ page, app }) => {
  await app.api.invoke('customers:create', { firstName: 'Maria', lastName: 'Lopez' })
  await app.api.invoke('tags:create', { name: 'VIP' }).catch(() => undefined)
  await app.signInAs('staff', 'Sam Carter')
  await page.goto('/#/customers')
  await expect(page.getByRole('heading', { name: 'Customers', level: 1 })).toBeVisible()
  await expect(page.getByTestId('account-role')).toHaveText('Staff')
  const nav = page.getByRole('navigation', { name: 'Main navigation' })
  await expect(nav.getByRole('link', { name: 'Staff' })).toHaveCount(0)
  await expect(nav.getByRole('link', { name: 'Bookings' })).toBeVisible()
  await expect(page.getByTestId('customers-import')).toHaveCount(0)
  await expect(page.getByTestId('customers-export')).toHaveCount(0)

  // Settings shows only what staff look after; deleting a tag is an administrator's.
  await nav.getByRole('link', { name: 'Settings' }).click()
  await expect(page.getByRole('tab')).toHaveText(['Tags', 'Groups', 'Letter templates', 'Email templates'])
  const remove = page.getByTestId('delete-tag').first()
  await expect(remove).toBeDisabled()
  await remove.locator('..').hover()
  await expect(page.getByText('Only an administrator can delete tags.')).toBeVisible()
  await app.screenshot('staff-role-settings')

  await page.goto('/#/staff')
  await expect(page.getByRole('heading', { name: 'Customers', level: 1 })).toBeVisible()
  await page.goto('/#/import')
  await expect(page.getByRole('heading', { name: 'Customers', level: 1 })).toBeVisible()
})

test('a desk signed out behind the page asks who is there, and carries on where it was', async ({ page, app }) => {
  await app.api.invoke('staff:create', { name: 'Alex Morgan', role: 'admin', password: ADMIN_PASSWORD })
  await app.signInAs('staff', 'Sam Carter')
  await page.goto('/#/customers')
  await expect(page.getByRole('heading', { name: 'Customers', level: 1 })).toBeVisible()
  await app.api.invoke('staff:signOut', {})
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Bookings' }).click()
  await expect(gate(page).getByText('Who’s at the desk?')).toBeVisible()
  await signInOnScreen(page, 'Sam Carter', 'correct horse battery')
  await expect(gate(page)).toBeHidden()
  await expect(page.getByRole('heading', { name: 'Bookings', level: 1 })).toBeVisible()
  await expect(page.getByTestId('bookings-page-empty')).toBeVisible()
})

test('change my password and set my PIN from the account menu', async ({ page, app }) => {
  const sam = await app.signInAs('staff', 'Sam Carter')
  await page.goto('/#/customers')
  await page.getByTestId('account-menu').click()
  await chooseOption(page.getByTestId('account-change-password'))
  const change = page.getByTestId('change-password-dialog')
  // The dialog puts the cursor in its first box as it shows; typing elsewhere before that would land there.
  await expect(change.getByTestId('change-password-current').locator('input')).toBeFocused()
  await change.getByTestId('change-password-current').locator('input').fill('not my password')
  await change.getByTestId('change-password-new').locator('input').fill('a brand new one 1')
  await change.getByTestId('change-password-confirm').locator('input').fill('a brand new one 1')
  await change.getByTestId('change-password-save').click()
  await expect(change.getByTestId('change-password-current')).toContainText(/not right/i)
  await app.screenshot('staff-change-password-wrong')
  await change.getByTestId('change-password-current').locator('input').fill(sam.password)
  await change.getByTestId('change-password-save').click()
  await expect(change).toBeHidden()
  await expect(page.getByTestId('snackbar')).toContainText('Your password is changed')

  await page.getByTestId('account-menu').click()
  await chooseOption(page.getByTestId('account-set-pin'))
  const pin = page.getByTestId('set-pin-dialog')
  // The dialog puts the cursor in its first box as it shows; typing elsewhere before that would land there.
  await expect(pin.getByTestId('set-pin-password').locator('input')).toBeFocused()
  await pin.getByTestId('set-pin-password').locator('input').fill('a brand new one 1')
  await pin.getByTestId('set-pin-pin').locator('input').fill('4321')
  await pin.getByTestId('set-pin-confirm').locator('input').fill('4321')
  await app.screenshot('staff-set-pin')
  await expectNoSeriousA11yViolations(page, 'set pin')
  await pin.getByTestId('set-pin-save').click()
  await expect(pin).toBeHidden()

  await page.keyboard.press('Control+l')
  const lock = gate(page).getByTestId('lock-screen')
  await lock.getByTestId('unlock-secret').locator('input').fill('4321')
  await lock.getByTestId('unlock-submit').click()
  await expect(gate(page)).toBeHidden()
  const session = await app.api.invoke('staff:session', undefined)
  expect(session.staff).toMatchObject({ name: 'Sam Carter', hasPin: true })
})

test('the sign-in, lock and staff screens have no serious accessibility problems, light or dark', async ({ page, app }) => {
  test.setTimeout(180_000)
  const admin = await setUpAdmin(app, '2468')
  await app.api.invoke('staff:signIn', { staffId: admin.id, password: ADMIN_PASSWORD })
  await app.api.invoke('staff:create', { name: 'Jamie Fox', role: 'team', password: 'crew member 22' })
  await app.api.invoke('staff:signOut', {})
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    await page.goto('/')
    await expect(gate(page).getByTestId('sign-in-people')).toBeVisible()
    await app.screenshot(`staff-sign-in-people-${scheme}`)
    await expectNoSeriousA11yViolations(page, `the sign-in list (${scheme})`)
    await signInOnScreen(page, 'Alex Morgan', ADMIN_PASSWORD)
    await expect(gate(page)).toBeHidden()
    await page.goto('/#/staff')
    await expect(page.getByTestId('staff-row')).toHaveCount(2)
    await expectNoSeriousA11yViolations(page, `the Staff page (${scheme})`)
    await page.keyboard.press('Control+l')
    await expect(gate(page).getByTestId('lock-screen')).toBeVisible()
    await app.screenshot(`staff-lock-screen-${scheme}`)
    await expectNoSeriousA11yViolations(page, `the lock screen (${scheme})`)
    await gate(page).getByTestId('unlock-someone-else').click()
    await expect(gate(page).getByText('Sign in as someone else')).toBeVisible()
    await app.screenshot(`staff-lock-someone-else-${scheme}`)
    await gate(page).getByTestId('sign-in-back').click()
    await gate(page).getByTestId('unlock-secret').locator('input').fill('2468')
    await gate(page).getByTestId('unlock-submit').click()
    await expect(gate(page)).toBeHidden()
    await page.getByTestId('account-menu').click()
    await chooseOption(page.getByTestId('account-sign-out'))
    await expect(gate(page).getByTestId('sign-in-people')).toBeVisible()
  }
})

test('an administrator resets a password, changes a role, deactivates and reactivates someone', async ({ page, app }) => {
  const jamie = await app.api.invoke('staff:create', { name: 'Jamie Fox', role: 'team', password: 'crew member 22' })
  await page.goto('/#/staff')
  const row = page.getByTestId('staff-row').filter({ hasText: 'Jamie Fox' })
  await expect(row).toBeVisible()

  // You cannot lock yourself out from here.
  await page.getByTestId('staff-more-1').click()
  await expect(page.getByTestId('staff-deactivate-1')).toHaveClass(/v-list-item--disabled/)
  await expect(page.getByTestId('staff-reset-1')).toContainText('Use Change my password in your menu')
  await page.keyboard.press('Escape')

  await page.getByTestId(`staff-more-${jamie.id}`).click()
  await page.getByTestId(`staff-reset-${jamie.id}`).click()
  const reset = page.getByTestId('reset-password-dialog')
  await reset.getByTestId('reset-password-new').locator('input').fill('new crew pass 9')
  await reset.getByTestId('reset-password-confirm').locator('input').fill('new crew pass 9')
  await app.screenshot('staff-reset-password')
  await expectNoSeriousA11yViolations(page, 'reset password')
  await reset.getByTestId('reset-password-save').click()
  await expect(page.getByTestId('snackbar')).toContainText('Jamie Fox’s password is reset')

  await page.getByTestId(`staff-edit-${jamie.id}`).click()
  const dialog = page.getByTestId('staff-dialog')
  await expect(dialog.getByTestId('staff-name').locator('input')).toHaveValue('Jamie Fox')
  await dialog.getByTestId('staff-role').click()
  await chooseOption(page.getByRole('option', { name: /^Staff/ }))
  await app.screenshot('staff-edit-dialog')
  await dialog.getByTestId('staff-save').click()
  await expect(row.getByTestId('staff-row-role')).toHaveText('Staff')

  await page.getByTestId(`staff-more-${jamie.id}`).click()
  await page.getByTestId(`staff-deactivate-${jamie.id}`).click()
  await expect(page.getByTestId('confirm-dialog')).toContainText('can no longer sign in')
  await page.getByTestId('confirm-ok').click()
  await expect(row.getByTestId('staff-row-status')).toHaveText('Inactive')
  await app.screenshot('staff-page-inactive')
  expect((await app.api.invoke('staff:session', undefined)).people.map((p) => p.name)).not.toContain('Jamie Fox')

  await page.getByTestId(`staff-more-${jamie.id}`).click()
  await page.getByTestId(`staff-reactivate-${jamie.id}`).click()
  await expect(row.getByTestId('staff-row-status')).toHaveText('Active')
  const account = (await app.api.invoke('staff:list', undefined)).find((s) => s.id === jamie.id)!
  expect(account).toMatchObject({ role: 'staff', active: true })
  await app.api.invoke('staff:signIn', { staffId: jamie.id, password: 'new crew pass 9' })
})

test('too many wrong tries hold the sign-in and say for how long', async ({ page, app }) => {
  await setUpAdmin(app)
  await page.goto('/')
  for (let i = 0; i < 5; i++) await refusedSignIn(page, 'Alex Morgan', `wrong password ${i}`)
  await expect(gate(page).getByTestId('sign-in-secret')).toContainText(/wait|try again/i)
  await signInOnScreen(page, 'Alex Morgan', ADMIN_PASSWORD)
  await expect(gate(page).getByTestId('sign-in-secret')).toContainText(/Too many wrong tries/)
  await app.screenshot('staff-sign-in-held')
})
