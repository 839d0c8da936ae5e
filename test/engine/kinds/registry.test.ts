import {describe, expect, it} from 'vitest';
import {componentsApiVersion} from '../../../engine/kinds/kind.js';
import {
	defaultAllowedKinds,
	getKind,
	hasLogs,
	kindNames,
	kindRegistry,
	kindsWithLeftovers,
	kindsWithLogs,
	legacyFormsByKind,
} from '../../../engine/kinds/registry.js';
import {sqsKind} from '../../../engine/kinds/sqs.js';
import {longIdentity, parseOk} from './kind-test-helpers.js';

/** The smallest valid spec of each kind. */
const minimalSpecs: Record<string, Record<string, unknown>> = {
	DynamoDB: {hashKey: {name: 'id', type: 'S'}},
	EventBridge: {schedule: 'rate(1 hour)', targets: [{component: 'fn'}]},
	Lambda: {runtime: 'nodejs24.x', handler: 'index.handler', code: {path: 'src'}},
	MicroService: {image: {repository: 'nginx'}, ports: [{name: 'http', port: 80, protocol: 'http'}]},
	RDS: {
		engine: {type: 'postgres', version: '16'},
		instance: {class: 'db.t4g.micro'},
		database: {name: 'app', username: 'app', passwordSecret: {ref: 'db/password'}},
		monitoring: {enhancedMonitoring: true},
	},
	S3: {},
	SNS: {fifoTopic: true},
	SQS: {type: 'fifo', deadLetterQueue: {}},
};

/** The longest name AWS accepts for each physical-name role. */
const limits: Record<string, number> = {
	cluster: 255,
	taskDefinitionFamily: 255,
	loadBalancer: 32,
	targetGroup: 32,
	taskRole: 64,
	executionRole: 64,
	role: 64,
	monitoringRole: 64,
	logGroup: 512,
	subnetGroup: 255,
	parameterGroup: 255,
	securityGroup: 255,
	deadLetterQueue: 80,
};
const primaryLimits: Record<string, number> = {
	DynamoDB: 255,
	EventBridge: 64,
	Lambda: 64,
	MicroService: 255,
	RDS: 63,
	S3: 63,
	SNS: 256,
	SQS: 80,
};

describe('kind registry', () => {
	it('registers the eight kinds under their document names, sorted', () => {
		expect(kindNames).toEqual(['DynamoDB', 'EventBridge', 'Lambda', 'MicroService', 'RDS', 'S3', 'SNS', 'SQS']);
		expect(kindRegistry.size).toBe(8);
	});

	it('looks kinds up by exact name', () => {
		expect(getKind('SQS')).toBe(sqsKind);
		expect(getKind('sqs')).toBeUndefined();
		expect(getKind('Kinesis')).toBeUndefined();
		expect(componentsApiVersion).toBe('components.panka.io/v1');
	});

	it('derives the kinds with logs and the kinds a new tenant allows from the kinds, in the contract’s order', () => {
		expect(kindsWithLogs).toEqual(['MicroService', 'Lambda']);
		expect(hasLogs('Lambda')).toBe(true);
		expect(hasLogs('SQS')).toBe(false);
		expect(hasLogs('Kinesis')).toBe(false);
		expect(defaultAllowedKinds).toEqual(['MicroService', 'Lambda', 'RDS', 'DynamoDB', 'S3', 'SQS', 'SNS', 'EventBridge']);
	});

	it('gives the sweep after a destroy a leftovers hook for every kind whose resources it swept itself before', () => {
		// EventBridge rules are the EventBridge kind's and Lambda triggers' alike: engine/providers/event-rules.ts lists them for the sweep.
		expect(kindsWithLeftovers).toEqual(['MicroService', 'Lambda', 'RDS', 'DynamoDB', 'S3', 'SQS', 'SNS']);
	});

	it('collects the original tool’s forms from the kinds that accept some, each kind’s own list, in registry order', () => {
		expect([...legacyFormsByKind.keys()]).toEqual(['MicroService', 'RDS', 'DynamoDB', 'S3']);
		for (const [name, forms] of legacyFormsByKind) {
			expect(forms).toBe(getKind(name)?.legacyForms);
			expect(forms.length).toBeGreaterThan(0);
		}
	});
});

describe.each(kindNames)('every kind: %s', (name) => {
	const kind = getKind(name)!;
	const spec = parseOk(kind.spec, minimalSpecs[name]);

	it('has a summary, an AWS type and camelCase outputs with descriptions', () => {
		expect(kind.summary.length).toBeGreaterThan(10);
		expect(kind.awsType).toMatch(/^AWS::\w+::\w+$/);
		for (const [output, declaration] of Object.entries(kind.outputs)) {
			expect(output).toMatch(/^[a-z][A-Za-z0-9]*$/);
			expect(declaration.description.length).toBeGreaterThan(0);
		}
	});

	it('rejects unknown top-level keys', () => {
		const result = kind.spec.safeParse({...minimalSpecs[name], notAField: true});
		expect(result.error?.issues).toContainEqual(expect.objectContaining({code: 'unrecognized_keys', keys: ['notAField']}));
	});

	it('takes dependsOn and checks the names in it', () => {
		expect(parseOk(kind.spec, {...minimalSpecs[name], dependsOn: ['api-db']})).toMatchObject({dependsOn: ['api-db']});
		const result = kind.spec.safeParse({...minimalSpecs[name], dependsOn: ['Api_DB']});
		expect(result.error?.issues[0]?.path).toEqual(['dependsOn', 0]);
	});

	it('takes tags', () => {
		expect(parseOk(kind.spec, {...minimalSpecs[name], tags: {team: 'core', cost: 42}})).toMatchObject({tags: {team: 'core', cost: '42'}});
	});

	it('reads the same after parsing twice', () => {
		expect(parseOk(kind.spec, spec)).toEqual(spec);
	});

	it('keeps every physical name within its AWS limit for a very long identity', () => {
		const names = kind.physicalNames(longIdentity, spec);
		expect(names.primary.length).toBeLessThanOrEqual(primaryLimits[name]!);
		for (const [role, physical] of Object.entries(names)) {
			if (role === 'primary') continue;
			const limit = limits[role] ?? (role.startsWith('triggers.') ? 64 : undefined);
			expect(limit, `a limit for role ${role}`).toBeDefined();
			expect(physical.length, role).toBeLessThanOrEqual(limit!);
		}
	});

	it('describes a spec in one line', () => {
		const line = kind.describe(spec);
		expect(line.length).toBeGreaterThan(0);
		expect(line).not.toContain('\n');
		expect(line).not.toContain('undefined');
	});

	it('grants readers only on outputs it declares, each access scoped to an ARN among its outputs', () => {
		const arnOutputs = Object.fromEntries(Object.keys(kind.outputs).map((output) => [output, `arn:aws:test:::${output}`]));
		for (const [output, accesses] of Object.entries(kind.readerAccess ?? {})) {
			expect(Object.keys(kind.outputs)).toContain(output);
			for (const access of accesses) {
				expect(access.actions.length).toBeGreaterThan(0);
				expect(access.resources(arnOutputs).length).toBeGreaterThan(0);
				expect(access.resources({})).toEqual([]);
			}
		}
	});

	it('has a log group to tail exactly when it says it has logs', () => {
		expect('logGroup' in kind.physicalNames(longIdentity, spec)).toBe(kind.hasLogs === true);
	});

	it('finds none of the original tool’s forms in a spec written in panka’s', () => {
		const document = {apiVersion: componentsApiVersion, kind: name, metadata: {name: 'c'}, spec: minimalSpecs[name]};
		for (const form of kind.legacyForms ?? []) expect(form.find(document)).toEqual([]);
	});

	it('loads its leftovers hook, when it has one, as a sweep to call', async () => {
		if (kind.leftovers) expect(await kind.leftovers()).toBeTypeOf('function');
		// Loading the AWS SDK clients a hook uses takes seconds on a busy machine.
	}, 60_000);

	it('declares replaceOn paths, a placement and a create time', () => {
		for (const path of kind.replaceOn) expect(path).toMatch(/^[a-zA-Z]+(\.[a-zA-Z]+)*$/);
		expect(['private-subnets', 'none']).toContain(kind.placement(spec));
		expect(kind.typicalCreateSeconds).toBeGreaterThan(0);
	});
});
