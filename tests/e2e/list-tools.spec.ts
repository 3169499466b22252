import type { Page } from '@playwright/test'
import { expect, test, type FrontdeskApp } from './fixtures'
import { expectNoSeriousA11yViolations } from './a11y'
import { chooseOption } from './choose'

/**
 * The list's tools: filters (tags, newsletter consent, created between, custom
 * fields), saved filters, multi-select across pages, "select all N matching"
 * and the bulk actions, checked against the database through the API.
 */

function rows(page: Page) {
  return page.getByTestId('customer-row')
}

async function openList(page: Page) {
  await page.goto('/#/customers')
  await expect(page.getByRole('heading', { name: 'Customers', level: 1 })).toBeVisible()
}

async function tagId(app: FrontdeskApp, name: string): Promise<number> {
  const tag = (await app.api.invoke('tags:list', undefined)).find((t) => t.name === name)
  if (!tag) throw new Error(`no tag ${name}`)
  return tag.id
}

/** The ids of the rows shown, once the page is whole: a new page's first rows are drawn a frame before the rest. */
async function rowIds(page: Page): Promise<string[]> {
  const read = () => rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-customer-id') ?? ''))
  const twoFrames = () =>
    page.evaluate(() => {
      const frame = (globalThis as unknown as { requestAnimationFrame: (callback: () => void) => number }).requestAnimationFrame
      return new Promise<void>((resolve) => frame(() => frame(() => resolve())))
    })
  let shown = await read()
  for (;;) {
    await twoFrames()
    const now = await read()
    if (now.join() === shown.join()) return now
    shown = now
  }
}

/** Picks options in a Vuetify multiple select, then closes its menu. */
async function pickInSelect(page: Page, testId: string, options: string[]) {
  await page.getByTestId(testId).click()
  for (const option of options) await chooseOption(page.getByRole('option', { name: option, exact: true }))
  await page.keyboard.press('Escape')
}

/** Seeding, axe and many round trips take a while on a busy machine. */
const SLOW_TEST_TIMEOUT = 180_000

test('tag filter, select all matching, and bulk tagging with the tag autocomplete', async ({ page, app }) => {
  test.setTimeout(SLOW_TEST_TIMEOUT)
  await app.seed(300)
  await app.api.invoke('tags:create', { name: 'Summer offer', color: '#D9822B' })
  const regular = await tagId(app, 'Regular')
  const matching = (await app.api.invoke('customers:counts', { tagIds: [regular] })).active
  expect(matching).toBeGreaterThan(50)

  await openList(page)
  await pickInSelect(page, 'filter-tags', ['Regular'])
  const summary = page.getByTestId('pager-summary')
  await expect(summary).toHaveText(`1–50 of ${matching} matching customers`)

  // Tick the page: the banner offers every match, with the exact total.
  await page.getByTestId('select-page').locator('input').check()
  await expect(page.getByTestId('selected-count')).toHaveText('50 selected')
  const banner = page.getByTestId('selection-banner')
  await expect(banner).toContainText('All 50 on this page are selected.')
  await expect(page.getByTestId('select-all-matching')).toHaveText(`Select all ${matching} matching customers`)
  await app.screenshot('list-tools-page-selected')
  await page.getByTestId('select-all-matching').click()
  await expect(banner).toContainText(`All ${matching} matching customers are selected.`)
  await expect(page.getByTestId('selected-count')).toHaveText(`${matching} selected`)
  await expectNoSeriousA11yViolations(page, 'the list with a selection')

  // Still everything on the next page.
  await page.getByTestId('page-next').click()
  await expect(summary).toHaveText(`51–${Math.min(100, matching)} of ${matching} matching customers`)
  await expect(page.getByTestId('selected-count')).toHaveText(`${matching} selected`)

  await page.getByTestId('bulk-tag').click()
  const dialog = page.getByTestId('bulk-dialog')
  await expect(dialog).toContainText(`Tag ${matching} customers`)
  await dialog.getByTestId('bulk-tag-name').locator('input').pressSequentially('summ')
  const suggestion = page.getByRole('option', { name: 'Summer offer' })
  await expect(suggestion).toBeVisible()
  await app.screenshot('list-tools-tag-autocomplete')
  await chooseOption(suggestion)
  await dialog.getByTestId('bulk-confirm').click()

  await expect(page.getByTestId('snackbar')).toContainText(`Tagged ${matching} customers “Summer offer”`)
  await expect(page.getByTestId('bulk-bar')).toBeHidden()
  await app.screenshot('list-tools-tagged')

  const summer = await tagId(app, 'Summer offer')
  const tagged = await app.api.invoke('customers:counts', { tagIds: [summer] })
  expect(tagged.active + tagged.archived + tagged.blocked).toBe(matching)
  expect((await app.api.invoke('customers:counts', { tagIds: [summer, regular] })).active).toBe(matching)
})

test('select all matching when there are more matches than the list counts: counted exactly, then acted on', async ({ page, app }) => {
  test.setTimeout(SLOW_TEST_TIMEOUT)
  await app.seed(2600, 4)
  const rows = (await app.core.db.raw(
    `SELECT count(*) AS n FROM customers c WHERE c.status = 'active' AND c.id IN (SELECT customer_id FROM phones WHERE search_digits LIKE '%7700%')`,
  )) as Array<{ n: number }>
  const exact = Number(rows[0]!.n)
  expect(exact).toBeGreaterThan(2000)
  const shown = exact.toLocaleString('en-GB')

  await openList(page)
  await page.getByTestId('customer-search').locator('input').fill('7700')
  await expect(page.getByTestId('pager-summary')).toContainText('of more than 2,000 matching customers')
  await page.getByTestId('select-page').locator('input').check()
  const banner = page.getByTestId('selection-banner')
  await expect(page.getByTestId('select-all-matching')).toHaveText('Select all matching customers (more than 2,000)')
  await page.getByTestId('select-all-matching').click()
  await expect(banner).toContainText(`All ${shown} matching customers are selected.`)
  await expect(page.getByTestId('selected-count')).toHaveText(`${shown} selected`)
  await app.screenshot('list-tools-select-all-counted')

  await page.getByTestId('bulk-tag').click()
  const dialog = page.getByTestId('bulk-dialog')
  await expect(dialog).toContainText(`Tag ${shown} customers`)
  await dialog.getByTestId('bulk-tag-name').locator('input').fill('Everyone on 7700')
  await dialog.getByTestId('bulk-confirm').click()
  await expect(page.getByTestId('snackbar')).toContainText(`Tagged ${shown} customers “Everyone on 7700”`)
  const tag = await tagId(app, 'Everyone on 7700')
  const counts = await app.api.invoke('customers:counts', { tagIds: [tag] })
  expect(counts.active).toBe(Math.min(exact, 1000))
  const tagged = (await app.core.db.raw(`SELECT count(*) AS n FROM customer_tags WHERE tag_id = ?`, [tag])) as Array<{ n: number }>
  expect(Number(tagged[0]!.n)).toBe(exact)
})

test('a new tag typed in the bulk Tag dialog is created for the ticked rows', async ({ page, app }) => {
  test.setTimeout(SLOW_TEST_TIMEOUT)
  await app.seed(40)
  await openList(page)
  const ids = (await rowIds(page)).slice(0, 2)
  for (const id of ids) await page.locator(`[data-customer-id="${id}"]`).getByTestId('select-row').locator('input').check()
  await expect(page.getByTestId('selected-count')).toHaveText('2 selected')
  await page.getByTestId('bulk-tag').click()
  const dialog = page.getByTestId('bulk-dialog')
  await dialog.getByTestId('bulk-tag-name').locator('input').fill('Spring class')
  await expect(dialog).toContainText('A new tag “Spring class” will be created.')
  await dialog.getByTestId('bulk-confirm').click()
  await expect(page.getByTestId('snackbar')).toContainText('Tagged 2 customers “Spring class”')
  const spring = await tagId(app, 'Spring class')
  const page1 = await app.api.invoke('customers:list', { tagIds: [spring] })
  expect(page1.rows.map((r) => String(r.id)).sort()).toEqual([...ids].sort())
})

test('saved filter: save, clear, reopen gives the same rows', async ({ page, app }) => {
  test.setTimeout(SLOW_TEST_TIMEOUT)
  await app.seed(200)
  await openList(page)
  const summary = page.getByTestId('pager-summary')
  const unfiltered = await summary.innerText()

  await pickInSelect(page, 'filter-tags', ['Regular'])
  await page.getByTestId('more-filters').click()
  const panel = page.getByTestId('more-filters-panel')
  await panel.getByTestId('filter-consent').click()
  await chooseOption(page.getByRole('option', { name: 'Not agreed' }))
  await panel.getByTestId('filter-created-from').locator('input').fill('2000-01-01')
  await app.screenshot('list-tools-more-filters')
  await panel.getByTestId('apply-filters').click()
  await expect(panel).toBeHidden()
  const chips = page.getByTestId('active-filter')
  await expect(chips).toHaveText(['Newsletter: not agreed', 'Added on or after 1 Jan 2000'])
  await expect(summary).not.toHaveText(unfiltered)
  const filteredSummary = await summary.innerText()
  const filteredIds = await rowIds(page)
  expect(filteredIds.length).toBeGreaterThan(0)

  await page.getByTestId('saved-filters').click()
  await page.getByTestId('save-filter').click()
  const dialog = page.getByTestId('save-filter-dialog')
  await dialog.getByTestId('save-filter-name').locator('input').fill('Regulars without newsletter')
  await dialog.getByTestId('save-filter-confirm').click()
  await expect(page.getByTestId('snackbar')).toContainText('Filter saved as “Regulars without newsletter”')
  await app.screenshot('list-tools-filtered-with-chips')

  // Same name again: the dialog says it replaces.
  await page.getByTestId('saved-filters').click()
  await page.getByTestId('save-filter').click()
  await dialog.getByTestId('save-filter-name').locator('input').fill('regulars without newsletter')
  await expect(dialog).toContainText('exists: saving replaces it')
  await expect(dialog.getByTestId('save-filter-confirm')).toHaveText('Replace')
  await app.screenshot('list-tools-save-filter-replace')
  await dialog.getByTestId('save-filter-confirm').click()
  await expect(page.getByTestId('snackbar')).toContainText('replaced')
  expect(await app.api.invoke('savedFilters:list', undefined)).toHaveLength(1)

  await page.getByTestId('clear-filters').click()
  await expect(page.getByTestId('active-filters')).toBeHidden()
  await expect(summary).toHaveText(unfiltered)

  await page.getByTestId('saved-filters').click()
  await expect(page.getByTestId('saved-filter')).toHaveCount(1)
  await app.screenshot('list-tools-saved-filters-menu')
  await chooseOption(page.getByTestId('saved-filter'))
  await expect(summary).toHaveText(filteredSummary)
  await expect(chips).toHaveCount(2)
  expect(await rowIds(page)).toEqual(filteredIds)

  // Delete it from the menu.
  // From the keyboard: the menu places itself beside its button a frame after it opens, and a click by
  // position could land on the saved filter under the icon (applying it) while it moves.
  await page.getByTestId('saved-filters').click()
  await chooseOption(page.getByTestId('delete-saved-filter'))
  await page.getByTestId('confirm-ok').click()
  await expect(page.getByTestId('snackbar')).toContainText('deleted')
  expect(await app.api.invoke('savedFilters:list', undefined)).toHaveLength(0)
})

test('selection survives paging; bulk archive of 3 ticked rows states the count', async ({ page, app }) => {
  test.setTimeout(SLOW_TEST_TIMEOUT)
  await app.seed(120)
  const before = await app.api.invoke('customers:counts', {})
  await openList(page)
  const first = (await rowIds(page))[0]!
  await page.locator(`[data-customer-id="${first}"]`).getByTestId('select-row').locator('input').check()
  await page.getByTestId('page-next').click()
  await expect(page.getByTestId('pager-summary')).toContainText('51–100')
  const others = (await rowIds(page)).slice(3, 5)
  for (const id of others) await page.locator(`[data-customer-id="${id}"]`).getByTestId('select-row').locator('input').check()
  await expect(page.getByTestId('selected-count')).toHaveText('3 selected')
  await app.screenshot('list-tools-three-selected')

  await page.getByTestId('bulk-archive').click()
  const confirm = page.getByTestId('confirm-dialog')
  await expect(confirm).toContainText('Archive 3 customers?')
  await expect(confirm).toContainText('3 customers will move to the Archived tab')
  await app.screenshot('list-tools-archive-confirm')
  await page.getByTestId('confirm-ok').click()
  await expect(page.getByTestId('snackbar')).toContainText('Archived 3 customers')
  await expect(page.getByTestId('bulk-bar')).toBeHidden()

  const after = await app.api.invoke('customers:counts', {})
  expect(after.active).toBe(before.active - 3)
  expect(after.archived).toBe(before.archived + 3)
  for (const id of [first, ...others]) expect((await app.api.invoke('customers:get', { id: Number(id) })).status).toBe('archived')

  // Changing the tab clears a selection.
  await page.locator(`[data-customer-id]`).first().getByTestId('select-row').locator('input').check()
  await expect(page.getByTestId('selected-count')).toHaveText('1 selected')
  await page.getByTestId('tab-archived').click()
  await expect(page.getByTestId('bulk-bar')).toBeHidden()
})

test('a new filter, Clear filters or a new search drops the selection', async ({ page, app }) => {
  test.setTimeout(SLOW_TEST_TIMEOUT)
  await app.seed(120)
  await openList(page)
  const tickFirst = async () => {
    await rows(page).first().getByTestId('select-row').locator('input').check()
    await expect(page.getByTestId('selected-count')).toHaveText('1 selected')
  }
  const summary = page.getByTestId('pager-summary')

  await tickFirst()
  await pickInSelect(page, 'filter-tags', ['Regular'])
  await expect(summary).toContainText('matching customers')
  await expect(page.getByTestId('bulk-bar')).toBeHidden()

  await tickFirst()
  await page.getByTestId('clear-filters').click()
  await expect(summary).not.toContainText('matching')
  await expect(page.getByTestId('bulk-bar')).toBeHidden()

  await tickFirst()
  await page.getByTestId('customer-search').locator('input').fill('7700')
  await expect(summary).toContainText('matching customers')
  await expect(page.getByTestId('bulk-bar')).toBeHidden()
})

test('looks finished in dark mode with filters and a selection', async ({ page, app }) => {
  test.setTimeout(SLOW_TEST_TIMEOUT)
  await page.emulateMedia({ colorScheme: 'dark' })
  await app.seed(80)
  await openList(page)
  await pickInSelect(page, 'filter-tags', ['Regular'])
  await page.getByTestId('more-filters').click()
  await page.getByTestId('more-filters-panel').getByTestId('filter-consent').click()
  await chooseOption(page.getByRole('option', { name: 'Agreed to the newsletter' }))
  await page.getByTestId('apply-filters').click()
  await expect(page.getByTestId('active-filter')).toHaveCount(1)
  await rows(page).first().getByTestId('select-row').locator('input').check()
  await rows(page).nth(1).getByTestId('select-row').locator('input').check()
  await expect(page.getByTestId('selected-count')).toHaveText('2 selected')
  await app.screenshot('list-tools-dark')
  await expectNoSeriousA11yViolations(page, 'the filtered list in dark mode')
})
