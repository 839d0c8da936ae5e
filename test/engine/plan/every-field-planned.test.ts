/**
 * No configuration change is silently ignored. Every field a user can write, in every document
 * kind (Stack, Service, TenantConfig and each component kind), is taken from the JSON Schema panka
 * publishes (`panka schema`), found set in a stack folder that sets every one of them
 * (test/fixtures/every-field), changed, and the folder planned against the state of the unchanged
 * folder as if it had been applied. The change must be planned (a create, update, replace or
 * delete), or refused with a diagnostic naming the file, or be one of the few fields that change
 * no resource by design (`changesNoResource`, each with its reason; the README lists them).
 *
 * A new schema field that the fixture does not set fails the coverage check, so a field cannot
 * be added without deciding what changing it does.
 */
import {cpSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {parseAllDocuments} from 'yaml';
import {beforeAll, describe, expect, it} from 'vitest';
import {stateAsIfApplied} from '../../../engine/plan/applied-state.js';
import {PlanError, planChanges} from '../../../engine/plan/plan.js';
import {documentKindNames, jsonSchemaForKind} from '../../../engine/schema/json-schema.js';
import type {StateDocument} from '../../../engine/state/state-document.js';
import {loadWorkspace, type Workspace} from '../../../engine/workspace.js';
import {fixturesDir, tempDir} from '../../helpers/stack-fixture.js';

type Schema = Record<string, unknown>;
type PathPart = string | number;

/** Fields whose change deploys nothing, on purpose: documentation, ordering, identity, the tenant's own infrastructure. */
const changesNoResource: Record<string, string> = {
	'*:metadata.description': 'documentation: shown in the workbench and panka stack info, never sent to AWS',
	'Stack:metadata.description': 'documentation: shown in the workbench and panka stack info, never sent to AWS',
	'Stack:spec.environments.*.description': 'documentation: shown by panka env list, never sent to AWS',
	'Stack:spec.environments.*.protected': 'a guard: apply, promote and destroy ask for the environment by name; nothing is deployed',
	'Stack:spec.promote[]': 'names what panka promote carries from one environment to the next; the values are variables',
	'Service:metadata.description': 'documentation: shown in the workbench and panka stack info, never sent to AWS',
	'*:metadata.annotations.*': 'notes for tools and people, never sent to AWS',
	'*:spec.dependsOn[]': 'orders the work; no AWS resource has a field for it (the state records it for the next destroy)',
	'Service:spec.dependsOn[]': 'orders the work of the services; no AWS resource has a field for it',
	'MicroService:spec.runtime.platform': 'fargate is the only platform there is',
	'TenantConfig:metadata.createdBy': 'a record of who created the tenant',
	'TenantConfig:metadata.createdAt': 'a record of when the tenant was created',
	'TenantConfig:metadata.labels.*': 'labels of the tenant itself (stacks tag their resources with the tenant defaultTags)',
	'TenantConfig:spec.aws.region':
		'where the tenant lives: its stacks are deployed there; moving a tenant is not a plan (panka admin tenant update)',
	'TenantConfig:spec.aws.assumeRoleArn': 'how panka reaches the account, not what is deployed in it',
	'TenantConfig:spec.networking.vpc.enableDNSHostnames': 'tenant networking: converged by panka admin tenant update',
	'TenantConfig:spec.networking.vpc.enableDNSSupport': 'tenant networking: converged by panka admin tenant update',
	'TenantConfig:spec.networking.subnets.public[].cidrBlock': 'tenant networking: converged by panka admin tenant update',
	'TenantConfig:spec.networking.subnets.public[].availabilityZone': 'tenant networking: converged by panka admin tenant update',
	'TenantConfig:spec.networking.natGateway.enabled': 'tenant networking: converged by panka admin tenant update',
	'TenantConfig:spec.networking.natGateway.type': 'tenant networking: converged by panka admin tenant update',
	'TenantConfig:spec.networking.internetGateway.enabled': 'tenant networking: converged by panka admin tenant update',
	'TenantConfig:spec.networking.defaultSecurityGroup.allowInternalTraffic':
		'the tenant default group: converged by panka admin tenant update',
	'TenantConfig:spec.limits.maxStacks': 'a limit: checked (a diagnostic when exceeded), never deployed',
	'TenantConfig:spec.limits.maxServicesPerStack': 'a limit: checked (a diagnostic when exceeded), never deployed',
	'TenantConfig:spec.limits.maxResourcesPerService': 'a limit: checked (a diagnostic when exceeded), never deployed',
	'TenantConfig:spec.limits.monthlyCost': 'a budget: checked against the estimate (a plan over it is refused), never deployed',
	'TenantConfig:spec.limits.monthlyCostWarnAt': 'a budget: checked against the estimate (the plan warns), never deployed',
	'TenantConfig:spec.requireApproval': 'which changes an unattended apply may run on its own say: never deployed',
	'TenantConfig:spec.policies.encryptionAtRest': 'a policy: checked at validate time (a diagnostic when broken), never deployed',
	'TenantConfig:spec.policies.publicBuckets': 'a policy: checked at validate time (a diagnostic when broken), never deployed',
	'TenantConfig:spec.policies.rdsInstanceClasses[]': 'a policy: checked at validate time (a diagnostic when broken), never deployed',
	'TenantConfig:spec.policies.maxReplicas': 'a policy: checked at validate time (a diagnostic when broken), never deployed',
	'TenantConfig:spec.policies.internetIngressPorts[]': 'a policy: checked at validate time (a diagnostic when broken), never deployed',
	'TenantConfig:spec.policies.lambdaRuntimes[]': 'a policy: checked at validate time (a diagnostic when broken), never deployed',
};

/** Fields whose change is refused by design, with a diagnostic (or by the plan, for another stack's state). */
const refused: Record<string, string> = {
	'Stack:metadata.name': 'another stack: it has its own state, so the plan refuses this one',
	'Stack:metadata.tenant': 'another tenant: refused (the folder belongs to the logged-in tenant)',
	'Service:metadata.name': "the service's folder names it: renaming it is moving the folder",
	'Service:metadata.stack': 'a service of another stack: refused',
	'*:metadata.service': 'a component of another service: refused (its folder says which service it is in)',
	'*:metadata.stack': 'a component of another stack: refused',
	'TenantConfig:metadata.name': 'another tenant: refused (the stack names its tenant)',
	'TenantConfig:spec.allowedResources[]': 'the kinds the tenant may use: a component of a kind left out is refused',
	'Lambda:spec.triggers[].type': 'selects which fields a trigger has: another type is another trigger (refused without its fields)',
	'Lambda:spec.packageType': 'derived from the code form (Image for imageUri): another value contradicts the code',
};

/** Changed values where adding 1, flipping or appending would not be valid. */
const changeTo: Record<string, unknown> = {
	'S3:environments.*.*': {enabled: false},
	'DynamoDB:environments.*.*': {name: 'key', type: 'S'},
	'spec.networking.securityGroup.ingress[].cidrBlocks[]': '10.0.0.0/9',
	'spec.networking.securityGroup.ingress[].ipv6CidrBlocks[]': '2001:db8::/33',
	'spec.networking.securityGroup.egress[].cidrBlocks[]': '10.1.0.0/17',
	'spec.networking.securityGroup.egress[].ipv6CidrBlocks[]': '2001:db8:1::/49',
	'spec.networking.defaultSecurityGroup.egress[].cidrBlocks[]': '10.0.0.0/9',
	'spec.networking.defaultSecurityGroup.egress[].ipv6CidrBlocks[]': '2001:db8::/33',
	'spec.networking.vpc.cidrBlock': '10.0.0.0/17',
	'spec.networking.subnets.private[].cidrBlock': '10.0.11.0/24',
	'spec.networking.subnets.private[].availabilityZone': 'us-east-1b',
	'spec.networking.subnets.public[].cidrBlock': '10.0.2.0/24',
	'spec.networking.subnets.public[].availabilityZone': 'us-east-1b',
	'spec.networking.defaultSecurityGroup.name': '{tenant}-base-sg',
	'spec.aws.accountId': '210987654321',
	'spec.aws.region': 'us-west-2',
	'spec.aws.assumeRoleArn': 'arn:aws:iam::123456789012:role/panka-acme-2',
	'Stack:spec.variables.*': '345601',
	'Service:spec.variables.*': '61',
	'*:spec.dependsOn[]': 'assets',
	'Service:spec.dependsOn[]': 'ops',
	'DynamoDB:spec.globalSecondaryIndexes[].projection.type': 'ALL',
	'S3:spec.dependsOn[]': 'orders',
	'MicroService:spec.healthCheck.port': 9090,
	'S3:spec.bucket.acl': 'bucket-owner-full-control',
	'MicroService:spec.runtime.cpu': 512,
	'MicroService:spec.runtime.memory': 2048,
	'MicroService:spec.environment[].valueFrom.component': 'ordered-queue',
	'MicroService:spec.environment[].valueFrom.output': 'arn',
	'MicroService:spec.serviceDiscovery.namespace': 'internal.example',
	'Lambda:spec.code.path': './src/fn2',
	'Lambda:spec.environment.*.valueFrom.component': 'sessions',
	'Lambda:spec.environment.*.valueFrom.output': 'arn',
	'Lambda:spec.triggers[].source.component': 'ordered-queue',
	'Lambda:spec.triggers[].schedule': 'rate(10 minutes)',
	'Lambda:spec.memory': 512,
	'RDS:spec.instance.class': 'db.t3.large',
	'RDS:spec.instance.storage.type': 'io2',
	'RDS:spec.backup.preferredWindow': '01:00-02:00',
	'RDS:spec.maintenance.preferredWindow': 'mon:05:00-mon:06:00',
	'RDS:spec.monitoring.monitoringInterval': 30,
	'RDS:spec.engine.version': '16',
	'EventBridge:spec.schedule': 'cron(0 3 * * ? *)',
	'EventBridge:spec.targets[].component': 'ordered-queue',
	'EventBridge:spec.targets[].input': '{"job": "weekly"}',
	'EventBridge:spec.targets[].inputPath': '$.detail.order',
	'SNS:spec.subscriptions[].component': 'ordered-queue',
	'SNS:spec.subscriptions[].endpoint': 'oncall@example.com',
	'S3:spec.lifecycle[].transitions[].days': 60,
	'TenantConfig:spec.limits.monthlyCostWarnAt': 0.75,
};

/** Fields that only change together with others (one logical change): what else to set, by document path. */
const alsoSet: Record<string, Record<string, unknown>> = {
	'DynamoDB:spec.billingMode': {'spec.readCapacity': 1, 'spec.writeCapacity': 1},
};

interface Leaf {
	file: string;
	doc: number;
	kind: string;
	/** Where the value is in the document. */
	at: PathPart[];
	/** The schema path (`spec.ports[].port`, `metadata.labels.*`). */
	field: string;
	value: unknown;
	schema: Schema;
}

const fixture = path.join(fixturesDir, 'every-field');
let dir: string;
let base: Workspace;
let applied: StateDocument;
let leaves: Leaf[];

const load = () => loadWorkspace(dir, {tenantConfigPath: path.join(dir, 'tenant.yaml')});

beforeAll(async () => {
	dir = path.join(tempDir('panka-every-field-'), 'every-field');
	cpSync(fixture, dir, {recursive: true});
	base = await load();
	expect(base.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
	applied = stateAsIfApplied(base, {lineage: 'every-field', at: '2026-01-01T00:00:00Z'});
	leaves = yamlFiles(dir).flatMap((file) =>
		parseAllDocuments(readFileSync(path.join(dir, file), 'utf8')).flatMap((doc, index) => {
			const value = doc.toJS() as {kind?: string};
			const schema = value?.kind ? jsonSchemaForKind(value.kind) : undefined;
			return schema ? leavesOf(value, schema, [], '', {file, doc: index, kind: value.kind!}) : [];
		}),
	);
});

describe('every field of every document kind', () => {
	it('the fixture sets every field the schema has (a new field must be added to it)', () => {
		const missing = documentKindNames.flatMap((kind) => {
			const set = new Set(leaves.filter((l) => l.kind === kind).map((l) => l.field));
			return [...schemaFields(jsonSchemaForKind(kind)!)].filter((field) => !set.has(field)).map((field) => `${kind}:${field}`);
		});
		expect(missing).toEqual([]);
	});

	it('a change of any of them is planned, refused with a diagnostic, or changes no resource by design', async () => {
		const verdicts: Record<string, string> = {};
		const byField = new Map<string, Leaf[]>();
		for (const leaf of leaves) {
			if (leaf.field === 'apiVersion' || leaf.field === 'kind') continue;
			const key = `${leaf.kind}:${leaf.field}`;
			byField.set(key, [...(byField.get(key) ?? []), leaf]);
		}
		for (const [key, candidates] of byField) verdicts[key] = await verdictOf(key, candidates);
		const wrong = Object.entries(verdicts).filter(([key, verdict]) => verdict !== expectedVerdict(key));
		expect(wrong.map(([key, verdict]) => `${key}: ${verdict} (expected ${expectedVerdict(key)})`)).toEqual([]);
		expect(Object.keys(verdicts).length).toBeGreaterThan(250);
	}, 120_000);
});

const notComponents = new Set(['Stack', 'Service', 'TenantConfig']);

/** The entry for `Kind:field`; else `*:field` (every component kind); else `field` (any kind). */
function lookup<T>(table: Record<string, T>, key: string): T | undefined {
	const [kind, field] = key.split(/:(.*)/s) as [string, string];
	return table[key] ?? (notComponents.has(kind) ? undefined : table[`*:${field}`]) ?? table[field];
}

function expectedVerdict(key: string): string {
	if (lookup(changesNoResource, key)) return 'changes no resource';
	if (lookup(refused, key)) return 'refused';
	return 'planned';
}

/**
 * Changes the field where it is set, one occurrence at a time, until one leaves the folder valid
 * (or, for a field refused by design, is refused with a diagnostic at a file), then loads and
 * plans; every file is put back after each try.
 */
async function verdictOf(key: string, candidates: Leaf[]): Promise<string> {
	let last = 'no occurrence could be changed';
	for (const leaf of candidates) {
		const file = path.join(dir, leaf.file);
		const original = readFileSync(file, 'utf8');
		try {
			const docs = parseAllDocuments(original);
			docs[leaf.doc]!.setIn(leaf.at, changed(key, leaf));
			for (const [at, value] of Object.entries(alsoSet[key] ?? {})) docs[leaf.doc]!.setIn(at.split('.'), value);
			writeFileSync(file, docs.map(String).join(''));
			const workspace = await load();
			const errors = workspace.diagnostics.filter((d) => d.severity === 'error');
			if (errors.length > 0) {
				last = `refused: ${errors[0]!.file ?? ''}:${errors[0]!.line ?? ''} ${errors[0]!.message}`;
				if (lookup(refused, key) && errors[0]!.file) return 'refused';
				continue;
			}
			let plan: ReturnType<typeof planChanges>;
			try {
				plan = planChanges(workspace, applied);
			} catch (error) {
				if (error instanceof PlanError && error.code === 'state-mismatch') return 'refused';
				throw error;
			}
			return plan.changes.some((c) => c.action !== 'no-op') ? 'planned' : 'changes no resource';
		} finally {
			writeFileSync(file, original);
		}
	}
	return last;
}

/** The value a field is changed to: from `changeTo`, else the schema's next enum value, the flipped boolean, the number + 1 (− 1 at a maximum), the string with "2". */
function changed(key: string, leaf: Leaf): unknown {
	const fixed = lookup(changeTo, key);
	if (fixed !== undefined) return fixed;
	const value = resolvedValue(leaf);
	const options = alternatives(leaf.schema);
	const choices = options.flatMap((o) => (Array.isArray(o.enum) ? (o.enum as unknown[]) : []));
	if (choices.length > 0) return choices[(choices.indexOf(value) + 1) % choices.length];
	if (typeof value === 'boolean') return !value;
	if (typeof value === 'number') {
		const maximum = options.map((o) => o.maximum).find((m): m is number => typeof m === 'number');
		return maximum !== undefined && value + 1 > maximum ? value - 1 : value + 1;
	}
	if (typeof value === 'string' && /^\d+$/.test(value)) return String(Number(value) + 1);
	return `${String(value)}2`;
}

/** A `${VAR}` value as the resolver turned it into a value (the field is changed to a literal). */
function resolvedValue(leaf: Leaf): unknown {
	if (typeof leaf.value !== 'string' || !leaf.value.includes('${')) return leaf.value;
	const doc = parseAllDocuments(readFileSync(path.join(dir, leaf.file), 'utf8'))[leaf.doc]!.toJS() as {metadata: {name: string}};
	const component = base.componentsByName.get(doc.metadata.name);
	let node: unknown = component?.spec;
	for (const part of leaf.at.slice(1)) node = (node as Record<PathPart, unknown> | undefined)?.[part];
	return node;
}

function yamlFiles(root: string): string[] {
	return readdirSync(root, {recursive: true, withFileTypes: true})
		.filter((e) => e.isFile() && e.name.endsWith('.yaml'))
		.map((e) => path.relative(root, path.join(e.parentPath, e.name)))
		.sort();
}

/** The branches of a schema node (anyOf/oneOf), the template-string widenings left out. */
function alternatives(node: Schema): Schema[] {
	const list = (node.anyOf ?? node.oneOf) as Schema[] | undefined;
	if (!list) return [node];
	return list.flatMap(alternatives).filter((branch) => !(typeof branch.pattern === 'string' && branch.pattern.includes('\\$\\{')));
}

/** Every leaf field path of a schema. */
function schemaFields(node: Schema, at = '', out = new Set<string>()): Set<string> {
	for (const branch of alternatives(node)) {
		const properties = branch.properties as Record<string, Schema> | undefined;
		if (properties) for (const [key, child] of Object.entries(properties)) schemaFields(child, at ? `${at}.${key}` : key, out);
		const extra = branch.additionalProperties;
		if (extra && typeof extra === 'object') schemaFields(extra as Schema, `${at}.*`, out);
		else if (branch.type === 'array' && branch.items) schemaFields(branch.items as Schema, `${at}[]`, out);
		else if (!properties && branch.type !== 'object') out.add(at);
		else if (!properties && !extra) out.add(at);
	}
	return out;
}

/** The leaves of a document's value, each with the schema path it matches. */
function leavesOf(value: unknown, node: Schema, at: PathPart[], field: string, where: {file: string; doc: number; kind: string}): Leaf[] {
	const branches = alternatives(node);
	if (Array.isArray(value)) {
		const items = branches.find((b) => b.type === 'array')?.items as Schema | undefined;
		if (!items) return [{...where, at, field, value, schema: node}];
		return value.flatMap((item, index) => leavesOf(item, items, [...at, index], `${field}[]`, where));
	}
	if (value !== null && typeof value === 'object') {
		const objects = branches.filter((b) => b.properties || b.additionalProperties || b.type === 'object');
		if (objects.length === 0) return [{...where, at, field, value, schema: node}];
		return Object.entries(value).flatMap(([key, child]) => {
			const property = objects.map((b) => (b.properties as Record<string, Schema> | undefined)?.[key]).find(Boolean);
			if (property) return leavesOf(child, property, [...at, key], field ? `${field}.${key}` : key, where);
			const extra = objects.map((b) => b.additionalProperties).find((e) => e && typeof e === 'object') as Schema | undefined;
			return leavesOf(child, extra ?? {}, [...at, key], `${field}.*`, where);
		});
	}
	return [{...where, at, field, value, schema: node}];
}
