/**
 * The resource runner: one component change's steps against AWS, with its checkpoints (the step
 * executor to the step generator in steps.ts; apply-plan.ts runs the event loop over both).
 *
 * Invariants:
 * - Before a provider touches AWS the intent is recorded in `state.pending` and saved; when that
 *   save fails, StateNotSavedError is thrown and AWS is untouched.
 * - After, the result (resource, outputs, tags, names) replaces the intent and is saved; a failed
 *   step marks an updated resource `failed` and drops its intent, unless it was aborted (then the
 *   intent stays for recovery).
 * - valueFrom is resolved from the outputs recorded so far, just before the provider runs.
 */
import {randomUUID} from 'node:crypto';
import path from 'node:path';
import type {AwsClients} from '../aws/aws-clients.js';
import type {KindDefinition} from '../kinds/kind.js';
import {getKind} from '../kinds/registry.js';
import {networkingIds, type TenantNetworkState} from '../networking/tenant-network-state.js';
import {recordedNames} from '../plan/names-in-use.js';
import type {Change} from '../plan/plan.js';
import {
	type AppliedResource,
	type DeleteOptions,
	isWaitTimeout,
	type Provider,
	ProviderError,
	type ResourceContext,
	type WaitSettings,
} from '../providers/provider.js';
import {valueSourcesOf} from '../providers/value-sources.js';
import {type WaitTimeouts, waitSettingsFor} from '../providers/wait.js';
import type {ResolvedComponent} from '../resolve/resolve-stack.js';
import type {StateKey, StateResource} from '../state/state-document.js';
import type {Workspace} from '../workspace.js';
import type {OperationContext} from './executor.js';
import {recordedResource, recordedTags} from './recorded-resource.js';
import {outputLookup, referencedOutputs, substituteValueFrom} from './resolve-values.js';
import type {StateWriter} from './state-writer.js';

/** What a runner needs of the apply's input (apply-plan.ts ApplyInput). */
export interface RunnerInput {
	workspace: Workspace;
	key: StateKey;
	clients: AwsClients;
	region: string;
	accountId: string;
	network?: TenantNetworkState;
	now?: () => Date;
	wait?: WaitSettings;
	deleteOptions?: DeleteOptions;
	waitTimeouts?: WaitTimeouts;
}

/** An operation's intent could not be saved, so it did not touch AWS. */
export class StateNotSavedError extends Error {
	constructor() {
		super('not started: the state could not be saved, so nothing more is started');
		this.name = 'StateNotSavedError';
	}
}

/** Runs one change's steps: context, pending checkpoint, provider call, result checkpoint. */
export class ResourceRunner {
	readonly component: ResolvedComponent | undefined;
	/** A create's wait gave up and what it made was found and recorded (status failed). */
	recordedAfterTimeout = false;

	constructor(
		readonly change: Change,
		readonly input: RunnerInput,
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
			if (action === 'create' && isWaitTimeout(error) && (await this.recordWhatExists(context, provider, spec))) {
				this.recordedAfterTimeout = true;
				throw error;
			}
			await this.recordFailure(ctx, previous);
			throw error;
		}
	}

	/**
	 * A create whose wait gave up made something: find it (by its names and panka tags) and record
	 * it, status failed, so the state says what exists and the next plan updates (and waits for) it.
	 * False when nothing was found or the lookup failed: the failure is then recorded as usual.
	 */
	async recordWhatExists(context: ResourceContext, provider: Provider<unknown>, spec: unknown): Promise<boolean> {
		const found = await provider.find({...context, signal: new AbortController().signal}, spec).catch(() => undefined);
		if (!found) return false;
		const component = this.component!;
		const at = (this.input.now ?? (() => new Date()))().toISOString();
		const resource = recordedResource(this.input.workspace, component, found, 'failed', {createdAt: at, updatedAt: at});
		await this.writer.commit((draft) => {
			draft.resources[component.address] = resource;
			draft.pending = draft.pending.filter((p) => p.address !== component.address);
			for (const [output, value] of Object.entries(resource.outputs)) draft.outputs[`${component.name}.${output}`] = value;
		});
		return true;
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
		const context = this.context(ctx, recordedNames(previous), recordedTags(this.input.key, previous), kind, previous.inputs);
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
			wait: waitSettingsFor(input.wait, input.waitTimeouts, kind.kind),
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

	/** Records the intent durably before AWS is touched; throws StateNotSavedError (AWS untouched) when it could not be saved. */
	async recordPending(operation: 'create' | 'update' | 'delete', context: ResourceContext, address = this.change.address): Promise<void> {
		const durable = await this.writer.commit((draft) => {
			draft.pending = draft.pending.filter((p) => p.address !== address);
			draft.pending.push({
				id: context.token,
				address,
				operation,
				kind: this.change.kind,
				startedAt: (this.input.now ?? (() => new Date()))().toISOString(),
				...(context.names.primary ? {physicalName: context.names.primary} : {}),
				physicalNames: {...context.names},
				token: context.token,
			});
		});
		if (!durable) {
			await this.writer.commit((draft) => {
				draft.pending = draft.pending.filter((p) => p.address !== address);
			});
			throw new StateNotSavedError();
		}
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
