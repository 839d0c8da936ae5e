/**
 * The views of `panka state list | show | remove | unlock | push`: lines for a person, or one
 * document each (StateList, StateResource, and a StateChange saying what remove, unlock or push did).
 */
import {environmentLabel, type StateDocument, type StateKey, type StateResource} from '../../engine/index.js';
import {jsonDocument} from '../render/json.js';
import {type StackNotes, stackNotes} from './stack-notes.js';
import type {Views} from './view.js';

/** An edit (remove, push) takes the lock, and may break a dead holder's (`brokeLock`). */
export interface StateView extends Pick<StackNotes, 'brokeLock'> {
	list(key: StateKey, state: StateDocument | undefined, backend: string): void;
	/** One resource, its inputs already redacted. */
	show(
		address: string,
		resource: StateResource,
		context: {environment: string; protected: boolean; released: Record<string, string>},
	): void;
	removed(key: StateKey, address: string, serial: number, physicalId: string | undefined): void;
	noLock(key: StateKey): void;
	unlocked(key: StateKey, lockId: string): void;
	pushed(key: StateKey, file: string, serial: number): void;
}

const sortedResources = (state: StateDocument | undefined) => Object.entries(state?.resources ?? {}).sort(([a], [b]) => a.localeCompare(b));

export const stateViews: Views<StateView> = {
	human: (out) => {
		const {paint} = out;
		const done = (text: string) => out.line(`${paint('✓', 'green')} ${text}`);
		return {
			list(key, state, backend) {
				if (!state) {
					out.line(`No state for stack ${key.stack} (${key.environment}) of tenant ${key.tenant}: nothing deployed.`);
					return;
				}
				const resources = sortedResources(state);
				const width = Math.max(8, ...resources.map(([a]) => a.length));
				for (const [address, r] of resources)
					out.line(
						`${address.padEnd(width)}  ${paint(r.kind.padEnd(12), 'cyan')} ${r.status === 'ready' ? r.status.padEnd(7) : paint(r.status.padEnd(7), 'yellow')} ${paint(r.physicalId, 'gray')}`,
					);
				for (const pending of state.pending)
					out.line(
						paint(`${pending.address}  pending ${pending.operation} since ${pending.startedAt} (the next apply resolves it)`, 'yellow'),
					);
				out.line(paint(`${resources.length} resources · state serial ${state.serial} · lineage ${state.lineage} · ${backend}`, 'gray'));
			},
			show(address, resource, context) {
				out.line(`${paint(address, 'bold')}  ${paint(resource.kind, 'cyan')} (${resource.type})`);
				const released = Object.entries(context.released).map(([name, value]) => `${name} ${value}`);
				for (const [label, value] of [
					['environment', environmentLabel(context.environment, context.protected)],
					...(released.length > 0
						? [['released', `${released.join(', ')} (spec.promote, as the last apply of ${context.environment} recorded)`] as const]
						: []),
					['status', resource.status],
					['physical id', resource.physicalId],
					['created', resource.createdAt],
					['updated', resource.updatedAt],
					['depends on', resource.dependsOn.join(', ') || '—'],
				] as const)
					out.line(`  ${label.padEnd(12)} ${value}`);
				out.line('  physical names');
				for (const [role, name] of Object.entries(resource.physicalNames)) out.line(`    ${role.padEnd(22)} ${name}`);
				out.line('  outputs');
				for (const [name, value] of Object.entries(resource.outputs))
					out.line(`    ${name.padEnd(22)} ${typeof value === 'string' ? value : JSON.stringify(value)}`);
				out.line('  inputs (as last applied; secrets shown as (sensitive))');
				for (const line of JSON.stringify(resource.inputs, null, 2).split('\n')) out.line(`    ${line}`);
			},
			removed: (_key, address, serial, physicalId) =>
				done(
					`removed ${address} from the state (serial ${serial}); ${physicalId ? `${physicalId} still exists in AWS` : 'AWS was not touched'}`,
				),
			noLock: (key) => out.line(`No lock is held on ${key.stack} (${key.environment}); nothing to unlock.`),
			unlocked: (_key, lockId) => done(`lock ${lockId} broken`),
			pushed: (_key, file, serial) => done(`pushed ${file} as state serial ${serial}`),
			brokeLock: stackNotes(out).brokeLock,
		};
	},
	json: (out) => {
		const change = (key: StateKey, body: Record<string, unknown>) => out.line(jsonDocument('StateChange', {stack: key, ...body}));
		return {
			list(key, state) {
				out.line(
					jsonDocument('StateList', {
						stack: key,
						serial: state?.serial ?? 0,
						lineage: state?.lineage ?? null,
						resources: sortedResources(state).map(([address, r]) => ({
							address,
							kind: r.kind,
							type: r.type,
							status: r.status,
							physicalId: r.physicalId,
							updatedAt: r.updatedAt,
						})),
						pending: state?.pending ?? [],
					}),
				);
			},
			show: (address, resource) => out.line(jsonDocument('StateResource', {address, resource})),
			removed: (key, address, serial, physicalId) =>
				change(key, {action: 'remove', address, serial, ...(physicalId ? {leftInAws: physicalId} : {})}),
			noLock: (key) => change(key, {action: 'unlock', unlocked: false}),
			unlocked: (key, lockId) => change(key, {action: 'unlock', unlocked: true, lockId}),
			pushed: (key, file, serial) => change(key, {action: 'push', file, serial}),
			brokeLock: stackNotes(out).brokeLock,
		};
	},
};
