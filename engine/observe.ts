/**
 * The engine's front door for watching what is deployed: CloudWatch log tailing.
 */
export * from './logs/tail-logs.js';
export * from './status/stack-status.js';
