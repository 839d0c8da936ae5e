import {describe, expect, it} from 'vitest';
import {forcesReplace} from '../../../engine/kinds/kind.js';
import {lambdaKind, lambdaRuntimes, lambdaSpecSchema as schema} from '../../../engine/kinds/lambda.js';
import {fakeFolder, identity, issueAt, issuesOf, longIdentity, parseOk, specToday} from './kind-test-helpers.js';

const processor = {
	runtime: 'nodejs24.x',
	handler: 'index.handler',
	code: {path: './dist'},
	memory: 512,
	timeout: 30,
	environment: {
		LOG_LEVEL: 'info',
		BATCH: 25,
		TABLE_NAME: {valueFrom: {component: 'notifications-table', output: 'tableName'}},
	},
	triggers: [
		{type: 'sqs', source: {component: 'notification-queue'}},
		{type: 'eventbridge', schedule: 'rate(5 minutes)', description: 'sweep'},
	],
	dependsOn: ['notification-queue'],
};

const minimal = {runtime: 'python3.12', handler: 'app.handler', code: {path: 'src'}};
const withSpec = (extra: Record<string, unknown>) => ({...minimal, ...extra});

describe('Lambda spec', () => {
	it('parses a function with code, environment and both trigger types', () => {
		const spec = parseOk(schema, processor);
		expect(spec.environment).toEqual({
			LOG_LEVEL: {value: 'info'},
			BATCH: {value: '25'},
			TABLE_NAME: {valueFrom: {component: 'notifications-table', output: 'tableName'}},
		});
		expect(spec.triggers).toEqual([
			{type: 'sqs', source: {component: 'notification-queue'}, batchSize: 10},
			{type: 'eventbridge', schedule: 'rate(5 minutes)', description: 'sweep'},
		]);
	});

	it('applies defaults: 128 MB, 3 s, x86_64, zip package', () => {
		expect(parseOk(schema, minimal)).toEqual({...minimal, memory: 128, timeout: 3, architecture: 'x86_64', packageType: 'Zip'});
	});

	it('takes exactly the runtimes the installed AWS SDK knows (its Runtime enum), today-current Node.js ones included', async () => {
		const {Runtime} = await import('@aws-sdk/client-lambda');
		expect([...lambdaRuntimes].sort(), 'the list in lambda-runtimes.ts, against the SDK').toEqual(Object.values(Runtime).sort());
		for (const runtime of ['nodejs22.x', 'nodejs24.x', 'python3.13', 'java21', 'dotnet8', 'provided.al2023'])
			parseOk(schema, withSpec({runtime}));
		const unknown = issueAt(schema, withSpec({runtime: 'nodejs99.x'}), 'runtime');
		expect(unknown.code).toBe('invalid_value');
	});

	it('warns about a runtime past the end of support AWS publishes, with the date and the current runtime of its language', () => {
		const check = (runtime: string, today = specToday) =>
			lambdaKind.check!(parseOk(schema, {...processor, runtime}), {...fakeFolder('/svc', [], ['/svc/dist']), today});
		expect(check('nodejs20.x')).toEqual([
			{
				path: ['runtime'],
				severity: 'warning',
				code: 'deprecated-runtime',
				message:
					'runtime nodejs20.x reached its end of support on 2026-04-30: AWS no longer patches it and will refuse to create, then to update, functions that use it',
				hint: 'move to nodejs24.x (and test the code on it)',
			},
		]);
		expect(check('nodejs20.x', new Date('2026-04-29T12:00:00Z'))).toEqual([]);
		expect(check('python3.8')[0]?.hint).toBe('move to python3.13 (and test the code on it)');
		for (const current of ['nodejs22.x', 'nodejs24.x']) expect(check(current)).toEqual([]);
	});

	describe('code', () => {
		it('accepts a folder, an S3 object or an image', () => {
			parseOk(schema, withSpec({code: {s3Bucket: 'artifacts', s3Key: 'fn.zip', s3ObjectVersion: 3}}));
			const image = parseOk(schema, {runtime: 'nodejs24.x', code: {imageUri: '1234.dkr.ecr.us-east-1.amazonaws.com/fn:1'}});
			expect(image.packageType).toBe('Image');
			expect(image.handler).toBeUndefined();
		});

		it('requires exactly one form', () => {
			expect(issueAt(schema, withSpec({code: {}}), 'code').message).toBe(
				'code needs one of: path (a local folder), s3Bucket + s3Key, or imageUri',
			);
			expect(issueAt(schema, withSpec({code: {path: 'src', imageUri: 'x'}}), 'code').message).toBe(
				'code has path and imageUri; give exactly one form',
			);
			expect(issueAt(schema, withSpec({code: {s3Bucket: 'artifacts'}}), 'code.s3Key').message).toBe('code.s3Bucket needs code.s3Key');
		});

		it('requires a handler for zip code', () => {
			expect(issueAt(schema, {runtime: 'nodejs24.x', code: {path: 'src'}}, 'handler').message).toMatch(/handler is required/);
		});

		it('keeps a written packageType only when it agrees with the code', () => {
			expect(parseOk(schema, withSpec({packageType: 'Zip'})).packageType).toBe('Zip');
			expect(issueAt(schema, withSpec({packageType: 'Image'}), 'packageType').message).toBe('packageType Image does not match code (Zip)');
		});
	});

	it('reads memory and timeout from numbers and numeric strings within the Lambda limits', () => {
		const spec = parseOk(schema, withSpec({memory: '1024', timeout: '900'}));
		expect([spec.memory, spec.timeout]).toEqual([1024, 900]);
		expect(parseOk(schema, withSpec({memory: '2GB'})).memory).toBe(2048);
		expect(issueAt(schema, withSpec({memory: 64}), 'memory').code).toBe('too_small');
		expect(issueAt(schema, withSpec({memory: 20_000}), 'memory').code).toBe('too_big');
		expect(issueAt(schema, withSpec({timeout: 901}), 'timeout').code).toBe('too_big');
		expect(issueAt(schema, withSpec({timeout: 'long'}), 'timeout').code).toBe('invalid_type');
	});

	it('normalises the architecture', () => {
		expect(parseOk(schema, withSpec({architecture: 'ARM64'})).architecture).toBe('arm64');
		expect(parseOk(schema, withSpec({architecture: 'amd64'})).architecture).toBe('x86_64');
		expect(issueAt(schema, withSpec({architecture: 'riscv'}), 'architecture').code).toBe('invalid_value');
	});

	describe('environment', () => {
		it('requires exactly one of value and valueFrom in object form', () => {
			expect(issueAt(schema, withSpec({environment: {A: {valueFrom: {component: 'db'}}}}), 'environment.A.valueFrom.output').code).toBe(
				'invalid_type',
			);
			expect(issueAt(schema, withSpec({environment: {A: {}}}), 'environment.A.value').message).toMatch(/set value/);
		});

		it('rejects variables the Lambda service sets itself', () => {
			expect(issueAt(schema, withSpec({environment: {AWS_REGION: 'eu-west-1'}}), 'environment.AWS_REGION').message).toBe(
				'AWS_REGION is set by the Lambda service and cannot be set',
			);
		});

		it('rejects names that are not variable names', () => {
			expect(issuesOf(schema, withSpec({environment: {'LOG-LEVEL': 'x'}}))[0]?.path).toBe('environment.LOG-LEVEL');
		});
	});

	describe('triggers', () => {
		it('takes the trigger type in any case', () => {
			const spec = parseOk(
				schema,
				withSpec({
					triggers: [
						{type: 'SQS', source: {component: 'q'}},
						{type: 'EventBridge', schedule: 'rate(1 hour)'},
					],
				}),
			);
			expect(spec.triggers?.map((trigger) => trigger.type)).toEqual(['sqs', 'eventbridge']);
		});

		it('rejects unknown trigger types and unknown trigger keys', () => {
			expect(issueAt(schema, withSpec({triggers: [{type: 'kinesis'}]}), 'triggers.0.type').code).toBe('invalid_union');
			expect(issueAt(schema, withSpec({triggers: [{type: 'sqs', source: {component: 'q'}, queue: 'q'}]}), 'triggers.0').code).toBe(
				'unrecognized_keys',
			);
		});

		it('bounds sqs batch sizes and asks for a batching window above 10', () => {
			expect(
				issueAt(schema, withSpec({triggers: [{type: 'sqs', source: {component: 'q'}, batchSize: 0}]}), 'triggers.0.batchSize').code,
			).toBe('too_small');
			const big = withSpec({triggers: [{type: 'sqs', source: {component: 'q'}, batchSize: '100'}]});
			expect(issueAt(schema, big, 'triggers.0.maximumBatchingWindowInSeconds').message).toBe(
				'batchSize 100 (over 10) needs maximumBatchingWindowInSeconds of at least 1',
			);
			parseOk(schema, withSpec({triggers: [{type: 'sqs', source: {component: 'q'}, batchSize: 100, maximumBatchingWindowInSeconds: 5}]}));
		});

		it('validates schedule expressions', () => {
			const input = withSpec({triggers: [{type: 'eventbridge', schedule: 'rate(1 minutes)'}]});
			expect(issueAt(schema, input, 'triggers.0.schedule').message).toBe('rate(1 minutes): use "minute" for a value of 1');
			parseOk(schema, withSpec({triggers: [{type: 'eventbridge', schedule: 'cron(0 12 * * ? *)'}]}));
		});
	});

	it('rejects unknown keys', () => {
		expect(issueAt(schema, withSpec({memorySize: 256}), '')).toMatchObject({code: 'unrecognized_keys', keys: ['memorySize']});
		expect(issueAt(schema, withSpec({code: {path: 'src', zip: true}}), 'code').code).toBe('unrecognized_keys');
	});

	it('reads the same after parsing twice', () => {
		const once = parseOk(schema, processor);
		expect(parseOk(schema, once)).toEqual(once);
	});
});

describe('Lambda kind', () => {
	const spec = parseOk(schema, processor);

	it('declares its outputs', () => {
		expect(Object.keys(lambdaKind.outputs).sort()).toEqual(['functionArn', 'functionName', 'logGroup', 'roleArn']);
	});

	it('points each sqs trigger at an SQS component', () => {
		expect(lambdaKind.references(spec)).toEqual([
			{path: ['triggers', 0, 'source', 'component'], component: 'notification-queue', acceptsKinds: ['SQS'], label: 'sqs trigger'},
		]);
		expect(lambdaKind.references(parseOk(schema, minimal))).toEqual([]);
	});

	it('runs in the private subnets only with vpc enabled', () => {
		expect(lambdaKind.placement(spec)).toBe('none');
		expect(lambdaKind.placement(parseOk(schema, withSpec({vpc: {}})))).toBe('private-subnets');
		expect(lambdaKind.placement(parseOk(schema, withSpec({vpc: {enabled: 'false'}})))).toBe('none');
	});

	it('replaces only when the package type changes between zip and image', () => {
		expect(forcesReplace(lambdaKind.replaceOn, 'packageType')).toBe('packageType');
		expect(forcesReplace(lambdaKind.replaceOn, 'code.imageUri')).toBeUndefined();
		expect(forcesReplace(lambdaKind.replaceOn, 'runtime')).toBeUndefined();
	});

	it('names the function, its role, its log group and one rule per schedule trigger', () => {
		expect(lambdaKind.physicalNames(identity, spec)).toEqual({
			primary: 'acme-shop-prod-api',
			role: 'acme-shop-prod-api-role',
			logGroup: '/panka/acme/shop/prod/api',
			// The role `schedule-1` holds a hyphen: the identity hash keeps it apart from a component `api-schedule`.
			'triggers.1': expect.stringMatching(/^acme-shop-prod-api-schedule-1-[0-9a-f]{8}$/),
		});
	});

	it('keeps every name within its AWS limit for a very long identity', () => {
		const names = lambdaKind.physicalNames(longIdentity, spec);
		expect(names.primary.length).toBeLessThanOrEqual(64);
		expect(names.role!.length).toBeLessThanOrEqual(64);
		expect(names['triggers.1']!.length).toBeLessThanOrEqual(64);
		expect(names.primary).toMatch(/^[A-Za-z0-9_-]+$/);
	});

	it('adds config entries that the environment does not set, skipping reserved names', () => {
		const merged = lambdaKind.withEnvironment!(spec, [
			{name: 'LOG_LEVEL', value: 'debug', file: 'config/app.env', line: 1},
			{name: 'FEATURE', value: 'on', file: 'config/app.env', line: 2},
			{name: 'AWS_REGION', value: 'eu-west-1', file: 'config/app.env', line: 3},
		]);
		expect(merged.environment?.LOG_LEVEL).toEqual({value: 'info'});
		expect(merged.environment?.FEATURE).toEqual({value: 'on'});
		expect(merged.environment?.AWS_REGION).toBeUndefined();
		expect(lambdaKind.withEnvironment!(spec, [])).toBe(spec);
	});

	describe('check', () => {
		const serviceDir = '/stacks/platform/services/worker';

		it('accepts a code folder relative to the service folder', () => {
			expect(lambdaKind.check!(spec, fakeFolder(serviceDir, [], [`${serviceDir}/dist`]))).toEqual([]);
		});

		it('reports a missing folder, a file, and an absolute path', () => {
			expect(lambdaKind.check!(spec, fakeFolder(serviceDir, [], []))).toEqual([
				{path: ['code', 'path'], message: `code.path ./dist does not exist (looked in ${serviceDir}/dist)`},
			]);
			expect(lambdaKind.check!(spec, fakeFolder(serviceDir, [`${serviceDir}/dist`], []))[0]?.message).toBe(
				'code.path ./dist is a file; it must be the folder to package',
			);
			const absolute = parseOk(schema, withSpec({code: {path: '/opt/code'}}));
			expect(lambdaKind.check!(absolute, fakeFolder(serviceDir, [], ['/opt/code']))[0]?.message).toMatch(/is absolute/);
		});

		it('has nothing to check for S3 or image code', () => {
			const image = parseOk(schema, {runtime: 'nodejs24.x', code: {imageUri: 'repo/fn:1'}});
			expect(lambdaKind.check!(image, fakeFolder(serviceDir, [], []))).toEqual([]);
		});
	});

	it('describes runtime, size and triggers', () => {
		expect(lambdaKind.describe(spec)).toBe('nodejs24.x x86_64 index.handler, 512 MB, 30s timeout, triggers: sqs, eventbridge');
	});
});
