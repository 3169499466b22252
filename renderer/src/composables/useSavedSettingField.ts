import { computed, ref, watch, type Ref } from 'vue'

/**
 * A text field for one saved setting: it shows the saved value as it arrives or changes, but
 * never over what someone has begun typing, and says whether the text differs from what is saved.
 */
export function useSavedSettingField(saved: Ref<number | string | null>) {
  const text = ref('')
  watch(
    saved,
    (now, before) => {
      const typed = text.value.trim()
      if (now !== null && (typed === '' || typed === String(before ?? ''))) text.value = String(now)
    },
    { immediate: true },
  )
  const dirty = computed(() => saved.value !== null && text.value.trim() !== String(saved.value))
  return { text, dirty }
}
