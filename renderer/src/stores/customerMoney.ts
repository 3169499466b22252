import { defineStore } from 'pinia'
import { ref } from 'vue'
import type {
  BookingListRow,
  BookingWarnings,
  CustomerActivity,
  CustomerInvoices,
  CustomerPlans,
  Input,
  PlanSold,
} from '../../../preload/contract'
import { invoke } from '../services/api'

export type BookingFilter = NonNullable<Input<'bookings:listForCustomer'>['filter']>
/** Bookings a page of the Bookings tab shows (more load on request). */
const BOOKINGS_PAGE = 50

export type PlanStatusChange = Input<'plans:setStatus'>['status']

/**
 * The money side of the profile open on screen: its bookings, memberships,
 * invoices and activity. Each tab loads its own part when opened; all of them
 * are dropped when another customer is opened. Figures come from the backend
 * as they are: nothing is totalled here.
 */
export const useCustomerMoneyStore = defineStore('customerMoney', () => {
  const customerId = ref<number | null>(null)

  const bookings = ref<BookingListRow[]>([])
  /** Where the next page of the Bookings tab starts; null when every booking is shown. */
  const bookingsNext = ref<string | null>(null)
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
    bookingsNext.value = null
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

  /**
   * Loads the Bookings tab's first page, or (more) the page after those shown;
   * a slower answer to an older filter is dropped.
   */
  async function loadBookings(filter: BookingFilter = bookingsFilter.value, more = false): Promise<void> {
    const seq = ++bookingsSeq
    const forCustomer = id()
    bookingsFilter.value = filter
    bookingsLoading.value = true
    try {
      const after = more ? bookingsNext.value : null
      const page = await invoke('bookings:listForCustomer', { customerId: forCustomer, filter, limit: BOOKINGS_PAGE, after })
      if (seq !== bookingsSeq || forCustomer !== customerId.value) return
      bookings.value = more ? [...bookings.value, ...page.rows] : page.rows
      bookingsNext.value = page.next
      bookingsLoaded.value = true
    } finally {
      if (seq === bookingsSeq) bookingsLoading.value = false
    }
  }

  function loadMoreBookings(): Promise<void> {
    return loadBookings(bookingsFilter.value, true)
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

  /** Sells a plan from the catalogue (with any payment taken); throws `ApiFailure` with field errors. */
  async function sellPlan(input: Input<'plans:sell'>): Promise<PlanSold> {
    const sold = await invoke('plans:sell', input)
    if (input.customerId === customerId.value) plans.value = sold.plans
    return sold
  }

  /** Takes a payment on a plan's order still owed (a failed collection, a sale left owing); the plans are read again. */
  async function payPlanOrder(input: Input<'bookings:addPayment'>): Promise<void> {
    await invoke('bookings:addPayment', input)
    await loadPlans()
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
    bookingsNext,
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
    loadMoreBookings,
    loadPlans,
    sellPlan,
    payPlanOrder,
    setPlanStatus,
    loadInvoices,
    loadActivity,
    loadWarnings,
  }
})
