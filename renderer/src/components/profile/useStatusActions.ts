import { computed, ref, type Ref } from 'vue'
import type { BookingWarnings } from '../../../../preload/contract'
import { useCustomerStore } from '../../stores/customer'
import { useCustomerMoneyStore } from '../../stores/customerMoney'
import { useUiStore, type ConfirmRequest } from '../../stores/ui'
import { useRecycleBinDays } from './recycleBin'
import { useSave } from '../../composables/useSave'

/** The dialog that asks with the customer's open bookings in view (ConfirmWithBookings.vue). */
export interface BookingsConfirm {
  ask(request: ConfirmRequest, loadWarnings: () => Promise<BookingWarnings>): Promise<boolean>
}

/**
 * Archive, block, delete and their undos, with their confirmations. Archive
 * and delete show the customer's future and unpaid bookings before the desk
 * confirms. `afterChange` runs after each action that worked.
 */
export function useStatusActions(options: {
  confirmWithBookings: Ref<BookingsConfirm | null>
  /** Unsaved edits are dropped when the customer moves to the recycle bin or comes back. */
  resetDraft: () => void
  afterChange: () => void
}) {
  const store = useCustomerStore()
  const money = useCustomerMoneyStore()
  const ui = useUiStore()
  const recycleBinDays = useRecycleBinDays()
  const acting = ref(false)
  const blockOpen = ref(false)
  /** A refused block (e.g. no reason given) is said under the reason. */
  const blockRefusal = useSave({ place: () => undefined, fallbackField: 'reason' })
  const blockError = computed(() => blockRefusal.errors.value['reason'] ?? '')

  const name = () => store.customer?.displayName ?? 'this customer'
  const Name = () => store.customer?.displayName ?? 'Customer'

  async function runAction(action: () => Promise<unknown>, message: string) {
    acting.value = true
    try {
      await action()
      ui.notify(message)
      options.afterChange()
      return true
    } catch (failure) {
      ui.notifyError(failure)
      return false
    } finally {
      acting.value = false
    }
  }

  function confirmWithOpenBookings(request: ConfirmRequest): Promise<boolean> {
    const dialog = options.confirmWithBookings.value
    return dialog ? dialog.ask(request, money.loadWarnings) : ui.confirm(request)
  }

  async function archive() {
    const who = name()
    const ok = await confirmWithOpenBookings({
      title: `Archive ${who}?`,
      text: 'Archived customers are hidden from the active list. All their details are kept and you can unarchive them at any time.',
      confirmText: 'Archive',
      destructive: true,
    })
    if (ok) await runAction(store.archive, `${who} archived`)
  }

  async function unarchive() {
    await runAction(store.unarchive, `${Name()} is active again`)
  }

  async function block(reason: string) {
    blockRefusal.clear()
    acting.value = true
    try {
      await store.block(reason)
      blockOpen.value = false
      ui.notify(`${Name()} blocked`)
      options.afterChange()
    } catch (failure) {
      blockRefusal.showFailure(failure)
    } finally {
      acting.value = false
    }
  }

  async function unblock() {
    const who = name()
    const ok = await ui.confirm({ title: `Unblock ${who}?`, text: 'They can be booked again.', confirmText: 'Unblock' })
    if (ok) await runAction(store.unblock, `${who} unblocked`)
  }

  async function remove() {
    const who = name()
    const ok = await confirmWithOpenBookings({
      title: `Delete ${who}?`,
      text: `${who} moves to the recycle bin for ${recycleBinDays.value} days, then is removed for good. Bookings are kept. Until then you can restore them from their profile or the recycle bin.`,
      confirmText: 'Move to recycle bin',
      destructive: true,
    })
    if (!ok) return
    options.resetDraft()
    await runAction(store.remove, `${who} moved to the recycle bin`)
  }

  async function restore() {
    await runAction(store.restore, `${Name()} restored`)
    options.resetDraft()
  }

  return { acting, blockOpen, blockError, archive, unarchive, block, unblock, remove, restore }
}
