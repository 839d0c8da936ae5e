/**
 * The engine's front door for changing AWS: apply and destroy a plan, recover what a crashed run
 * left in flight, refresh recorded state.
 *
 * Loads every provider and its AWS SDK client: callers reach it through `import()` so that
 * commands which change nothing never pay for it.
 */
export * from './apply/apply-plan.js';
export * from './apply/recover.js';
export * from './apply/refresh.js';
export * from './apply/stack-sweep.js';
