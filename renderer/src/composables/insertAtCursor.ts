import type { Ref } from 'vue'

/**
 * Puts `text` where the cursor is in a text field (replacing a selection),
 * or at the end when the field was never focused, and gives the focus back
 * just after it. `host` is the Vuetify field's root element.
 */
export function insertAtCursor(value: Ref<string>, host: HTMLElement | null | undefined, text: string): void {
  const input = host?.querySelector<HTMLTextAreaElement | HTMLInputElement>('textarea, input')
  const start = input?.selectionStart ?? value.value.length
  const end = input?.selectionEnd ?? value.value.length
  value.value = value.value.slice(0, start) + text + value.value.slice(end)
  requestAnimationFrame(() => {
    input?.focus()
    input?.setSelectionRange(start + text.length, start + text.length)
  })
}
