import type { CustomerInput } from '../../../preload/contract'
import { looksLikePhone } from '../../../preload/contract/text'
import { useUiStore } from '../stores/ui'

/**
 * Opens the New customer form prefilled with what was typed in the search: a
 * phone number (as given, or its international form), an email, or a name.
 */
export function useNewCustomerFromSearch(): (typed: string, phone?: string | null) => void {
  const ui = useUiStore()
  return (typed, phone) => {
    const text = typed.trim()
    const prefill: Partial<CustomerInput> = {}
    if (phone || looksLikePhone(text)) prefill.phones = [{ label: 'mobile', number: phone ?? text, isPrimary: true }]
    else if (text.includes('@')) prefill.email = text
    else if (text && !/^c-?\d+$/i.test(text)) {
      const [first, ...rest] = text.split(/\s+/)
      prefill.firstName = first
      prefill.lastName = rest.join(' ')
    }
    ui.openNewCustomer(prefill)
  }
}
