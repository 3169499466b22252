import { computed, ref, watch } from 'vue'
import type { JobStatus } from '../../../preload/contract'
import { formatCount } from '../services/format'

/** How far back the rate looks: long enough to smooth out pauses, short enough to follow a change of pace. */
const WINDOW_MS = 8_000
/** Below this much history the rate is a guess, so nothing is said yet. */
const MIN_SPAN_MS = 1_000

interface Sample {
  at: number
  done: number
}

/** "about 2 min left", in the words the desk would say it. */
function timeLeftText(seconds: number): string {
  if (seconds < 5) return 'a few seconds left'
  if (seconds < 55) return 'less than a minute left'
  const minutes = Math.round(seconds / 60)
  if (minutes < 60) return `about ${minutes} min left`
  const hours = Math.floor(minutes / 60)
  const rest = minutes % 60
  return rest === 0 ? `about ${hours} h left` : `about ${hours} h ${rest} min left`
}

/**
 * Speed and time left of a running job, from the successive `done` counts it
 * reports: "2,400 rows a second", "about 2 min left". Empty until there is a
 * second of progress to go by; starts over with a new job or a new phase.
 */
export function useJobRate(job: () => JobStatus | null, now: () => number = () => performance.now()) {
  const samples = ref<Sample[]>([])
  const total = ref(0)
  let key = ''

  watch(
    job,
    (status) => {
      if (!status || status.state !== 'running' || status.total === 0) {
        samples.value = []
        key = ''
        return
      }
      const at = now()
      total.value = status.total
      const statusKey = `${status.id}:${status.phase}`
      const last = samples.value[samples.value.length - 1]
      if (statusKey !== key || (last && status.done < last.done)) {
        key = statusKey
        samples.value = [{ at, done: status.done }]
        return
      }
      if (last && last.done === status.done) return
      samples.value = [...samples.value.filter((s) => at - s.at <= WINDOW_MS), { at, done: status.done }]
    },
    { immediate: true },
  )

  /** Items a second, or null while there is too little to go by. */
  const perSecond = computed(() => {
    const list = samples.value
    const first = list[0]
    const last = list[list.length - 1]
    if (!first || !last || last.at - first.at < MIN_SPAN_MS || last.done <= first.done) return null
    return ((last.done - first.done) * 1000) / (last.at - first.at)
  })

  const secondsLeft = computed(() => {
    const rate = perSecond.value
    const last = samples.value[samples.value.length - 1]
    if (!rate || !last) return null
    return Math.max(0, (total.value - last.done) / rate)
  })

  /** "2,400 rows a second" (`unit` is the plural noun). */
  function rateText(unit: string): string {
    const rate = perSecond.value
    if (rate === null) return ''
    const rounded = rate >= 10 ? Math.round(rate) : Math.round(rate * 10) / 10
    return `${formatCount(rounded)} ${rounded === 1 ? unit.replace(/s$/, '') : unit} a second`
  }

  const timeLeft = computed(() => (secondsLeft.value === null ? '' : timeLeftText(secondsLeft.value)))

  return { perSecond, secondsLeft, timeLeft, rateText }
}
