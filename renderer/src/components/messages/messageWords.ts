import type { MessageKind, MessageSummary } from '../../../../preload/contract'
import { formatDateTime } from '../../services/format'

export const KIND_WORDS: Record<MessageKind, string> = {
  general: 'Email',
  marketing: 'Marketing',
  confirmation: 'Booking confirmation',
  reminder: 'Booking reminder',
  account: 'Online account',
  test: 'Test email',
}

/** When a message went, or when it was written and what happens next, in a line. */
export function whenLine(message: MessageSummary): string {
  if (message.status === 'sent' && message.sentAt) return `Sent ${formatDateTime(message.sentAt)}`
  if (message.status === 'cancelled') return `Written ${formatDateTime(message.queuedAt)} · not sent`
  if (message.status === 'failed') return `Written ${formatDateTime(message.queuedAt)} · failed after ${message.attempts} ${message.attempts === 1 ? 'try' : 'tries'}`
  if (message.status === 'sending') return `Written ${formatDateTime(message.queuedAt)} · being sent now`
  return message.attempts > 0
    ? `Written ${formatDateTime(message.queuedAt)} · tried ${message.attempts} ${message.attempts === 1 ? 'time' : 'times'}, next try ${formatDateTime(message.nextAttemptAt)}`
    : `Written ${formatDateTime(message.queuedAt)} · waiting to be sent`
}
