/**
 * The tenant's policies (TenantConfig spec.policies), checked at validate time on the demo stack:
 * each rule with a folder that breaks it (an error with the rule's code at the offending
 * file:line:col, environment overrides included) and one that keeps it (no diagnostic).
 */
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import type {Diagnostic} from '../../../engine/diagnostics.js';
import {loadWorkspace} from '../../../engine/workspace.js';
import {demoCopy, edit} from '../plan/plan-fixture.js';
import {demoTenant} from '../../helpers/stack-fixture.js';

/** The demo (a private copy) validated for `environment` under the demo tenant with `policies` (YAML under spec.policies). */
async function policyDiagnostics(policies: string, options: {environment?: string; change?: (dir: string) => void} = {}) {
	const dir = demoCopy();
	options.change?.(dir);
	const tenant = path.join(dir, 'tenant-with-policies.yaml');
	writeFileSync(tenant, `${readFileSync(demoTenant, 'utf8')}  policies:\n${policies.replace(/^/gm, '    ')}\n`);
	const workspace = await loadWorkspace(dir, {tenantConfigPath: tenant, environment: options.environment ?? 'production'});
	return {dir, found: workspace.diagnostics.filter((d) => d.code.startsWith('policy-') || d.severity === 'error')};
}

/** Where `text` (its `value` part, or all of it) is written in `file` of the stack folder: 1-based line and column. */
function positionOf(dir: string, file: string, text: string, value = text): {file: string; line: number; column: number} {
	const lines = readFileSync(path.join(dir, file), 'utf8').split('\n');
	const line = lines.findIndex((l) => l.includes(text));
	if (line < 0) throw new Error(`${file} has no line with ${text}`);
	return {file, line: line + 1, column: lines[line]!.indexOf(text) + text.indexOf(value) + 1};
}

const at = (diagnostic: Diagnostic) => ({file: diagnostic.file, line: diagnostic.line, column: diagnostic.column});

describe('no policies', () => {
	it('checks nothing', async () => {
		const dir = demoCopy();
		const workspace = await loadWorkspace(dir, {tenantConfigPath: demoTenant, environment: 'production'});
		expect(workspace.diagnostics.filter((d) => d.code.startsWith('policy-'))).toEqual([]);
	});
});

describe('rdsInstanceClasses', () => {
	it('refuses a class outside the list, at the class', async () => {
		const {dir, found} = await policyDiagnostics('rdsInstanceClasses: [db.t3.micro, db.t3.small]');
		expect(found).toHaveLength(1);
		expect(found[0]).toMatchObject({
			severity: 'error',
			code: 'policy-rds-instance-class',
			message: 'RDS instance class db.t3.medium is not allowed for tenant notifications-team (allowed: db.t3.micro, db.t3.small)',
			hint: 'change it, or ask the platform admin to change spec.policies.rdsInstanceClasses of tenant notifications-team',
		});
		expect(at(found[0]!)).toEqual(positionOf(dir, 'services/api/resources.yaml', 'class: db.t3.medium', 'db.t3.medium'));
	});

	it('points at the environment override that sets the class', async () => {
		const {dir, found} = await policyDiagnostics('rdsInstanceClasses: [db.t3.medium]', {environment: 'staging'});
		expect(found.map((d) => d.code)).toEqual(['policy-rds-instance-class']);
		expect(at(found[0]!)).toEqual(positionOf(dir, 'services/api/resources.yaml', 'class: db.t3.micro', 'db.t3.micro'));
	});

	it('allows a class in the list', async () => {
		expect((await policyDiagnostics('rdsInstanceClasses: [db.t3.medium]')).found).toEqual([]);
	});
});

describe('maxReplicas', () => {
	it('refuses an autoscaling ceiling above it, at the ceiling', async () => {
		const {dir, found} = await policyDiagnostics('maxReplicas: 6');
		expect(found).toEqual([
			expect.objectContaining({
				code: 'policy-max-replicas',
				message: 'autoscaling.maxReplicas 10 is above the 6 tenant notifications-team allows',
			}),
		]);
		expect(at(found[0]!)).toEqual(positionOf(dir, 'services/api/ecs.yaml', 'maxReplicas: 10', '10'));
	});

	it('allows as many as it says', async () => {
		expect((await policyDiagnostics('maxReplicas: 10')).found).toEqual([]);
	});
});

describe('lambdaRuntimes', () => {
	it('refuses every function on another runtime, each at its runtime (in the order services are read)', async () => {
		const {dir, found} = await policyDiagnostics('lambdaRuntimes: [python3.12]');
		expect(found.map((d) => [d.code, d.message, at(d)])).toEqual([
			[
				'policy-lambda-runtime',
				'Lambda runtime nodejs24.x is not allowed for tenant notifications-team (allowed: python3.12)',
				positionOf(dir, 'services/scheduler/eventbridge.yaml', 'runtime: nodejs24.x', 'nodejs24.x'),
			],
			[
				'policy-lambda-runtime',
				'Lambda runtime nodejs24.x is not allowed for tenant notifications-team (allowed: python3.12)',
				positionOf(dir, 'services/worker/lambda.yaml', 'runtime: nodejs24.x', 'nodejs24.x'),
			],
		]);
	});

	it('allows the runtimes in the list', async () => {
		expect((await policyDiagnostics('lambdaRuntimes: [nodejs24.x, python3.12]')).found).toEqual([]);
	});
});

describe('encryptionAtRest', () => {
	it('refuses encryption turned off, at the switch', async () => {
		const {dir, found} = await policyDiagnostics('encryptionAtRest: required', {
			change: (d) => edit(d, 'services/api/resources.yaml', '  encryption:\n    enabled: true\n', '  encryption:\n    enabled: false\n'),
		});
		expect(found).toEqual([
			expect.objectContaining({
				code: 'policy-encryption-at-rest',
				message: 'tenant notifications-team requires encryption at rest: a bucket cannot turn it off',
			}),
		]);
		expect(at(found[0]!)).toEqual(positionOf(dir, 'services/api/resources.yaml', 'enabled: false', 'false'));
	});

	it('allows the demo, which keeps it on', async () => {
		expect((await policyDiagnostics('encryptionAtRest: required')).found).toEqual([]);
	});
});

describe('publicBuckets', () => {
	const makePublic = (dir: string) =>
		edit(
			dir,
			'services/api/resources.yaml',
			'    acl: private\n    forceDestroy: true\n',
			'    acl: public-read\n    forceDestroy: true\n  publicAccessBlock:\n    blockPublicAcls: false\n',
		);

	it('refuses a public ACL and a relaxed public access block, each where it is written', async () => {
		const {dir, found} = await policyDiagnostics('publicBuckets: forbidden', {change: makePublic});
		expect(found.map((d) => [d.code, d.message, at(d)])).toEqual([
			[
				'policy-public-bucket',
				'tenant notifications-team forbids public buckets: acl public-read makes the bucket public',
				positionOf(dir, 'services/api/resources.yaml', 'acl: public-read', 'public-read'),
			],
			[
				'policy-public-bucket',
				'tenant notifications-team forbids public buckets: publicAccessBlock.blockPublicAcls must stay true',
				positionOf(dir, 'services/api/resources.yaml', 'blockPublicAcls: false', 'false'),
			],
		]);
	});

	it('allows private buckets', async () => {
		expect((await policyDiagnostics('publicBuckets: forbidden')).found).toEqual([]);
	});
});

describe('internetIngressPorts', () => {
	it('refuses a stack rule and a load balancer that open other ports to the internet', async () => {
		const {dir, found} = await policyDiagnostics('internetIngressPorts: [443]');
		expect(found.map((d) => [d.code, d.message, at(d)])).toEqual([
			[
				'policy-internet-ingress',
				'the http port puts the service behind an internet-facing load balancer that opens 80 to the internet; tenant notifications-team allows only 443 from the internet',
				positionOf(dir, 'services/api/ecs.yaml', 'protocol: http', 'http'),
			],
			[
				'policy-internet-ingress',
				'ingress 80/tcp from the internet is not allowed for tenant notifications-team (allowed from the internet: 443)',
				positionOf(dir, 'stack.yaml', 'port: 80', '80'),
			],
		]);
	});

	it('refuses all traffic and port ranges from ::/0 as well', async () => {
		const {dir, found} = await policyDiagnostics('internetIngressPorts: [80, 443]', {
			change: (d) =>
				edit(
					d,
					'stack.yaml',
					'          description: "HTTP from internet (redirect to HTTPS)"\n',
					'          description: "HTTP from internet (redirect to HTTPS)"\n        - fromPort: 8000\n          toPort: 8001\n          protocol: tcp\n          ipv6CidrBlocks: ["::/0"]\n',
				),
		});
		expect(found.map((d) => [d.message, at(d)])).toEqual([
			[
				'ingress 8000-8001/tcp from the internet is not allowed for tenant notifications-team (allowed from the internet: 80, 443)',
				positionOf(dir, 'stack.yaml', 'fromPort: 8000', '8000'),
			],
		]);
	});

	it('allows what it lists', async () => {
		expect((await policyDiagnostics('internetIngressPorts: [80, 443]')).found).toEqual([]);
	});
});

describe('the policies themselves', () => {
	it('are checked against their schema, at their line in the tenant config', async () => {
		const {found} = await policyDiagnostics('maxReplicas: lots');
		expect(found).toEqual([
			expect.objectContaining({severity: 'error', file: 'tenant-with-policies.yaml', message: expect.stringContaining('maxReplicas')}),
		]);
	});
});
