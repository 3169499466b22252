import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import type {
  BookingCustomer,
  BookingDetail,
  BookingQuote,
  CallerMatch,
  CreateBookingResult,
  CustomerDetail,
  FieldConflict,
  Input,
  Pass,
  TransferQuote,
  TransferResult,
} from '../../../preload/contract'
import { invoke } from '../services/api'
import { changedMeanwhileOf } from '../composables/changedMeanwhile'
import { draftFrom, inputFrom } from './customer'

/** The contact details the booking screen can change on the customer record. */
export interface ContactChanges {
  firstName: string
  lastName: string
  email: string
  /** The primary phone; empty removes it. */
  phone: string
}

/** Who a new booking is for: a customer already on file, or a caller to find or create by email/phone. */
export type BookingFor =
  | { kind: 'existing'; customer: BookingCustomer }
  | { kind: 'caller'; firstName: string; lastName: string; email: string; phone: string; newCustomer?: boolean; confirmErased?: boolean }

/** This desk's action on a booking another desk changed since it was loaded: shown to choose, nothing of it written. */
export interface BookingConflict {
  message: string
  /** The booking as this desk had it when it acted. */
  before: BookingDetail
  /** The booking now (also what the screen shows). */
  current: BookingDetail
  /** Each field the action sets: the value now (theirs) beside this desk's, with who changed it last. */
  fields: FieldConflict[]
  /** The action in the desk's words, e.g. "Mark no-show". */
  action: string
  /** Takes the action again on the booking as it is now. */
  apply: () => Promise<unknown>
}

/** A customer's record in the shape a booking shows it (current details, never a copy). */
export function bookingCustomerOf(customer: CustomerDetail): BookingCustomer {
  const phone = customer.phones.find((p) => p.isPrimary) ?? customer.phones[0]
  return {
    id: customer.id,
    number: customer.number,
    displayName: customer.displayName,
    email: customer.email,
    phone: phone?.number ?? '',
    status: customer.status === 'deleted' ? 'archived' : customer.status,
  }
}

/**
 * The booking open on the Booking page and the desk's actions on it: status
 * changes, payments and refunds, transfers, and editing the customer's
 * contact details (which changes the customer record, so every booking shows
 * it). Making a booking and finding the caller go through here too.
 */
export const useBookingStore = defineStore('booking', () => {
  const booking = ref<BookingDetail | null>(null)
  const loading = ref(false)

  async function load(id: number): Promise<BookingDetail> {
    loading.value = true
    try {
      booking.value = await invoke('bookings:get', { id })
      if (conflict.value && conflict.value.current.id !== id) conflict.value = null
      return booking.value
    } finally {
      loading.value = false
    }
  }

  function current(): BookingDetail {
    if (!booking.value) throw new Error('No booking is open.')
    return booking.value
  }

  /** Set while an action met another desk's change: the booking page shows it to choose. */
  const conflict = ref<BookingConflict | null>(null)

  /**
   * The open booking's copies shown lately, by version: an action taken in a
   * dialog opened before a refresh names the older version, and what changed
   * since is told against the copy the person saw.
   */
  const seen = new Map<number, BookingDetail>()
  watch(booking, (shown) => {
    if (!shown) return
    const [first] = seen.values()
    if (first && first.id !== shown.id) seen.clear()
    seen.set(shown.version, shown)
    if (seen.size > 20) seen.delete(seen.keys().next().value!)
  })

  /**
   * Takes an action naming the booking's version it was taken on (default: the
   * version shown). Refused because another desk changed the booking meanwhile,
   * the booking now is shown and the refusal kept in `conflict`, then it throws as any failure.
   */
  async function checked<T>(action: string, version: number | undefined, send: (version: number) => Promise<T>): Promise<T> {
    const shown = current()
    const loaded = (version !== undefined ? seen.get(version) : undefined) ?? shown
    try {
      const done = await send(version ?? shown.version)
      conflict.value = null
      return done
    } catch (failure) {
      const meanwhile = changedMeanwhileOf(failure)
      if (meanwhile) {
        const now = meanwhile.current as BookingDetail
        booking.value = now
        conflict.value = {
          message: failure instanceof Error ? failure.message : '',
          before: conflict.value?.before ?? loaded,
          current: now,
          fields: meanwhile.fields,
          action,
          apply: () => checked(action, meanwhile.version, send),
        }
      }
      throw failure
    }
  }

  /** Leaves the booking as the other desk made it: this desk's action is dropped. */
  function keepTheirs() {
    conflict.value = null
  }

  /** Customers whose email or phone is what the caller gave. */
  function findCaller(query: string): Promise<CallerMatch> {
    return invoke('bookings:findCaller', { query })
  }

  async function create(input: Input<'bookings:create'>): Promise<CreateBookingResult> {
    const result = await invoke('bookings:create', input)
    booking.value = result.booking
    return result
  }

  /** The lines as they would be charged to this customer (null: a new caller): tax per rate and total. */
  function quote(input: Input<'bookings:quote'>): Promise<BookingQuote> {
    return invoke('bookings:quote', input)
  }

  const STATUS_ACTIONS: Record<Input<'bookings:setStatus'>['status'], string> = {
    confirmed: 'Confirm',
    cancelled: 'Cancel',
    completed: 'Mark completed',
    no_show: 'Mark no-show',
  }

  /** `version`: the booking's version the person acted on (a dialog opened before a refresh), default the one shown. */
  function setStatus(status: Input<'bookings:setStatus'>['status'], reason = '', version?: number): Promise<BookingDetail> {
    const id = current().id
    return checked(STATUS_ACTIONS[status], version, async (v) => (booking.value = await invoke('bookings:setStatus', { id, status, reason, version: v })))
  }

  /** Gives the booking to someone to do (null: no one); they see it in their own bookings. */
  function assign(staffId: number | null): Promise<BookingDetail> {
    const id = current().id
    return checked('Assign', undefined, async (v) => (booking.value = await invoke('bookings:assign', { id, staffId, version: v })))
  }

  async function addPayment(input: Omit<Input<'bookings:addPayment'>, 'bookingId'>): Promise<BookingDetail> {
    booking.value = await invoke('bookings:addPayment', { ...input, bookingId: current().id })
    return booking.value
  }

  function previewTransfer(input: Omit<Input<'bookings:previewTransfer'>, 'bookingId'>): Promise<TransferQuote> {
    return invoke('bookings:previewTransfer', { ...input, bookingId: current().id })
  }

  /** `input.version`: the booking's version the transfer was chosen on (default: the one shown). */
  function transfer(input: Omit<Input<'bookings:transfer'>, 'bookingId'>): Promise<TransferResult> {
    const bookingId = current().id
    return checked('Transfer', input.version, async (version) => {
      const result = await invoke('bookings:transfer', { ...input, bookingId, version })
      booking.value = result.booking
      return result
    })
  }

  /** The full customer record, for prefilling a booking or the Edit contact dialog. */
  function loadCustomer(id: number): Promise<CustomerDetail> {
    return invoke('customers:get', { id })
  }

  /**
   * Changes the customer's names, email and primary phone on the customer
   * record itself (the rest of the record is sent back unchanged), then
   * reloads the booking so it shows the new details.
   */
  async function updateContact(customerId: number, changes: ContactChanges, loaded?: CustomerDetail): Promise<CustomerDetail> {
    const current = await loadCustomer(customerId)
    // Another desk's change elsewhere on the record is kept as it is now; a change to these very details since
    // `loaded` was read is not written over: the save names that older version and is refused with what changed.
    const version = loaded && contactOf(loaded) !== contactOf(current) ? loaded.version : current.version
    const draft = draftFrom(current)
    draft.firstName = changes.firstName
    draft.lastName = changes.lastName
    draft.email = changes.email
    const phone = changes.phone.trim()
    const primary = draft.phones.findIndex((p) => p.isPrimary)
    const index = primary >= 0 ? primary : draft.phones.length > 0 ? 0 : -1
    if (index >= 0 && phone) draft.phones[index] = { ...draft.phones[index]!, number: phone, isPrimary: true }
    else if (index >= 0) draft.phones.splice(index, 1)
    else if (phone) draft.phones.push({ label: 'mobile', number: phone, isPrimary: true })
    // The rest of the record goes back as read: another desk's save in between is refused, not overwritten.
    const updated = await invoke('customers:update', { id: customerId, customer: inputFrom(draft), version })
    if (booking.value) await load(booking.value.id)
    return updated
  }

  /** The details Edit contact shows, to tell whether another desk changed them. */
  function contactOf(customer: CustomerDetail): string {
    const phone = customer.phones.find((p) => p.isPrimary) ?? customer.phones[0]
    return JSON.stringify([customer.firstName, customer.lastName, customer.email, phone?.number ?? ''])
  }

  /** Adds an address to the customer's record for a home service (their default for services when they had none). */
  async function addServiceAddress(customerId: number, address: { line1: string; city: string; postcode: string }): Promise<CustomerDetail> {
    const current = await loadCustomer(customerId)
    const draft = draftFrom(current)
    draft.addresses.push({
      label: 'home',
      line1: address.line1.trim(),
      line2: '',
      city: address.city.trim(),
      region: '',
      postcode: address.postcode.trim(),
      country: '',
      isDefaultLetters: draft.addresses.length === 0,
      isDefaultService: !draft.addresses.some((a) => a.isDefaultService),
    })
    return invoke('customers:update', { id: customerId, customer: inputFrom(draft), version: current.version })
  }

  /** The customer's passes that still have credits to book with. */
  async function usablePasses(customerId: number): Promise<Pass[]> {
    const plans = await invoke('plans:list', { customerId })
    return plans.passes.filter((pass) => pass.status === 'active' && pass.creditsLeft > 0)
  }

  /** Bumped to ask the New booking screen to start again (Ctrl+B, the menu, the nav). */
  const newBookingTick = ref(0)

  function requestNewBooking() {
    newBookingTick.value++
  }

  return {
    booking,
    conflict,
    keepTheirs,
    newBookingTick,
    requestNewBooking,
    loading,
    load,
    findCaller,
    create,
    quote,
    setStatus,
    assign,
    addPayment,
    previewTransfer,
    transfer,
    loadCustomer,
    updateContact,
    addServiceAddress,
    usablePasses,
  }
})
