/** The rest of the command surface: graph, schema, version, stack, service, usage errors. */
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {badStack, copyStack, demoStack, demoTenant, tempDir} from '../helpers/stack-fixture.js';
import {hasStackTrace, runCli} from '../helpers/run-cli.js';

describe('panka graph', () => {
	it('prints levels and the critical path in ascii', () => {
		const result = runCli(['graph', demoStack]);
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/Level 0 — no dependencies/);
		expect(result.stdout).toMatch(/api\/api-server \(MicroService\) ← api-db, notification-queue, uploads-bucket/);
		expect(result.stdout).toMatch(/Critical path: api-db → api-server/);
	});

	it('prints dot and mermaid that name every component', () => {
		const dot = runCli(['graph', demoStack, '--format', 'dot']).stdout;
		const mermaid = runCli(['graph', demoStack, '--format', 'mermaid']).stdout;
		expect(dot).toMatch(/^digraph /);
		expect(mermaid).toMatch(/^graph (LR|TD)/);
		for (const name of ['api-server', 'api-db', 'processor', 'cron-job', 'daily-digest']) {
			expect(dot).toContain(name);
			expect(mermaid).toContain(name);
		}
	});

	it('prints the graph as JSON with levels, order, critical path and cycles', () => {
		const doc = JSON.parse(runCli(['graph', demoStack, '--json']).stdout);
		expect(doc).toMatchObject({kind: 'Graph', cycles: [], criticalPath: {ids: ['api-db', 'api-server']}});
		expect(doc.nodes).toHaveLength(10);
		expect(doc.edges).toContainEqual(expect.objectContaining({from: 'processor', to: 'notification-queue', labels: ['sqs trigger']}));
	});

	it('keeps stdout a clean graph and reports a cycle on stderr with exit 1', () => {
		const result = runCli(['graph', badStack('cycle-three'), '--format', 'dot']);
		expect(result.code).toBe(1);
		expect(result.stdout).toMatch(/^digraph /);
		expect(result.stderr).toMatch(/dependency cycle/);
	});

	it('refuses an unknown --format (exit 2)', () => {
		const result = runCli(['graph', demoStack, '--format', 'png']);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/--format png: expected one of ascii, dot, mermaid/);
	});
});

describe('panka schema', () => {
	it('prints one schema for all kinds, or one kind with --kind (any case)', () => {
		const all = JSON.parse(runCli(['schema']).stdout);
		expect(all.properties.kind.enum).toEqual(
			expect.arrayContaining([
				'Stack',
				'Service',
				'TenantConfig',
				'MicroService',
				'Lambda',
				'RDS',
				'DynamoDB',
				'S3',
				'SQS',
				'SNS',
				'EventBridge',
			]),
		);
		const sqs = JSON.parse(runCli(['schema', '--kind', 'sqs']).stdout);
		expect(sqs.title).toBe('panka SQS');
		expect(sqs.properties.spec).toBeDefined();
	});

	it('suggests the kind for a typo (exit 2)', () => {
		const result = runCli(['schema', '--kind', 'Lamda']);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/unknown kind — did you mean "Lambda"\?/);
	});
});

describe('panka version', () => {
	it('answers --version and version', () => {
		const version = JSON.parse(readFileSync(path.join(import.meta.dirname, '../../package.json'), 'utf8')).version;
		expect(runCli(['--version']).stdout.trim()).toBe(version);
		// The Node that runs panka (the suite spawns it with its own Node: 20, 22 or 24 in CI).
		expect(runCli(['version']).stdout).toMatch(new RegExp(`^panka ${version} \\(node ${process.version.replaceAll('.', '\\.')}, `));
		expect(JSON.parse(runCli(['version', '--json']).stdout)).toMatchObject({kind: 'Version', version});
	});
});

describe('panka stack', () => {
	it('init writes the contract layout and it validates', () => {
		const cwd = tempDir();
		const init = runCli(['stack', 'init', 'notification-platform', '--services', 'api,worker,scheduler', '--no-tui'], {cwd});
		expect(init.code).toBe(0);
		expect(init.stdout).toMatch(/\+ notification-platform\/services\/api\/service\.yaml/);
		expect(init.stdout).toMatch(/wrote 4 files/);
		const validate = runCli(['validate', 'notification-platform'], {cwd});
		expect(validate.code).toBe(0);
	});

	it('init with a template writes wired components', () => {
		const cwd = tempDir();
		expect(
			runCli(['stack', 'init', 'shop', '--services', 'orders', '--template', 'http-api', '--tenant', 'acme', '--env', 'qa'], {cwd}).code,
		).toBe(0);
		const info = JSON.parse(runCli(['stack', 'info', 'shop', '--json'], {cwd}).stdout);
		expect(info.stack).toMatchObject({name: 'shop', tenant: 'acme', environment: 'qa'});
		expect(info.components.map((c: {name: string}) => c.name).sort()).toEqual(['orders-db', 'orders-queue', 'orders-server']);
	});

	it('init without a name and without a terminal fails fast, naming what to pass (exit 2)', () => {
		const cwd = tempDir();
		const result = runCli(['stack', 'init'], {cwd});
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/missing the stack name/);
		expect(result.stderr).toMatch(/panka stack init <name>/);
	});

	it('init refuses a bad name and an existing folder, writing nothing', () => {
		const cwd = tempDir();
		expect(runCli(['stack', 'init', 'My_Stack'], {cwd})).toMatchObject({code: 2, stderr: expect.stringMatching(/uppercase/)});
		expect(existsSync(path.join(cwd, 'My_Stack'))).toBe(false);
		runCli(['stack', 'init', 'shop'], {cwd});
		expect(runCli(['stack', 'init', 'shop'], {cwd})).toMatchObject({code: 2, stderr: expect.stringMatching(/already exists/)});
	});

	it('info summarises tenant, networking, services and components', () => {
		const result = runCli(['stack', 'info', demoStack, '--tenant-config', demoTenant]);
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/Networking {2}VPC 10\.0\.0\.0\/16/);
		expect(result.stdout).toMatch(/api-server\s+MicroService\s+fargate 0\.25 vCPU \/ 512 MiB/);
	});
});

describe('panka service', () => {
	it('add, list and remove a service', () => {
		const dir = copyStack();
		expect(runCli(['service', 'add', 'reports', '--template', 'worker', '--stack', dir]).code).toBe(0);
		expect(existsSync(path.join(dir, 'services/reports/lambda.yaml'))).toBe(true);
		const list = JSON.parse(runCli(['service', 'list', '--stack', dir, '--json']).stdout);
		expect(list.services.map((s: {name: string}) => s.name)).toEqual(['api', 'reports', 'worker']);
		expect(runCli(['validate', dir]).code).toBe(0);
		const refused = runCli(['service', 'remove', 'reports', '--stack', dir]);
		expect(refused.code).toBe(2);
		expect(refused.stderr).toMatch(/needs confirmation.*\n.*--yes/);
		expect(runCli(['service', 'remove', 'reports', '--stack', dir, '--yes']).code).toBe(0);
		expect(existsSync(path.join(dir, 'services/reports'))).toBe(false);
	});

	it('remove refuses a service other services use, unless --force', () => {
		const dir = copyStack(demoStack);
		const result = runCli(['service', 'remove', 'worker', '--stack', dir, '--yes']);
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(/scheduler\/cron-job uses worker\/delivery-status/);
		expect(existsSync(path.join(dir, 'services/worker'))).toBe(true);
	});

	it('add without a name and without a terminal fails fast (exit 2)', () => {
		const result = runCli(['service', 'add', '--stack', copyStack()]);
		expect(result).toMatchObject({code: 2, stderr: expect.stringMatching(/missing the service name/)});
	});
});

describe('usage errors', () => {
	it('an unknown command suggests the closest one (exit 2)', () => {
		const result = runCli(['valdate']);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/unknown command "valdate" — did you mean "validate"\?/);
	});

	it('a flag the command does not take is named (exit 2)', () => {
		const result = runCli(['validate', demoStack, '--format', 'dot']);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/panka validate does not take --format/);
		expect(runCli(['validate', '--frobnicate']).stderr).toMatch(/unknown flag --frobnicate/);
	});

	it('help for every command', () => {
		expect(runCli(['--help']).stdout).toMatch(/panka validate \[folder\]/);
		expect(runCli(['validate', '--help']).stdout).toMatch(/Usage\n {2}panka validate/);
		expect(runCli(['help', 'stack', 'init']).stdout).toMatch(/Templates: http-api/);
	});

	it('help for a group lists its commands (exit 0); the group alone is a usage error naming them', () => {
		for (const argv of [
			['admin', '--help'],
			['state', '-h'],
			['help', 'admin', 'tenant'],
		]) {
			const result = runCli(argv);
			expect(result.code, argv.join(' ')).toBe(0);
			expect(result.stdout).toMatch(new RegExp(`^panka ${argv.includes('help') ? 'admin tenant' : argv[0]}\n\nCommands\n`));
		}
		expect(runCli(['admin', '--help']).stdout).toMatch(/panka admin tenant rotate <name>/);
		expect(runCli(['state', '--help']).stdout).toMatch(/panka state unlock/);
		const bare = runCli(['state']);
		expect(bare.code).toBe(2);
		expect(bare.stderr).toMatch(/^panka: panka state needs a subcommand\nhint: panka state list\|show/);
	});

	it('the workbench without a terminal prints the stack summary instead of crashing', () => {
		const result = runCli([], {cwd: demoStack, env: {CI: 'true'}});
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/Stack {7}notification-platform/);
		expect(result.stdout).toMatch(/The workbench needs an interactive terminal/);
		expect(hasStackTrace(result.stderr)).toBe(false);
	});
});
