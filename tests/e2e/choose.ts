import type { Locator } from '@playwright/test'

/**
 * Chooses an option of an open select or autocomplete, or an item of an open menu, from the keyboard, as a keyboard user
 * would. A click goes to a position: a menu places itself a frame after it opens, and a page can move
 * under it (a notice appearing above), so a click could land on the option's neighbour.
 */
export async function chooseOption(option: Locator): Promise<void> {
  await option.focus()
  await option.press('Enter')
}
