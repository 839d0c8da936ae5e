/**
 * The error codes by which SQS and SNS say a queue or topic is not there. The SQS and SNS kinds
 * and the resource policies that name their queues and topics read them from here, so the lists
 * cannot drift apart (they did once: a copy lacked NonExistentQueue).
 */

/** The codes SQS answers for a queue that is not there (query and JSON protocols). */
export const queueMissing = ['QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue', 'NonExistentQueue'];

/** The codes SNS answers for a topic that is not there. */
export const topicMissing = ['NotFound', 'NotFoundException', 'ResourceNotFound', 'ResourceNotFoundException'];
