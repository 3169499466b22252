import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ChangeEntry, CustomerDetail, CustomerInput } from '../../../preload/contract'
import { invoke } from '../services/api'

/** Editable copy of a customer: what the form binds to. */
export type CustomerDraft = Required<
  Pick<CustomerInput, 'firstName' | 'lastName' | 'displayName' | 'company' | 'email' | 'source'>
> & {
  phones: Array<{ id?: number; label: 'mobile' | 'home' | 'work' | 'other'; number: string; isPrimary: boolean }>
  addresses: Array<{
    id?: number
    label: 'home' | 'billing' | 'service' | 'work' | 'other'
    line1: string
    line2: string
    city: string
    region: string
    postcode: string
    country: string
    isDefaultLetters: boolean
    isDefaultService: boolean
  }>
}

export function emptyDraft(prefill: Partial<CustomerInput> = {}): CustomerDraft {
  return {
    firstName: prefill.firstName ?? '',
    lastName: prefill.lastName ?? '',
    displayName: prefill.displayName ?? '',
    company: prefill.company ?? '',
    email: prefill.email ?? '',
    source: prefill.source ?? 'desk',
    phones: (prefill.phones ?? []).map((phone, index) => ({
      label: phone.label ?? 'mobile',
      number: phone.number,
      isPrimary: phone.isPrimary ?? index === 0,
    })),
    addresses: [],
  }
}

/** The draft for an existing customer, as the Details tab edits it. */
export function draftFrom(customer: CustomerDetail): CustomerDraft {
  return {
    firstName: customer.firstName,
    lastName: customer.lastName,
    displayName: customer.displayNameIsCustom ? customer.displayName : '',
    company: customer.company,
    email: customer.email,
    source: customer.source,
    phones: customer.phones.map((phone) => ({
      id: phone.id,
      label: phone.label,
      number: phone.number,
      isPrimary: phone.isPrimary,
    })),
    addresses: customer.addresses.map((address) => ({
      id: address.id,
      label: address.label,
      line1: address.line1,
      line2: address.line2,
      city: address.city,
      region: address.region,
      postcode: address.postcode,
      country: address.country,
      isDefaultLetters: address.isDefaultLetters,
      isDefaultService: address.isDefaultService,
    })),
  }
}

/** What is sent to the backend: blank phone rows are dropped, one primary kept. */
export function inputFrom(draft: CustomerDraft): CustomerInput {
  const phones = draft.phones.filter((phone) => phone.number.trim() !== '' || phone.id !== undefined)
  if (phones.length > 0 && !phones.some((phone) => phone.isPrimary)) phones[0] = { ...phones[0]!, isPrimary: true }
  return { ...draft, phones: phones.map((phone) => ({ ...phone })), addresses: draft.addresses.map((a) => ({ ...a })) }
}

/**
 * The customer open in the profile: the record, its change log, and the
 * actions taken on it. Status actions return the updated record, which
 * replaces the one on screen.
 */
export const useCustomerStore = defineStore('customer', () => {
  const customer = ref<CustomerDetail | null>(null)
  const changes = ref<ChangeEntry[]>([])
  const loading = ref(false)
  const changesLoading = ref(false)

  async function load(id: number): Promise<CustomerDetail> {
    loading.value = true
    try {
      if (customer.value?.id !== id) {
        customer.value = null
        changes.value = []
      }
      customer.value = await invoke('customers:get', { id })
      return customer.value
    } finally {
      loading.value = false
    }
  }

  async function loadChanges(): Promise<void> {
    if (!customer.value) return
    changesLoading.value = true
    try {
      changes.value = await invoke('customers:changes', { id: customer.value.id })
    } finally {
      changesLoading.value = false
    }
  }

  /** Creates a customer; throws `ApiFailure` (field errors or an email conflict). */
  async function create(draft: CustomerDraft): Promise<CustomerDetail> {
    const created = await invoke('customers:create', inputFrom(draft))
    customer.value = created
    changes.value = []
    return created
  }

  async function save(draft: CustomerDraft): Promise<CustomerDetail> {
    if (!customer.value) throw new Error('No customer is open.')
    customer.value = await invoke('customers:update', { id: customer.value.id, customer: inputFrom(draft) })
    return customer.value
  }

  async function archive() {
    customer.value = await invoke('customers:archive', { id: customer.value!.id })
  }

  async function unarchive() {
    customer.value = await invoke('customers:unarchive', { id: customer.value!.id })
  }

  async function block(reason: string) {
    customer.value = await invoke('customers:block', { id: customer.value!.id, reason })
  }

  async function unblock() {
    customer.value = await invoke('customers:unblock', { id: customer.value!.id })
  }

  return { customer, changes, loading, changesLoading, load, loadChanges, create, save, archive, unarchive, block, unblock }
})
