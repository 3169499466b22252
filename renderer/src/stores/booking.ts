import { defineStore } from 'pinia'
import { ref } from 'vue'
import type {
  BookingCustomer,
  BookingDetail,
  BookingQuote,
  CallerMatch,
  CreateBookingResult,
  CustomerDetail,
  Input,
  Pass,
  TransferQuote,
  TransferResult,
} from '../../../preload/contract'
import { invoke } from '../services/api'
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
      return booking.value
    } finally {
      loading.value = false
    }
  }

  function current(): BookingDetail {
    if (!booking.value) throw new Error('No booking is open.')
    return booking.value
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

  async function setStatus(status: Input<'bookings:setStatus'>['status'], reason = ''): Promise<BookingDetail> {
    booking.value = await invoke('bookings:setStatus', { id: current().id, status, reason })
    return booking.value
  }

  /** Gives the booking to someone to do (null: no one); they see it in their own bookings. */
  async function assign(staffId: number | null): Promise<BookingDetail> {
    booking.value = await invoke('bookings:assign', { id: current().id, staffId })
    return booking.value
  }

  async function addPayment(input: Omit<Input<'bookings:addPayment'>, 'bookingId'>): Promise<BookingDetail> {
    booking.value = await invoke('bookings:addPayment', { ...input, bookingId: current().id })
    return booking.value
  }

  function previewTransfer(input: Omit<Input<'bookings:previewTransfer'>, 'bookingId'>): Promise<TransferQuote> {
    return invoke('bookings:previewTransfer', { ...input, bookingId: current().id })
  }

  async function transfer(input: Omit<Input<'bookings:transfer'>, 'bookingId'>): Promise<TransferResult> {
    const result = await invoke('bookings:transfer', { ...input, bookingId: current().id })
    booking.value = result.booking
    return result
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
  async function updateContact(customerId: number, changes: ContactChanges): Promise<CustomerDetail> {
    const draft = draftFrom(await loadCustomer(customerId))
    draft.firstName = changes.firstName
    draft.lastName = changes.lastName
    draft.email = changes.email
    const phone = changes.phone.trim()
    const primary = draft.phones.findIndex((p) => p.isPrimary)
    const index = primary >= 0 ? primary : draft.phones.length > 0 ? 0 : -1
    if (index >= 0 && phone) draft.phones[index] = { ...draft.phones[index]!, number: phone, isPrimary: true }
    else if (index >= 0) draft.phones.splice(index, 1)
    else if (phone) draft.phones.push({ label: 'mobile', number: phone, isPrimary: true })
    const updated = await invoke('customers:update', { id: customerId, customer: inputFrom(draft) })
    if (booking.value) await load(booking.value.id)
    return updated
  }

  /** Adds an address to the customer's record for a home service (their default for services when they had none). */
  async function addServiceAddress(customerId: number, address: { line1: string; city: string; postcode: string }): Promise<CustomerDetail> {
    const draft = draftFrom(await loadCustomer(customerId))
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
    return invoke('customers:update', { id: customerId, customer: inputFrom(draft) })
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
