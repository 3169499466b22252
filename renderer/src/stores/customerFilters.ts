import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { CustomerFilter, CustomFieldDefinition, GroupRef, SavedFilter, TagRef } from '../../../preload/contract'
import { invoke } from '../services/api'

export type ConsentFilter = CustomerFilter['marketingConsent']
/** 'yes': only customers whose bookings still owe money. */
export type OutstandingFilter = CustomerFilter['outstanding']
export type CustomFieldCondition = CustomerFilter['customFields'][number]
/** Everything but the search: the part of `CustomerFilter` the filter bar edits. */
export type FilterFields = Omit<CustomerFilter, 'search'>

const emptyFilterFields = (): FilterFields => ({
  tagIds: [],
  groupIds: [],
  marketingConsent: 'any',
  createdFrom: null,
  createdTo: null,
  customFields: [],
  outstanding: 'any',
})

/**
 * The address-book list's filters: what is set, the tags, groups and custom
 * fields to choose from, and the saved filters. The list reads the filters
 * from here; a filter is changed through the list's `setFilters`,
 * `clearFilters` and `applySavedFilter`, which reload it from its first page.
 */
export const useCustomerFiltersStore = defineStore('customerFilters', () => {
  const tagIds = ref<number[]>([])
  const groupIds = ref<number[]>([])
  const marketingConsent = ref<ConsentFilter>('any')
  /** Created between (YYYY-MM-DD, inclusive), either end optional. */
  const createdFrom = ref<string | null>(null)
  const createdTo = ref<string | null>(null)
  const customFieldFilters = ref<CustomFieldCondition[]>([])
  const outstanding = ref<OutstandingFilter>('any')

  const tags = ref<TagRef[]>([])
  const groups = ref<GroupRef[]>([])
  const customFields = ref<CustomFieldDefinition[]>([])
  const savedFilters = ref<SavedFilter[]>([])

  const hasFilters = computed(
    () =>
      tagIds.value.length > 0 ||
      groupIds.value.length > 0 ||
      marketingConsent.value !== 'any' ||
      createdFrom.value !== null ||
      createdTo.value !== null ||
      customFieldFilters.value.length > 0 ||
      outstanding.value !== 'any',
  )
  /** How many filters are set beyond tags and groups (the "More filters" badge). */
  const moreFilterCount = computed(
    () =>
      (marketingConsent.value !== 'any' ? 1 : 0) +
      (createdFrom.value !== null || createdTo.value !== null ? 1 : 0) +
      customFieldFilters.value.length +
      (outstanding.value !== 'any' ? 1 : 0),
  )

  /** A copy of every filter that is set, as the list and saved filters send them. */
  function filterFields(): FilterFields {
    return {
      tagIds: [...tagIds.value],
      groupIds: [...groupIds.value],
      marketingConsent: marketingConsent.value,
      createdFrom: createdFrom.value,
      createdTo: createdTo.value,
      customFields: customFieldFilters.value.map((c) => ({ ...c })),
      outstanding: outstanding.value,
    }
  }

  /** Sets some of the filters at once, without reloading the list (`useCustomerListStore().setFilters` does both). */
  function setFields(changes: Partial<FilterFields>): void {
    if (changes.tagIds) tagIds.value = changes.tagIds
    if (changes.groupIds) groupIds.value = changes.groupIds
    if (changes.marketingConsent) marketingConsent.value = changes.marketingConsent
    if (changes.createdFrom !== undefined) createdFrom.value = changes.createdFrom
    if (changes.createdTo !== undefined) createdTo.value = changes.createdTo
    if (changes.customFields) customFieldFilters.value = changes.customFields
    if (changes.outstanding) outstanding.value = changes.outstanding
  }

  /** Clears every filter (not the search), without reloading the list. */
  function clearFields(): void {
    setFields(emptyFilterFields())
  }

  /** Sets every filter to a saved filter's (its search is the list's), dropping conditions on custom fields deleted since. */
  function restoreFields(saved: CustomerFilter): void {
    const knownFields = new Set(customFields.value.map((d) => d.id))
    tagIds.value = [...saved.tagIds]
    groupIds.value = [...saved.groupIds]
    marketingConsent.value = saved.marketingConsent
    createdFrom.value = saved.createdFrom
    createdTo.value = saved.createdTo
    customFieldFilters.value = saved.customFields.filter((c) => customFields.value.length === 0 || knownFields.has(c.fieldId))
    outstanding.value = saved.outstanding ?? 'any'
  }

  async function loadSavedFilters(): Promise<void> {
    savedFilters.value = await invoke('savedFilters:list', undefined)
  }

  /** Saves a search and filters (the list's `currentFilter()`) under a name; the same name replaces the earlier one. */
  async function saveFilter(name: string, filter: CustomerFilter): Promise<{ saved: SavedFilter; replaced: boolean }> {
    const key = name.trim().toLocaleLowerCase()
    const replaced = savedFilters.value.some((f) => f.name.trim().toLocaleLowerCase() === key)
    const saved = await invoke('savedFilters:save', { name, filter })
    await loadSavedFilters().catch(() => undefined)
    return { saved, replaced }
  }

  async function deleteSavedFilter(id: number): Promise<void> {
    savedFilters.value = await invoke('savedFilters:delete', { id })
  }

  /** Tags, groups and custom fields for the filter selects; one failing leaves the others. */
  async function loadFilterOptions(): Promise<void> {
    const [tagList, groupList, fieldList] = await Promise.allSettled([
      invoke('tags:list', undefined),
      invoke('groups:list', undefined),
      invoke('customFields:list', undefined),
    ])
    if (tagList.status === 'fulfilled') tags.value = tagList.value
    if (groupList.status === 'fulfilled') groups.value = groupList.value
    if (fieldList.status === 'fulfilled') customFields.value = fieldList.value
    const failed = [tagList, groupList, fieldList].find((r) => r.status === 'rejected')
    if (failed) throw failed.reason
  }

  return {
    tagIds,
    groupIds,
    marketingConsent,
    createdFrom,
    createdTo,
    customFieldFilters,
    outstanding,
    tags,
    groups,
    customFields,
    savedFilters,
    hasFilters,
    moreFilterCount,
    filterFields,
    setFields,
    clearFields,
    restoreFields,
    loadSavedFilters,
    saveFilter,
    deleteSavedFilter,
    loadFilterOptions,
  }
})
