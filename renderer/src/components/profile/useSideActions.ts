import { ref } from 'vue'
import type { TagRef } from '../../../../preload/contract'
import { useCustomerStore } from '../../stores/customer'
import { useUiStore } from '../../stores/ui'

const MAX_PHOTO_BYTES = 10 * 1024 * 1024

/**
 * The profile's quick actions beside the record: photo, tags, groups and the
 * copy buttons. Each tells the desk how it went in the snackbar.
 */
export function useSideActions() {
  const store = useCustomerStore()
  const ui = useUiStore()
  const photoBusy = ref(false)

  async function changePhoto(file: File) {
    if (!file.type.startsWith('image/')) {
      ui.notify('Choose an image file (JPEG, PNG, WebP or GIF).', 'error')
      return
    }
    if (file.size > MAX_PHOTO_BYTES) {
      ui.notify('Choose an image of at most 10 MB.', 'error')
      return
    }
    photoBusy.value = true
    try {
      await store.setPhoto(new Uint8Array(await file.arrayBuffer()))
      ui.notify('Photo saved')
    } catch (failure) {
      ui.notifyError(failure)
    } finally {
      photoBusy.value = false
    }
  }

  async function removePhoto() {
    photoBusy.value = true
    try {
      await store.removePhoto()
      ui.notify('Photo removed')
    } catch (failure) {
      ui.notifyError(failure)
    } finally {
      photoBusy.value = false
    }
  }

  async function addTag(name: string) {
    try {
      await store.addTag(name)
      ui.notify(`Tagged “${name}”`)
    } catch (failure) {
      ui.notifyError(failure)
    }
  }

  async function removeTag(tag: TagRef) {
    try {
      await store.removeTag(tag.id)
      ui.notify(`Tag “${tag.name}” removed`)
    } catch (failure) {
      ui.notifyError(failure)
    }
  }

  async function addToGroup(groupId: number) {
    try {
      await store.addToGroup(groupId)
      const group = store.customer?.groups.find((g) => g.id === groupId)
      ui.notify(group ? `Added to ${group.name}` : 'Added to the group')
    } catch (failure) {
      ui.notifyError(failure)
    }
  }

  async function removeFromGroup(groupId: number) {
    const group = store.customer?.groups.find((g) => g.id === groupId)
    try {
      await store.removeFromGroup(groupId)
      ui.notify(group ? `Removed from ${group.name}` : 'Removed from the group')
    } catch (failure) {
      ui.notifyError(failure)
    }
  }

  async function copy(value: string, what: string) {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard')
      await navigator.clipboard.writeText(value)
      ui.notify(`${what} copied`, 'info')
    } catch {
      ui.notify(`Could not copy the ${what.toLowerCase()}. Select it and copy it by hand.`, 'info')
    }
  }

  return { photoBusy, changePhoto, removePhoto, addTag, removeTag, addToGroup, removeFromGroup, copy }
}
