/**
 * The state document of one (tenant, stack, environment): what panka created, with which inputs,
 * and what it produced. Layout as in the contract's §State Management, extended with `serial`,
 * `lineage` and `pending`.
 *
 * Invariants:
 * - `lineage` is fixed when the state is first created; a write must carry the same lineage.
 * - `serial` increases by exactly one on every write; a write based on an older serial is refused.
 * - `resources` is keyed by address (`service/component`); secret values never appear in
 *   `inputs` (they are replaced by `redactedValue` before the state is written).
 * - `pending` lists operations that started against AWS and have not been recorded as finished:
 *   the next run resolves each one (adopt what exists, forget what does not) before planning.
 * - `metadata.run` says which run wrote the document (history.ts groups versions by it): every
 *   write of one run carries the same id, operation and approved change counts; its checkpoints
 *   say `running`, and its last write says `completed` or `partial` once the run has ended. A
 *   document written before panka recorded runs has none and still parses.
 * - Parsing is strict about shape: a document that does not parse is corrupt, reported with its
 *   location, and never overwritten.
 */
import {randomUUID} from 'node:crypto';
import {z} from '../zod.js';

export const stateFormatVersion = '1.0.0';
export const redactedValue = '(sensitive)';

export const resourceStatuses = ['ready', 'failed', 'tainted'] as const;
export type ResourceStatus = (typeof resourceStatuses)[number];

export const stateResourceSchema = z.object({
	kind: z.string(),
	/** The AWS type of the primary resource, e.g. AWS::SQS::Queue. */
	type: z.string(),
	service: z.string(),
	name: z.string(),
	physicalId: z.string(),
	status: z.enum(resourceStatuses),
	/** The resolved spec the resource was last applied with (secrets redacted). */
	inputs: z.record(z.string(), z.unknown()),
	outputs: z.record(z.string(), z.unknown()),
	/** Physical names of the parts the kind created (primary, dlq, role, …). */
	physicalNames: z.record(z.string(), z.string()).default({}),
	/** Addresses this resource depended on when it was applied (deletes run in reverse). */
	dependsOn: z.array(z.string()),
	createdAt: z.string(),
	updatedAt: z.string(),
});
export type StateResource = z.output<typeof stateResourceSchema>;

export const pendingOperationSchema = z.object({
	id: z.string(),
	address: z.string(),
	operation: z.enum(['create', 'update', 'replace', 'delete']),
	/** The kind being created or changed, so a crashed operation can be resolved with its provider. */
	kind: z.string().optional(),
	startedAt: z.string(),
	/** Primary physical name the operation uses, so a crashed create can be found by name or tags. */
	physicalName: z.string().optional(),
	/** Every physical name by role the operation uses (absent in states written before 0.2: see names-in-use.ts). */
	physicalNames: z.record(z.string(), z.string()).optional(),
	/** Idempotency token sent to APIs that take one (EC2 ClientToken, ECS clientToken). */
	token: z.string().optional(),
});
export type PendingOperation = z.output<typeof pendingOperationSchema>;

/** What wrote a state version: a run of apply, destroy, promote or rollback, the resolution of a cut-off run, or a state edit. */
export const runOperations = ['apply', 'destroy', 'promote', 'rollback', 'recover', 'state-edit'] as const;
export type RunOperation = (typeof runOperations)[number];
export const runOutcomes = ['running', 'completed', 'partial'] as const;
export type RunRecordOutcome = (typeof runOutcomes)[number];

const changeCount = z.int().min(0);
export const runRecordSchema = z.object({
	/** The same for every write of one run. */
	id: z.string().min(1),
	operation: z.enum(runOperations),
	startedAt: z.string(),
	/** The changes the run was asked to make (approved, no-ops left out), by action. */
	changes: z.object({create: changeCount, update: changeCount, replace: changeCount, delete: changeCount}),
	/**
	 * `running` on checkpoints; the run's last write says `completed` when it made every change of its
	 * plan, `partial` otherwise (a change failed, was skipped, or was left unselected).
	 */
	outcome: z.enum(runOutcomes),
	/** A rollback: the serial whose configuration it restores. */
	rolledBackTo: z.int().min(1).optional(),
	/** A promotion: the environment whose values it deploys. */
	promotedFrom: z.string().optional(),
});
export type RunRecord = z.output<typeof runRecordSchema>;

export const stateDocumentSchema = z.object({
	version: z.literal(stateFormatVersion),
	serial: z.int().min(0),
	lineage: z.string().min(1),
	metadata: z.object({
		stack: z.string(),
		tenant: z.string(),
		environment: z.string(),
		deployedBy: z.string().optional(),
		deployedAt: z.string().optional(),
		/** The promotable variables (stack.yaml `spec.promote`) as the last run deployed them: what `panka promote` carries on. */
		variables: z.record(z.string(), z.string()).optional(),
		/** The run that wrote this version (absent in states written before panka recorded runs). */
		run: runRecordSchema.optional(),
	}),
	networking: z
		.object({
			vpcId: z.string().optional(),
			subnetIds: z.object({public: z.array(z.string()), private: z.array(z.string())}).optional(),
			securityGroupId: z.string().optional(),
			stackSecurityGroupId: z.string().optional(),
			/** Absent in states written before 0.2, whose group has the old rule's name (names-in-use.ts). */
			stackSecurityGroupName: z.string().optional(),
			/** What the stack security group was last applied with (name, ingress, egress): what the plan compares. */
			stackSecurityGroupInputs: z.record(z.string(), z.unknown()).optional(),
		})
		.default({}),
	resources: z.record(z.string(), stateResourceSchema),
	/** `component.output` → value, for every output of every resource. */
	outputs: z.record(z.string(), z.unknown()),
	pending: z.array(pendingOperationSchema).default([]),
});
export type StateDocument = z.output<typeof stateDocumentSchema>;

export interface StateKey {
	tenant: string;
	stack: string;
	environment: string;
}

/** A new, empty state with a fresh lineage (serial 0: nothing written yet). */
export function emptyState(key: StateKey): StateDocument {
	return {
		version: stateFormatVersion,
		serial: 0,
		lineage: randomUUID(),
		metadata: {stack: key.stack, tenant: key.tenant, environment: key.environment},
		networking: {},
		resources: {},
		outputs: {},
		pending: [],
	};
}

/** The run record of a state edit by hand (`panka state remove`): one write, `removed` resources forgotten. */
export function stateEditRun(at: string, removed: number): RunRecord {
	return {
		id: randomUUID(),
		operation: 'state-edit',
		startedAt: at,
		changes: {create: 0, update: 0, replace: 0, delete: removed},
		outcome: 'completed',
	};
}
