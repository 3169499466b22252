import type { GroupRef, TagRef } from '../../preload/contract'
import type { ServiceContext } from './context'

export async function listTags(ctx: ServiceContext): Promise<TagRef[]> {
  return (await ctx.db('tags').orderBy('name_normalized').select('id', 'name', 'color')) as TagRef[]
}

export async function listGroups(ctx: ServiceContext): Promise<GroupRef[]> {
  return (await ctx.db('customer_groups').orderBy('name_normalized').select('id', 'name')) as GroupRef[]
}
