/**
 * The provider interface: how a kind (and tenant networking) creates, reads, updates and deletes
 * its AWS resources. One module per kind implements it; the executor and applyPlan are
 * kind-agnostic and only ever call these five functions.
 *
 * Invariants every provider keeps:
 * - `create` uses the deterministic physical names in `context.names` and tags every resource it
 *   makes with `context.tags`, so `find` can adopt a resource whose create crashed half-way. A
 *   create is never run twice for the same pending operation: applyPlan calls `find` first.
 * - Idempotency tokens (`context.token`) go to every API that takes one (EC2 ClientToken, ECS
 *   clientToken).
 * - Outputs are plain JSON values, camelCase, exactly the kind's declared outputs (plus internal
 *   ones prefixed `_` that later operations of the same provider need, e.g. a DLQ's URL).
 * - Every AWS call goes through engine/aws/call.ts (`awsCall(context, action, (options) => …)`),
 *   which passes `context.signal` so a second Ctrl-C aborts in-flight requests; long waits report
 *   `context.progress("waiting for …")`.
 * - Secrets: a provider may read secret values (to pass them to AWS) but never returns them in
 *   outputs and never puts them in errors or progress text.
 * - `delete` of something already gone succeeds (deletes are retried after crashes).
 */
import type {AwsClients} from '../aws/aws-clients.js';
import type {SecurityGroupRule} from '../model/security-group.js';
import type {StateResource} from '../state/state-document.js';

export interface NetworkingIds {
	vpcId: string;
	privateSubnetIds: string[];
	publicSubnetIds: string[];
	/** Tenant default SG + stack SG, in that order. */
	securityGroupIds: string[];
	stackSecurityGroupId: string;
	/** The stack's networking.securityGroup.ingress rules (load balancers open what they allow). */
	stackIngress?: readonly SecurityGroupRule[];
}

export interface WaitSettings {
	/** Seconds between polls (SDK waiter minDelay/maxDelay) and the longest wait. */
	minDelay: number;
	maxDelay: number;
	maxWaitTime: number;
}

/** How the run deletes things, from the apply/destroy flags; absent fields mean the safe default. */
export interface DeleteOptions {
	/** `--skip-final-snapshot`: databases are deleted without a final snapshot (default: one is taken). */
	skipFinalSnapshot?: boolean;
}

export interface ResourceContext {
	clients: AwsClients;
	/** Physical names by role, from the kind's physicalNames (`primary`, `deadLetterQueue`, …). */
	names: Readonly<Record<string, string>>;
	tags: Readonly<Record<string, string>>;
	address: string;
	region: string;
	accountId: string;
	networking?: NetworkingIds;
	/** The stack folder and the component's service folder (Lambda code paths). */
	stackRoot: string;
	serviceDir: string;
	signal: AbortSignal;
	progress(phase: string): void;
	/** Stable per pending operation: the same after a crash and retry. */
	token: string;
	wait: WaitSettings;
	/**
	 * Current outputs of the components this one names in its spec without valueFrom (SNS
	 * subscriptions, Lambda triggers, EventBridge targets), by component name. valueFrom values
	 * are already substituted into the spec.
	 */
	references?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
	/**
	 * The outputs this resource's spec reads through valueFrom, one entry per (component, output),
	 * with the source's kind and current outputs: how compute kinds grant their role exactly the
	 * access those values imply (see providers/value-sources.ts). Absent: no such grants.
	 */
	valueSources?: readonly ValueSource[];
	/** Set by applyPlan from the run's flags; read by deletes only (RDS final snapshots). */
	deleteOptions?: DeleteOptions;
}

/** One `valueFrom: {component, output}` of a spec, with what the source component is now. */
export interface ValueSource {
	component: string;
	output: string;
	kind: string;
	outputs: Readonly<Record<string, unknown>>;
}

export interface AppliedResource {
	physicalId: string;
	outputs: Record<string, unknown>;
}

export type ReadResult =
	| {exists: false}
	| {exists: true; physicalId: string; outputs: Record<string, unknown>; observed: Record<string, unknown>};

export interface Provider<Spec> {
	create(context: ResourceContext, spec: Spec): Promise<AppliedResource>;
	update(context: ResourceContext, spec: Spec, previous: StateResource): Promise<AppliedResource>;
	delete(context: ResourceContext, previous: StateResource): Promise<void>;
	/** The resource as AWS has it now (for refresh and drift), with the spec fields it can observe. */
	read(context: ResourceContext, previous: StateResource): Promise<ReadResult>;
	/** A resource panka created (by name or tags) whose create was not recorded: adopt it. */
	find(context: ResourceContext, spec: Spec): Promise<AppliedResource | undefined>;
}

/** An AWS error, reduced to what the user needs: the service's code and message. */
export class ProviderError extends Error {
	constructor(
		message: string,
		readonly code?: string,
		options?: {cause?: unknown},
	) {
		super(message, options);
		this.name = 'ProviderError';
	}
}

/**
 * `SQS CreateQueue: QueueAlreadyExists: …` from any SDK error. An SDK waiter that ran out of time
 * (its TimeoutError carries the waiter's state as JSON) becomes `WaitTimeout`, like pollUntil's.
 */
export function awsError(action: string, error: unknown): ProviderError {
	const e = error as {name?: string; Code?: string; message?: string};
	if (e.name === 'TimeoutError' && e.message?.includes('"state":"TIMEOUT"'))
		return new ProviderError(
			`${action}: gave up waiting: AWS had not reached the wanted state when the wait limit ran out`,
			'WaitTimeout',
			{
				cause: error,
			},
		);
	const code = e.Code ?? e.name ?? 'Error';
	return new ProviderError(`${action}: ${code}: ${e.message ?? String(error)}`, code, {cause: error});
}

/** Whether `error` is a wait that gave up (pollUntil's or an SDK waiter's). */
export function isWaitTimeout(error: unknown): boolean {
	return error instanceof ProviderError && error.code === 'WaitTimeout';
}

export const defaultWait: WaitSettings = {minDelay: 5, maxDelay: 30, maxWaitTime: 1_800};
