import { onMounted, toValue, watch, type WatchSource } from 'vue'

/** A Vuetify field (its component instance) or a plain element. */
type Field = { $el?: unknown } | Element | null | undefined

function inputOf(field: Field): HTMLElement | null {
  const root = field instanceof Element ? field : field?.$el
  if (!(root instanceof HTMLElement)) return null
  return root.matches('input, textarea') ? root : root.querySelector<HTMLElement>('input, textarea')
}

/**
 * Puts the cursor in `field` in the same moment it is shown (a dialog
 * opening, a form part appearing), instead of Vuetify's `autofocus`. `shown`
 * may also be what is being edited (an id): each new one gets the cursor.
 *
 * `autofocus` focuses later — once the browser reports the field visible, then
 * after a timer. On a busy machine that lands after the person has already
 * clicked into another field, and what they type goes into the wrong one
 * (a session's places typed into its date); keys pressed before it lands
 * are lost.
 */
export function useFocusWhenShown(shown: WatchSource<unknown>, field: () => Field): void {
  const focus = () => inputOf(field())?.focus({ preventScroll: true })
  watch(
    shown,
    (value) => {
      if (value) focus()
    },
    { flush: 'post' },
  )
  onMounted(() => {
    if (toValue(shown)) focus()
  })
}
