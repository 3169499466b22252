export { queueMessage, resolveSender, senderFor, newMessageId, type MessageDraft, type Sender, type QueueOptions } from './queue'
export { outboxCounts, NOT_TRIED, type DeliveryState } from './counts'
