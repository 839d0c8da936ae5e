/**
 * planChanges, specified on the demo stack: what each kind of edit to a folder plans, in which
 * order, with which reasons, and what the planner refuses.
 */
import {describe, expect, it} from 'vitest';
import {desiredHash} from '../../../engine/plan/inputs.js';
import {type Plan, PlanError, planChanges, planHasChanges, targetingWarning} from '../../../engine/plan/plan.js';
import {redactedValue} from '../../../engine/state/state-document.js';
import {loadWorkspace} from '../../../engine/workspace.js';
import {acmeTenant, badStack, copyStack} from '../../helpers/stack-fixture.js';
import {byAddress, deployed, demoCopy, edit, errorsOf, lineage, loadDemo, planTime, removeDocument} from './plan-fixture.js';

const positionOf = (plan: Plan, address: string) => plan.changes.findIndex((c) => c.address === address);
const actions = (plan: Plan) => Object.fromEntries(plan.changes.map((c) => [c.address, c.action]));

describe('against an empty state', () => {
	it('creates every component, dependencies first', async () => {
		const ws = await loadDemo();
		const plan = planChanges(ws, undefined);
		// Ten components, and the stack security group first (components in the tenant VPC need it).
		expect(plan.summary).toEqual({create: 11, update: 0, replace: 0, delete: 0, noop: 0});
		expect(plan.changes[0]).toMatchObject({address: 'stack#security-group', kind: 'SecurityGroup', action: 'create'});
		expect(plan.changes.every((c) => c.action === 'create')).toBe(true);
		for (const [i, change] of plan.changes.entries())
			for (const dependency of change.dependsOn)
				expect(positionOf(plan, dependency), `${dependency} before ${change.address}`).toBeLessThan(i);
		expect(byAddress(plan, 'api/api-server').dependsOn).toEqual(['api/api-db', 'api/notification-queue', 'api/uploads-bucket']);
		// The scheduler service dependsOn worker: both of its components wait for every worker component.
		expect(positionOf(plan, 'scheduler/cron-job')).toBeGreaterThan(positionOf(plan, 'worker/processor'));
	});

	it('records what it was made against and when, with no clock of its own', async () => {
		const ws = await loadDemo();
		const plan = planChanges(ws, undefined);
		expect(plan).toMatchObject({
			formatVersion: 1,
			stack: 'notification-platform',
			tenant: 'notifications-team',
			environment: 'production',
			stateSerial: 0,
			stateLineage: null,
			createdAt: planTime,
			warnings: [],
		});
		expect(plan.desiredHash).toMatch(/^sha256:[0-9a-f]{64}$/);
		expect(plan.desiredHash).toBe(desiredHash(ws));
		expect(planChanges(ws, undefined, {createdAt: '2027-01-01T00:00:00Z'}).createdAt).toBe('2027-01-01T00:00:00Z');
	});

	it('shows each create with its physical name, summary and desired inputs', async () => {
		const plan = planChanges(await loadDemo(), undefined);
		const db = byAddress(plan, 'api/api-db');
		expect(db).toMatchObject({
			kind: 'RDS',
			type: 'AWS::RDS::DBInstance',
			// Hyphenated parts: the identity hash is part of the name (cut to RDS's 63 characters).
			physicalName: expect.stringMatching(/^notifications-team-notification-platform-production-ap-[0-9a-f]{8}$/),
			summary: 'postgres 15 db.t3.medium, 100 GB gp3 (up to 500 GB), multi-AZ, backups 7 days',
			diff: [],
			// It runs in the tenant VPC, so it needs the stack security group created first.
			requires: [{address: 'stack#security-group', relation: 'depends-on'}],
		});
		expect(db.after).toMatchObject({
			engine: {type: 'postgres', version: '15'},
			database: {passwordSecret: {ref: 'production/api/db-password'}},
			tags: {'panka:component': 'api-db', 'cost-center': 'platform-engineering'},
			physicalNames: {primary: db.physicalName},
			networking: {
				vpcCidr: '10.0.0.0/16',
				securityGroups: [
					'notifications-team-default-sg',
					expect.stringMatching(/^notifications-team-notification-platform-production-stack-sg-[0-9a-f]{8}$/),
				],
			},
		});
		expect(db.after).not.toHaveProperty('dependsOn');
		// A create requires the creates it depends on.
		expect(byAddress(plan, 'api/api-server').requires).toEqual([
			{address: 'api/api-db', relation: 'depends-on'},
			{address: 'api/notification-queue', relation: 'depends-on'},
			{address: 'api/uploads-bucket', relation: 'depends-on'},
			{address: 'stack#security-group', relation: 'depends-on'},
		]);
		// Outside the VPC nothing waits for the group.
		expect(byAddress(plan, 'api/notification-queue').requires).toEqual([]);
	});
});

describe('against the state of the same folder', () => {
	it('is a no-op everywhere', async () => {
		const ws = await loadDemo();
		const plan = planChanges(ws, deployed(ws, 7));
		expect(plan.summary).toEqual({create: 0, update: 0, replace: 0, delete: 0, noop: 10});
		expect(planHasChanges(plan)).toBe(false);
		expect(plan).toMatchObject({stateSerial: 7, stateLineage: lineage});
		expect(plan.changes.every((c) => c.diff.length === 0 && c.before === undefined && c.after === undefined)).toBe(true);
	});

	it('survives a JSON round trip of the state (what a backend returns)', async () => {
		const ws = await loadDemo();
		const state = JSON.parse(JSON.stringify(deployed(ws)));
		expect(planChanges(ws, state).summary.noop).toBe(10);
	});
});

describe('updates', () => {
	it('a new replica count is an update with a one-field diff', async () => {
		const ws = await loadDemo();
		const plan = planChanges(await loadDemo(undefined, {vars: {REPLICAS: '4'}}), deployed(ws));
		expect(plan.summary).toEqual({create: 0, update: 1, replace: 0, delete: 0, noop: 9});
		const api = byAddress(plan, 'api/api-server');
		expect(api.action).toBe('update');
		expect(api.diff).toEqual([{path: 'replicas', action: 'change', before: 3, after: 4}]);
		expect(api.reasons).toEqual([]);
	});

	it('diffs environment lists by variable name and maps by key', async () => {
		const dir = demoCopy();
		const ws = await loadDemo(dir);
		edit(
			dir,
			'services/api/ecs.yaml',
			'    - name: PORT\n      value: "${PORT}"\n',
			'    - name: PORT\n      value: "${PORT}"\n    - name: FOO\n      value: bar\n',
		);
		edit(dir, 'services/api/service.yaml', 'MEMORY: "512Mi"', 'MEMORY: "1Gi"');
		edit(dir, 'services/worker/lambda.yaml', 'LOG_LEVEL: "${LOG_LEVEL}"', 'LOG_LEVEL: debug');
		const plan = planChanges(await loadDemo(dir), deployed(ws));
		expect(byAddress(plan, 'api/api-server').diff).toEqual([
			{path: 'runtime.memory', action: 'change', before: 512, after: 1024},
			{path: 'environment[FOO]', action: 'add', after: {value: 'bar'}},
		]);
		expect(byAddress(plan, 'worker/processor').diff).toEqual([
			{path: 'environment.LOG_LEVEL', action: 'change', before: {value: 'info'}, after: {value: 'debug'}},
		]);
	});

	it('a new stack label changes the tags of every resource', async () => {
		const dir = demoCopy();
		const ws = await loadDemo(dir);
		edit(dir, 'stack.yaml', '    team: notifications\n', '    team: messaging\n');
		const plan = planChanges(await loadDemo(dir), deployed(ws));
		expect(plan.summary.update).toBe(10);
		expect(byAddress(plan, 'api/api-db').diff).toEqual([
			{path: 'tags.team', action: 'change', before: 'notifications', after: 'messaging'},
		]);
	});

	it('a resource whose last apply failed is updated even when nothing changed', async () => {
		const ws = await loadDemo();
		const state = deployed(ws);
		state.resources['worker/sessions']!.status = 'failed';
		const sessions = byAddress(planChanges(ws, state), 'worker/sessions');
		expect(sessions).toMatchObject({action: 'update', reasons: ['the last apply of this resource failed'], diff: []});
	});
});

describe('drift (from a refresh)', () => {
	it('a resource changed outside panka is updated back: the diff goes from the AWS value to the configuration', async () => {
		const ws = await loadDemo();
		const drift = [{address: 'api/notification-queue', fields: [{path: 'visibilityTimeout', actual: 60}]}];
		const queue = byAddress(planChanges(ws, deployed(ws), {drift}), 'api/notification-queue');
		expect(queue).toMatchObject({
			action: 'update',
			reasons: ['changed outside panka: visibilityTimeout'],
			diff: [{path: 'visibilityTimeout', action: 'change', before: 60, after: 300}],
		});
	});

	it('the AWS value replaces the recorded one in a field the configuration also changes, and a field AWS already has as configured is no change', async () => {
		const dir = demoCopy();
		const ws = await loadDemo(dir);
		edit(dir, 'services/api/resources.yaml', 'visibilityTimeout: 300', 'visibilityTimeout: 120');
		edit(dir, 'services/api/resources.yaml', 'receiveWaitTime: 20', 'receiveWaitTime: 10');
		const drift = [
			{
				address: 'api/notification-queue',
				fields: [
					{path: 'visibilityTimeout', actual: 60},
					{path: 'receiveWaitTime', actual: 10},
				],
			},
		];
		const queue = byAddress(planChanges(await loadDemo(dir), deployed(ws), {drift}), 'api/notification-queue');
		expect(queue.reasons).toEqual(['changed outside panka: visibilityTimeout']);
		expect(queue.diff).toEqual([
			{path: 'visibilityTimeout', action: 'change', before: 60, after: 120},
			{path: 'receiveWaitTime', action: 'change', before: 20, after: 10},
		]);
	});
});

describe('replaces', () => {
	it('SQS standard → fifo is a replace that names the field; new names allow create-before-delete', async () => {
		const dir = demoCopy();
		const ws = await loadDemo(dir);
		edit(dir, 'services/api/resources.yaml', 'type: standard', 'type: fifo');
		const plan = planChanges(await loadDemo(dir), deployed(ws));
		const queue = byAddress(plan, 'api/notification-queue');
		expect(queue).toMatchObject({
			action: 'replace',
			reasons: ['type cannot change in place', 'the physical name changes'],
			replaceStrategy: 'create-before-delete',
			physicalName: expect.stringMatching(/^notifications-team-notification-platform-production-notification-q-[0-9a-f]{8}\.fifo$/),
			previousPhysicalName: expect.stringMatching(/^notifications-team-notification-platform-production-notification-queue-[0-9a-f]{8}$/),
		});
		expect(queue.diff[0]).toEqual({path: 'type', action: 'change', before: 'standard', after: 'fifo', forcesReplace: true});
		expect(queue.diff.find((d) => d.path === 'physicalNames.deadLetterQueue')?.forcesReplace).toBeUndefined();
	});

	it('a replace that keeps its name must delete first', async () => {
		const dir = demoCopy();
		const ws = await loadDemo(dir);
		edit(dir, 'services/worker/lambda.yaml', '    name: sessionId\n', '    name: userId\n');
		const sessions = byAddress(planChanges(await loadDemo(dir), deployed(ws)), 'worker/sessions');
		expect(sessions).toMatchObject({
			action: 'replace',
			reasons: ['hashKey.name cannot change in place'],
			replaceStrategy: 'delete-before-create',
		});
		expect(sessions.previousPhysicalName).toBeUndefined();
	});

	it('a kind change is a replace', async () => {
		const dir = copyStack();
		const ws = await loadWorkspace(dir, {tenantConfigPath: acmeTenant});
		edit(dir, 'services/worker/table.yaml', 'kind: DynamoDB', 'kind: SQS');
		edit(dir, 'services/worker/table.yaml', 'spec:\n  hashKey:\n    name: orderId\n    type: S\n', 'spec:\n  visibilityTimeout: 30\n');
		const changed = await loadWorkspace(dir, {tenantConfigPath: acmeTenant});
		expect(errorsOf(changed)).toEqual([]);
		const table = byAddress(planChanges(changed, deployed(ws)), 'worker/orders-table');
		expect(table).toMatchObject({
			action: 'replace',
			kind: 'SQS',
			previousKind: 'DynamoDB',
			reasons: ['the kind changes from DynamoDB to SQS'],
			diff: [{path: 'kind', action: 'change', before: 'DynamoDB', after: 'SQS', forcesReplace: true}],
		});
	});

	it('a tainted resource is replaced', async () => {
		const ws = await loadDemo();
		const state = deployed(ws);
		state.resources['api/uploads-bucket']!.status = 'tainted';
		expect(byAddress(planChanges(ws, state), 'api/uploads-bucket')).toMatchObject({
			action: 'replace',
			reasons: ['the resource is marked tainted'],
		});
	});

	it('what reads a replaced component is updated: the value is known only after apply', async () => {
		const dir = demoCopy();
		const ws = await loadDemo(dir);
		edit(dir, 'services/api/resources.yaml', 'type: standard', 'type: fifo');
		const plan = planChanges(await loadDemo(dir), deployed(ws));
		const api = byAddress(plan, 'api/api-server');
		expect(api.action).toBe('update');
		expect(api.reasons).toEqual(['reads api/notification-queue, which is replaced: the value is known only after apply']);
		const reference = {valueFrom: {component: 'notification-queue', output: 'queueUrl'}};
		expect(api.diff).toEqual([
			{
				path: 'environment[QUEUE_URL]',
				action: 'change',
				before: reference,
				after: reference,
				knownAfterApply: {address: 'api/notification-queue', action: 'replace'},
			},
		]);
		// A kind reference (the SQS trigger) counts too; a plain dependsOn does not.
		expect(byAddress(plan, 'worker/processor').diff.map((d) => d.path)).toEqual(['triggers[0].source.component']);
		expect(api.requires).toContainEqual({address: 'api/notification-queue', relation: 'depends-on'});
		expect(positionOf(plan, 'api/notification-queue')).toBeLessThan(positionOf(plan, 'api/api-server'));
	});
});

describe('deletes', () => {
	it('a component removed from the folder is deleted, after what stopped using it was updated', async () => {
		const dir = demoCopy();
		const ws = await loadDemo(dir);
		removeDocument(dir, 'services/worker/lambda.yaml', 'sessions');
		edit(
			dir,
			'services/worker/lambda.yaml',
			'    SESSIONS_TABLE:\n      valueFrom:\n        component: sessions\n        output: tableName\n',
			'',
		);
		const plan = planChanges(await loadDemo(dir), deployed(ws));
		expect(plan.summary).toEqual({create: 0, update: 1, replace: 0, delete: 1, noop: 8});
		const sessions = byAddress(plan, 'worker/sessions');
		expect(sessions).toMatchObject({action: 'delete', kind: 'DynamoDB', reasons: ['no longer in the stack folder'], dependsOn: []});
		expect(sessions.before).toMatchObject({hashKey: {name: 'sessionId'}});
		expect(sessions.requires).toEqual([{address: 'worker/processor', relation: 'used-by'}]);
		expect(byAddress(plan, 'worker/processor').diff).toEqual([
			{path: 'environment.SESSIONS_TABLE', action: 'remove', before: {valueFrom: {component: 'sessions', output: 'tableName'}}},
		]);
		expect(positionOf(plan, 'worker/processor')).toBeLessThan(positionOf(plan, 'worker/sessions'));
	});

	it('deletes run in reverse dependency order, from the dependencies the state recorded', async () => {
		const dir = demoCopy();
		const ws = await loadDemo(dir);
		removeDocument(dir, 'services/worker/lambda.yaml', 'processor');
		removeDocument(dir, 'services/worker/lambda.yaml', 'sessions');
		removeDocument(dir, 'services/worker/lambda.yaml', 'delivery-events');
		const plan = planChanges(await loadDemo(dir), deployed(ws));
		expect(plan.changes.filter((c) => c.action === 'delete').map((c) => c.address)).toEqual([
			'worker/processor',
			'worker/delivery-events',
			'worker/sessions',
		]);
		expect(byAddress(plan, 'worker/processor').dependsOn).toEqual(
			expect.arrayContaining(['worker/sessions', 'worker/delivery-events', 'worker/delivery-status', 'api/notification-queue']),
		);
		expect(byAddress(plan, 'worker/sessions').requires).toEqual([{address: 'worker/processor', relation: 'used-by'}]);
		// Deletes come after every create, update and no-op.
		expect(plan.changes.slice(-3).every((c) => c.action === 'delete')).toBe(true);
	});

	it('deletes everything when the state holds resources of a component now gone and the folder is otherwise new', async () => {
		const ws = await loadDemo();
		const state = deployed(ws);
		state.resources['api/legacy-queue'] = {...state.resources['api/notification-queue']!, name: 'legacy-queue', dependsOn: []};
		const plan = planChanges(ws, state);
		expect(actions(plan)['api/legacy-queue']).toBe('delete');
		expect(plan.changes.at(-1)?.address).toBe('api/legacy-queue');
	});
});

describe('secrets', () => {
	const secret = 'hunter2-do-not-print';

	it('secretRef names may appear; literal secret values never do, and the planner warns about them', async () => {
		const dir = demoCopy();
		edit(dir, 'services/worker/lambda.yaml', 'LOG_LEVEL: "${LOG_LEVEL}"', 'LOG_LEVEL: "${LOG_LEVEL}"\n    STRIPE_API_KEY: "${STRIPE_KEY}"');
		edit(dir, 'services/api/ecs.yaml', '    - name: PORT\n', '    - name: SERVICE_TOKEN\n      value: "${STRIPE_KEY}"\n    - name: PORT\n');
		const ws = await loadDemo(dir, {vars: {STRIPE_KEY: secret}});
		expect(errorsOf(ws)).toEqual([]);
		const plan = planChanges(ws, undefined);
		const text = JSON.stringify(plan);
		expect(text).not.toContain(secret);
		expect(text).toContain('production/api/db-password'); // secretRef and passwordSecret.ref: names
		expect(byAddress(plan, 'worker/processor').after?.environment).toMatchObject({STRIPE_API_KEY: {value: redactedValue}});
		expect(byAddress(plan, 'api/api-server').after?.environment).toContainEqual({name: 'SERVICE_TOKEN', value: redactedValue});
		expect(plan.warnings).toEqual([
			expect.stringMatching(/^api\/api-server: environment\[SERVICE_TOKEN\] looks secret/),
			expect.stringMatching(/^worker\/processor: environment\.STRIPE_API_KEY looks secret/),
		]);
		// The state an apply writes holds the marker too.
		expect(JSON.stringify(deployed(ws))).not.toContain(secret);
	});

	it('an old state that recorded a secret in clear is redacted on the way in', async () => {
		const dir = demoCopy();
		edit(dir, 'services/worker/lambda.yaml', 'LOG_LEVEL: "${LOG_LEVEL}"', 'LOG_LEVEL: "${LOG_LEVEL}"\n    DB_PASSWORD: "${PW}"');
		const ws = await loadDemo(dir, {vars: {PW: 'new-secret'}});
		const state = deployed(ws);
		(state.resources['worker/processor']!.inputs.environment as Record<string, unknown>).DB_PASSWORD = {value: 'old-secret-in-clear'};
		const plan = planChanges(ws, state);
		expect(JSON.stringify(plan)).not.toMatch(/old-secret-in-clear|new-secret/);
		// Both sides are the marker: a change to a sensitive value alone cannot be seen, by design.
		expect(byAddress(plan, 'worker/processor').action).toBe('no-op');
	});

	it('adding or removing a secret variable is visible, its value is not', async () => {
		const dir = demoCopy();
		const ws = await loadDemo(dir);
		edit(dir, 'services/worker/lambda.yaml', 'LOG_LEVEL: "${LOG_LEVEL}"', 'LOG_LEVEL: "${LOG_LEVEL}"\n    DB_PASSWORD: "${PW}"');
		const plan = planChanges(await loadDemo(dir, {vars: {PW: secret}}), deployed(ws));
		expect(byAddress(plan, 'worker/processor').diff).toEqual([
			{path: 'environment.DB_PASSWORD', action: 'add', after: {value: redactedValue}, sensitive: true},
		]);
		expect(plan.desiredHash).toBe(desiredHash(await loadDemo(dir, {vars: {PW: 'another value'}})));
	});
});

describe('--target', () => {
	it('keeps the targets and everything they depend on, and warns', async () => {
		const plan = planChanges(await loadDemo(), undefined, {target: ['api/api-server']});
		expect(plan.changes.map((c) => c.address)).toEqual([
			'stack#security-group',
			'api/api-db',
			'api/notification-queue',
			'api/uploads-bucket',
			'api/api-server',
		]);
		expect(plan.summary.create).toBe(5);
		expect(plan.targets).toEqual(['api/api-server']);
		expect(plan.warnings[0]).toBe(targetingWarning);
		expect(targetingWarning).toMatch(/^resource targeting is in effect.*may be incomplete/);
	});

	it('follows dependencies transitively, unchanged ones included', async () => {
		const ws = await loadDemo();
		const plan = planChanges(await loadDemo(undefined, {vars: {LOG_LEVEL: 'debug'}}), deployed(ws), {target: ['scheduler/daily-digest']});
		expect(actions(plan)['scheduler/daily-digest']).toBe('no-op');
		// daily-digest → notification-queue, and (service scheduler → worker) every worker component.
		expect(Object.keys(actions(plan)).sort()).toEqual([
			'api/notification-queue',
			'scheduler/daily-digest',
			'worker/delivery-events',
			'worker/delivery-status',
			'worker/processor',
			'worker/sessions',
		]);
		expect(actions(plan)['worker/processor']).toBe('update');
	});

	it('a targeted delete brings the deletes of what still used it (the state’s dependencies)', async () => {
		const dir = demoCopy();
		const ws = await loadDemo(dir);
		removeDocument(dir, 'services/worker/lambda.yaml', 'processor');
		removeDocument(dir, 'services/worker/lambda.yaml', 'sessions');
		edit(dir, 'services/api/service.yaml', 'REPLICAS: "3"', 'REPLICAS: "5"');
		const plan = planChanges(await loadDemo(dir), deployed(ws), {target: ['worker/sessions']});
		expect(plan.changes.map((c) => `${c.action} ${c.address}`)).toEqual(['delete worker/processor', 'delete worker/sessions']);
	});

	it('refuses an address that is nowhere, with a suggestion', async () => {
		const ws = await loadDemo();
		expect(() => planChanges(ws, undefined, {target: ['api/api-sever']})).toThrow(PlanError);
		try {
			planChanges(ws, undefined, {target: ['api/api-sever']});
		} catch (error) {
			expect(error).toMatchObject({code: 'unknown-target', message: expect.stringContaining('did you mean "api/api-server"')});
		}
	});
});

describe('refusals and warnings', () => {
	it('refuses a folder with errors, handing back the errors', async () => {
		const ws = await loadWorkspace(badStack('unknown-field'), {tenantConfigPath: acmeTenant});
		const refuse = () => planChanges(ws, undefined);
		expect(refuse).toThrow(PlanError);
		expect(refuse).toThrow(/the stack folder has 1 error; nothing was planned/);
		try {
			refuse();
		} catch (error) {
			expect((error as PlanError).code).toBe('workspace-has-errors');
			expect((error as PlanError).diagnostics.map((d) => d.code)).toEqual(['unknown-field']);
		}
	});

	it('refuses the state of another environment', async () => {
		const ws = await loadDemo();
		const state = deployed(await loadDemo(undefined, {environment: 'staging'}));
		expect(() => planChanges(ws, state)).toThrow(
			/the state belongs to stack notification-platform, tenant notifications-team, environment staging/,
		);
	});

	it('warns about operations an interrupted apply left in flight', async () => {
		const ws = await loadDemo();
		const state = deployed(ws);
		state.pending.push({id: 'op-1', address: 'api/api-db', operation: 'create', startedAt: planTime});
		expect(planChanges(ws, state).warnings).toEqual([
			expect.stringContaining('1 operation an earlier apply started and did not finish (api/api-db)'),
		]);
	});

	it('the desired hash changes with the folder, not with the state or the time', async () => {
		const dir = demoCopy();
		const ws = await loadDemo(dir);
		const before = planChanges(ws, undefined).desiredHash;
		expect(planChanges(ws, deployed(ws), {createdAt: '2030-01-01T00:00:00Z'}).desiredHash).toBe(before);
		edit(dir, 'services/api/resources.yaml', 'visibilityTimeout: 300', 'visibilityTimeout: 301');
		expect(desiredHash(await loadDemo(dir))).not.toBe(before);
	});
});
