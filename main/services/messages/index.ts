export { queueMessage, resolveSender, senderFor, newMessageId, type MessageDraft, type Sender, type QueueOptions } from './queue'
export { outboxCounts, NOT_TRIED, type DeliveryState } from './counts'
export { refusal, recipientFacts, RECIPIENT_COLUMNS, type RecipientFacts, type RefusalReason } from './recipients'
export { sendToCustomer, refusalsFor, type SendToCustomerInput } from './send'
export { messagesForCustomer, getMessage, outboxPage } from './history'
export { retryMessages, cancelMessages } from './manage'
export {
  unsubscribeToken,
  unsubscribeLinks,
  unsubscribeLinksFor,
  unsubscribeKey,
  unsubscribeByToken,
  customerOfToken,
  requireUnsubscribeLink,
  NO_SITE_FOR_UNSUBSCRIBE,
  type UnsubscribeLinks,
} from './unsubscribe'
export { previewMarketing, queueMarketing, describeMarketing } from './marketing'
export { queueBookingConfirmation, cancelBookingReminder } from './bookingEmails'
export { sweepReminders, REMINDERS_PER_SWEEP, type SweepResult } from './reminders'
