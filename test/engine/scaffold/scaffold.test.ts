/**
 * Scaffolding writes real, valid stacks: every template, alone and together, validates clean
 * (its Lambda code folders included), and nothing is ever overwritten.
 */
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it, vi} from 'vitest';
import {planServiceAdd, planServiceRemove, planStackInit, ScaffoldConflict, writeScaffold} from '../../../engine/scaffold/scaffold.js';
import {templateNames} from '../../../engine/scaffold/templates.js';
import {loadWorkspace} from '../../../engine/workspace.js';
import type {Workspace} from '../../../engine/workspace.js';
import {lambdaContext, loadLambdaHandler} from '../../helpers/lambda-node-runtime.js';
import {acmeTenant, copyStack, demoStack, tempDir} from '../../helpers/stack-fixture.js';

/** Every zip Lambda of a workspace, its handler loaded as AWS's Node.js runtime loads it and invoked once. */
async function invokeEveryHandler(ws: Workspace, event: unknown): Promise<Array<{address: string; result: unknown}>> {
	const log = vi.spyOn(console, 'log').mockImplementation(() => {});
	try {
		const results: Array<{address: string; result: unknown}> = [];
		for (const component of ws.components.filter((c) => c.kind === 'Lambda')) {
			const spec = component.spec as {runtime: string; handler: string; code: {path: string}};
			expect(spec.runtime).toMatch(/^nodejs(22|24)\.x$/);
			const service = ws.services.find((s) => s.name === component.service)!;
			const codeDir = path.join(ws.root, 'services', service.dirName, spec.code.path);
			const handler = await loadLambdaHandler(codeDir, spec.handler);
			results.push({address: component.address, result: await handler(event, lambdaContext(component.name))});
		}
		return results;
	} finally {
		log.mockRestore();
	}
}

const sqsEvent = {Records: [{messageId: '1', body: '{"id":"a"}', eventSource: 'aws:sqs'}]};

async function initStack(request: Omit<Parameters<typeof planStackInit>[0], 'parentDir'>) {
	const plan = planStackInit({parentDir: tempDir(), ...request});
	if (!plan.ok) throw new Error(plan.problems.join('; '));
	await writeScaffold(plan);
	return plan.base;
}

describe('stack init', () => {
	it('writes stack.yaml and one service folder per --services entry, as in the contract', async () => {
		const dir = await initStack({name: 'notification-platform', services: ['api', 'worker', 'scheduler']});
		for (const file of ['stack.yaml', 'services/api/service.yaml', 'services/worker/service.yaml', 'services/scheduler/service.yaml'])
			expect(existsSync(path.join(dir, file))).toBe(true);
		const ws = await loadWorkspace(dir);
		expect(ws.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
		expect(ws.stack.name).toBe('notification-platform');
		expect(ws.services.map((s) => s.name)).toEqual(['api', 'scheduler', 'worker']);
	});

	for (const template of templateNames) {
		it(`the ${template} template validates clean`, async () => {
			const dir = await initStack({
				name: 'shop',
				services: ['orders', 'billing'],
				template,
				tenant: 'acme',
				environments: ['staging', 'production'],
			});
			const ws = await loadWorkspace(dir, {tenantConfigPath: acmeTenant});
			expect(ws.diagnostics.filter((d) => d.severity === 'error' && d.code !== 'kind-not-allowed')).toEqual([]);
			expect(ws.environment).toBe('staging');
			expect(ws.environments).toEqual(['staging', 'production']);
		});
	}

	it('writes a stack deployable as written: its tenant, its environments, no placeholder comments', async () => {
		const dir = await initStack({name: 'shop', services: ['orders'], tenant: 'acme', environments: ['staging', 'production']});
		const written = [
			readFileSync(path.join(dir, 'stack.yaml'), 'utf8'),
			readFileSync(path.join(dir, 'services/orders/service.yaml'), 'utf8'),
		];
		expect(written[0]).toContain('  tenant: acme\n');
		expect(written[0]).toContain('  environments:\n    staging: {}\n    production: {}\n');
		for (const text of written) expect(text).not.toMatch(/TODO|your-tenant|later release|^\s*# [a-z]+:/m);
		expect((await loadWorkspace(dir)).environments).toEqual(['staging', 'production']);
	});

	it('refuses an environment listed twice or badly named, and an empty list', () => {
		const problems = (environments: string[]) => {
			const plan = planStackInit({parentDir: tempDir(), name: 'shop', environments});
			return plan.ok ? [] : plan.problems;
		};
		expect(problems(['staging', 'staging'])).toEqual(['environment "staging" is listed twice']);
		expect(problems([])).toEqual(['a stack declares at least one environment']);
		expect(problems(['Prod'])).toHaveLength(1);
	});

	it('wires the http-api template with valueFrom', async () => {
		const dir = await initStack({name: 'shop', services: ['orders'], template: 'http-api'});
		const ws = await loadWorkspace(dir);
		expect(ws.graph.dependenciesOf('orders-server')).toEqual(['orders-db', 'orders-queue']);
		expect(ws.componentsByName.get('orders-server')?.kind).toBe('MicroService');
	});

	it('wires the worker template: Lambda ← SQS trigger, → DynamoDB', async () => {
		const ws = await loadWorkspace(await initStack({name: 'shop', services: ['jobs'], template: 'worker'}));
		expect(ws.graph.edge('jobs-function', 'jobs-queue')?.labels).toContain('sqs trigger');
		expect(ws.graph.edge('jobs-function', 'jobs-table')?.labels).toContain('valueFrom jobs-table.tableName');
	});

	it('writes Lambda handlers that start on AWS: each loads the way the Node.js Lambda runtime loads it, and answers', async () => {
		const dir = await initStack({name: 'shop', services: ['jobs', 'reports'], template: 'worker'});
		expect(await invokeEveryHandler(await loadWorkspace(dir), sqsEvent)).toEqual([
			{address: 'jobs/jobs-function', result: {ok: true}},
			{address: 'reports/reports-function', result: {ok: true}},
		]);
		const scheduled = await initStack({name: 'cron', services: ['nightly'], template: 'scheduled'});
		expect(await invokeEveryHandler(await loadWorkspace(scheduled), {source: 'aws.events'})).toEqual([
			{address: 'nightly/nightly-job', result: {ok: true}},
		]);
	});

	it('the runtime loader fails as AWS does on an ES module saved as index.js without "type": "module"', async () => {
		const dir = tempDir();
		writeFileSync(path.join(dir, 'index.js'), 'export const handler = async () => 1;\n');
		await expect(loadLambdaHandler(dir, 'index.handler')).rejects.toThrow(SyntaxError);
		writeFileSync(path.join(dir, 'package.json'), '{"type": "module"}\n');
		expect(await (await loadLambdaHandler(dir, 'index.handler'))({}, {})).toBe(1);
		mkdirSync(path.join(dir, 'cjs'));
		writeFileSync(path.join(dir, 'cjs', 'index.cjs'), 'exports.run = async () => 2;\n');
		expect(await (await loadLambdaHandler(path.join(dir, 'cjs'), 'index.run'))({}, {})).toBe(2);
		await expect(loadLambdaHandler(dir, 'missing.handler')).rejects.toThrow(/Runtime.ImportModuleError/);
	});

	it('the http-api template serves its health check: image, port and path agree (nginx answers / on 80)', async () => {
		const ws = await loadWorkspace(await initStack({name: 'shop', services: ['web'], template: 'http-api'}));
		const spec = ws.componentsByName.get('web-server')?.spec as {
			image: {repository: string};
			ports: Array<{port: number; protocol: string}>;
			healthCheck: {path: string; port: number};
		};
		expect(spec.image.repository).toBe('public.ecr.aws/nginx/nginx');
		expect(spec.ports).toEqual([expect.objectContaining({port: 80, protocol: 'http'})]);
		expect(spec.healthCheck).toMatchObject({path: '/', port: 80});
	});

	it('refuses bad names, duplicate services and an existing folder, writing nothing', () => {
		const parentDir = tempDir();
		expect(planStackInit({parentDir, name: 'Shop'})).toMatchObject({ok: false, problems: [expect.stringMatching(/uppercase/)]});
		expect(planStackInit({parentDir, name: '../escape'})).toMatchObject({ok: false});
		expect(planStackInit({parentDir, name: 'shop', services: ['a', 'a']})).toMatchObject({
			ok: false,
			problems: ['service "a" is listed twice'],
		});
		expect(planStackInit({parentDir: path.dirname(demoStack), name: 'notification-platform'})).toMatchObject({
			ok: false,
			problems: [expect.stringMatching(/already exists/)],
		});
	});
});

describe('service add', () => {
	it('adds a service that validates with the rest of the stack', async () => {
		const dir = copyStack();
		const plan = planServiceAdd(await loadWorkspace(dir), {name: 'reports', template: 'scheduled'});
		expect(plan).toMatchObject({
			ok: true,
			files: [
				{path: 'services/reports/service.yaml'},
				{path: 'services/reports/lambda.yaml'},
				{path: 'services/reports/src/reports-job/index.mjs'},
			],
		});
		if (plan.ok) await writeScaffold(plan);
		const ws = await loadWorkspace(dir);
		expect(ws.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
		expect(ws.componentsByName.get('reports-job')?.kind).toBe('Lambda');
	});

	it('refuses an existing service and component-name collisions', async () => {
		const ws = await loadWorkspace(copyStack());
		expect(planServiceAdd(ws, {name: 'api'})).toMatchObject({ok: false, problems: [expect.stringMatching(/already exists/)]});
		expect(planServiceAdd(ws, {name: 'orders', template: 'worker'})).toMatchObject({
			ok: false,
			problems: [
				expect.stringMatching(/"orders-queue" already exists \(api\/orders-queue\)/),
				expect.stringMatching(/"orders-table" already exists \(worker\/orders-table\)/),
			],
		});
	});

	it('never overwrites a file, even if one appears after planning', async () => {
		const dir = copyStack();
		const plan = planServiceAdd(await loadWorkspace(dir), {name: 'late'});
		if (!plan.ok) throw new Error('plan failed');
		const target = path.join(dir, 'services/late/service.yaml');
		await import('node:fs').then((fs) => fs.mkdirSync(path.dirname(target), {recursive: true}));
		writeFileSync(target, 'mine');
		await expect(writeScaffold(plan)).rejects.toBeInstanceOf(ScaffoldConflict);
		expect(readFileSync(target, 'utf8')).toBe('mine');
	});
});

describe('service remove', () => {
	it('names every use of the service by other services', async () => {
		const ws = await loadWorkspace(copyStack());
		expect(planServiceRemove(ws, 'api')).toMatchObject({ok: true});
		const demo = await loadWorkspace(demoStack);
		const plan = planServiceRemove(demo, 'worker');
		expect(plan.ok).toBe(false);
		expect(plan.problems).toEqual(
			expect.arrayContaining([
				'scheduler/cron-job uses worker/delivery-status (valueFrom delivery-status.tableName, service scheduler → worker)',
				'service scheduler dependsOn worker',
			]),
		);
	});
});

describe('the demo stack', () => {
	it('ships Lambda handlers that start on AWS (loaded as the Node.js Lambda runtime loads them)', async () => {
		const results = await invokeEveryHandler(await loadWorkspace(demoStack), sqsEvent);
		expect(results.map((r) => r.address)).toEqual(['scheduler/cron-job', 'worker/processor']);
	});
});
