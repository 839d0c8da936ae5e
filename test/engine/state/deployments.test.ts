/**
 * Deployment history (engine/state/deployments.ts, engine/plan/deployment-diff.ts): state versions
 * grouped into the runs that wrote them, named so a serial can be given back on the command line,
 * and what one deployment changed, secrets redacted.
 */
import {describe, expect, it} from 'vitest';
import {deploymentChanges} from '../../../engine/plan/deployment-diff.js';
import {emptyState, redactedValue, type RunRecord, type StateDocument, type StateResource} from '../../../engine/state/state-document.js';
import {findDeployment, groupDeployments, type ReadVersion} from '../../../engine/state/deployments.js';

const key = {tenant: 'acme', stack: 'shop', environment: 'prod'};
const first = 'aaaaaaaa-1111-4111-8111-111111111111';
const second = 'bbbbbbbb-2222-4222-8222-222222222222';

function queue(visibilityTimeout: number, extra: Record<string, unknown> = {}): StateResource {
	return {
		kind: 'SQS',
		type: 'AWS::SQS::Queue',
		service: 'data',
		name: 'orders',
		physicalId: 'https://sqs/orders',
		status: 'ready',
		inputs: {visibilityTimeout, physicalNames: {primary: 'orders'}, ...extra},
		outputs: {},
		physicalNames: {primary: 'orders'},
		dependsOn: [],
		createdAt: '2026-12-01T09:00:00.000Z',
		updatedAt: '2026-12-01T09:00:00.000Z',
	};
}

let versionNumber = 0;
/** One stored version: serial, lineage, written at minute `minute`, by the run `run` (none: before runs were recorded). */
function version(
	serial: number,
	lineage: string,
	minute: number,
	run?: Partial<RunRecord> & {id: string},
	resources: Record<string, StateResource> = {},
): ReadVersion {
	const at = `2026-12-01T09:${String(minute).padStart(2, '0')}:00.000Z`;
	const state: StateDocument = {
		...emptyState(key),
		serial,
		lineage,
		metadata: {
			...key,
			deployedBy: 'ana@laptop',
			deployedAt: at,
			...(run
				? {run: {operation: 'apply', startedAt: at, changes: {create: 1, update: 0, replace: 0, delete: 0}, outcome: 'running', ...run}}
				: {}),
		},
		resources,
	};
	return {version: {id: String(++versionNumber), modified: at, size: 1, latest: false}, state};
}

describe('groupDeployments', () => {
	// Listed as a store may list them: out of order, one lineage destroyed and a new one begun.
	const versions = [
		version(5, first, 9, {id: 'd', operation: 'destroy', outcome: 'completed', changes: {create: 0, update: 0, replace: 0, delete: 1}}),
		version(1, first, 1),
		version(3, first, 5, {id: 'c'}),
		version(2, first, 3, {id: 'c'}),
		version(4, first, 7, {id: 'c', outcome: 'completed'}),
		version(1, second, 12, {id: 'e', operation: 'rollback', rolledBackTo: 3}),
	];
	const deployments = groupDeployments(versions);

	it('makes one deployment of each run, newest first, named by the serial it left', () => {
		expect(deployments.map((d) => [d.label, d.firstSerial, d.operation, d.outcome])).toEqual([
			['1', 1, 'rollback', 'cut-short'],
			[`5@${first.slice(0, 8)}`, 5, 'destroy', 'completed'],
			[`4@${first.slice(0, 8)}`, 2, 'apply', 'completed'],
			[`1@${first.slice(0, 8)}`, 1, 'unknown', 'unknown'],
		]);
		expect(deployments[0]).toMatchObject({current: true, rolledBackTo: 3, by: 'ana@laptop'});
		expect(deployments[3]!.changes).toBeUndefined();
	});

	it('compares each deployment with the last version of the run before it in the same lineage', () => {
		const byLabel = new Map(deployments.map((d) => [d.label, d]));
		const versionOf = (serial: number, lineage: string) =>
			versions.find((v) => v.state.serial === serial && v.state.lineage === lineage)!.version.id;
		expect(byLabel.get(`4@${first.slice(0, 8)}`)).toMatchObject({versionId: versionOf(4, first), beforeVersionId: versionOf(1, first)});
		expect(byLabel.get(`5@${first.slice(0, 8)}`)!.beforeVersionId).toBe(versionOf(4, first));
		expect(byLabel.get('1')!.beforeVersionId).toBeUndefined();
	});

	it('finds a deployment by its serial, by a checkpoint within it, or by serial@lineage; says why when it cannot', () => {
		const history = {deployments, unreadable: [], exists: true};
		const found = (label: string) => {
			const lookup = findDeployment(history, label);
			return lookup.ok ? lookup.deployment.label : lookup.message;
		};
		expect(found('1')).toBe('1');
		expect(found('4@aaaa')).toBe(`4@${first.slice(0, 8)}`);
		expect(found('3@aaaaaaaa')).toBe(`4@${first.slice(0, 8)}`);
		expect(found('4')).toBe(
			`no deployment with serial 4 in the state's history of the current lineage (earlier lineages have one: 4@${first.slice(0, 8)})`,
		);
		expect(found('latest')).toBe('latest is not a serial: expected a number such as 7, or 7@1f2e3d4c for an earlier lineage');
	});
});

describe('deploymentChanges', () => {
	it('gives each resource created, updated or deleted with its field diff, and the promoted variables', () => {
		const before = version(1, first, 1, {id: 'a'}, {'data/orders': queue(30)}).state;
		before.metadata.variables = {VERSION: '1'};
		const after = version(2, first, 2, {id: 'b'}, {'data/orders': queue(90), 'data/audit': {...queue(30), name: 'audit'}}).state;
		after.metadata.variables = {VERSION: '2'};
		const {changes, variables, summary} = deploymentChanges(before, after);
		expect(changes.map((c) => [c.address, c.action])).toEqual([
			['data/audit', 'create'],
			['data/orders', 'update'],
		]);
		expect(changes[1]!.diff).toEqual([{path: 'visibilityTimeout', action: 'change', before: 30, after: 90}]);
		expect(variables).toEqual([{path: 'VERSION', action: 'change', before: '1', after: '2'}]);
		expect(summary).toEqual({create: 1, update: 1, replace: 0, delete: 0});
		expect(deploymentChanges(after, {...after, serial: 3, resources: {}}).changes.map((c) => [c.address, c.action])).toEqual([
			['data/audit', 'delete'],
			['data/orders', 'delete'],
		]);
	});

	it('never shows a secret, even one a hand-edited state holds in the clear', () => {
		const lambda = (token: string): StateResource => ({
			...queue(30),
			kind: 'Lambda',
			type: 'AWS::Lambda::Function',
			inputs: {environment: {API_TOKEN: token, LEVEL: 'info'}},
		});
		const {changes} = deploymentChanges(
			version(1, first, 1, {id: 'a'}, {'data/fn': lambda('old-token')}).state,
			version(
				2,
				first,
				2,
				{id: 'b'},
				{'data/fn': {...lambda('new-token'), inputs: {environment: {API_TOKEN: 'new-token', LEVEL: 'debug'}}}},
			).state,
		);
		expect(JSON.stringify(changes)).not.toMatch(/old-token|new-token/);
		expect(changes[0]!.diff).toEqual([{path: 'environment.LEVEL', action: 'change', before: 'info', after: 'debug'}]);
		expect(changes[0]!.after).toEqual({environment: {API_TOKEN: redactedValue, LEVEL: 'debug'}});
	});
});
