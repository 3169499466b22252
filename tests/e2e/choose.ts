import type { Locator, Page } from '@playwright/test'

/**
 * Chooses an option of an open select or autocomplete, or an item of an open menu, from the keyboard, as a keyboard user
 * would. A click goes to a position: a menu places itself a frame after it opens, and a page can move
 * under it (a notice appearing above), so a click could land on the option's neighbour.
 */
export async function chooseOption(option: Locator): Promise<void> {
  await option.focus()
  await option.press('Enter')
}

/** Opens a select or autocomplete with a click once it is still, and chooses the first option named so. */
export async function pickOption(page: Page, field: Locator, option: string | RegExp): Promise<void> {
  await field.click()
  await chooseOption(page.getByRole('option', { name: option }).first())
}
