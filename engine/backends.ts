/**
 * The engine's front door for where things are kept: AWS client settings and credentials, state
 * backends and their locks, the tenant registry and sessions; and a stack change under its lock
 * (lock → recover → staleness check → apply → release).
 *
 * Invariant: loads the state backend's client (S3) and STS at most; the clients that change
 * infrastructure live behind `operations.ts` and `admin.ts`, which a stack change imports only
 * when it recovers or applies.
 */
export * from './apply/stack-change.js';
export * from './apply/stack-command.js';
export * from './aws/aws-clients.js';
export * from './aws/caller-identity.js';
export * from './cost/tenant-spend.js';
export * from './state/backend.js';
export * from './state/lock.js';
export * from './state/stack-inventory.js';
export * from './state/state-edits.js';
export * from './state/state-store.js';
export * from './tenants/registry.js';
export * from './tenants/sessions.js';
export * from './tenants/tenant-network-store.js';
export * from './tenants/tenant-scope.js';
export * from './tenants/tenants.js';
export * from './state/deployments.js';
