import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { EmailMergeFieldView, EmailPreview, EmailTemplate, EmailTemplatePurpose } from '../../../preload/contract'
import { invoke } from '../services/api'

export interface EmailTemplateDraft {
  id?: number
  name: string
  purpose: EmailTemplatePurpose
  subject: string
  body: string
}

/** What each purpose is called on screen, and when the app uses it. */
export const PURPOSES: ReadonlyArray<{ value: EmailTemplatePurpose; title: string; use: string }> = [
  { value: 'general', title: 'Everyday email', use: 'Offered when sending an email from a customer’s profile.' },
  { value: 'marketing', title: 'Newsletter', use: 'Sent to customers who agreed to marketing; an unsubscribe link is added.' },
  { value: 'confirmation', title: 'Booking confirmation', use: 'Sent by itself when a booking is made.' },
  { value: 'reminder', title: 'Booking reminder', use: 'Sent by itself before a session, as set in Settings → Email.' },
  { value: 'accountConfirm', title: 'Confirm account', use: 'Sent when an online account is opened; needs {{accountUrl}}.' },
  { value: 'passwordReset', title: 'Reset password', use: 'Sent when a customer forgets their password; needs {{accountUrl}}.' },
]

export function purposeTitle(purpose: EmailTemplatePurpose): string {
  return PURPOSES.find((p) => p.value === purpose)?.title ?? purpose
}

/**
 * Email templates for Settings → Email templates (and the Send email
 * dialog): the templates, the merge fields they may use, and previews of a
 * draft on a chosen customer.
 */
export const useEmailTemplatesStore = defineStore('emailTemplates', () => {
  const templates = ref<EmailTemplate[]>([])
  const fields = ref<EmailMergeFieldView[]>([])

  async function load(): Promise<EmailTemplate[]> {
    templates.value = await invoke('mail:templates', undefined)
    return templates.value
  }

  async function loadFields(): Promise<EmailMergeFieldView[]> {
    fields.value = await invoke('mail:fields', undefined)
    return fields.value
  }

  async function save(draft: EmailTemplateDraft): Promise<EmailTemplate> {
    const saved = await invoke('mail:saveTemplate', draft)
    await load()
    return saved
  }

  async function remove(id: number): Promise<void> {
    templates.value = await invoke('mail:deleteTemplate', { id })
  }

  /** The draft as the customer would read it (made-up values without a customer); problems listed, not thrown. */
  function preview(input: { subject: string; body: string; customerId: number | null; bookingId?: number | null; nextBooking?: boolean; kind?: 'general' | 'marketing' | 'confirmation' | 'reminder' | 'account' }): Promise<EmailPreview> {
    return invoke('mail:preview', input)
  }

  return { templates, fields, load, loadFields, save, remove, preview }
})
