import { onBeforeUnmount, onMounted, watch, type Ref } from 'vue'

/** What counts as someone using the desk. */
const activity = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const

/**
 * Calls `lock` once the desk has gone `minutes` without a key, click or
 * pointer movement (0: never). One timer, re-armed only when it comes due,
 * so moving the mouse costs a timestamp; a computer waking from sleep finds
 * the time passed and locks at once.
 */
export function useIdleLock(minutes: Ref<number>, active: Ref<boolean>, lock: () => void, stillHere?: () => void): void {
  let last = Date.now()
  let told = 0
  let timer: ReturnType<typeof setTimeout> | undefined

  const seen = () => {
    last = Date.now()
    // At most every few seconds: pointer movement fires many times a second.
    if (stillHere && last - told > 5_000) {
      told = last
      stillHere()
    }
  }

  function arm() {
    clearTimeout(timer)
    timer = undefined
    if (!active.value || minutes.value <= 0) return
    const limit = minutes.value * 60_000
    const left = limit - (Date.now() - last)
    if (left <= 0) {
      lock()
      return
    }
    timer = setTimeout(arm, left)
  }

  watch([minutes, active], () => {
    seen()
    arm()
  })

  onMounted(() => {
    for (const name of activity) window.addEventListener(name, seen, { capture: true, passive: true })
    arm()
  })

  onBeforeUnmount(() => {
    clearTimeout(timer)
    for (const name of activity) window.removeEventListener(name, seen, { capture: true })
  })
}
