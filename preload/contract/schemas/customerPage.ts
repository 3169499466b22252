import type { BookingMatch } from './bookings'
import type { CustomerListRow, PhoneLookup, TabCounts } from './customers'

/*
 * One page of the address book as customers:list answers it, with what else its search names: kept
 * apart from the customers' schemas, which the bookings' own schemas read.
 */

export interface CustomerPage {
  rows: CustomerListRow[]
  /** Cursor for the next page, or null on the last page. */
  nextCursor: string | null
  /** Cursor for the previous page, or null on the first page. */
  prevCursor: string | null
  /** Matching customers in this tab; capped when searching (see `totalCapped`). */
  total: number
  totalCapped: boolean
  /**
   * Every tab's count for the same search and filters, read with the page (one
   * look-up per keystroke); null when paging on from a cursor, where they do
   * not change, and when filters without a search would make the rows wait for
   * them (ask customers:counts for those).
   */
  counts: TabCounts | null
  /**
   * When the search looks like a phone number, who has exactly that number (the
   * caller look-up), answered with the page that starts the list afresh so the
   * desk needs one round trip per keystroke; null otherwise, and when paging on.
   */
  caller: PhoneLookup | null
  /**
   * The booking the search names by its reference (B-000123, b123, 123) or a
   * receipt number (R-000042), with the page that starts the list afresh, for
   * staff who may look bookings up; null otherwise.
   */
  booking: BookingMatch | null
}
