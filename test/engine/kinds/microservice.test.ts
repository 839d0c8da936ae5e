import {describe, expect, it} from 'vitest';
import {forcesReplace} from '../../../engine/kinds/kind.js';
import {microServiceKind, microServiceSpecSchema as schema} from '../../../engine/kinds/microservice.js';
import {fakeFolder, identity, issueAt, issuesOf, longIdentity, parseOk} from './kind-test-helpers.js';

/** The original tool's documented api-server example, after ${VAR} interpolation. */
const seedApiServer = {
	image: {repository: '123456789012.dkr.ecr.us-east-1.amazonaws.com/api', tag: 'latest', pullPolicy: 'Always'},
	runtime: {platform: 'fargate', cpu: '256m', memory: '512Mi'},
	replicas: '3',
	ports: [{name: 'http', port: 8080, protocol: 'tcp'}],
	healthCheck: {path: '/health', port: 8080, initialDelaySeconds: 30, periodSeconds: 10},
	environment: [
		{name: 'ENV', value: 'production'},
		{name: 'PORT', value: '8080'},
		{name: 'LOG_LEVEL', value: 'info'},
		{name: 'DB_HOST', valueFrom: {component: 'api-db', output: 'endpoint'}},
		{name: 'QUEUE_URL', valueFrom: {component: 'notification-queue', output: 'queueUrl'}},
	],
	secrets: [{name: 'DB_PASSWORD', secretRef: 'production/api/db-password'}],
	dependsOn: ['api-db', 'notification-queue'],
};

const minimal = {image: {repository: 'nginx'}};
const withSpec = (extra: Record<string, unknown>) => ({...minimal, ...extra});

describe('MicroService spec', () => {
	it('parses the seed example, normalising cpu "256m" and memory "512Mi" to 256 units and 512 MiB', () => {
		const spec = parseOk(schema, seedApiServer);
		expect(spec.runtime).toEqual({platform: 'fargate', cpu: 256, memory: 512});
		expect(spec.replicas).toBe(3);
		expect(spec.secrets).toEqual([{name: 'DB_PASSWORD', secretRef: 'production/api/db-password', envVar: 'DB_PASSWORD'}]);
		expect(spec.environment?.[3]).toEqual({name: 'DB_HOST', valueFrom: {component: 'api-db', output: 'endpoint'}});
		expect(spec.healthCheck).toEqual({
			path: '/health',
			port: 8080,
			initialDelaySeconds: 30,
			periodSeconds: 10,
			timeoutSeconds: 5,
			failureThreshold: 3,
		});
	});

	it('applies defaults: tag latest, IfNotPresent, fargate 0.25 vCPU / 512 MiB, one replica', () => {
		expect(parseOk(schema, minimal)).toEqual({
			image: {repository: 'nginx', tag: 'latest', pullPolicy: 'IfNotPresent'},
			runtime: {platform: 'fargate', cpu: 256, memory: 512},
			replicas: 1,
		});
	});

	it('reads memory "1GB" as 1024 MiB and vCPU counts as units', () => {
		expect(parseOk(schema, withSpec({runtime: {cpu: '0.5', memory: '1GB'}})).runtime).toEqual({
			platform: 'fargate',
			cpu: 512,
			memory: 1024,
		});
		expect(parseOk(schema, withSpec({runtime: {cpu: '1vCPU', memory: '2Gi'}})).runtime.cpu).toBe(1024);
	});

	it('defaults memory to the smallest size valid for the cpu', () => {
		expect(parseOk(schema, withSpec({runtime: {cpu: 1024}})).runtime.memory).toBe(2048);
	});

	it('rejects an impossible cpu/memory pair at runtime.memory, listing the valid sizes', () => {
		expect(issueAt(schema, withSpec({runtime: {cpu: 256, memory: '256Mi'}}), 'runtime.memory').message).toBe(
			'memory 256 MiB is not valid with cpu 256 (0.25 vCPU); valid: 512, 1024, 2048 MiB',
		);
	});

	it('rejects a cpu that is not a Fargate size at runtime.cpu', () => {
		expect(issueAt(schema, withSpec({runtime: {cpu: '100m'}}), 'runtime.cpu').message).toMatch(/not a Fargate CPU size; valid:/);
		expect(issueAt(schema, withSpec({runtime: {cpu: true}}), 'runtime.cpu').message).toMatch(/^cpu must be a number or a string/);
	});

	it('rejects platforms other than fargate', () => {
		expect(issueAt(schema, withSpec({runtime: {platform: 'ec2'}}), 'runtime.platform').code).toBe('invalid_value');
		expect(parseOk(schema, withSpec({runtime: {platform: 'Fargate'}})).runtime.platform).toBe('fargate');
	});

	it('rejects unknown keys at every level', () => {
		expect(issueAt(schema, withSpec({replica: 2}), '')).toMatchObject({code: 'unrecognized_keys', keys: ['replica']});
		expect(issueAt(schema, withSpec({runtime: {cpus: 1}}), 'runtime')).toMatchObject({code: 'unrecognized_keys'});
		expect(issueAt(schema, withSpec({ports: [{name: 'http', port: 80, targetPort: 8080}]}), 'ports.0').code).toBe('unrecognized_keys');
	});

	it('accepts numeric strings where numbers are expected and rejects other types', () => {
		const spec = parseOk(schema, withSpec({replicas: '2', ports: [{name: 'http', port: '8080'}]}));
		expect(spec.replicas).toBe(2);
		expect(spec.ports?.[0]?.port).toBe(8080);
		expect(issueAt(schema, withSpec({replicas: 'three'}), 'replicas').code).toBe('invalid_type');
		expect(issueAt(schema, withSpec({replicas: -1}), 'replicas').code).toBe('too_small');
		expect(issueAt(schema, withSpec({ports: {name: 'http'}}), 'ports').code).toBe('invalid_type');
		expect(issuesOf(schema, {})[0]).toMatchObject({path: 'image', code: 'invalid_type'});
	});

	it('keeps the tag out of image.repository', () => {
		expect(issueAt(schema, {image: {repository: 'nginx:1.27'}}, 'image.repository').message).toMatch(/put it in image.tag/);
		expect(parseOk(schema, {image: {repository: 'registry.local:5000/team/api', tag: 2024}}).image.tag).toBe('2024');
	});

	describe('ports', () => {
		it('lowercases the protocol and defaults it to tcp', () => {
			const spec = parseOk(
				schema,
				withSpec({
					ports: [
						{name: 'web', port: 80, protocol: 'HTTP'},
						{name: 'grpc', port: 9000},
					],
				}),
			);
			expect(spec.ports?.map((port) => port.protocol)).toEqual(['http', 'tcp']);
		});

		it('requires unique names and unique port numbers', () => {
			const input = withSpec({
				ports: [
					{name: 'http', port: 80},
					{name: 'http', port: 81},
					{name: 'admin', port: 80, protocol: 'http'},
				],
			});
			expect(issueAt(schema, input, 'ports.1.name').message).toBe('port name "http" is already used by entry 0');
			expect(issueAt(schema, input, 'ports.2.port').message).toBe('port "80/tcp" is already used by entry 0');
		});

		it('allows the same number for tcp and udp', () => {
			parseOk(
				schema,
				withSpec({
					ports: [
						{name: 'dns-tcp', port: 53},
						{name: 'dns-udp', port: 53, protocol: 'udp'},
					],
				}),
			);
		});

		it('rejects ports out of range', () => {
			expect(issueAt(schema, withSpec({ports: [{name: 'x', port: 70000}]}), 'ports.0.port').code).toBe('too_big');
		});
	});

	describe('environment and secrets', () => {
		it('turns YAML numbers and booleans into text', () => {
			const spec = parseOk(
				schema,
				withSpec({
					environment: [
						{name: 'PORT', value: 8080},
						{name: 'DEBUG', value: false},
					],
				}),
			);
			expect(spec.environment).toEqual([
				{name: 'PORT', value: '8080'},
				{name: 'DEBUG', value: 'false'},
			]);
		});

		it('requires exactly one of value and valueFrom', () => {
			const both = withSpec({environment: [{name: 'A', value: 'x', valueFrom: {component: 'db', output: 'endpoint'}}]});
			expect(issueAt(schema, both, 'environment.0.valueFrom').message).toBe('set either value or valueFrom, not both');
			expect(issueAt(schema, withSpec({environment: [{name: 'A'}]}), 'environment.0.value').message).toMatch(/set value/);
		});

		it('requires unique, shell-like names', () => {
			const twice = withSpec({
				environment: [
					{name: 'A', value: '1'},
					{name: 'A', value: '2'},
				],
			});
			expect(issueAt(schema, twice, 'environment.1.name').message).toBe('environment variable "A" is already used by entry 0');
			expect(issueAt(schema, withSpec({environment: [{name: 'MY-VAR', value: '1'}]}), 'environment.0.name').code).toBe('invalid_format');
		});

		it('checks valueFrom component names', () => {
			const input = withSpec({environment: [{name: 'A', valueFrom: {component: 'Api_DB', output: 'endpoint'}}]});
			expect(issueAt(schema, input, 'environment.0.valueFrom.component').message).toMatch(/uppercase/);
		});

		it('defaults a secret envVar to its name and keeps an explicit one', () => {
			const spec = parseOk(
				schema,
				withSpec({
					secrets: [
						{name: 'db-password', secretRef: 'prod/db', envVar: 'DB_PASSWORD'},
						{name: 'TOKEN', secretRef: 't'},
					],
				}),
			);
			expect(spec.secrets?.map((secret) => secret.envVar)).toEqual(['DB_PASSWORD', 'TOKEN']);
		});

		it('asks for envVar when the secret name is not a variable name', () => {
			expect(issueAt(schema, withSpec({secrets: [{name: 'db-password', secretRef: 'x'}]}), 'secrets.0.name').message).toBe(
				'secret name "db-password" is not a variable name; set envVar',
			);
		});

		it('never sets a variable twice across environment and secrets', () => {
			const input = withSpec({
				environment: [{name: 'TOKEN', value: 'plain'}],
				secrets: [
					{name: 'TOKEN', secretRef: 'a'},
					{name: 'other', secretRef: 'b', envVar: 'KEY'},
					{name: 'again', secretRef: 'c', envVar: 'KEY'},
				],
			});
			expect(issueAt(schema, input, 'secrets.0.name').message).toBe('TOKEN is set by both environment and secrets');
			expect(issueAt(schema, input, 'secrets.2.envVar').message).toBe('secret variable "KEY" is already used by entry 1');
		});
	});

	describe('autoscaling', () => {
		it('defaults to enabled, min 1, 70% CPU', () => {
			const spec = parseOk(schema, withSpec({autoscaling: {maxReplicas: 10}}));
			expect(spec.autoscaling).toEqual({enabled: true, minReplicas: 1, maxReplicas: 10, targetCPUUtilization: 70});
		});

		it('requires maxReplicas when enabled, and min ≤ max', () => {
			expect(issueAt(schema, withSpec({autoscaling: {minReplicas: 2}}), 'autoscaling.maxReplicas').message).toBe(
				'autoscaling needs maxReplicas',
			);
			expect(issueAt(schema, withSpec({autoscaling: {minReplicas: 5, maxReplicas: 2}}), 'autoscaling.minReplicas').message).toBe(
				'minReplicas 5 is greater than maxReplicas 2',
			);
			parseOk(schema, withSpec({autoscaling: {enabled: false}}));
		});

		it('keeps replicas within min..max when enabled', () => {
			const input = withSpec({replicas: 12, autoscaling: {minReplicas: 2, maxReplicas: 10}});
			expect(issueAt(schema, input, 'replicas').message).toBe('replicas 12 is outside autoscaling 2–10');
			parseOk(schema, withSpec({replicas: 12, autoscaling: {enabled: false, minReplicas: 2, maxReplicas: 10}}));
		});

		it('bounds the target utilisation to 1–100', () => {
			expect(
				issueAt(schema, withSpec({autoscaling: {maxReplicas: 3, targetCPUUtilization: 120}}), 'autoscaling.targetCPUUtilization').code,
			).toBe('too_big');
		});
	});

	describe('healthCheck', () => {
		it('turns a command string into the ECS shell form', () => {
			const spec = parseOk(schema, withSpec({healthCheck: {command: 'curl -f http://localhost/health'}}));
			expect(spec.healthCheck?.command).toEqual(['CMD-SHELL', 'curl -f http://localhost/health']);
			const exec = parseOk(schema, withSpec({healthCheck: {command: ['CMD', '/bin/check']}}));
			expect(exec.healthCheck?.command).toEqual(['CMD', '/bin/check']);
		});

		it('needs a path or a command, a timeout shorter than the period, and a known port', () => {
			expect(issueAt(schema, withSpec({healthCheck: {periodSeconds: 10}}), 'healthCheck.path').message).toMatch(
				/needs a path .* or a command/,
			);
			expect(
				issueAt(schema, withSpec({healthCheck: {path: '/h', periodSeconds: 10, timeoutSeconds: 10}}), 'healthCheck.timeoutSeconds').message,
			).toBe('timeoutSeconds 10 must be less than periodSeconds 10');
			const unknownPort = withSpec({ports: [{name: 'http', port: 80}], healthCheck: {path: '/h', port: 81}});
			expect(issueAt(schema, unknownPort, 'healthCheck.port').message).toBe('healthCheck.port 81 is not one of the ports');
			expect(issueAt(schema, withSpec({healthCheck: {path: 'health'}}), 'healthCheck.path').message).toBe('healthCheck.path starts with /');
		});
	});

	it('reads the same after parsing twice', () => {
		const once = parseOk(schema, seedApiServer);
		expect(parseOk(schema, once)).toEqual(once);
	});
});

describe('MicroService kind', () => {
	const spec = parseOk(schema, seedApiServer);
	const webSpec = parseOk(schema, withSpec({ports: [{name: 'web', port: 8080, protocol: 'http'}]}));

	it('declares its outputs', () => {
		expect(Object.keys(microServiceKind.outputs).sort()).toEqual(
			['clusterName', 'endpoint', 'logGroup', 'serviceArn', 'serviceName', 'taskDefinitionArn'].sort(),
		);
	});

	it('replaces only on a platform change', () => {
		expect(microServiceKind.replaceOn).toEqual(['runtime.platform']);
		expect(forcesReplace(microServiceKind.replaceOn, 'runtime.platform')).toBe('runtime.platform');
		expect(forcesReplace(microServiceKind.replaceOn, 'runtime.cpu')).toBeUndefined();
		expect(forcesReplace(microServiceKind.replaceOn, 'ports.0.port')).toBeUndefined();
	});

	it('runs in the private subnets', () => {
		expect(microServiceKind.placement(spec)).toBe('private-subnets');
	});

	it('names the service, roles and log group, and shares one cluster per stack and environment', () => {
		const names = microServiceKind.physicalNames(identity, spec);
		expect(names).toEqual({
			primary: 'acme-shop-prod-api',
			cluster: 'acme-shop-prod-cluster',
			taskDefinitionFamily: 'acme-shop-prod-api',
			taskRole: 'acme-shop-prod-api-task',
			executionRole: 'acme-shop-prod-api-execution',
			logGroup: '/panka/acme/shop/prod/api',
		});
		const worker = microServiceKind.physicalNames({...identity, component: 'worker'}, spec);
		expect(worker.cluster).toBe(names.cluster);
	});

	it('adds a load balancer and target group only for an http/https port', () => {
		expect(microServiceKind.physicalNames(identity, spec).loadBalancer).toBeUndefined();
		const names = microServiceKind.physicalNames(identity, webSpec);
		expect(names.loadBalancer).toBe('acme-shop-prod-api-alb');
		expect(names.targetGroup).toBe('acme-shop-prod-api-tg');
		expect(names.loadBalancer!.length).toBeLessThanOrEqual(32);
		expect(names.targetGroup!.length).toBeLessThanOrEqual(32);
		expect(names.targetGroup).not.toBe(names.loadBalancer);
	});

	it('keeps every name within its AWS limit for a very long identity', () => {
		const names = microServiceKind.physicalNames(longIdentity, webSpec);
		expect(names.primary.length).toBeLessThanOrEqual(255);
		expect(names.cluster!.length).toBeLessThanOrEqual(255);
		expect(names.loadBalancer!.length).toBeLessThanOrEqual(32);
		expect(names.targetGroup!.length).toBeLessThanOrEqual(32);
		expect(names.taskRole!.length).toBeLessThanOrEqual(64);
		expect(names.executionRole!.length).toBeLessThanOrEqual(64);
		expect(names.taskRole).not.toBe(names.executionRole);
		expect(names.logGroup!.length).toBeLessThanOrEqual(512);
	});

	it('names the service discovery entry after the component unless told otherwise', () => {
		const discovery = parseOk(schema, withSpec({serviceDiscovery: {namespace: 'platform.local'}}));
		expect(microServiceKind.physicalNames(identity, discovery).serviceDiscovery).toBe('api');
		const named = parseOk(schema, withSpec({serviceDiscovery: {name: 'orders'}}));
		expect(microServiceKind.physicalNames(identity, named).serviceDiscovery).toBe('orders');
	});

	it('has no kind-specific references (valueFrom and dependsOn are generic)', () => {
		expect(microServiceKind.references(spec)).toEqual([]);
	});

	it('appends config entries whose names the spec does not set', () => {
		const merged = microServiceKind.withEnvironment!(spec, [
			{name: 'LOG_LEVEL', value: 'debug', file: 'config/prod.env', line: 1},
			{name: 'DB_PASSWORD', value: 'leak', file: 'config/prod.env', line: 2},
			{name: 'REGION', value: 'eu-west-1', file: 'config/prod.env', line: 3},
			{name: 'REGION', value: 'us-east-1', file: 'config/override.env', line: 1},
		]);
		expect(merged.environment?.find((entry) => entry.name === 'LOG_LEVEL')).toEqual({name: 'LOG_LEVEL', value: 'info'});
		expect(merged.environment?.some((entry) => entry.name === 'DB_PASSWORD')).toBe(false);
		expect(merged.environment?.at(-1)).toEqual({name: 'REGION', value: 'us-east-1'});
		expect(merged.environment).toHaveLength(6);
		expect(microServiceKind.withEnvironment!(spec, [])).toBe(spec);
	});

	it('warns that only the first http/https port is behind the load balancer', () => {
		const twoWebPorts = parseOk(
			schema,
			withSpec({
				ports: [
					{name: 'web', port: 80, protocol: 'http'},
					{name: 'admin', port: 9090, protocol: 'https'},
				],
			}),
		);
		const issues = microServiceKind.check!(twoWebPorts, fakeFolder('/stack/services/api', [], []));
		expect(issues).toEqual([expect.objectContaining({path: ['ports', 1, 'protocol'], severity: 'warning'})]);
		expect(microServiceKind.check!(webSpec, fakeFolder('/stack/services/api', [], []))).toEqual([]);
	});

	it('describes size, count and image in one line', () => {
		expect(microServiceKind.describe(spec)).toBe(
			'fargate 0.25 vCPU / 512 MiB × 3, image 123456789012.dkr.ecr.us-east-1.amazonaws.com/api:latest',
		);
		const scaled = parseOk(schema, withSpec({replicas: 2, autoscaling: {minReplicas: 2, maxReplicas: 8}}));
		expect(microServiceKind.describe(scaled)).toBe('fargate 0.25 vCPU / 512 MiB × 2–8 (autoscaling at 70% CPU), image nginx:latest');
	});
});
