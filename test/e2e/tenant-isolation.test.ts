/**
 * Two tenants sharing one AWS account, through the built binary on moto, checked through AWS
 * describe calls (never through panka's state):
 * - tenant acme (stack shop, env prod2, component orders-q) and tenant acme-shop (stack prod2,
 *   env orders, component q), whose names panka 0.1 made the same, each get their own queue;
 *   destroying acme-shop leaves every resource of acme as it was;
 * - within one stack, component orders-q and its dead-letter queue never meet component
 *   orders-q-dlq, and a Lambda's schedule rule never meets an EventBridge rule named after it:
 *   removing orders-q and the Lambda deletes theirs and leaves the others;
 * - a stack of acme-shop that names acme's secrets (by full name, by ARN) is refused at the
 *   reference's file:line:col before anything is planned or applied.
 * The attempts of one tenant on the other's resources under colliding names, kind by kind, are the
 * ownership conformance suite (test/engine/providers/ownership-conformance.test.ts).
 */
import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {EventBridgeClient, ListRulesCommand, ListTagsForResourceCommand} from '@aws-sdk/client-eventbridge';
import {GetQueueAttributesCommand, ListQueuesCommand, ListQueueTagsCommand, SQSClient} from '@aws-sdk/client-sqs';
import {beforeEach, expect, it} from 'vitest';
import type {AwsClients} from '../../engine/aws/aws-clients.js';
import {describeAws, useMoto} from '../helpers/moto.js';
import {type PankaWorld, pankaWorld} from '../helpers/panka-world.js';
import {tempDir} from '../helpers/stack-fixture.js';

const component = (kind: string, name: string, spec: string) =>
	`---\napiVersion: components.panka.io/v1\nkind: ${kind}\nmetadata:\n  name: ${name}\nspec:\n${spec}`;

/** A stack folder of one service `app` holding `documents`. */
function writeStack(tenant: string, stack: string, env: string, documents: readonly string[]): string {
	const dir = path.join(tempDir('panka-isolation-'), stack);
	mkdirSync(path.join(dir, 'services', 'app', 'src'), {recursive: true});
	writeFileSync(
		path.join(dir, 'stack.yaml'),
		`apiVersion: core.panka.io/v1\nkind: Stack\nmetadata:\n  name: ${stack}\n  tenant: ${tenant}\n  labels:\n    environment: ${env}\n`,
	);
	writeFileSync(path.join(dir, 'services', 'app', 'service.yaml'), 'apiVersion: core.panka.io/v1\nkind: Service\nmetadata:\n  name: app\n');
	writeFileSync(path.join(dir, 'services', 'app', 'src', 'index.js'), 'exports.handler = async () => ({ok: true});\n');
	writeFileSync(path.join(dir, 'services', 'app', 'components.yaml'), documents.join(''));
	return dir;
}

const queue = (name: string, deadLetterQueue = false) =>
	component('SQS', name, `  visibilityTimeout: 45\n${deadLetterQueue ? '  deadLetterQueue:\n    enabled: true\n' : ''}`);

/** Every queue in the account: name → {panka tags, visibility}. */
async function queues(clients: AwsClients): Promise<Record<string, Record<string, string>>> {
	const sqs = clients.get(SQSClient);
	const found: Record<string, Record<string, string>> = {};
	for (const url of (await sqs.send(new ListQueuesCommand({}))).QueueUrls ?? []) {
		const {Tags = {}} = await sqs.send(new ListQueueTagsCommand({QueueUrl: url}));
		const {Attributes = {}} = await sqs.send(new GetQueueAttributesCommand({QueueUrl: url, AttributeNames: ['VisibilityTimeout']}));
		found[url.split('/').pop()!] = {
			...Object.fromEntries(Object.entries(Tags).filter(([key]) => key === 'panka:tenant' || key === 'panka:component')),
			visibility: Attributes.VisibilityTimeout ?? '',
		};
	}
	return found;
}

function tenantOf(world: PankaWorld, name: string): Record<string, string> {
	const init = world.run(['admin', 'tenant', 'init', name, '--aws-account', '123456789012', '--region', 'us-east-1']);
	expect(init.code, init.stderr).toBe(0);
	return {PANKA_TENANT: name, PANKA_TENANT_SECRET: world.secretIn(init.stdout)};
}

describeAws('two tenants in one AWS account', () => {
	const moto = useMoto();
	beforeEach(() => moto.reset());

	it('get different resources for identities 0.1 named alike, and destroying one tenant leaves the other’s untouched', async () => {
		const world = pankaWorld(moto.env);
		expect(world.run(['admin', 'init', '--home', world.pankaHome]).code).toBe(0);
		const acme = tenantOf(world, 'acme');
		const acmeShop = tenantOf(world, 'acme-shop');
		const clients = moto.clients();

		const first = world.run(['apply', writeStack('acme', 'shop', 'prod2', [queue('orders-q', true)]), '--yes', '--no-tui'], acme);
		expect(first.code, first.stdout + first.stderr).toBe(0);
		const second = world.run(['apply', writeStack('acme-shop', 'prod2', 'orders', [queue('q')]), '--yes', '--no-tui'], acmeShop);
		expect(second.code, second.stdout + second.stderr).toBe(0);

		const both = await queues(clients);
		const names = Object.keys(both).sort();
		// Three queues: acme's and its dead-letter queue, acme-shop's; the readable part alike, the hash not.
		expect(names).toHaveLength(3);
		for (const name of names) expect(name).toMatch(/^acme-shop-prod2-orders-q-(dlq-)?[0-9a-f]{8}$/);
		expect(
			Object.values(both)
				.map((queue) => queue['panka:tenant'])
				.sort(),
		).toEqual(['acme', 'acme', 'acme-shop']);

		const destroy = world.run(['destroy', writeStack('acme-shop', 'prod2', 'orders', [queue('q')]), '--yes', '--no-tui'], acmeShop);
		expect(destroy.stdout, destroy.stderr).toContain('✓ Stack destroyed successfully!');
		const left = await queues(clients);
		expect(left).toEqual(Object.fromEntries(Object.entries(both).filter(([, queue]) => queue['panka:tenant'] === 'acme')));
		expect(Object.keys(left)).toHaveLength(2);
	}, 120_000);

	it('keep a component and its parts apart from components named like those parts, within one stack', async () => {
		const world = pankaWorld(moto.env);
		expect(world.run(['admin', 'init', '--home', world.pankaHome]).code).toBe(0);
		const acme = tenantOf(world, 'acme');
		const clients = moto.clients();
		const lambda = component(
			'Lambda',
			'report',
			'  runtime: nodejs20.x\n  handler: index.handler\n  code:\n    path: src\n  triggers:\n    - type: eventbridge\n      schedule: rate(1 hour)\n',
		);
		const rule = component('EventBridge', 'report-schedule-0', '  schedule: rate(1 day)\n  targets:\n    - component: orders-q-dlq\n');
		const full = [queue('orders-q', true), queue('orders-q-dlq'), lambda, rule];
		const stack = writeStack('acme', 'shop', 'prod', full);
		// The rule's target is a new permission: approved on its own.
		const apply = world.run(['apply', stack, '--yes', '--approve-broadening', '--no-tui'], acme);
		expect(apply.code, apply.stdout + apply.stderr).toBe(0);

		const rules = async () => {
			const events = clients.get(EventBridgeClient);
			const found: Record<string, string> = {};
			for (const {Name, Arn} of (await events.send(new ListRulesCommand({}))).Rules ?? [])
				found[Name!] =
					(await events.send(new ListTagsForResourceCommand({ResourceARN: Arn}))).Tags?.find((t) => t.Key === 'panka:component')?.Value ??
					'';
			return found;
		};
		const owners = (found: Record<string, Record<string, string>>) =>
			Object.values(found)
				.map((q) => q['panka:component'])
				.sort();
		expect(owners(await queues(clients))).toEqual(['orders-q', 'orders-q', 'orders-q-dlq']);
		expect(Object.values(await rules()).sort()).toEqual(['report', 'report-schedule-0']);

		// Remove orders-q (and its dead-letter queue) and the Lambda (and its schedule rule): the others stay.
		const remaining = writeStack('acme', 'shop', 'prod', [queue('orders-q-dlq'), rule]);
		const trimmed = world.run(['apply', remaining, '--yes', '--no-tui'], acme);
		expect(trimmed.stdout, trimmed.stderr).toMatch(/Resources to delete: 2/);
		expect(trimmed.code).toBe(0);
		const left = await queues(clients);
		expect(Object.values(left)).toEqual([{'panka:tenant': 'acme', 'panka:component': 'orders-q-dlq', visibility: '45'}]);
		expect(Object.values(await rules())).toEqual(['report-schedule-0']);
		const plan = world.run(['plan', remaining, '--refresh', '--no-tui'], acme);
		expect(plan.stdout, plan.stderr).toContain('No changes.');
	}, 120_000);

	it('refuse a stack that names another tenant’s secrets, at the reference’s file:line:col, before any AWS call', () => {
		const world = pankaWorld(moto.env);
		expect(world.run(['admin', 'init', '--home', world.pankaHome]).code).toBe(0);
		tenantOf(world, 'acme');
		const acmeShop = tenantOf(world, 'acme-shop');
		const acmeArn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:panka/acme/prod/db-password-AbCdEf';
		const stack = writeStack('acme-shop', 'web', 'prod', [
			component(
				'MicroService',
				'api',
				'  image:\n    repository: nginx\n  secrets:\n    - name: DB_PASSWORD\n      secretRef: panka/acme/prod/db-password\n',
			),
			component(
				'RDS',
				'db',
				`  engine:\n    type: postgres\n    version: "15"\n  instance:\n    class: db.t3.micro\n  database:\n    name: app\n    username: app\n    passwordSecret:\n      ref: ${acmeArn}\n`,
			),
		]);
		for (const command of [['plan'], ['apply', '--yes']]) {
			const result = world.run([...command, stack, '--no-tui'], {...acmeShop, AWS_ENDPOINT_URL: 'http://127.0.0.1:9'});
			expect(result.code).toBe(1);
			expect(result.stderr).toContain(
				"services/app/components.yaml:11:18  error  spec.secrets[0].secretRef: secret panka/acme/prod/db-password is in tenant acme's namespace, not tenant acme-shop's (panka/acme-shop/)",
			);
			expect(result.stderr).toContain(
				`services/app/components.yaml:27:12  error  spec.database.passwordSecret.ref: ${acmeArn} names a secret outside tenant acme-shop's namespace panka/acme-shop/`,
			);
		}
	});
});
