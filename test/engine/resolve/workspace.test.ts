/**
 * loadWorkspace on real folders: the demo stack resolves clean, and each resolution rule
 * (variables, config/*.env, defaults from folders, environments, networking inheritance, physical
 * names, tags, tenant limits, references as dependencies) does what the contract says.
 */
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {explainComponent} from '../../../engine/resolve/explain.js';
import {componentDiagnostics, loadWorkspace} from '../../../engine/workspace.js';
import {acmeTenant, copyStack, demoStack, demoTenant} from '../../helpers/stack-fixture.js';

const errorsOf = (ws: Awaited<ReturnType<typeof loadWorkspace>>) => ws.diagnostics.filter((d) => d.severity === 'error');

describe('the demo stack', () => {
	it('validates clean against the demo tenant', async () => {
		const ws = await loadWorkspace(demoStack, {tenantConfigPath: demoTenant});
		expect(ws.diagnostics).toEqual([]);
		expect(ws.stack.name).toBe('notification-platform');
		expect(ws.environment).toBe('staging');
		expect(ws.environments).toEqual(['staging', 'production']);
		expect(ws.tenantName).toBe('notifications-team');
		expect(ws.services.map((s) => s.name)).toEqual(['api', 'scheduler', 'worker']);
		expect(ws.components.map((c) => c.address)).toEqual([
			'api/api-db',
			'api/api-server',
			'api/notification-queue',
			'api/uploads-bucket',
			'scheduler/cron-job',
			'scheduler/daily-digest',
			'worker/delivery-events',
			'worker/delivery-status',
			'worker/processor',
			'worker/sessions',
		]);
	});

	it('coerces and normalises interpolated values (CPU "256m", MEMORY "512Mi", REPLICAS "3" in production)', async () => {
		const ws = await loadWorkspace(demoStack, {tenantConfigPath: demoTenant, environment: 'production'});
		const api = ws.componentsByName.get('api-server')!;
		const spec = api.spec as {runtime: {cpu: number; memory: number}; replicas: number; image: {tag: string}};
		expect(spec.runtime).toMatchObject({cpu: 256, memory: 512});
		expect(spec.replicas).toBe(3);
		expect(spec.image.tag).toBe('latest'); // ${VERSION:-latest}
	});

	it('turns every valueFrom into a dependency edge', async () => {
		const ws = await loadWorkspace(demoStack, {tenantConfigPath: demoTenant});
		expect(ws.graph.dependenciesOf('api-server')).toEqual(expect.arrayContaining(['api-db', 'notification-queue', 'uploads-bucket']));
		expect(ws.graph.dependenciesOf('processor')).toEqual(
			expect.arrayContaining(['sessions', 'delivery-status', 'delivery-events', 'notification-queue']),
		);
		expect(ws.graph.edge('processor', 'notification-queue')?.labels).toContain('sqs trigger');
		expect(ws.graph.cycles).toEqual([]);
	});

	it('makes every component of a service wait for the services it dependsOn', async () => {
		const ws = await loadWorkspace(demoStack, {tenantConfigPath: demoTenant});
		expect(ws.graph.edge('daily-digest', 'sessions')?.labels).toContain('service scheduler → worker');
	});

	it('merges config/*.env into the environment of the service components, spec values first', async () => {
		const ws = await loadWorkspace(demoStack, {tenantConfigPath: demoTenant});
		const env = (ws.componentsByName.get('api-server')!.spec as {environment: Array<{name: string; value?: string}>}).environment;
		expect(env.find((e) => e.name === 'FEATURE_FLAGS')?.value).toBe('templates,batching');
		expect(env.find((e) => e.name === 'MAX_UPLOAD_MB')?.value).toBe('25');
		expect(env.findIndex((e) => e.name === 'FEATURE_FLAGS')).toBeGreaterThan(env.findIndex((e) => e.name === 'UPLOADS_BUCKET'));
	});

	it('inherits networking tenant → stack for VPC components only', async () => {
		const ws = await loadWorkspace(demoStack, {tenantConfigPath: demoTenant});
		const api = ws.componentsByName.get('api-server')!;
		expect(api.networking?.subnets.map((s) => s.cidrBlock)).toEqual(['10.0.10.0/24', '10.0.20.0/24']);
		expect(api.networking?.securityGroups.map((g) => g.origin)).toEqual(['tenant', 'stack']);
		expect(api.networking?.securityGroups[0]?.name).toBe('notifications-team-default-sg');
		expect(api.networking?.securityGroups[1]?.ingress).toEqual(expect.arrayContaining(['tcp 443 0.0.0.0/0', 'tcp 80 0.0.0.0/0']));
		expect(ws.componentsByName.get('processor')!.networking).toBeDefined(); // vpc.enabled: true
		expect(ws.componentsByName.get('cron-job')!.networking).toBeUndefined(); // no vpc
		expect(ws.componentsByName.get('notification-queue')!.networking).toBeUndefined();
	});

	it('tags each resource with tenant defaults, labels, its environment’s tags and the panka identity', async () => {
		const ws = await loadWorkspace(demoStack, {tenantConfigPath: demoTenant, environment: 'production'});
		expect(ws.componentsByName.get('sessions')!.tags).toEqual({
			tenant: 'notifications-team',
			'managed-by': 'panka',
			'cost-center': 'platform-engineering',
			environment: 'production',
			team: 'notifications',
			tier: 'backend',
			'panka:tenant': 'notifications-team',
			'panka:stack': 'notification-platform',
			'panka:env': 'production',
			'panka:service': 'worker',
			'panka:component': 'sessions',
		});
	});

	it('gives deterministic physical names within AWS limits', async () => {
		const a = await loadWorkspace(demoStack, {tenantConfigPath: demoTenant});
		const b = await loadWorkspace(demoStack, {tenantConfigPath: demoTenant, environment: 'production'});
		const again = await loadWorkspace(demoStack, {tenantConfigPath: demoTenant});
		const bucket = a.componentsByName.get('uploads-bucket')!.physicalNames.primary!;
		expect(bucket).toMatch(/^[a-z0-9-]{3,63}$/);
		expect(again.componentsByName.get('uploads-bucket')!.physicalNames.primary).toBe(bucket);
		expect(b.componentsByName.get('uploads-bucket')!.physicalNames.primary).not.toBe(bucket);
		expect(a.componentsByName.get('processor')!.physicalNames.primary!.length).toBeLessThanOrEqual(64);
		expect(a.componentsByName.get('api-server')!.physicalNames.loadBalancer!.length).toBeLessThanOrEqual(32);
	});
});

describe('variables', () => {
	it('take --var over PANKA_VAR_ over service over stack', async () => {
		const dir = copyStack();
		const base = await loadWorkspace(dir);
		expect((base.componentsByName.get('web')!.spec as {replicas: number}).replicas).toBe(2);
		const fromEnv = await loadWorkspace(dir, {env: {PANKA_VAR_REPLICAS: '4'}});
		expect((fromEnv.componentsByName.get('web')!.spec as {replicas: number}).replicas).toBe(4);
		const fromFlag = await loadWorkspace(dir, {env: {PANKA_VAR_REPLICAS: '4'}, vars: {REPLICAS: '5'}});
		expect((fromFlag.componentsByName.get('web')!.spec as {replicas: number}).replicas).toBe(5);
	});

	it('are recorded with their origin, so a value can be explained', async () => {
		const ws = await loadWorkspace(demoStack, {tenantConfigPath: demoTenant});
		const explained = explainComponent(ws, 'api-server')!;
		const cpu = explained.values.find((v) => v.path === 'runtime.cpu')!;
		expect(cpu.value).toBe('256');
		expect(cpu.written).toBe('256m');
		expect(cpu.origin).toMatchObject({type: 'variable', template: '${CPU}'});
		expect(cpu.origin.type === 'variable' && cpu.origin.uses).toMatchObject([
			{name: 'CPU', value: '256m', origin: {type: 'file', scope: 'service', file: 'services/api/service.yaml', line: 15}},
		]);
		expect(explained.values.find((v) => v.path === 'image.repository')?.origin).toMatchObject({
			type: 'file',
			position: {file: 'services/api/ecs.yaml', line: 11},
		});
		expect(explained.values.find((v) => v.path === 'image.pullPolicy')?.origin.type).toBe('file');
		expect(explained.values.some((v) => v.origin.type === 'default')).toBe(true);
		expect(explained.values.find((v) => v.value === 'templates,batching')?.origin).toMatchObject({
			type: 'env-file',
			file: 'services/api/config/app.env',
		});
		expect(explained.dependencies.map((d) => d.name)).toEqual(expect.arrayContaining(['api-db', 'notification-queue', 'uploads-bucket']));
		expect(explainComponent(ws, 'notification-queue')!.outputs.find((o) => o.name === 'queueUrl')?.usedBy).toEqual(
			expect.arrayContaining(['api/api-server', 'scheduler/cron-job']),
		);
	});

	it('support defaults, nested defaults and the $${…} escape', async () => {
		const dir = copyStack();
		writeFileSync(
			path.join(dir, 'services/api/queue.yaml'),
			'apiVersion: components.panka.io/v1\nkind: SQS\nmetadata:\n  name: orders-queue\nspec:\n  visibilityTimeout: "${TIMEOUT:-${FALLBACK:-45}}"\n  tags:\n    literal: "$${NOT_A_VAR}"\n',
		);
		const ws = await loadWorkspace(dir);
		expect(errorsOf(ws)).toEqual([]);
		const spec = ws.componentsByName.get('orders-queue')!.spec as {visibilityTimeout: number; tags: Record<string, string>};
		expect(spec.visibilityTimeout).toBe(45);
		expect(spec.tags.literal).toBe('${NOT_A_VAR}');
	});

	it('that refer to each other in a loop are an error at the definition', async () => {
		const dir = copyStack();
		const stackFile = path.join(dir, 'stack.yaml');
		writeFileSync(stackFile, readFileSync(stackFile, 'utf8').replace('LOG_LEVEL: debug', 'LOG_LEVEL: "${A}"\n    A: "${LOG_LEVEL}"'));
		const ws = await loadWorkspace(dir);
		expect(errorsOf(ws).find((d) => d.code === 'invalid-variable')?.message).toMatch(
			/variable loop: (A → LOG_LEVEL → A|LOG_LEVEL → A → LOG_LEVEL)/,
		);
	});
});

describe('folders and metadata', () => {
	it('default metadata.service and metadata.stack from the folders', async () => {
		const ws = await loadWorkspace(copyStack());
		const table = ws.componentsByName.get('orders-table')!;
		expect(table.service).toBe('worker');
		expect(table.address).toBe('worker/orders-table');
	});

	it('report a component whose metadata.service names another folder', async () => {
		const dir = copyStack();
		writeFileSync(
			path.join(dir, 'services/worker/table.yaml'),
			readFileSync(path.join(dir, 'services/worker/table.yaml'), 'utf8').replace(
				'  name: orders-table',
				'  name: orders-table\n  service: api',
			),
		);
		const ws = await loadWorkspace(dir);
		expect(errorsOf(ws)).toMatchObject([{code: 'service-mismatch', file: 'services/worker/table.yaml', line: 5}]);
	});

	it('pick the environment from --env, else labels.environment, else default', async () => {
		const dir = copyStack();
		expect((await loadWorkspace(dir)).environment).toBe('staging');
		expect((await loadWorkspace(dir, {environment: 'prod'})).environment).toBe('prod');
		const bad = await loadWorkspace(dir, {environment: 'Prod/../x'});
		expect(errorsOf(bad)).toMatchObject([{code: 'invalid-name', flag: '--env'}]);
	});

	it('counts diagnostics per component document', async () => {
		const dir = copyStack();
		writeFileSync(
			path.join(dir, 'services/api/queue.yaml'),
			'apiVersion: components.panka.io/v1\nkind: SQS\nmetadata:\n  name: orders-queue\nspec:\n  visibilityTimeout: -1\n',
		);
		const ws = await loadWorkspace(dir);
		expect(componentDiagnostics(ws, ws.componentsByName.get('orders-queue')!)).toHaveLength(1);
		expect(componentDiagnostics(ws, ws.componentsByName.get('web')!)).toHaveLength(0);
	});
});

describe('tenant rules', () => {
	it('refuse kinds the tenant does not allow, at the kind line', async () => {
		const dir = copyStack();
		writeFileSync(
			path.join(dir, 'services/worker/bucket.yaml'),
			'apiVersion: components.panka.io/v1\nkind: S3\nmetadata:\n  name: files\n',
		);
		const ws = await loadWorkspace(dir, {tenantConfigPath: acmeTenant});
		expect(errorsOf(ws)).toMatchObject([{code: 'kind-not-allowed', file: 'services/worker/bucket.yaml', line: 2, column: 7}]);
	});

	it('enforce maxResourcesPerService', async () => {
		const dir = copyStack();
		for (const n of [1, 2, 3])
			writeFileSync(
				path.join(dir, `services/worker/q${n}.yaml`),
				`apiVersion: components.panka.io/v1\nkind: SQS\nmetadata:\n  name: extra-${n}\n`,
			);
		const ws = await loadWorkspace(dir, {tenantConfigPath: acmeTenant});
		expect(errorsOf(ws)).toMatchObject([
			{
				code: 'limit-exceeded',
				file: 'services/worker/service.yaml',
				message: expect.stringMatching(/worker has 4 components; tenant acme allows 3/),
			},
		]);
	});

	it('enforce maxServicesPerStack', async () => {
		const dir = copyStack();
		const tenantFile = path.join(dir, '..', 'one-service.yaml');
		writeFileSync(tenantFile, readFileSync(acmeTenant, 'utf8').replace('maxServicesPerStack: 5', 'maxServicesPerStack: 1'));
		const ws = await loadWorkspace(dir, {tenantConfigPath: tenantFile});
		expect(errorsOf(ws)).toMatchObject([
			{
				code: 'limit-exceeded',
				file: 'stack.yaml',
				line: 4,
				message: expect.stringMatching(/shop has 2 services; tenant acme allows 1 per stack/),
			},
		]);
	});

	it('refuse a stack that names another tenant', async () => {
		const dir = copyStack();
		writeFileSync(
			path.join(dir, 'stack.yaml'),
			readFileSync(path.join(dir, 'stack.yaml'), 'utf8').replace('tenant: acme', 'tenant: globex'),
		);
		const ws = await loadWorkspace(dir, {tenantConfigPath: acmeTenant});
		expect(errorsOf(ws)).toMatchObject([{code: 'tenant-mismatch', file: 'stack.yaml', line: 5}]);
	});

	it('report a broken tenant config file at its own line', async () => {
		const dir = copyStack();
		const tenantFile = path.join(dir, '..', 'tenant.yaml');
		writeFileSync(tenantFile, readFileSync(acmeTenant, 'utf8').replace('cidrBlock: "10.42.10.0/24"', 'cidrBlock: "10.99.10.0/24"'));
		const ws = await loadWorkspace(dir, {tenantConfigPath: tenantFile});
		expect(errorsOf(ws)).toMatchObject([
			{file: '../tenant.yaml', line: 17, message: expect.stringMatching(/outside the VPC 10\.42\.0\.0\/16/)},
		]);
	});
});
