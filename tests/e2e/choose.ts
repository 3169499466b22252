import { expect, type Locator, type Page } from '@playwright/test'

/**
 * Chooses an option of an open select or autocomplete, an item of an open menu or a tab of a scrolling bar, from the keyboard, as a keyboard user
 * would. A click goes to a position: a menu places itself a frame after it opens, and a page can move
 * under it (a notice appearing above), so a click could land on the option's neighbour.
 */
export async function chooseOption(option: Locator): Promise<void> {
  // A menu's content is hidden until it is placed, and a hidden element refuses focus without a word:
  // Enter would then reach the menu's button and close it. Focus again until it holds.
  await expect(async () => {
    await option.focus()
    await expect(option).toBeFocused({ timeout: 250 })
  }).toPass({ timeout: 15_000 })
  await option.press('Enter')
}

/** Opens a select or autocomplete with a click once it is still, and chooses the first option named so. */
export async function pickOption(page: Page, field: Locator, option: string | RegExp): Promise<void> {
  await field.click()
  await chooseOption(page.getByRole('option', { name: option }).first())
}
