import type { CatalogueItem, GroupRef, PriceOption } from '../../../../preload/contract'

/** Who a booking is for, as far as groups go: a new caller is in none. */
export interface OfferedTo {
  name: string
  groupIds: number[]
}

function limitedTo(groups: GroupRef[], who: OfferedTo): string | null {
  if (groups.length === 0 || groups.some((g) => who.groupIds.includes(g.id))) return null
  const names = groups.map((g) => g.name)
  const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`
  return `${list} only — ${who.name} is not in ${names.length === 1 ? names[0] : 'any of them'}`
}

/** Why an item (or one of its prices) is not offered to this customer, or null when it is (the booking service checks again). */
export function notOfferedReason(item: CatalogueItem, option: PriceOption | null, who: OfferedTo | null): string | null {
  if (!who) return null
  return limitedTo(item.groups, who) ?? (option ? limitedTo(option.groups, who) : null)
}
