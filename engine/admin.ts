/**
 * The engine's front door for a platform admin's work: creating a tenant (its config, bootstrap of
 * the state bucket, access checks against IAM and STS) and building or tearing down its networking.
 *
 * Loads the IAM, STS and EC2 clients: callers reach it through `import()`.
 */
export * from './networking/tenant-network.js';
export * from './networking/tenant-network-teardown.js';
export * from './tenants/bootstrap.js';
export * from './tenants/tenant-access.js';
export * from './tenants/tenant-init.js';
