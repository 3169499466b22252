export { queueMessage, resolveSender, senderFor, newMessageId, type MessageDraft, type Sender, type QueueOptions } from './queue'
export { outboxCounts, NOT_TRIED, type DeliveryState } from './counts'
export { refusal, recipientFacts, RECIPIENT_COLUMNS, type RecipientFacts, type RefusalReason } from './recipients'
