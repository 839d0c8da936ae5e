/**
 * The engine's front door for its core: read a stack folder, resolve it, plan, explain values,
 * scaffold and migrate, the graph, diagnostics, the kinds and the event and outcome types.
 * `source/` and `components/` import the engine only through this module and its three siblings
 * (`essentials.ts`, `backends.ts`, `operations.ts`, `admin.ts`, `observe.ts`); `npm run layers` enforces it on the import graph.
 *
 * Invariant: loading this module loads no AWS SDK client (the workbench's first frame and
 * `panka validate` depend on it); anything that talks to AWS lives behind a sibling entry.
 */
export * from './essentials.js';
export * from './apply/events.js';
export * from './apply/executor.js';
export * from './apply/outcome.js';
export * from './apply/steps.js';
export * from './code-frame.js';
export * from './cost/cost-rules.js';
export * from './cost/cost-types.js';
export * from './cost/cost-words.js';
export * from './cost/estimate.js';
export * from './cost/plan-cost.js';
export * from './cost/price-table.js';
export * from './cost/prices/shipped.js';
export * from './cost/tenant-cost.js';
export * from './cost/usage-file.js';
export * from './graph/draw.js';
export * from './graph/format.js';
export * from './graph/layout.js';
export * from './graph/picture.js';
export * from './kinds/registry.js';
export * from './load/read-text-file.js';
export * from './load/stack-root.js';
export * from './migrate/migrate-stack.js';
export * from './model/names.js';
export * from './model/tenant-config.js';
export * from './plan/destroy-plan.js';
export * from './plan/deployment-diff.js';
export * from './plan/diff.js';
export * from './plan/inputs.js';
export * from './plan/plan.js';
export * from './plan/plan-file.js';
export * from './plan/plan-value.js';
export * from './plan/promotion.js';
export * from './plan/rollback.js';
export * from './resolve/environments.js';
export * from './plan/selection.js';
export * from './plan/broadening.js';
export * from './plan/approval.js';
export * from './plan/values.js';
export * from './providers/provider.js';
export * from './providers/wait.js';
export * from './resolve/environment-diff.js';
export * from './resolve/explain.js';
export * from './resolve/interpolate.js';
export * from './resolve/resolve-stack.js';
export * from './resolve/tenant-config-file.js';
export * from './scaffold/scaffold.js';
export * from './schema/json-schema.js';
export * from './state/blob-store.js';
export * from './state/private-file.js';
export * from './state/deployment-words.js';
export * from './state/state-document.js';
export * from './state/state-push.js';
export * from './watch-workspace.js';
export * from './workspace.js';
export * from './status/health.js';
