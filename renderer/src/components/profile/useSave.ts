import { ref } from 'vue'
import { ApiFailure } from '../../services/api'
import { useUiStore } from '../../stores/ui'

/**
 * Saving one section of the profile: a busy flag, field errors from the
 * server next to their fields (`wording`, `last4`, `values.3`), and a
 * snackbar for anything else.
 */
export function useSave(knownFields?: (path: string) => boolean) {
  const ui = useUiStore()
  const saving = ref(false)
  const errors = ref<Record<string, string>>({})

  async function run(action: () => Promise<unknown>, message: string): Promise<boolean> {
    errors.value = {}
    saving.value = true
    try {
      await action()
      ui.notify(message)
      return true
    } catch (failure) {
      const fields = failure instanceof ApiFailure && failure.code === 'VALIDATION' ? failure.fields : {}
      const shown = Object.keys(fields).filter((path) => !knownFields || knownFields(path))
      if (shown.length > 0) errors.value = Object.fromEntries(shown.map((path) => [path, fields[path]!]))
      else ui.notifyError(failure)
      return false
    } finally {
      saving.value = false
    }
  }

  return { saving, errors, run }
}
