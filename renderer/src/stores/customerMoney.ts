import { defineStore } from 'pinia'
import { ref } from 'vue'
import type {
  BookingRow,
  BookingWarnings,
  CustomerActivity,
  CustomerInvoices,
  CustomerPlans,
  Input,
} from '../../../preload/contract'
import { invoke } from '../services/api'

export type BookingFilter = NonNullable<Input<'bookings:listForCustomer'>['filter']>
export type PlanStatusChange = Input<'plans:setStatus'>['status']

/**
 * The money side of the profile open on screen: its bookings, memberships,
 * invoices and activity. Each tab loads its own part when opened; all of them
 * are dropped when another customer is opened. Figures come from the backend
 * as they are: nothing is totalled here.
 */
export const useCustomerMoneyStore = defineStore('customerMoney', () => {
  const customerId = ref<number | null>(null)

  const bookings = ref<BookingRow[]>([])
  const bookingsFilter = ref<BookingFilter>('all')
  const bookingsLoading = ref(false)
  /** True once a list of bookings has arrived (tells "loading" from "none"). */
  const bookingsLoaded = ref(false)

  const plans = ref<CustomerPlans | null>(null)
  const plansLoading = ref(false)

  const invoices = ref<CustomerInvoices | null>(null)
  const invoicesLoading = ref(false)

  const activity = ref<CustomerActivity | null>(null)
  const activityLoading = ref(false)

  let bookingsSeq = 0

  /** Points the store at a customer; forgets the previous one's figures. */
  function open(id: number) {
    if (customerId.value === id) return
    customerId.value = id
    bookings.value = []
    bookingsFilter.value = 'all'
    bookingsLoaded.value = false
    plans.value = null
    invoices.value = null
    activity.value = null
  }

  function id(): number {
    if (customerId.value === null) throw new Error('No customer is open.')
    return customerId.value
  }

  /** Loads the Bookings tab; a slower answer to an older filter is dropped. */
  async function loadBookings(filter: BookingFilter = bookingsFilter.value): Promise<void> {
    const seq = ++bookingsSeq
    const forCustomer = id()
    bookingsFilter.value = filter
    bookingsLoading.value = true
    try {
      const rows = await invoke('bookings:listForCustomer', { customerId: forCustomer, filter })
      if (seq !== bookingsSeq || forCustomer !== customerId.value) return
      bookings.value = rows
      bookingsLoaded.value = true
    } finally {
      if (seq === bookingsSeq) bookingsLoading.value = false
    }
  }

  async function loadPlans(): Promise<void> {
    const forCustomer = id()
    plansLoading.value = true
    try {
      const result = await invoke('plans:list', { customerId: forCustomer })
      if (forCustomer === customerId.value) plans.value = result
    } finally {
      plansLoading.value = false
    }
  }

  /** Sells a membership, pass or subscription; throws `ApiFailure` with field errors. */
  async function sellPlan(input: Input<'plans:sell'>): Promise<void> {
    plans.value = await invoke('plans:sell', input)
  }

  async function setPlanStatus(planId: number, status: PlanStatusChange): Promise<void> {
    plans.value = await invoke('plans:setStatus', { id: planId, status })
  }

  async function loadInvoices(): Promise<void> {
    const forCustomer = id()
    invoicesLoading.value = true
    try {
      const result = await invoke('customers:invoices', { customerId: forCustomer })
      if (forCustomer === customerId.value) invoices.value = result
    } finally {
      invoicesLoading.value = false
    }
  }

  async function loadActivity(): Promise<void> {
    const forCustomer = id()
    activityLoading.value = true
    try {
      const result = await invoke('customers:activity', { customerId: forCustomer, months: 12 })
      if (forCustomer === customerId.value) activity.value = result
    } finally {
      activityLoading.value = false
    }
  }

  /** Future and unpaid bookings, shown before archiving or deleting the customer. */
  function loadWarnings(): Promise<BookingWarnings> {
    return invoke('bookings:warnings', { customerId: id() })
  }

  return {
    customerId,
    bookings,
    bookingsFilter,
    bookingsLoading,
    bookingsLoaded,
    plans,
    plansLoading,
    invoices,
    invoicesLoading,
    activity,
    activityLoading,
    open,
    loadBookings,
    loadPlans,
    sellPlan,
    setPlanStatus,
    loadInvoices,
    loadActivity,
    loadWarnings,
  }
})
