import { z } from 'zod'
import { byId, freeText, id, nameText, noInput } from './common'

/* ── The rest of the customer record ──────────────────────────────────────── */

export const consentChannels = ['desk', 'phone', 'online', 'import'] as const
export type ConsentChannel = (typeof consentChannels)[number]
/** How a consent change reached us: as the desk records it, or the customer's own unsubscribe link. */
export type ConsentEvidenceChannel = ConsentChannel | 'link'

export const setPreferencesInput = z.strictObject({
  id,
  /** Newsletter / marketing consent. */
  marketingConsent: z.boolean(),
  /** "No emails at all". */
  unsubscribed: z.boolean(),
  /** How the customer told us (evidence for a consent change). */
  channel: z.enum(consentChannels, { error: 'Say how the customer told you.' }),
  /** The wording the customer agreed to (required when consent is given). */
  wording: freeText(1000).default(''),
})

export interface ConsentEvent {
  id: number
  at: string
  staffName: string
  kind: 'marketing' | 'unsubscribed'
  granted: boolean
  channel: ConsentEvidenceChannel
  wording: string
}

export const taxStatuses = ['standard', 'exempt', 'special'] as const
export type TaxStatus = (typeof taxStatuses)[number]

export const setTaxInput = z.strictObject({
  id,
  taxStatus: z.enum(taxStatuses),
  /** Percentage as typed ("5", "12.5"); required for "special", ignored otherwise. */
  specialRate: z
    .string()
    .trim()
    .max(8)
    .regex(/^(\d{1,2}(\.\d{1,2})?|100(\.0{1,2})?)?$/, { error: 'Enter a percentage from 0 to 100, e.g. 12.5.' })
    .default(''),
})

/** Who referred the customer; the rewards balance moves only through the rewards ledger. */
export const setReferralInput = z.strictObject({
  id,
  referredById: id.nullable(),
})

export const setHouseholdInput = z.strictObject({
  id,
  /** The customer who pays / holds the household, or null to leave it. */
  payerId: id.nullable(),
})

export const cardBrands = ['visa', 'mastercard', 'amex', 'maestro', 'discover', 'diners', 'jcb', 'unionpay', 'other'] as const

/**
 * A stored card reference: never the number or CVC. The service also refuses
 * anything that looks like a full card number in any field.
 */
export const addPaymentMethodInput = z.strictObject({
  customerId: id,
  brand: z.enum(cardBrands, { error: 'Choose the card brand.' }),
  last4: z.string().trim().max(64),
  expMonth: z.number().int().min(1, { error: 'Month 1–12.' }).max(12, { error: 'Month 1–12.' }),
  expYear: z.number().int().min(2000).max(2100),
  isDefault: z.boolean().default(false),
})

export const paymentMethodIdInput = z.strictObject({ id })

export interface PaymentMethod {
  id: number
  brand: (typeof cardBrands)[number]
  last4: string
  expMonth: number
  expYear: number
  isDefault: boolean
  expired: boolean
}

const MAX_PHOTO_BYTES = 10 * 2 ** 20
/** Rounded up, so a file just over the limit never reads as "10.0 MB". */
const megabytes = (bytes: number) => (Math.ceil((bytes / 2 ** 20) * 10) / 10).toFixed(1)

export const setPhotoInput = z.strictObject({
  id,
  /** The picked image file's bytes (JPEG, PNG, WebP or GIF), at most 10 MB. */
  image: z
    .instanceof(Uint8Array)
    .refine((b) => b.byteLength > 0, { error: 'This file is empty, so it is not a picture. Choose the picture again.' })
    .refine((b) => b.byteLength <= MAX_PHOTO_BYTES, {
      error: ({ input }) =>
        `This file is ${megabytes((input as Uint8Array).byteLength)} MB, too big for a photo. Choose a picture of at most 10 MB (a phone photo or a screenshot is fine).`,
    }),
})

export interface CustomerPhoto {
  /** A small JPEG thumbnail. */
  bytes: Uint8Array
  mime: 'image/jpeg'
  width: number
  height: number
}

export const customFieldTypes = ['text', 'number', 'date', 'boolean', 'choice'] as const
export type CustomFieldType = (typeof customFieldTypes)[number]

export const saveCustomFieldInput = z.strictObject({
  id: id.optional(),
  label: nameText(60).min(1, { error: 'Give the field a name.' }),
  type: z.enum(customFieldTypes),
  /** Choices for a "choice" field. */
  options: z.array(nameText(60).min(1)).max(50).default([]),
})

export interface CustomFieldDefinition {
  id: number
  label: string
  type: CustomFieldType
  options: string[]
  position: number
}

/** Values keyed by field id (as a string); null clears a value. */
export const setCustomFieldsInput = z.strictObject({
  id,
  values: z.record(z.string().regex(/^\d+$/), z.union([z.string().normalize('NFC').max(1000), z.number(), z.boolean(), z.null()])),
})

export interface CustomFieldValue {
  fieldId: number
  label: string
  type: CustomFieldType
  /** text/choice/date (YYYY-MM-DD) as string, number as number, yes/no as boolean. */
  value: string | number | boolean | null
}

export interface HouseholdMember {
  id: number
  number: string
  displayName: string
  /** True for the payer the others belong to. */
  isPayer: boolean
}

/** What the profile shows beyond the contact record. */
export interface CustomerExtras {
  marketingConsent: boolean
  unsubscribed: boolean
  taxStatus: TaxStatus
  /** Percentage as text, e.g. "12.5"; empty unless special. */
  specialRate: string
  referredBy: { id: number; number: string; displayName: string } | null
  /** Referral rewards, read-only here: earned, spent and adjusted through the rewards ledger. */
  rewardsBalanceMinor: number
  /** The business's currency, which rewards are kept in. */
  currency: string
  household: HouseholdMember[]
  paymentMethods: PaymentMethod[]
  customFields: CustomFieldValue[]
  hasPhoto: boolean
}

/** The channels answered by the rest of a customer's record: preferences, tax, referral, household, custom fields, photo and payment methods, each with the input it takes. */
export const profileInputs = {
  'customers:extras': byId,
  'customers:setPreferences': setPreferencesInput,
  'customers:consentHistory': byId,
  'customers:setTax': setTaxInput,
  'customers:setReferral': setReferralInput,
  'customers:setHousehold': setHouseholdInput,
  'customers:setCustomFields': setCustomFieldsInput,
  'customers:setPhoto': setPhotoInput,
  'customers:removePhoto': byId,
  'customers:photo': byId,
  'paymentMethods:add': addPaymentMethodInput,
  'paymentMethods:remove': paymentMethodIdInput,
  'paymentMethods:setDefault': paymentMethodIdInput,
  'customFields:list': noInput,
  'customFields:save': saveCustomFieldInput,
  'customFields:delete': byId,
}
