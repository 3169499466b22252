import { nextTick, ref } from 'vue'
import { refusalCodes, useSave } from './useSave'
import { pinProblem } from './secretRules'

/** A password or PIN as it is sent to main: one or the other. */
export type Secret = { pin: string } | { password: string }

/**
 * The one box of the sign-in and unlock screens: a password or, for someone
 * who has one, a PIN; main's whole sentence (a wrong password, or how long to
 * wait after too many tries) goes under it, and a refused try empties it for
 * the next.
 */
export function useSecretEntry(startWithPin: boolean) {
  const usePin = ref(startWithPin)
  const secret = ref('')
  const secretField = ref<{ focus: () => void } | null>(null)
  const { saving, errors, run, clear } = useSave({
    codes: refusalCodes,
    onRefusal: (failure) => {
      errors.value = { secret: failure.message }
      return true
    },
  })

  function focus() {
    void nextTick(() => secretField.value?.focus())
  }

  /** Starts again, with the PIN or the password. */
  function reset(pin: boolean) {
    usePin.value = pin
    secret.value = ''
    clear()
  }

  function togglePin() {
    reset(!usePin.value)
    focus()
  }

  /** Checks what was typed, then sends it. */
  async function submit(send: (secret: Secret) => Promise<unknown>) {
    const problem = !secret.value ? (usePin.value ? 'Enter your PIN.' : 'Enter your password.') : usePin.value ? pinProblem(secret.value) : ''
    if (problem) {
      errors.value = { secret: problem }
      return
    }
    const ok = await run(() => send(usePin.value ? { pin: secret.value } : { password: secret.value }))
    if (!ok) {
      secret.value = ''
      focus()
    }
  }

  return { usePin, secret, secretField, saving, errors, clear, focus, reset, togglePin, submit }
}
