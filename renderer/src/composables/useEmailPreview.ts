import { onBeforeUnmount, ref, shallowRef, watch, type Ref } from 'vue'
import type { EmailPreview } from '../../../preload/contract'
import { messageOf } from '../services/failure'
import { useEmailTemplatesStore } from '../stores/emailTemplates'

export interface EmailPreviewSource {
  subject: Ref<string>
  body: Ref<string>
  customerId: Ref<number | null>
  kind?: Ref<'general' | 'marketing' | 'confirmation' | 'reminder' | 'account' | undefined>
  /** Show the customer's next (else latest) booking in a template about one: the template editor's preview. */
  nextBooking?: boolean
  /** Only previews while true (an editor that is open). */
  active?: Ref<boolean>
}

const DELAY_MS = 300

/**
 * A live preview of a draft email: asked again a moment after the typing
 * stops, and only the newest answer is shown, so a slow one never replaces
 * a newer one.
 */
export function useEmailPreview(source: EmailPreviewSource) {
  const store = useEmailTemplatesStore()
  const preview = shallowRef<EmailPreview | null>(null)
  const previewing = ref(false)
  const failure = ref('')
  let timer: ReturnType<typeof setTimeout> | undefined
  let seq = 0

  async function refresh() {
    const mine = ++seq
    previewing.value = true
    try {
      const made = await store.preview({
        subject: source.subject.value,
        body: source.body.value,
        customerId: source.customerId.value,
        kind: source.kind?.value,
        nextBooking: source.nextBooking,
      })
      if (mine !== seq) return
      preview.value = made
      failure.value = ''
    } catch (error) {
      if (mine === seq) failure.value = messageOf(error)
    } finally {
      if (mine === seq) previewing.value = false
    }
  }

  watch(
    () => [source.subject.value, source.body.value, source.customerId.value, source.kind?.value, source.active?.value ?? true],
    () => {
      clearTimeout(timer)
      if (source.active && !source.active.value) return
      timer = setTimeout(() => void refresh(), DELAY_MS)
    },
    { immediate: true },
  )
  onBeforeUnmount(() => clearTimeout(timer))

  /** The problem found in one part of the draft, for under its field. */
  function problemOf(field: 'subject' | 'body'): string[] {
    return (preview.value?.problems ?? []).filter((p) => p.field === field).map((p) => p.message)
  }

  return { preview, previewing, failure, refresh, problemOf }
}
