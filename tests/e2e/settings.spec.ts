import type { Page } from '@playwright/test'
import { expect, test, type FrontdeskApp } from './fixtures'
import { expectNoSeriousA11yViolations } from './a11y'
import { chooseOption } from './choose'

/**
 * Settings → Tags, Groups, Custom fields and Recycle bin, through the built
 * renderer against the real backend; results are checked through the API.
 */

/** Seeding, axe and many round trips take a while on a busy machine. */
const SLOW_TEST_TIMEOUT = 180_000

async function openSection(page: Page, section: 'tags' | 'groups' | 'fields' | 'recycle-bin') {
  await page.goto('/#/settings')
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible()
  // From the keyboard: the tab bar scrolls to its active tab as the page opens, and a click could land beside it.
  await chooseOption(page.getByTestId(`settings-tab-${section}`))
}

async function customers(app: FrontdeskApp, names: string[]) {
  const created = []
  for (const name of names) {
    const [firstName, lastName] = name.split(' ')
    created.push(await app.api.invoke('customers:create', { firstName, lastName }))
  }
  return created
}

function tagRow(page: Page, name: string) {
  return page.getByTestId('tags-settings').getByRole('row').filter({ has: page.getByText(name, { exact: true }) })
}

test('tags: create, rename and recolour, merge, delete with the count', async ({ page, app }) => {
  test.setTimeout(SLOW_TEST_TIMEOUT)
  const [ann, ben, cat] = await customers(app, ['Ann Archer', 'Ben Baker', 'Cat Carter'])
  await app.api.invoke('customers:addTag', { customerId: ann!.id, name: 'Silver' })
  await app.api.invoke('customers:addTag', { customerId: ben!.id, name: 'Silver' })
  await app.api.invoke('customers:addTag', { customerId: cat!.id, name: 'Lapsed' })

  await openSection(page, 'tags')
  await expect(tagRow(page, 'Silver')).toContainText('2')

  // Create
  await page.getByTestId('new-tag').click()
  const dialog = page.getByTestId('tag-dialog')
  await dialog.getByTestId('tag-name').locator('input').fill('Gold')
  await dialog.getByTestId('swatch-orange').click()
  await app.screenshot('settings-tag-dialog')
  await dialog.getByTestId('tag-save').click()
  await expect(page.getByTestId('snackbar')).toContainText('Tag “Gold” created')
  await expect(tagRow(page, 'Gold')).toContainText('0')

  // Rename and recolour
  await tagRow(page, 'Gold').getByTestId('edit-tag').click()
  await dialog.getByTestId('tag-name').locator('input').fill('Gold members')
  await dialog.getByTestId('swatch-purple').click()
  await dialog.getByTestId('tag-save').click()
  await expect(page.getByTestId('snackbar')).toContainText('Tag “Gold members” saved')
  const gold = (await app.api.invoke('tags:usage', undefined)).find((t) => t.name === 'Gold members')
  expect(gold?.color?.toUpperCase()).toBe('#6A4BA8')

  // Merge Silver into Gold members
  await tagRow(page, 'Silver').getByTestId('merge-tag').click()
  const merge = page.getByTestId('merge-dialog')
  await merge.getByTestId('merge-target').click()
  await chooseOption(page.getByRole('option', { name: 'Gold members' }))
  await expect(merge).toContainText('The 2 customers tagged “Silver” will be tagged “Gold members” instead')
  await app.screenshot('settings-tag-merge')
  await merge.getByTestId('merge-confirm').click()
  await expect(page.getByTestId('snackbar')).toContainText('Merged “Silver” into “Gold members”')
  await expect(tagRow(page, 'Gold members')).toContainText('2')
  await expect(tagRow(page, 'Silver')).toHaveCount(0)

  // Delete, saying how many lose it
  await tagRow(page, 'Gold members').getByTestId('delete-tag').click()
  await expect(page.getByTestId('confirm-dialog')).toContainText('2 customers will lose this tag')
  await app.screenshot('settings-tag-delete-confirm')
  await page.getByTestId('confirm-ok').click()
  await expect(page.getByTestId('snackbar')).toContainText('Tag “Gold members” deleted')
  const left = (await app.api.invoke('tags:usage', undefined)).map((t) => t.name)
  expect(left).toEqual(['Lapsed'])
  await app.screenshot('settings-tags')
  await expectNoSeriousA11yViolations(page, 'Settings → Tags')
})

test('groups: create with a description and rename', async ({ page, app }) => {
  await openSection(page, 'groups')
  await page.getByTestId('new-group').click()
  const dialog = page.getByTestId('group-dialog')
  await dialog.getByTestId('group-name').locator('input').fill('Monday pilates')
  await dialog.getByTestId('group-description').locator('textarea').first().fill('Beginners, 6pm')
  await dialog.getByTestId('group-save').click()
  await expect(page.getByTestId('snackbar')).toContainText('Group “Monday pilates” created')
  await expect(page.getByTestId('group-row')).toContainText(['Monday pilatesBeginners, 6pm'])

  await page.getByTestId('edit-group').click()
  await dialog.getByTestId('group-name').locator('input').fill('Monday pilates (beginners)')
  await dialog.getByTestId('group-save').click()
  await expect(page.getByTestId('group-row').first()).toContainText('Monday pilates (beginners)')
  const groups = await app.api.invoke('groups:usage', undefined)
  expect(groups.map((g) => [g.name, g.description])).toEqual([['Monday pilates (beginners)', 'Beginners, 6pm']])
  await app.screenshot('settings-groups')

  await page.getByTestId('delete-group').click()
  await expect(page.getByTestId('confirm-dialog')).toContainText('Nobody is in this group')
  await page.getByTestId('confirm-ok').click()
  await expect(page.getByTestId('snackbar')).toContainText('deleted')
  expect(await app.api.invoke('groups:usage', undefined)).toEqual([])
})

test('custom field of type choice, then filter the list by it', async ({ page, app }) => {
  test.setTimeout(SLOW_TEST_TIMEOUT)
  const [ann, ben, cat] = await customers(app, ['Ann Archer', 'Ben Baker', 'Cat Carter'])
  await openSection(page, 'fields')
  await page.getByTestId('new-field').click()
  const dialog = page.getByTestId('field-dialog')
  await dialog.getByTestId('field-label').locator('input').fill('Membership')
  await dialog.getByTestId('field-type').click()
  await chooseOption(page.getByRole('option', { name: 'Choice' }))
  await dialog.getByTestId('add-option').click()
  await page.keyboard.type('Bronze')
  await page.keyboard.press('Enter')
  await page.keyboard.type('Silver')
  await page.keyboard.press('Enter')
  await page.keyboard.type('Gold')
  await app.screenshot('settings-field-dialog')
  await dialog.getByTestId('field-save').click()
  await expect(page.getByTestId('snackbar')).toContainText('Field “Membership” added')
  await expect(page.getByTestId('field-row')).toContainText(['MembershipChoiceBronzeSilverGold'])

  // Type is locked once saved.
  await page.getByTestId('edit-field').click()
  await expect(dialog.getByTestId('field-type')).toContainText('The type cannot be changed once the field is saved.')
  await app.screenshot('settings-field-edit')
  await page.keyboard.press('Escape')

  const field = (await app.api.invoke('customFields:list', undefined)).find((f) => f.label === 'Membership')!
  await app.api.invoke('customers:setCustomFields', { id: ann!.id, values: { [field.id]: 'Gold' } })
  await app.api.invoke('customers:setCustomFields', { id: cat!.id, values: { [field.id]: 'Gold' } })
  await app.api.invoke('customers:setCustomFields', { id: ben!.id, values: { [field.id]: 'Silver' } })

  await page.getByRole('link', { name: 'Customers' }).click()
  await expect(page.getByTestId('customer-row')).toHaveCount(3)
  await page.getByTestId('more-filters').click()
  const panel = page.getByTestId('more-filters-panel')
  await panel.getByTestId('filter-field').click()
  await chooseOption(page.getByRole('option', { name: 'Membership' }))
  await panel.getByTestId('filter-field-value').click()
  await chooseOption(page.getByRole('option', { name: 'Gold' }))
  await panel.getByTestId('filter-field-add').click()
  await expect(panel.getByTestId('filter-conditions')).toContainText('Membership: Gold')
  await app.screenshot('settings-filter-by-field')
  await panel.getByTestId('apply-filters').click()
  await expect(page.getByTestId('active-filter')).toHaveText(['Membership: Gold'])
  await expect(page.getByTestId('customer-row')).toHaveCount(2)
  await expect(page.getByTestId('customer-row')).toContainText(['Ann Archer', 'Cat Carter'])
  await expect(page.getByTestId('pager-summary')).toHaveText('1–2 of 2 matching customers')

  // Deleting the field asks first.
  await page.getByRole('link', { name: 'Settings' }).click()
  await chooseOption(page.getByTestId('settings-tab-fields'))
  await page.getByTestId('delete-field').click()
  await expect(page.getByTestId('confirm-dialog')).toContainText('removes the field and its values from every customer')
  await page.getByTestId('confirm-ok').click()
  await expect(page.getByTestId('snackbar')).toContainText('Field “Membership” deleted')
  expect(await app.api.invoke('customFields:list', undefined)).toEqual([])
})

test('recycle bin: a deleted customer can be restored to the list', async ({ page, app }) => {
  test.setTimeout(SLOW_TEST_TIMEOUT)
  const [ann] = await customers(app, ['Ann Archer', 'Ben Baker'])
  await openSection(page, 'recycle-bin')
  await expect(page.getByTestId('recycle-bin-empty')).toBeVisible()
  await app.screenshot('settings-recycle-bin-empty')

  await app.api.invoke('customers:delete', { id: ann!.id })
  await page.reload()
  const row = page.getByTestId('recycle-bin').getByRole('row').filter({ hasText: 'Ann Archer' })
  await expect(row).toBeVisible()
  await expect(row).toContainText(ann!.number)
  await expect(row).toContainText('by ')
  await app.screenshot('settings-recycle-bin')
  await expectNoSeriousA11yViolations(page, 'Settings → Recycle bin')

  await row.getByTestId('restore').click()
  await expect(page.getByTestId('snackbar')).toContainText('Ann Archer is back in the address book')
  await expect(page.getByTestId('recycle-bin-empty')).toBeVisible()

  await page.getByRole('link', { name: 'Customers' }).click()
  await expect(page.getByTestId('customer-row')).toHaveCount(2)
  await expect(page.getByTestId('customer-row').filter({ hasText: 'Ann Archer' })).toBeVisible()
})

test('recycle bin: delete now asks, and removes for good', async ({ page, app }) => {
  const [ann] = await customers(app, ['Ann Archer'])
  await app.api.invoke('customers:delete', { id: ann!.id })
  await openSection(page, 'recycle-bin')
  await page.getByTestId('purge').click()
  await expect(page.getByTestId('confirm-dialog')).toContainText('Delete Ann Archer for good?')
  // Other work already under way in the worker: the removal waits its turn, its progress shown in the bin.
  await app.api.invoke('demo:seed', { count: 3000, seed: 4 })
  await page.getByTestId('confirm-ok').click()
  const progress = page.getByTestId('recycle-bin').getByTestId('job-progress')
  await expect(progress).toContainText('Deleting Ann Archer')
  await app.screenshot('settings-recycle-bin-purging')
  // Removed in the background (the search index is rewritten): said once the job is done, and the bin reloaded.
  await expect(page.getByTestId('snackbar')).toContainText('Ann Archer deleted for good', { timeout: 30_000 })
  await expect(page.getByTestId('recycle-bin-empty')).toBeVisible()
  await expect(page.getByTestId('job-progress')).toHaveCount(0)
  const jobs = await app.api.invoke('jobs:list', undefined)
  expect(jobs.find((job) => job.kind === 'recyclePurge')).toMatchObject({ state: 'done', label: `Deleting Ann Archer (${ann!.number}) for good` })
  expect(await app.api.invoke('recycleBin:list', undefined)).toEqual([])
  await app.screenshot('settings-recycle-bin-purged')
})

test('settings sections look finished in dark mode', async ({ page, app }) => {
  test.setTimeout(SLOW_TEST_TIMEOUT)
  await page.emulateMedia({ colorScheme: 'dark' })
  await app.seed(40)
  const [ann] = await customers(app, ['Ann Archer'])
  await app.api.invoke('customers:delete', { id: ann!.id })
  await app.api.invoke('groups:create', { name: 'Paid-up members', description: 'Paid up this year' })
  await openSection(page, 'tags')
  await expect(page.getByTestId('tag-row-name').first()).toBeVisible()
  await app.screenshot('settings-dark-tags')
  await expectNoSeriousA11yViolations(page, 'Settings → Tags in dark mode')
  await chooseOption(page.getByTestId('settings-tab-recycle-bin'))
  await expect(page.getByTestId('recycled-row')).toHaveCount(1)
  await app.screenshot('settings-dark-recycle-bin')
})
