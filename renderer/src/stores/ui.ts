import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { CustomerInput, MenuEvent } from '../../../preload/contract'
import { ApiFailure, messageOf, onMenu } from '../services/api'

export interface Notice {
  id: number
  text: string
  kind: 'success' | 'error' | 'info'
}

export interface ConfirmRequest {
  title: string
  text: string
  confirmText: string
  /** The button that backs out, when "Cancel" would read as the action itself (default "Cancel"). */
  cancelText?: string
  /** Red confirm button for actions that hide or restrict a customer. */
  destructive?: boolean
}

/**
 * Shell-wide interface state: the snackbar, the confirm dialog, the New
 * customer dialog and requests to focus the customer search. Pages and the
 * menu both reach these through here, so shortcuts work from any screen.
 */
export const useUiStore = defineStore('ui', () => {
  /** The notice currently shown in the snackbar, if any. */
  const notice = ref<Notice | null>(null)
  let noticeSeq = 0

  function notify(text: string, kind: Notice['kind'] = 'success') {
    notice.value = { id: ++noticeSeq, text, kind }
  }

  /** Shows the readable message of any failure (never a stack); a job the person cancelled is news, not an error. */
  function notifyError(error: unknown) {
    notify(messageOf(error), error instanceof ApiFailure && error.code === 'CANCELLED' ? 'info' : 'error')
  }

  /** The open confirm dialog and the promise resolver waiting on it. */
  const confirmRequest = ref<ConfirmRequest | null>(null)
  let resolveConfirm: ((answer: boolean) => void) | null = null

  /** Asks a yes/no question in a dialog; resolves `true` when confirmed. */
  function confirm(request: ConfirmRequest): Promise<boolean> {
    resolveConfirm?.(false)
    confirmRequest.value = request
    return new Promise((resolve) => {
      resolveConfirm = resolve
    })
  }

  function answerConfirm(answer: boolean) {
    confirmRequest.value = null
    const resolve = resolveConfirm
    resolveConfirm = null
    resolve?.(answer)
  }

  /** The New customer dialog: open flag and the values to prefill it with. */
  const newCustomerOpen = ref(false)
  const newCustomerPrefill = ref<Partial<CustomerInput>>({})

  function openNewCustomer(prefill: Partial<CustomerInput> = {}) {
    newCustomerPrefill.value = prefill
    newCustomerOpen.value = true
  }

  /** Bumped to ask the Customers page to focus its search box. */
  const focusSearchTick = ref(0)

  function requestSearchFocus() {
    focusSearchTick.value++
  }

  /** Runs `run` each time the app menu's command is chosen (or its shortcut pressed); returns how to stop. */
  function onMenuCommand(event: MenuEvent, run: () => void): () => void {
    return onMenu(event, run)
  }

  return {
    notice,
    notify,
    notifyError,
    onMenuCommand,
    confirmRequest,
    confirm,
    answerConfirm,
    newCustomerOpen,
    newCustomerPrefill,
    openNewCustomer,
    focusSearchTick,
    requestSearchFocus,
  }
})
