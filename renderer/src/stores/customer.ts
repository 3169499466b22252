import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type {
  ChangeEntry,
  ConsentEvent,
  CustomerDetail,
  CustomerExtras,
  CustomerInput,
  CustomerListRow,
  CustomerSummary,
  CustomFieldDefinition,
  Input,
  RecycledCustomer,
  changeKinds,
} from '../../../preload/contract'
import { invoke } from '../services/api'

export type ChangeKind = (typeof changeKinds)[number]

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
  const changesKind = ref<ChangeKind>('all')
  /** Everything beyond the contact record (preferences, tax, cards…). */
  const extras = ref<CustomerExtras | null>(null)
  const summary = ref<CustomerSummary | null>(null)
  const consent = ref<ConsentEvent[]>([])
  const customFields = ref<CustomFieldDefinition[]>([])
  /** Object URL of the photo thumbnail, or null. */
  const photoUrl = ref<string | null>(null)
  /** Set when the customer was just moved to the recycle bin on this screen. */
  const recycled = ref<RecycledCustomer | null>(null)

  const inRecycleBin = computed(() => customer.value?.status === 'deleted' || (recycled.value !== null && customer.value?.id === recycled.value.id))

  function id(): number {
    if (!customer.value) throw new Error('No customer is open.')
    return customer.value.id
  }

  function setPhotoUrl(url: string | null) {
    if (photoUrl.value) URL.revokeObjectURL(photoUrl.value)
    photoUrl.value = url
  }

  async function load(id: number): Promise<CustomerDetail> {
    loading.value = true
    try {
      if (customer.value?.id !== id) {
        customer.value = null
        changes.value = []
        extras.value = null
        summary.value = null
        consent.value = []
        recycled.value = null
        setPhotoUrl(null)
      }
      customer.value = await invoke('customers:get', { id })
      return customer.value
    } finally {
      loading.value = false
    }
  }

  /** The profile's side data; each part loads on its own so one failure does not blank the page. */
  async function loadExtras(): Promise<void> {
    const previous = extras.value?.hasPhoto
    extras.value = await invoke('customers:extras', { id: id() })
    if (extras.value.hasPhoto && (previous !== true || !photoUrl.value)) await loadPhoto()
    else if (!extras.value.hasPhoto) setPhotoUrl(null)
  }

  async function loadSummary(): Promise<void> {
    if (!customer.value) return
    summary.value = await invoke('customers:summary', { id: customer.value.id })
  }

  async function loadConsent(): Promise<void> {
    consent.value = await invoke('customers:consentHistory', { id: id() })
  }

  async function loadCustomFields(): Promise<void> {
    customFields.value = await invoke('customFields:list', undefined)
  }

  async function loadPhoto(): Promise<void> {
    const photo = await invoke('customers:photo', { id: id() })
    if (!photo) return setPhotoUrl(null)
    setPhotoUrl(URL.createObjectURL(new Blob([Uint8Array.from(photo.bytes)], { type: photo.mime })))
  }

  async function loadChanges(kind: ChangeKind = changesKind.value): Promise<void> {
    if (!customer.value) return
    changesKind.value = kind
    changesLoading.value = true
    try {
      changes.value = await invoke('customers:changes', { id: customer.value.id, kind })
    } finally {
      changesLoading.value = false
    }
  }

  /** Customers matching a search, best first, for pickers (household payer, referrer). */
  async function findCustomers(search: string, limit: number): Promise<CustomerListRow[]> {
    return (await invoke('customers:list', { search: search.trim(), pageSize: limit })).rows
  }

  /** Creates a customer (and their brochure request, when asked for); throws `ApiFailure` (field errors or an email conflict). */
  async function create(draft: CustomerDraft, options: { requestBrochure?: boolean; confirmErased?: boolean } = {}): Promise<CustomerDetail> {
    const created = await invoke('customers:create', { ...inputFrom(draft), requestBrochure: options.requestBrochure ?? false, confirmErased: options.confirmErased ?? false })
    customer.value = created
    changes.value = []
    return created
  }

  /**
   * `confirmErased`: the desk ticked that a contact of someone erased is meant (otherwise refused).
   * `version`: the record's version the draft was made from; saved meanwhile on another desk, the save is refused (CONFLICT with `changedMeanwhile`).
   */
  async function save(draft: CustomerDraft, options: { confirmErased?: boolean; version?: number } = {}): Promise<CustomerDetail> {
    customer.value = await invoke('customers:update', {
      id: id(),
      customer: inputFrom(draft),
      confirmErased: options.confirmErased ?? false,
      ...(options.version === undefined ? {} : { version: options.version }),
    })
    return customer.value
  }

  /** Reads the open record again (changed on another desk), keeping everything else on screen. */
  async function reloadRecord(): Promise<CustomerDetail | null> {
    if (!customer.value) return null
    const openId = customer.value.id
    const fresh = await invoke('customers:get', { id: openId })
    if (customer.value?.id !== openId) return null
    customer.value = fresh
    return fresh
  }

  async function archive() {
    customer.value = await invoke('customers:archive', { id: id() })
  }

  async function unarchive() {
    customer.value = await invoke('customers:unarchive', { id: id() })
  }

  async function block(reason: string) {
    customer.value = await invoke('customers:block', { id: id(), reason })
  }

  async function unblock() {
    customer.value = await invoke('customers:unblock', { id: id() })
  }

  /** Moves the customer to the recycle bin; the profile stays open, marked as such. */
  async function remove(): Promise<RecycledCustomer> {
    const customerId = id()
    recycled.value = await invoke('customers:delete', { id: customerId })
    try {
      customer.value = await invoke('customers:get', { id: customerId })
    } catch {
      // Some back ends hide binned records from customers:get: keep what is on screen.
    }
    return recycled.value
  }

  async function restore() {
    customer.value = await invoke('recycleBin:restore', { id: id() })
    recycled.value = null
  }

  /* ── Extras: each setter returns the new extras ── */
  async function setPreferences(input: Omit<Input<'customers:setPreferences'>, 'id'>) {
    extras.value = await invoke('customers:setPreferences', { id: id(), ...input })
    await loadConsent().catch(() => undefined)
  }

  async function setTax(input: Omit<Input<'customers:setTax'>, 'id'>) {
    extras.value = await invoke('customers:setTax', { id: id(), ...input })
  }

  async function setReferral(input: Omit<Input<'customers:setReferral'>, 'id'>) {
    extras.value = await invoke('customers:setReferral', { id: id(), ...input })
  }

  async function setHousehold(payerId: number | null) {
    extras.value = await invoke('customers:setHousehold', { id: id(), payerId })
  }

  async function setCustomFields(values: Input<'customers:setCustomFields'>['values']) {
    extras.value = await invoke('customers:setCustomFields', { id: id(), values })
  }

  async function setPhoto(image: Uint8Array<ArrayBuffer>) {
    extras.value = await invoke('customers:setPhoto', { id: id(), image })
    await loadPhoto()
  }

  async function removePhoto() {
    extras.value = await invoke('customers:removePhoto', { id: id() })
    setPhotoUrl(null)
  }

  async function addPaymentMethod(input: Omit<Input<'paymentMethods:add'>, 'customerId'>) {
    extras.value = await invoke('paymentMethods:add', { customerId: id(), ...input })
  }

  async function removePaymentMethod(methodId: number) {
    extras.value = await invoke('paymentMethods:remove', { id: methodId })
  }

  async function setDefaultPaymentMethod(methodId: number) {
    extras.value = await invoke('paymentMethods:setDefault', { id: methodId })
  }

  /* ── Tags and groups: the record keeps the lists shown in the sidebar ── */
  async function addTag(name: string) {
    const tags = await invoke('customers:addTag', { customerId: id(), name })
    if (customer.value) customer.value = { ...customer.value, tags }
  }

  async function removeTag(tagId: number) {
    const tags = await invoke('customers:removeTag', { customerId: id(), tagId })
    if (customer.value) customer.value = { ...customer.value, tags }
  }

  async function addToGroup(groupId: number) {
    const groups = await invoke('customers:addToGroup', { customerId: id(), groupId })
    if (customer.value) customer.value = { ...customer.value, groups }
  }

  async function removeFromGroup(groupId: number) {
    const groups = await invoke('customers:removeFromGroup', { customerId: id(), groupId })
    if (customer.value) customer.value = { ...customer.value, groups }
  }

  return {
    findCustomers,
    customer,
    changes,
    loading,
    changesLoading,
    changesKind,
    extras,
    summary,
    consent,
    customFields,
    photoUrl,
    recycled,
    inRecycleBin,
    load,
    loadExtras,
    loadSummary,
    loadConsent,
    loadCustomFields,
    loadPhoto,
    loadChanges,
    create,
    save,
    reloadRecord,
    archive,
    unarchive,
    block,
    unblock,
    remove,
    restore,
    setPreferences,
    setTax,
    setReferral,
    setHousehold,
    setCustomFields,
    setPhoto,
    removePhoto,
    addPaymentMethod,
    removePaymentMethod,
    setDefaultPaymentMethod,
    addTag,
    removeTag,
    addToGroup,
    removeFromGroup,
  }
})
