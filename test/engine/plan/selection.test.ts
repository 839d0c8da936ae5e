/**
 * Selection, on hand-built plans: skipping follows dependents, approving pulls in dependencies,
 * deletes run the other way, every cut is explained, and the TUI's operations are incremental.
 *
 * The plan used throughout:
 *
 *   api/db ← api/server ← api/gateway       creates: gateway depends on server depends on db
 *   worker/queue                             an update nothing depends on
 *   worker/report (no-op) → api/db           unchanged, but reads db
 *   old/consumer → old/topic                 both removed; consumer recorded a dependency on topic
 *   kept/app  (stops using old/topic)        an update that lets go of old/topic
 */
import {describe, expect, it} from 'vitest';
import type {Change, ChangeAction, Plan, Requirement} from '../../../engine/plan/plan.js';
import {approveAll, approvedChanges, restoreSelection, selectChanges, SelectionError, toggle} from '../../../engine/plan/selection.js';

type Spec = [address: string, action: ChangeAction, requires?: Array<string | [string, Requirement['relation']]>];

function planOf(...specs: Spec[]): Plan {
	const changes: Change[] = specs.map(([address, action, requires = []]) => ({
		address,
		service: address.split('/')[0]!,
		name: address.split('/')[1]!,
		action,
		kind: 'SQS',
		type: 'AWS::SQS::Queue',
		physicalName: address.replace('/', '-'),
		reasons: [],
		diff: [],
		dependsOn: [],
		requires: requires.map((r) => (typeof r === 'string' ? {address: r, relation: 'depends-on'} : {address: r[0], relation: r[1]})),
	}));
	const summary = {create: 0, update: 0, replace: 0, delete: 0, noop: 0};
	for (const c of changes) summary[c.action === 'no-op' ? 'noop' : c.action]++;
	return {
		formatVersion: 1,
		stack: 's',
		tenant: 't',
		environment: 'e',
		stateSerial: 3,
		stateLineage: 'l',
		desiredHash: 'sha256:x',
		createdAt: 'now',
		changes,
		summary,
		warnings: [],
	};
}

const plan = planOf(
	['api/db', 'create'],
	['api/server', 'create', ['api/db']],
	['api/gateway', 'create', ['api/server']],
	['worker/queue', 'update'],
	['worker/report', 'no-op', ['api/db']],
	['kept/app', 'update'],
	['old/consumer', 'delete'],
	[
		'old/topic',
		'delete',
		[
			['old/consumer', 'used-by'],
			['kept/app', 'used-by'],
		],
	],
);

const sorted = (set: ReadonlySet<string>) => [...set].sort();

describe('skipping', () => {
	it('skips every change that depends on a skipped one, naming the chain', () => {
		const selection = selectChanges(plan, {skip: ['api/db']});
		expect(Object.fromEntries(selection.skipped)).toEqual({
			'api/db': 'skipped as requested',
			'api/server': 'skipped because it depends on api/db, which is skipped',
			'api/gateway': 'skipped because it depends on api/server, which depends on api/db, which is skipped',
		});
		expect(sorted(selection.approved)).toEqual(['kept/app', 'old/consumer', 'old/topic', 'worker/queue']);
		expect(selection.partial).toBe(true);
		expect(selection.explanations).toEqual([
			{address: 'api/server', decision: 'skipped', because: ['api/db'], message: 'skipped because it depends on api/db, which is skipped'},
			{
				address: 'api/gateway',
				decision: 'skipped',
				because: ['api/server', 'api/db'],
				message: 'skipped because it depends on api/server, which depends on api/db, which is skipped',
			},
		]);
	});

	it('skipping a leaf skips nothing else; no-ops are never approved or skipped', () => {
		const selection = selectChanges(plan, {skip: ['api/gateway']});
		expect([...selection.skipped.keys()]).toEqual(['api/gateway']);
		expect(selection.explanations).toEqual([]);
		expect(selection.approved.has('worker/report')).toBe(false);
		expect(selection.skipped.has('worker/report')).toBe(false);
	});

	it('elides the middle of long chains', () => {
		const chain = planOf(['c/0', 'create'], ...Array.from({length: 6}, (_, i): Spec => [`c/${i + 1}`, 'create', [`c/${i}`]]));
		expect(selectChanges(chain, {skip: ['c/0']}).skipped.get('c/6')).toBe(
			'skipped because it depends on c/5, which depends on c/4, which depends on c/3, which (through 2 more) leads to c/0, which is skipped',
		);
	});
});

describe('approving', () => {
	it('pulls in what an approved change depends on, and skips the rest', () => {
		const selection = selectChanges(plan, {approve: ['api/gateway']});
		expect(sorted(selection.approved)).toEqual(['api/db', 'api/gateway', 'api/server']);
		expect(selection.explanations).toEqual([
			{address: 'api/db', decision: 'approved', because: ['api/server'], message: 'approved because api/server needs it'},
			{address: 'api/server', decision: 'approved', because: ['api/gateway'], message: 'approved because api/gateway needs it'},
		]);
		expect(selection.skipped.get('worker/queue')).toBe('not approved');
		expect(selection.partial).toBe(true);
	});

	it('a target may be unchanged: its changing dependencies are approved', () => {
		const selection = selectChanges(plan, {target: ['worker/report']});
		expect(sorted(selection.approved)).toEqual(['api/db']);
		expect(selection.explanations).toEqual([
			{address: 'api/db', decision: 'approved', because: ['worker/report'], message: 'approved because worker/report needs it'},
		]);
		expect(selection.skipped.get('api/server')).toBe('not targeted');
	});

	it('approveAll approves every change and is not partial', () => {
		const selection = approveAll(plan);
		expect(selection.approved.size).toBe(7);
		expect(selection.skipped.size).toBe(0);
		expect(selection.partial).toBe(false);
		expect(approvedChanges(plan, selection).map((c) => c.address)).toEqual(
			plan.changes.filter((c) => c.action !== 'no-op').map((c) => c.address),
		);
	});
});

describe('deletes run in reverse', () => {
	// Rule: the delete of X needs whatever still uses X to let go first (a removed user is deleted,
	// a kept user is updated). Skipping that user's change therefore keeps X; skipping X's delete
	// keeps nothing else, since nothing needs X gone.
	it('skipping the delete of a removed resource keeps what it depends on', () => {
		const selection = selectChanges(plan, {skip: ['old/consumer']});
		expect(selection.skipped.get('old/topic')).toBe('skipped because it is still used by old/consumer, which is skipped');
	});

	it('skipping the update that lets go of a resource keeps that resource', () => {
		expect(selectChanges(plan, {skip: ['kept/app']}).skipped.get('old/topic')).toBe(
			'skipped because it is still used by kept/app, which is skipped',
		);
	});

	it('skipping the delete of a dependency does not keep its users', () => {
		const selection = selectChanges(plan, {skip: ['old/topic']});
		expect([...selection.skipped.keys()]).toEqual(['old/topic']);
		expect(selection.approved.has('old/consumer')).toBe(true);
	});

	it('approving a delete approves the deletes and updates that must come first', () => {
		const selection = selectChanges(plan, {approve: ['old/topic']});
		expect(sorted(selection.approved)).toEqual(['kept/app', 'old/consumer', 'old/topic']);
		expect(selection.explanations.map((e) => e.message)).toEqual([
			'approved because deleting old/topic needs it updated first (it still uses old/topic)',
			'approved because deleting old/topic needs it deleted first (it still uses old/topic)',
		]);
	});
});

describe('toggling, as the review does', () => {
	it('skips a change with its dependents, then brings them back when it is approved again', () => {
		const skipped = toggle(approveAll(plan), plan, 'api/db');
		expect(sorted(new Set(skipped.skipped.keys()))).toEqual(['api/db', 'api/gateway', 'api/server']);
		expect(skipped.explanations.map((e) => `${e.decision} ${e.address}`)).toEqual(['skipped api/server', 'skipped api/gateway']);
		expect(skipped.partial).toBe(true);

		const again = toggle(skipped, plan, 'api/db');
		expect(again.skipped.size).toBe(0);
		expect(again.partial).toBe(false);
		expect(again.explanations).toEqual([
			{address: 'api/server', decision: 'approved', because: [], message: 'approved: nothing it needs is skipped any more'},
			{address: 'api/gateway', decision: 'approved', because: [], message: 'approved: nothing it needs is skipped any more'},
		]);
	});

	it('approving a change skipped because of a dependency approves the dependency too', () => {
		const skipped = toggle(approveAll(plan), plan, 'api/db');
		const approved = toggle(skipped, plan, 'api/server');
		expect(approved.approved.has('api/server')).toBe(true);
		expect(approved.approved.has('api/db')).toBe(true);
		expect(approved.explanations).toContainEqual({
			address: 'api/db',
			decision: 'approved',
			because: ['api/server'],
			message: 'approved because api/server needs it',
		});
	});

	it('works on a selection made by approving', () => {
		const selection = toggle(selectChanges(plan, {approve: ['api/db']}), plan, 'worker/queue');
		expect(sorted(selection.approved)).toEqual(['api/db', 'worker/queue']);
		expect(selection.explanations).toEqual([]);
	});

	it('refuses addresses that are not changes of the plan', () => {
		expect(() => toggle(approveAll(plan), plan, 'api/nope')).toThrow(SelectionError);
		expect(() => toggle(approveAll(plan), plan, 'worker/report')).toThrow(/worker\/report has no changes to approve or skip/);
		expect(() => selectChanges(plan, {skip: ['api/nope']})).toThrow(/api\/nope is not in this plan/);
	});

	it('restores from its requested skips', () => {
		const selection = toggle(toggle(approveAll(plan), plan, 'api/server'), plan, 'old/consumer');
		const restored = restoreSelection(plan, selection.requestedSkips);
		expect(sorted(restored.approved)).toEqual(sorted(selection.approved));
		expect(restored.skipped).toEqual(selection.skipped);
	});
});
