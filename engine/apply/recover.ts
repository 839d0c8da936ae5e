/**
 * recoverPending: after a crash or a hard abort, resolve the operations the state says were in
 * flight, before anything is planned on top of them.
 *
 *   pending create   find it by its deterministic name / panka tags: adopt it (status `failed`,
 *                    so the next plan re-applies the desired configuration over it), or forget
 *                    the intent when nothing exists. Never create it again blindly.
 *                    When the component has left the folder since, nothing wants it any more:
 *                    the kind's delete runs on the names the intent recorded (owned resources
 *                    only; a create cut short may have made some parts and not others, so the
 *                    delete is never skipped on a read). If that delete fails, what it names is
 *                    recorded as a `failed` resource, so the next plan deletes it again.
 *   pending update   the resource is marked `failed`: the next plan updates it again.
 *   pending delete   finish it: the kind's delete runs again on the recorded resource (deletes
 *                    are idempotent: what is gone already is skipped), then it leaves the state.
 *                    A kind deletes several AWS resources (a MicroService: the ECS service, then
 *                    its roles, log group, load balancer, security groups, cluster), so the
 *                    primary being gone does not mean the rest is: the delete is never judged
 *                    finished from a read. If the delete fails, the resource stays, `failed`, and
 *                    the note says why (the next destroy, or plan without it, deletes it again).
 *
 * previewRecovery: the same decisions made read-only, for `panka plan` (and the workbench): what
 * the next apply's recovery will do, and the state it will plan on. It looks in AWS (`find`) but
 * deletes nothing and writes nothing; a delete it foresees is foreseen, not tried.
 *
 * Invariants: recoverPending runs under the caller's lock, writes one state successor when anything changed (and
 * none when nothing did, so a plan made before is not made stale by a no-op), and leaves `pending`
 * empty only for operations it resolved; a pending operation it cannot resolve (its kind has no
 * provider here) stays, with a note saying why.
 */
import path from 'node:path';
import type {KindDefinition} from '../kinds/kind.js';
import {getKind} from '../kinds/registry.js';
import {networkingIds} from '../networking/tenant-network-state.js';
import {pendingCreateNames, recordedNames, withNamesInUse} from '../plan/names-in-use.js';
import {defaultWait, type Provider, type ResourceContext} from '../providers/provider.js';
import {randomUUID} from 'node:crypto';
import type {PendingOperation, RunRecord, StateDocument, StateResource} from '../state/state-document.js';
import {basisOf, readState, type StoredState, writeState} from '../state/state-store.js';
import type {ApplyInput} from './apply-plan.js';
import {recordedResource, recordedTags} from './recorded-resource.js';

/** What applyPlan is given about the stack and its account, with the state as read under the lock. */
export interface RecoverInput
	extends Pick<
		ApplyInput,
		'workspace' | 'backend' | 'key' | 'clients' | 'region' | 'accountId' | 'network' | 'deployedBy' | 'now' | 'wait' | 'deleteOptions'
	> {
	stored: StoredState;
	signal?: AbortSignal;
}

/** What deciding needs (previewing writes nothing, so it needs no backend). */
type ResolveInput = Omit<RecoverInput, 'backend' | 'deployedBy'>;

export interface RecoveryNote {
	address: string;
	operation: PendingOperation['operation'];
	outcome: 'adopted' | 'not-created' | 'marked-failed' | 'deleted' | 'unresolved';
	message: string;
}

export async function recoverPending(input: RecoverInput): Promise<{stored: StoredState; notes: RecoveryNote[]}> {
	const {next, notes} = await resolveAll(input, false);
	if (JSON.stringify(next) === JSON.stringify(input.stored.state)) return {stored: input.stored, notes};
	const now = input.now ?? (() => new Date());
	next.serial = input.stored.state.serial + 1;
	const at = now().toISOString();
	next.metadata = {...next.metadata, deployedBy: input.deployedBy, deployedAt: at, run: resolutionRun(input.stored.state, notes, at)};
	await writeState(input.backend, input.key, next, basisOf(input.stored));
	const stored = await readState(input.backend, input.key);
	if (!stored) throw new Error('state vanished while recovering pending operations');
	return {stored, notes};
}

/** The resolution as a run of its own in the state's history: what it adopted and deleted, complete unless something stays unresolved. */
function resolutionRun(before: StateDocument, notes: readonly RecoveryNote[], at: string): RunRecord {
	const count = (outcome: RecoveryNote['outcome']) => notes.filter((note) => note.outcome === outcome).length;
	return {
		id: randomUUID(),
		operation: 'recover',
		startedAt: at,
		changes: {create: count('adopted'), update: 0, replace: 0, delete: count('deleted')},
		outcome: notes.some((note) => note.outcome === 'unresolved') || before.pending.length > notes.length ? 'partial' : 'completed',
	};
}

/** What the next apply's recovery will do (notes in the future tense) and the state it will plan on; changes nothing. */
export async function previewRecovery(input: ResolveInput): Promise<{state: StateDocument; notes: RecoveryNote[]}> {
	const {next, notes} = await resolveAll(input, true);
	return {state: next, notes};
}

async function resolveAll(input: ResolveInput, preview: boolean): Promise<{next: StateDocument; notes: RecoveryNote[]}> {
	const next: StateDocument = structuredClone(input.stored.state);
	const notes: RecoveryNote[] = [];
	const now = input.now ?? (() => new Date());
	for (const operation of input.stored.state.pending) {
		const note = await resolveOne({operation, state: next, input, now, preview});
		notes.push(note);
		if (note.outcome !== 'unresolved') next.pending = next.pending.filter((p) => p.id !== operation.id);
	}
	return {next, notes};
}

/** One pending operation being resolved: into `state` (a working copy), or only foreseen (`preview`). */
interface Resolving {
	operation: PendingOperation;
	state: StateDocument;
	input: ResolveInput;
	now: () => Date;
	preview: boolean;
}

async function resolveOne(resolving: Resolving): Promise<RecoveryNote> {
	const {operation, state, input, now, preview} = resolving;
	const {address} = operation;
	/** The message as done, or (previewing) as the next apply will do it. */
	const say = (done: string, ahead: string) => `${address}: ${preview ? ahead : done}`;
	const recorded = state.resources[address];
	const base = {address, operation: operation.operation};
	if (operation.operation === 'update' || operation.operation === 'replace') {
		if (recorded) recorded.status = 'failed';
		return {...base, outcome: 'marked-failed', message: `${address}: the interrupted ${operation.operation} will be applied again`};
	}
	const kindName = recorded?.kind ?? operation.kind;
	const kind = kindName ? (getKind(kindName) as KindDefinition<unknown> | undefined) : undefined;
	const provider = await kind?.provider?.();
	if (!kind || !provider)
		return {
			...base,
			outcome: 'unresolved',
			message: `${address}: cannot check the interrupted ${operation.operation}: kind ${kindName ?? 'unknown'} has no provider here`,
		};

	if (operation.operation === 'delete') {
		if (!recorded)
			return {...base, outcome: 'deleted', message: say('already gone from state', 'already gone from state: the intent is dropped')};
		const inVpc = kind.placement(recorded.inputs) === 'private-subnets';
		const context = contextFor(
			input,
			recordedNames(recorded),
			recordedTags(input.key, recorded),
			address,
			operation.token,
			inVpc ? state.networking.stackSecurityGroupId : undefined,
		);
		try {
			if (!preview) await provider.delete(input.deleteOptions ? {...context, deleteOptions: input.deleteOptions} : context, recorded);
		} catch (error) {
			recorded.status = 'failed';
			return {
				...base,
				outcome: 'marked-failed',
				message: `${address}: the interrupted delete could not be finished (${(error as Error).message ?? String(error)}); it stays in state, marked failed, and is deleted again by the next run that deletes it`,
			};
		}
		delete state.resources[address];
		if (!address.endsWith('#deposed'))
			for (const output of Object.keys(state.outputs)) if (output.startsWith(`${recorded.name}.`)) delete state.outputs[output];
		return {
			...base,
			outcome: 'deleted',
			message: say(
				'finished the interrupted delete (what was left of it is deleted); removed from state',
				'- the interrupted delete is finished first (what is left of it is deleted)',
			),
		};
	}

	// create
	const name = address.split('/')[1]?.replace(/#deposed$/, '') ?? address;
	const component = input.workspace.componentsByName.get(name);
	if (!component) return deleteUnwantedCreate(resolving, kind, provider);
	if (!component.valid)
		return {
			...base,
			outcome: 'unresolved',
			message: `${address}: cannot check the interrupted create: ${name} is not valid in the stack folder (panka validate says why)`,
		};
	// The names the interrupted create used: recorded with it (or, from panka 0.1, its old-rule names).
	const named = withNamesInUse(input.workspace, input.stored.state);
	const names = pendingCreateNames(named, named.componentsByName.get(name) ?? component, operation);
	const context = contextFor(
		input,
		names,
		component.tags,
		address,
		operation.token,
		kind.placement(component.spec) === 'private-subnets' ? state.networking.stackSecurityGroupId : undefined,
	);
	const found = await provider.find(context, component.spec);
	if (!found)
		return {
			...base,
			outcome: 'not-created',
			message: say(
				'the interrupted create had not made anything; it will be created',
				'+ the interrupted create had not made anything: it is created as planned',
			),
		};
	const at = now().toISOString();
	state.resources[address] = recordedResource(input.workspace, {...component, physicalNames: names}, found, 'failed', {
		createdAt: at,
		updatedAt: at,
	});
	for (const [output, value] of Object.entries(found.outputs)) state.outputs[`${component.name}.${output}`] = value;
	return {
		...base,
		outcome: 'adopted',
		message: say(
			`adopted ${found.physicalId}, created before the interruption; it will be updated to the desired configuration`,
			`~ adopt ${found.physicalId}, created before the interruption (not created again), then update it to the desired configuration`,
		),
	};
}

/**
 * A pending create whose component has left the folder: delete whatever it made, by the names it
 * recorded and the component's identity tags (the provider's delete touches owned resources only
 * and skips what is missing). A delete that fails leaves the names recorded as a failed resource.
 */
async function deleteUnwantedCreate(
	resolving: Resolving,
	kind: KindDefinition<unknown>,
	provider: Provider<unknown>,
): Promise<RecoveryNote> {
	const {operation, state, input, now, preview} = resolving;
	const {address} = operation;
	const base = {address, operation: operation.operation};
	const [service = '', rest = address] = address.split('/');
	const name = rest.replace(/#deposed$/, '');
	const names = operation.physicalNames ?? (operation.physicalName ? {primary: operation.physicalName} : {});
	const at = now().toISOString();
	const identity = {service, name, inputs: {}};
	const inVpc = placementOf(kind) === 'private-subnets';
	const context = contextFor(
		input,
		names,
		recordedTags(input.key, identity),
		address,
		operation.token,
		inVpc ? state.networking.stackSecurityGroupId : undefined,
	);
	// What exists is looked for with an empty spec (the component's is gone): its outputs tell the delete what to reach.
	const found = await provider.find(context, {}).catch(() => undefined);
	const unwanted: StateResource = {
		kind: kind.kind,
		type: kind.awsType,
		...identity,
		physicalId: found?.physicalId ?? names.primary ?? address,
		status: 'failed',
		outputs: found?.outputs ?? {},
		physicalNames: names,
		dependsOn: [],
		createdAt: at,
		updatedAt: at,
	};
	const outcome = found ? 'deleted' : 'not-created';
	if (preview)
		return {
			...base,
			outcome,
			message: `${address}: - ${found ? `adopt ${found.physicalId}, made before the interruption, and delete it` : 'delete whatever its interrupted create made (nothing found under its name)'}: ${name} is no longer in the folder`,
		};
	const what = found ? `adopted ${found.physicalId}, made before the interruption, and deleted it` : 'nothing it made is left in AWS';
	try {
		await provider.delete(input.deleteOptions ? {...context, deleteOptions: input.deleteOptions} : context, unwanted);
	} catch (error) {
		state.resources[address] = unwanted;
		return {
			...base,
			outcome: 'marked-failed',
			message: `${address}: ${name} is no longer in the folder and what its interrupted create made could not be deleted (${(error as Error).message ?? String(error)}); it is recorded, marked failed, and the next apply or destroy deletes it again`,
		};
	}
	return {
		...base,
		outcome,
		message: `${address}: ${name} is no longer in the folder, so its interrupted create is undone: ${what}; removed from state`,
	};
}

/** A kind's placement judged without a spec (a component that left the folder): VPC kinds place by kind alone. */
function placementOf(kind: KindDefinition<unknown>): 'private-subnets' | 'none' {
	try {
		return kind.placement({});
	} catch {
		return 'none';
	}
}

function contextFor(
	input: ResolveInput,
	names: Record<string, string>,
	tags: Record<string, string> | undefined,
	address: string,
	token: string | undefined,
	stackSecurityGroupId?: string,
): ResourceContext {
	const service = address.split('/')[0] ?? '';
	return {
		clients: input.clients,
		names,
		tags: tags ?? {},
		address,
		region: input.region,
		accountId: input.accountId,
		...(input.network && stackSecurityGroupId ? {networking: networkingIds(input.network, stackSecurityGroupId)} : {}),
		stackRoot: input.workspace.root,
		serviceDir: input.workspace.services.find((s) => s.name === service)?.dir ?? path.join(input.workspace.root, 'services', service),
		signal: input.signal ?? new AbortController().signal,
		progress: () => {},
		token: token ?? 'recovery',
		wait: input.wait ?? defaultWait,
	};
}
