import { z } from 'zod'
import { byId, freeText, id, nameText, noInput, type GroupRef } from './common'

/* ── What can be booked — events, classes, appointment types, their sessions and prices ── */

export const catalogueKinds = ['class', 'event', 'appointment'] as const
export type CatalogueKind = (typeof catalogueKinds)[number]

/** ISO 4217 code, e.g. GBP. */
export const currencyCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}$/, { error: 'Use a three-letter currency code, e.g. GBP.' })

/** Money in minor units (pence, cents): whole numbers only, never floating point. */
export const minorAmount = z
  .number({ error: 'Enter an amount.' })
  .int({ error: 'Amounts are whole minor units (pence, cents).' })
  .min(0, { error: 'Amounts cannot be negative.' })
  .max(10_000_000_00, { error: 'That amount is too large.' })

/** A moment in time, sent as ISO-8601 (the renderer converts the user's local time). */
export const instant = z.iso.datetime({ offset: true, error: 'Use a date and time like 2026-01-31T09:00:00Z.' })

export const priceOptionInput = z.strictObject({
  /** Present when editing an existing option. */
  id: id.optional(),
  name: nameText(100).min(1, { error: 'Name the price, e.g. Adult.' }),
  amountMinor: minorAmount,
  currency: currencyCode,
  /** Archived options stay on old bookings but cannot be chosen for new ones. */
  archived: z.boolean().default(false),
  /** Offered only to customers in any of these groups (e.g. a members' price); none: everyone. */
  groupIds: z.array(id).max(50, { error: 'At most 50 groups.' }).default([]),
})

/** A tax rate in basis points (20% is 2000); null: the standard rate in Settings. */
export const itemTaxRate = z
  .number()
  .int({ error: 'Choose one of the rates in Settings.' })
  .min(0, { error: 'A rate is 0% or more.' })
  .max(10000, { error: 'A rate is at most 100%.' })
  .nullable()

export const saveCatalogueItemInput = z.strictObject({
  /** Absent to create, present to edit. */
  id: id.optional(),
  kind: z.enum(catalogueKinds, { error: 'Choose class, event or appointment.' }),
  name: nameText(200).min(1, { error: 'Give it a name.' }),
  description: freeText(2000).default(''),
  /** Default location for new sessions. */
  location: freeText(200).default(''),
  /** Inactive items keep their bookings but are not offered for new ones. */
  active: z.boolean().default(true),
  /** The rate its prices carry: one of the Settings rates, or null for the standard one. */
  taxRateBp: itemTaxRate.default(null),
  /** Appointments done at the customer's address (home services); ignored for classes and events. */
  atCustomerAddress: z.boolean().default(false),
  /** A booking of it sends the customer a confirmation email (when email is set up). */
  confirmationEmail: z.boolean().default(true),
  /** Booked only by customers in any of these groups; none: everyone. */
  groupIds: z.array(id).max(50, { error: 'At most 50 groups.' }).default([]),
  /** Options missing from the list are archived (or removed when never booked). */
  priceOptions: z.array(priceOptionInput).min(1, { error: 'Add at least one price.' }).max(50),
})

export const listSessionsInput = z.strictObject({
  itemId: id.optional(),
  /** Sessions starting at or after this moment (default: now). */
  from: instant.optional(),
  /** Sessions starting before this moment. */
  to: instant.optional(),
  limit: z.number().int().min(1).max(500).default(100),
})

export const saveSessionInput = z
  .strictObject({
    id: id.optional(),
    itemId: id,
    startsAt: instant,
    endsAt: instant,
    capacity: z
      .number({ error: 'Enter the number of places.' })
      .int({ error: 'Places are a whole number.' })
      .min(1, { error: 'A session needs at least 1 place.' })
      .max(100_000, { error: 'At most 100,000 places.' }),
    location: freeText(200).default(''),
  })
  .refine((v) => Date.parse(v.endsAt) > Date.parse(v.startsAt), { path: ['endsAt'], error: 'The end is before the start.' })

export interface PriceOption {
  id: number
  itemId: number
  name: string
  amountMinor: number
  currency: string
  archived: boolean
  position: number
  /** Offered only to customers in any of these groups; empty: everyone. */
  groups: GroupRef[]
}

export interface CatalogueItem {
  id: number
  kind: CatalogueKind
  name: string
  description: string
  location: string
  active: boolean
  /** Basis points; null: the standard rate in Settings. */
  taxRateBp: number | null
  /** An appointment done at the customer's address: the booking records which one. */
  atCustomerAddress: boolean
  /** A booking of it sends the customer a confirmation email (when email is set up). */
  confirmationEmail: boolean
  /** Booked only by customers in any of these groups; empty: everyone. */
  groups: GroupRef[]
  priceOptions: PriceOption[]
  /** Sessions starting from now on. */
  upcomingSessions: number
  createdAt: string
  updatedAt: string
}

export interface CatalogueSession {
  id: number
  itemId: number
  itemName: string
  itemKind: CatalogueKind
  startsAt: string
  endsAt: string
  location: string
  capacity: number
  /** Places held by bookings that are not cancelled. */
  seatsTaken: number
  spacesLeft: number
}

/** The channels answered by what can be booked: items, their prices and sessions, each with the input it takes. */
export const catalogueInputs = {
  'catalogue:list': noInput,
  'catalogue:saveItem': saveCatalogueItemInput,
  'catalogue:deleteItem': byId,
  'catalogue:sessions': listSessionsInput,
  'catalogue:saveSession': saveSessionInput,
  'catalogue:deleteSession': byId,
}
