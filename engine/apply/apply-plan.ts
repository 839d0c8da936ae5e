/**
 * applyPlan: Plan + Selection → AWS changes, streamed as EngineEvents (DESIGN.md §2–§3), in the
 * spirit of Pulumi's step executor: the plan decides, this runs it, the executor schedules it.
 *
 * Operations, per approved change:
 *   create / update X          one operation, after the changes X depends on
 *   delete X                   one operation, after every user of X has let go of it (its delete,
 *                              or its update/replace that no longer needs X)
 *   replace X, create-first    X#create (new names), then X#delete of the old resource once every
 *                              change that reads X has run; the old one is kept in state as
 *                              `X#deposed` meanwhile, so a crash never loses it
 *   replace X, delete-first    X#delete, then X#create (the names are the same)
 * plus the stack security group's step, `stack#security-group` (the stack SG inherits the tenant
 * default and adds the stack's ingress rules):
 *   apply, a VPC resource is created/updated   before it: `create` when the state records no
 *                                              stack SG, else `update` (its rules reconciled; the
 *                                              done event says `unchanged` when none differed)
 *   destroy, the state records a stack SG      `delete`, after every other step succeeded
 *
 * `apply.start` lists every step, the stack SG's included, so counts are right from the start; the
 * summary's lists name steps the same way (the stack SG's as `stack#security-group`).
 *
 * Invariants:
 * - The caller holds the stack's lock for the whole run and passes the state it read under it.
 * - Checkpoints: before an operation touches AWS its intent is recorded in `state.pending` and
 *   saved; after, its result (resource, outputs) replaces the intent and is saved. A crash at any
 *   point leaves a state that names everything that may exist (recoverPending resolves it).
 * - A first stop signal starts nothing new and lets running operations finish and be saved; an
 *   abort signals them, and what was in flight stays pending. A signal already given when the run
 *   starts counts too: every step ends not-started and the summary says `interrupted`.
 * - valueFrom is resolved from the outputs recorded so far, just before each provider runs.
 * - If a state write fails, no further write is attempted over the unknown blob; the final document
 *   is handed to `saveErroredState` and the user is told how to push it (`panka state push`).
 * - Secrets: events and state carry redacted inputs and outputs only; provider errors are reduced
 *   to the AWS code and message.
 */
import {randomUUID} from 'node:crypto';
import path from 'node:path';
import type {AwsClients} from '../aws/aws-clients.js';
import {getKind} from '../kinds/registry.js';
import type {KindDefinition} from '../kinds/kind.js';
import {networkingIds} from '../networking/tenant-network-state.js';
import {deleteStackSecurityGroup, ensureStackSecurityGroup} from '../networking/stack-security-group.js';
import type {TenantNetworkState} from '../networking/tenant-network-state.js';
import type {Change, Plan} from '../plan/plan.js';
import {approveAll, approvedChanges, type Selection} from '../plan/selection.js';
import {
	type AppliedResource,
	type DeleteOptions,
	defaultWait,
	type Provider,
	ProviderError,
	type ResourceContext,
	type WaitSettings,
} from '../providers/provider.js';
import {valueSourcesOf} from '../providers/value-sources.js';
import type {ResolvedComponent} from '../resolve/resolve-stack.js';
import type {Backend} from '../state/backend.js';
import {emptyState, type StateDocument, type StateKey, type StateResource} from '../state/state-document.js';
import {basisOf, type StoredState} from '../state/state-store.js';
import type {Workspace} from '../workspace.js';
import type {ApplyAction, EngineEvent} from './events.js';
import {executeOperations, type Operation, type OperationContext} from './executor.js';
import {outputLookup, referencedOutputs, substituteValueFrom} from './resolve-values.js';
import {recordedResource} from './recorded-resource.js';
import {StateWriter} from './state-writer.js';

export interface ApplyInput {
	plan: Plan;
	/** Default: everything in the plan. */
	selection?: Selection;
	workspace: Workspace;
	/** The state as read under the caller's lock (undefined: none yet). */
	stored: StoredState | undefined;
	backend: Backend;
	key: StateKey;
	/** AWS clients acting in the tenant's account. */
	clients: AwsClients;
	region: string;
	accountId: string;
	/** The tenant's provisioned networking; required when VPC components are applied. */
	network?: TenantNetworkState;
	parallelism?: number;
	stop?: AbortSignal;
	abort?: AbortSignal;
	now?: () => Date;
	deployedBy: string;
	wait?: WaitSettings;
	/** How deletes behave (--skip-final-snapshot). */
	deleteOptions?: DeleteOptions;
	/** Persist the final state document when the backend write failed; returns where it went. */
	saveErroredState?: (document: StateDocument) => Promise<string>;
	operation?: 'apply' | 'destroy';
}

const stackSecurityGroupOp = 'stack#security-group';

interface Step {
	id: string;
	address: string;
	action: ApplyAction;
	kind: string;
	change?: Change;
	dependsOn: string[];
	run(context: OperationContext): Promise<AppliedResource | undefined>;
	/** Set by `run` when it found AWS as desired and changed nothing. */
	unchanged?: boolean;
}

export async function* applyPlan(input: ApplyInput): AsyncGenerator<EngineEvent> {
	const now = input.now ?? (() => new Date());
	const at = () => now().toISOString();
	const started = now().getTime();
	const operation = input.operation ?? 'apply';
	const initial = input.stored?.state ?? {...emptyState(input.key), lineage: input.plan.stateLineage ?? emptyState(input.key).lineage};
	const basis = input.stored ? basisOf(input.stored) : {serial: 0, lineage: initial.lineage};
	const saved: number[] = [];
	const writer = new StateWriter(initial, basis, {
		backend: input.backend,
		key: input.key,
		deployedBy: input.deployedBy,
		now,
		onSaved: (serial) => saved.push(serial),
	});
	const selection = input.selection ?? approveAll(input.plan);
	const changes = approvedChanges(input.plan, selection).filter((c) => c.action !== 'no-op');
	const steps = buildSteps(changes, input, writer);
	const parallelism = input.parallelism ?? 10;

	yield {
		type: 'apply.start',
		at: at(),
		stack: input.plan.stack,
		tenant: input.plan.tenant,
		environment: input.plan.environment,
		operation,
		changes: steps.map((s) => ({address: s.address, action: s.action, kind: s.kind})),
		parallelism,
	};

	const byId = new Map(steps.map((s) => [s.id, s]));
	const operations: Operation<AppliedResource | undefined>[] = steps.map((step) => ({
		id: step.id,
		dependsOn: step.dependsOn,
		estimateMs: (getKind(step.kind)?.typicalCreateSeconds ?? 5) * 1000,
		run: step.run,
	}));
	const outcome = {done: [] as string[], failed: [] as string[], skipped: [] as string[], notStarted: [] as string[]};
	// Read from the signals themselves, not from listeners: a stop that came before this run
	// started (ctrl+c right after the approval) or while the consumer held apply.start fires no
	// event here, and every step then ends not-started because of it.
	const interruption = (): 'stop' | 'abort' | undefined => (input.abort?.aborted ? 'abort' : input.stop?.aborted ? 'stop' : undefined);
	const flushSaved = function* (): Generator<EngineEvent> {
		while (saved.length > 0) yield {type: 'state.saved', at: at(), serial: saved.shift()!};
	};
	let reportedInterrupt = false;
	let interrupted: 'stop' | 'abort' | undefined;

	for await (const event of executeOperations(operations, {
		parallelism,
		...(input.stop ? {stop: input.stop} : {}),
		...(input.abort ? {abort: input.abort} : {}),
	})) {
		yield* flushSaved();
		interrupted = interruption();
		if (interrupted && !reportedInterrupt) {
			reportedInterrupt = true;
			yield {type: 'apply.interrupted', at: at(), mode: interrupted};
		}
		if (event.type === 'summary') break;
		const step = byId.get(event.id)!;
		const base = {address: step.address, action: step.action};
		switch (event.type) {
			case 'operation.start':
				yield {type: 'resource.start', at: at(), ...base, kind: step.kind};
				break;
			case 'operation.progress':
				yield {type: 'resource.progress', at: at(), ...base, phase: event.phase};
				break;
			case 'operation.done':
				outcome.done.push(step.id);
				yield {
					type: 'resource.done',
					at: at(),
					...base,
					kind: step.kind,
					...(event.result?.physicalId ? {physicalId: event.result.physicalId} : {}),
					outputs: event.result?.outputs ?? {},
					elapsedMs: event.elapsedMs,
					...(step.unchanged ? {unchanged: true} : {}),
				};
				break;
			case 'operation.failed':
			case 'operation.aborted': {
				outcome.failed.push(step.id);
				const error = event.error as {code?: string; name?: string; message?: string} | undefined;
				yield {
					type: 'resource.failed',
					at: at(),
					...base,
					kind: step.kind,
					code: event.type === 'operation.aborted' ? 'Aborted' : (error?.code ?? error?.name ?? 'Error'),
					message:
						event.type === 'operation.aborted'
							? 'aborted; recorded as pending, the next run resolves it'
							: (error?.message ?? String(event.error)),
					elapsedMs: event.elapsedMs,
				};
				break;
			}
			case 'operation.skipped': {
				outcome.skipped.push(step.id);
				const cause = byId.get(event.cause);
				yield {
					type: 'resource.skipped',
					at: at(),
					...base,
					kind: step.kind,
					reason: `skipped because ${cause?.address ?? event.cause} ${cause && outcome.failed.includes(cause.id) ? 'failed' : 'did not run'}`,
				};
				break;
			}
			case 'operation.not-started':
				outcome.notStarted.push(step.id);
				yield {type: 'resource.not-started', at: at(), ...base, kind: step.kind};
				break;
		}
	}
	await writer.flush();
	yield* flushSaved();
	if (writer.broken) {
		const savedTo = await input.saveErroredState?.(writer.document).catch(() => undefined);
		yield {
			type: 'state.save-failed',
			at: at(),
			message: `could not save the state to ${input.backend.description}: ${(writer.error as Error)?.message ?? String(writer.error)}`,
			...(savedTo ? {savedTo} : {}),
			instructions: savedTo
				? `the state of this run is in ${savedTo}; once the backend is reachable, run: panka state push ${savedTo}`
				: 'the state of this run could not be saved anywhere; run panka plan --refresh to reconcile with AWS',
		};
	}
	const label = (id: string) => {
		const step = byId.get(id)!;
		return step.action === 'replace-create' || step.action === 'replace-delete' ? `${step.address} (${step.action})` : step.address;
	};
	yield {
		type: 'summary',
		at: at(),
		operation,
		done: outcome.done.map(label),
		failed: outcome.failed.map(label),
		skipped: outcome.skipped.map(label),
		notStarted: outcome.notStarted.map(label),
		outputs: {...writer.document.outputs},
		durationMs: now().getTime() - started,
		interrupted: interrupted !== undefined,
		stateSerial: writer.document.serial,
	};
}

/** The operations for the approved changes, with the edges described in the module header. */
function buildSteps(changes: readonly Change[], input: ApplyInput, writer: StateWriter): Step[] {
	const steps: Step[] = [];
	const approved = new Map(changes.map((c) => [c.address, c]));
	/** The step whose success means "X is in place" (for what depends on X). */
	const readyStep = (address: string) => {
		const change = approved.get(address);
		if (!change || change.action === 'delete') return undefined;
		return change.action === 'replace' ? `${address}#create` : address;
	};
	/** The step whose success means "X no longer uses what it used" (for deletes of its old dependencies). */
	const releaseStep = (address: string) => {
		const change = approved.get(address);
		if (!change) return undefined;
		return change.action === 'replace' ? `${address}#delete` : address;
	};
	const dependsOnReady = (change: Change) =>
		change.requires.filter((r) => r.relation === 'depends-on').flatMap((r) => readyStep(r.address) ?? []);
	const usersReleased = (change: Change) =>
		change.requires.filter((r) => r.relation === 'used-by').flatMap((r) => releaseStep(r.address) ?? []);
	/** Changes that read X (they must run against the new X before the old one goes). */
	const readersOf = (address: string) =>
		changes
			.filter((c) => c.address !== address && c.requires.some((r) => r.relation === 'depends-on' && r.address === address))
			.flatMap((c) => readyStep(c.address) ?? []);

	const needsNetwork = changes.some((c) => c.action !== 'delete' && placementOf(input.workspace, c) === 'private-subnets');
	if (needsNetwork)
		steps.push(stackSecurityGroupStep(input, writer, writer.document.networking.stackSecurityGroupId ? 'update' : 'create'));
	const networkDeps = (change: Change) =>
		needsNetwork && placementOf(input.workspace, change) === 'private-subnets' ? [stackSecurityGroupOp] : [];

	for (const change of changes) {
		const kind = change.kind;
		const runner = new ResourceRunner(change, input, writer);
		switch (change.action) {
			case 'create':
			case 'update':
				steps.push({
					id: change.address,
					address: change.address,
					action: change.action,
					kind,
					change,
					dependsOn: [...dependsOnReady(change), ...networkDeps(change)],
					run: (ctx) => runner.createOrUpdate(ctx, change.action as 'create' | 'update'),
				});
				break;
			case 'delete':
				steps.push({
					id: change.address,
					address: change.address,
					action: 'delete',
					kind,
					change,
					dependsOn: usersReleased(change),
					run: (ctx) => runner.delete(ctx, 'delete'),
				});
				break;
			case 'replace': {
				const create = `${change.address}#create`;
				const remove = `${change.address}#delete`;
				if (change.replaceStrategy === 'create-before-delete') {
					steps.push({
						id: create,
						address: change.address,
						action: 'replace-create',
						kind,
						change,
						dependsOn: [...dependsOnReady(change), ...networkDeps(change)],
						run: (ctx) => runner.createReplacement(ctx),
					});
					steps.push({
						id: remove,
						address: change.address,
						action: 'replace-delete',
						kind: change.previousKind ?? kind,
						change,
						dependsOn: [create, ...usersReleased(change), ...readersOf(change.address)],
						run: (ctx) => runner.delete(ctx, 'replace-delete'),
					});
				} else {
					steps.push({
						id: remove,
						address: change.address,
						action: 'replace-delete',
						kind: change.previousKind ?? kind,
						change,
						dependsOn: usersReleased(change),
						run: (ctx) => runner.delete(ctx, 'replace-delete'),
					});
					steps.push({
						id: create,
						address: change.address,
						action: 'replace-create',
						kind,
						change,
						dependsOn: [remove, ...dependsOnReady(change), ...networkDeps(change)],
						run: (ctx) => runner.createOrUpdate(ctx, 'create'),
					});
				}
				break;
			}
			case 'no-op':
				break;
		}
	}
	const recordedGroup = writer.document.networking.stackSecurityGroupId;
	if (input.operation === 'destroy' && recordedGroup && input.network)
		steps.push(
			deleteStackSecurityGroupStep(
				input,
				writer,
				recordedGroup,
				steps.map((s) => s.id),
			),
		);
	// Drop edges to steps outside this run (a requirement on an unselected change).
	const ids = new Set(steps.map((s) => s.id));
	for (const step of steps) step.dependsOn = [...new Set(step.dependsOn.filter((d) => ids.has(d) && d !== step.id))];
	return steps;
}

function placementOf(workspace: Workspace, change: Change): 'private-subnets' | 'none' {
	const component = workspace.componentsByName.get(change.name);
	const kind = getKind(change.kind);
	return component?.valid && kind ? kind.placement(component.spec) : 'none';
}

/** Create the stack SG (`create`: the state records none) or reconcile its rules (`update`). */
function stackSecurityGroupStep(input: ApplyInput, writer: StateWriter, action: 'create' | 'update'): Step {
	const step: Step = {
		id: stackSecurityGroupOp,
		address: stackSecurityGroupOp,
		action,
		kind: 'SecurityGroup',
		dependsOn: [],
		async run(ctx) {
			const network = input.network;
			const group = input.workspace.stack.networking;
			if (!network || !group)
				throw new ProviderError(
					`tenant ${input.key.tenant} has no provisioned networking: run panka admin tenant update ${input.key.tenant} (or ask the platform admin)`,
					'NoTenantNetwork',
				);
			const ensured = await ensureStackSecurityGroup(
				{
					clients: input.clients,
					signal: ctx.signal,
					progress: ctx.progress,
					tags: {
						'panka:tenant': input.key.tenant,
						'panka:stack': input.key.stack,
						'panka:env': input.key.environment,
						'panka:component': 'stack-security-group',
						Name: group.stackGroup.name,
					},
					wait: input.wait ?? defaultWait,
				},
				{
					name: group.stackGroup.name,
					vpcId: network.vpcId,
					tenantSecurityGroupId: network.defaultSecurityGroupId,
					ingress: group.stackIngress,
				},
			);
			await writer.commit((draft) => {
				draft.networking = {
					...draft.networking,
					vpcId: network.vpcId,
					subnetIds: {public: network.subnets.public.map((s) => s.id), private: network.subnets.private.map((s) => s.id)},
					securityGroupId: network.defaultSecurityGroupId,
					stackSecurityGroupId: ensured.groupId,
				};
			});
			step.unchanged = action === 'update' && ensured.action === 'adopted';
			return {physicalId: ensured.groupId, outputs: {securityGroupId: ensured.groupId}};
		},
	};
	return step;
}

/** Destroy: delete the stack SG once every resource is gone (`after`: every other step of the run). */
function deleteStackSecurityGroupStep(input: ApplyInput, writer: StateWriter, groupId: string, after: string[]): Step {
	return {
		id: stackSecurityGroupOp,
		address: stackSecurityGroupOp,
		action: 'delete',
		kind: 'SecurityGroup',
		dependsOn: after,
		async run(ctx) {
			const left = Object.keys(writer.document.resources);
			if (left.length > 0)
				throw new ProviderError(
					`${left.length} resource${left.length === 1 ? ' is' : 's are'} still recorded (${left.join(', ')}): the stack security group is kept until they are deleted`,
					'ResourcesRemain',
				);
			await deleteStackSecurityGroup(
				{clients: input.clients, signal: ctx.signal, progress: ctx.progress, tags: {}, wait: input.wait ?? defaultWait},
				{groupId, name: input.workspace.stack.networking?.stackGroup.name ?? '', vpcId: input.network!.vpcId},
			);
			await writer.commit((draft) => {
				delete draft.networking.stackSecurityGroupId;
			});
			return {physicalId: groupId, outputs: {}};
		},
	};
}

/** Runs one change's steps: context, pending checkpoint, provider call, result checkpoint. */
class ResourceRunner {
	readonly component: ResolvedComponent | undefined;

	constructor(
		readonly change: Change,
		readonly input: ApplyInput,
		readonly writer: StateWriter,
	) {
		this.component = input.workspace.componentsByName.get(change.name);
	}

	async createOrUpdate(ctx: OperationContext, action: 'create' | 'update'): Promise<AppliedResource> {
		const {component, change} = this;
		if (!component?.valid) throw new ProviderError(`${change.address} is not valid in the stack folder`, 'InvalidComponent');
		const kind = getKind(component.kind) as KindDefinition<unknown>;
		const provider = await loadProvider(kind);
		const previous = this.writer.document.resources[change.address];
		const context = this.context(ctx, component.physicalNames, component.tags, kind, component.spec);
		await this.recordPending(action, context);
		const spec = substituteValueFrom(component.spec, outputLookup(this.writer.document));
		try {
			const result =
				action === 'update' && previous ? await provider.update(context, spec, previous) : await provider.create(context, spec);
			// Recorded at once for what runs next; saved by the next group write (a crash before
			// that leaves the pending intent, which recovery resolves by adopting the resource).
			void this.recordApplied(result, previous?.createdAt);
			return result;
		} catch (error) {
			await this.recordFailure(ctx, previous);
			throw error;
		}
	}

	/** Create-before-delete: the old resource stays in state as `address#deposed` until deleted. */
	async createReplacement(ctx: OperationContext): Promise<AppliedResource> {
		const address = this.change.address;
		const old = this.writer.document.resources[address];
		if (old)
			await this.writer.commit((draft) => {
				draft.resources[`${address}#deposed`] = old;
				delete draft.resources[address];
			});
		return this.createOrUpdate(ctx, 'create');
	}

	async delete(ctx: OperationContext, action: 'delete' | 'replace-delete'): Promise<AppliedResource | undefined> {
		const address = this.change.address;
		const deposedKey = `${address}#deposed`;
		const key = action === 'replace-delete' && this.writer.document.resources[deposedKey] ? deposedKey : address;
		const previous = this.writer.document.resources[key];
		if (!previous) return undefined;
		const kind = getKind(previous.kind) as KindDefinition<unknown> | undefined;
		if (!kind) throw new ProviderError(`kind ${previous.kind} of ${address} is unknown to this panka`, 'UnknownKind');
		const provider = await loadProvider(kind);
		const context = this.context(
			ctx,
			previous.physicalNames,
			(previous.inputs.tags as Record<string, string>) ?? {},
			kind,
			previous.inputs,
		);
		await this.recordPending('delete', context, key);
		await provider.delete(context, previous);
		await this.writer.commit((draft) => {
			delete draft.resources[key];
			draft.pending = draft.pending.filter((p) => p.address !== key);
			if (key === address)
				for (const output of Object.keys(draft.outputs)) if (output.startsWith(`${previous.name}.`)) delete draft.outputs[output];
		});
		return {physicalId: previous.physicalId, outputs: {}};
	}

	context(
		ctx: OperationContext,
		names: Record<string, string>,
		tags: Record<string, string>,
		kind: KindDefinition<unknown>,
		spec: unknown,
	): ResourceContext {
		const {input, change, component} = this;
		const stackSg = this.writer.document.networking.stackSecurityGroupId;
		const placement = component?.valid ? kind.placement(spec) : 'none';
		const references = component?.valid
			? referencedOutputs(
					this.writer.document,
					kind.references(component.spec).map((r) => r.component),
					(name) => input.workspace.componentsByName.get(name)?.address,
				)
			: {};
		const service = input.workspace.services.find((s) => s.name === change.service);
		return {
			clients: input.clients,
			names,
			tags,
			address: change.address,
			region: input.region,
			accountId: input.accountId,
			...(placement === 'private-subnets' && input.network && stackSg
				? {networking: {...networkingIds(input.network, stackSg), stackIngress: input.workspace.stack.networking?.stackIngress ?? []}}
				: {}),
			stackRoot: input.workspace.root,
			serviceDir: service?.dir ?? path.join(input.workspace.root, 'services', change.service),
			signal: ctx.signal,
			progress: ctx.progress,
			token: randomUUID(),
			wait: input.wait ?? defaultWait,
			references,
			valueSources: component?.valid ? valueSourcesOf(component.spec, (name) => this.appliedSource(name)) : [],
			...(input.deleteOptions ? {deleteOptions: input.deleteOptions} : {}),
		};
	}

	/** A valueFrom source's kind and current outputs, once it has been applied. */
	appliedSource(name: string): {kind: string; outputs: Record<string, unknown>} | undefined {
		const source = this.input.workspace.componentsByName.get(name);
		const applied = source && this.writer.document.resources[source.address];
		return source && applied ? {kind: source.kind, outputs: applied.outputs} : undefined;
	}

	async recordPending(operation: 'create' | 'update' | 'delete', context: ResourceContext, address = this.change.address): Promise<void> {
		await this.writer.commit((draft) => {
			draft.pending = draft.pending.filter((p) => p.address !== address);
			draft.pending.push({
				id: context.token,
				address,
				operation,
				kind: this.change.kind,
				startedAt: (this.input.now ?? (() => new Date()))().toISOString(),
				...(context.names.primary ? {physicalName: context.names.primary} : {}),
				token: context.token,
			});
		});
	}

	async recordApplied(result: AppliedResource, createdAt: string | undefined): Promise<void> {
		const component = this.component!;
		const at = (this.input.now ?? (() => new Date()))().toISOString();
		const resource = recordedResource(this.input.workspace, component, result, 'ready', {createdAt: createdAt ?? at, updatedAt: at});
		await this.writer.commit((draft) => {
			draft.resources[component.address] = resource;
			draft.pending = draft.pending.filter((p) => p.address !== component.address);
			for (const output of Object.keys(draft.outputs)) if (output.startsWith(`${component.name}.`)) delete draft.outputs[output];
			for (const [output, value] of Object.entries(resource.outputs)) draft.outputs[`${component.name}.${output}`] = value;
		});
	}

	/** A failed create leaves nothing recorded; a failed update marks the resource failed (re-applied next time). An abort stays pending. */
	async recordFailure(ctx: OperationContext, previous: StateResource | undefined): Promise<void> {
		if (ctx.signal.aborted) return;
		const address = this.change.address;
		await this.writer.commit((draft) => {
			draft.pending = draft.pending.filter((p) => p.address !== address);
			const recorded = draft.resources[address];
			if (previous && recorded) recorded.status = 'failed';
		});
	}
}

async function loadProvider(kind: KindDefinition<unknown>): Promise<Provider<unknown>> {
	const provider = await kind.provider?.();
	if (!provider)
		throw new ProviderError(`no provider yet for kind ${kind.kind}: panka can plan it but not apply it in this release`, 'NoProvider');
	return provider;
}
