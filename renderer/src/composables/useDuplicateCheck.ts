import { computed, onBeforeUnmount, ref, watch } from 'vue'
import type { DuplicateCheck, DuplicateCheckInput, DuplicateMatch } from '../../../preload/contract'
import { useDuplicatesStore } from '../stores/duplicates'

/** Typing pauses this long before the details are checked. */
const DEBOUNCE_MS = 350

/**
 * The live duplicate check of a record being typed (New customer, a new
 * caller, editing a customer): who it may already be, and whether its email
 * or phone belonged to someone erased. "It's a different person" hides a
 * match at once; for a saved record it is remembered there and then, for a
 * new one it is kept until the record is saved (`rememberFor(newId)`).
 * `confirmErased` is the tick the desk gives to go on with an erased contact.
 */
export function useDuplicateCheck(details: () => DuplicateCheckInput | null, options: { customerId?: () => number | null } = {}) {
  const store = useDuplicatesStore()
  const result = ref<DuplicateCheck | null>(null)
  const differentFrom = ref<number[]>([])
  const confirmErased = ref(false)
  const checking = ref(false)
  let timer: ReturnType<typeof setTimeout> | undefined
  let asked = 0

  const matches = computed<DuplicateMatch[]>(() => (result.value?.matches ?? []).filter((match) => !differentFrom.value.includes(match.customer.id)))
  const erased = computed(() => result.value?.erased ?? null)
  /** Saving waits for the tick when the contact belonged to someone erased. */
  const blocksSave = computed(() => erased.value !== null && !confirmErased.value)

  async function run(input: DuplicateCheckInput): Promise<void> {
    const mine = ++asked
    checking.value = true
    try {
      const answer = await store.check(input)
      if (mine === asked) result.value = answer
    } catch {
      // A warning that cannot be had is no reason to stop the desk: the save still checks the email.
      if (mine === asked) result.value = null
    } finally {
      if (mine === asked) checking.value = false
    }
  }

  watch(
    () => JSON.stringify(details()),
    () => {
      clearTimeout(timer)
      const input = details()
      if (!input) {
        asked++
        result.value = null
        return
      }
      const customerId = options.customerId?.() ?? null
      timer = setTimeout(() => void run(customerId ? { ...input, excludeCustomerId: customerId } : input), DEBOUNCE_MS)
    },
    { immediate: true },
  )
  watch(erased, (now, before) => {
    if (now?.at !== before?.at) confirmErased.value = false
  })
  onBeforeUnmount(() => clearTimeout(timer))

  /** "It's a different person": hidden now; remembered now for a saved record. */
  async function markDifferent(otherId: number): Promise<void> {
    differentFrom.value = [...differentFrom.value, otherId]
    const customerId = options.customerId?.() ?? null
    if (customerId) await store.dismiss(customerId, [otherId])
  }

  /** After a new record is saved: remembers the "different person" answers given while it was typed. */
  async function rememberFor(newCustomerId: number): Promise<void> {
    const others = differentFrom.value.filter((id) => id !== newCustomerId)
    if (others.length) await store.dismiss(newCustomerId, others)
  }

  /** Starts over (the form was emptied or opened again). */
  function reset(): void {
    clearTimeout(timer)
    asked++
    result.value = null
    differentFrom.value = []
    confirmErased.value = false
  }

  return { matches, erased, confirmErased, blocksSave, checking, markDifferent, rememberFor, reset }
}

/** The details of a customer form worth checking, or null when nothing is typed yet. */
export function detailsOfDraft(draft: {
  firstName: string
  lastName: string
  email: string
  phones: Array<{ number: string }>
  addresses: Array<{ postcode: string; country: string }>
}): DuplicateCheckInput | null {
  const phones = draft.phones.map((phone) => phone.number.trim()).filter(Boolean).slice(0, 10)
  const address = draft.addresses.find((a) => a.postcode.trim() !== '')
  const input: DuplicateCheckInput = {
    firstName: draft.firstName.trim().slice(0, 100),
    lastName: draft.lastName.trim().slice(0, 100),
    email: draft.email.trim().slice(0, 254),
    phones: phones.map((phone) => phone.slice(0, 40)),
    postcode: address?.postcode.trim().slice(0, 20) ?? '',
  }
  const anything = input.email || phones.length || ((input.firstName || input.lastName) && input.postcode)
  return anything ? input : null
}
