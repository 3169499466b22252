import { ref } from 'vue'
import { errorCodes, type ApiError } from '../../../preload/contract'
import { ApiFailure } from '../services/failure'
import { useUiStore } from '../stores/ui'

/** Every refusal but an internal fault (which has nothing to say about the form). */
export const refusalCodes = errorCodes.filter((code) => code !== 'INTERNAL')

export interface SaveOptions {
  /** Refusals shown on the form; any other failure goes to a snackbar. */
  codes?: readonly ApiError['code'][]
  /** Where a server field path (`phones.0.number`) shows on this form; undefined when the form has no field for it. */
  place?: (path: string) => string | undefined
  /** The field that shows the refusal's message when no field, or not every field, took it (e.g. a duplicate name). */
  fallbackField?: string
  /** Show the message no field took in the form's own alert (`problem`) rather than a snackbar. */
  alert?: boolean
  /** Handles a refusal itself, e.g. a duplicate email offering the existing customer; true when it did. */
  onRefusal?: (failure: ApiFailure) => boolean
}

/**
 * Saving a form: a busy flag, the server's field messages next to their
 * fields, and anything no field can show in the form's alert or a snackbar,
 * so every form words and places a refusal the same way.
 */
export function useSave(options: SaveOptions = {}) {
  const ui = useUiStore()
  const codes = options.codes ?? ['VALIDATION']
  const saving = ref(false)
  const errors = ref<Record<string, string>>({})
  /** The form's alert: a refusal no field could show (only with `alert`). */
  const problem = ref('')

  function clear() {
    errors.value = {}
    problem.value = ''
  }

  /** Shows a failed save on the form: field messages where they belong, the rest in the alert or a snackbar. */
  function showFailure(failure: unknown): void {
    clear()
    if (failure instanceof ApiFailure && options.onRefusal?.(failure)) return
    if (!(failure instanceof ApiFailure) || !codes.includes(failure.code)) {
      ui.notifyError(failure)
      return
    }
    const placed: Record<string, string> = {}
    let unplaced = false
    for (const [path, message] of Object.entries(failure.fields)) {
      const field = options.place ? options.place(path) : path
      if (field === undefined) unplaced = true
      else placed[field] = message
    }
    const missed = unplaced || Object.keys(placed).length === 0
    if (missed && options.fallbackField) placed[options.fallbackField] ??= failure.message
    errors.value = placed
    if (!missed || options.fallbackField) return
    if (options.alert) problem.value = failure.message
    else if (Object.keys(placed).length === 0) ui.notifyError(failure)
  }

  /** Runs a save; true when it went through (then `message`, if given, shows in a snackbar). */
  async function run(action: () => Promise<unknown>, message?: string): Promise<boolean> {
    clear()
    saving.value = true
    try {
      await action()
      if (message) ui.notify(message)
      return true
    } catch (failure) {
      showFailure(failure)
      return false
    } finally {
      saving.value = false
    }
  }

  return { saving, errors, problem, clear, showFailure, run }
}
