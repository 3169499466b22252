import { defineStore } from 'pinia'
import type { CustomFieldDefinition, GroupUsage, Input, TagRef, TagUsage } from '../../../preload/contract'
import { invoke } from '../services/api'
import { useJobsStore } from './jobs'

/**
 * Tags, groups and custom fields as the desk organises them: the Settings
 * tables, tag suggestions while typing, and the changes that may reach every
 * customer (merging, deleting), which run as background jobs and end with the
 * updated table.
 */
export const useOrganiseStore = defineStore('organise', () => {
  const jobs = useJobsStore()

  /** Existing tags whose name contains the query, best first. */
  function suggestTags(query: string, limit: number): Promise<TagRef[]> {
    return invoke('tags:suggest', { query: query.trim(), limit })
  }

  function tagUsage(): Promise<TagUsage[]> {
    return invoke('tags:usage', undefined)
  }

  function createTag(input: Input<'tags:create'>): Promise<TagRef> {
    return invoke('tags:create', input)
  }

  function updateTag(input: Input<'tags:update'>): Promise<TagRef> {
    return invoke('tags:update', input)
  }

  /** Moves every customer of one tag to another and removes the first; resolves with the tag kept. */
  function mergeTags(sourceId: number, targetId: number): Promise<TagRef> {
    return jobs.run<TagRef>(() => invoke('tags:merge', { sourceId, targetId }))
  }

  function deleteTag(id: number): Promise<TagUsage[]> {
    return jobs.run<TagUsage[]>(() => invoke('tags:delete', { id }))
  }

  function groupUsage(): Promise<GroupUsage[]> {
    return invoke('groups:usage', undefined)
  }

  function createGroup(input: Input<'groups:create'>) {
    return invoke('groups:create', input)
  }

  function updateGroup(input: Input<'groups:update'>) {
    return invoke('groups:update', input)
  }

  function deleteGroup(id: number): Promise<GroupUsage[]> {
    return jobs.run<GroupUsage[]>(() => invoke('groups:delete', { id }))
  }

  function customFields(): Promise<CustomFieldDefinition[]> {
    return invoke('customFields:list', undefined)
  }

  /** Adds or changes a field; resolves with every field. */
  function saveCustomField(input: Input<'customFields:save'>): Promise<CustomFieldDefinition[]> {
    return invoke('customFields:save', input)
  }

  function deleteCustomField(id: number): Promise<CustomFieldDefinition[]> {
    return jobs.run<CustomFieldDefinition[]>(() => invoke('customFields:delete', { id }))
  }

  return {
    suggestTags,
    tagUsage,
    createTag,
    updateTag,
    mergeTags,
    deleteTag,
    groupUsage,
    createGroup,
    updateGroup,
    deleteGroup,
    customFields,
    saveCustomField,
    deleteCustomField,
  }
})
