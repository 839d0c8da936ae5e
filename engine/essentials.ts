/**
 * The engine's smallest entry: what the command line needs before it knows which command runs —
 * diagnostics, safe terminal text, did-you-mean suggestions, the words of a plan, input limits, the scaffold
 * template names. Invariant: these modules import nothing but each other, so `panka --help`,
 * `--version` and `completion` never load the engine's core (zod, the kinds, the loader).
 */
export * from './diagnostics.js';
export * from './load/input-limits.js';
export * from './presentation.js';
export * from './resolve/suggest.js';
export * from './scaffold/templates.js';
export * from './tenants/nat-types.js';
export * from './tenants/approval-rules.js';
export * from './terminal-text.js';
