/**
 * Upgrading from panka 0.1, whose names had no identity hash, through the built binary on moto.
 *
 * test/fixtures/states/legacy-shop-panka-0.1.json is the state panka 0.1 wrote when it applied
 * test/fixtures/stacks/legacy-shop (tenant acme, stack shop, env test: an SQS queue with its
 * dead-letter queue, an SNS topic subscribed to it, a DynamoDB table), only its moto endpoint made
 * a placeholder. AWS is set up as 0.1 left it: every resource the state records, made by the
 * providers under its recorded names and tags. Then this panka plans no changes, applies a change
 * to the queue under its 0.1 name, and destroys everything under the 0.1 names, all checked
 * through AWS describe calls: no resource under a new name is ever made.
 */
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {DynamoDBClient, ListTablesCommand} from '@aws-sdk/client-dynamodb';
import {ListTopicsCommand, SNSClient} from '@aws-sdk/client-sns';
import {GetQueueAttributesCommand, ListQueuesCommand, SQSClient} from '@aws-sdk/client-sqs';
import {expect, it} from 'vitest';
import {getKind} from '../../engine/kinds/registry.js';
import type {Provider} from '../../engine/providers/provider.js';
import type {StateDocument} from '../../engine/state/state-document.js';
import {describeAws, useMoto} from '../helpers/moto.js';
import {pankaWorld} from '../helpers/panka-world.js';
import {parsedSpec, resourceContext} from '../helpers/resource-context.js';
import {copyStack, fixturesDir} from '../helpers/stack-fixture.js';

const legacyQueue = 'acme-shop-test-orders-queue';

describeAws('a stack deployed by panka 0.1, after the upgrade', () => {
	const moto = useMoto();

	it('plans no changes, updates and destroys under the names 0.1 gave, and never makes a resource under a new name', async () => {
		const world = pankaWorld(moto.env);
		expect(world.run(['admin', 'init', '--home', world.pankaHome]).code).toBe(0);
		const init = world.run(['admin', 'tenant', 'init', 'acme', '--aws-account', '123456789012', '--region', 'us-east-1']);
		expect(init.code, init.stderr).toBe(0);
		const tenant = {PANKA_TENANT: 'acme', PANKA_TENANT_SECRET: world.secretIn(init.stdout)};
		const stack = copyStack(path.join(fixturesDir, 'stacks', 'legacy-shop'));

		// The state 0.1 wrote, where 0.1 wrote it, and AWS as 0.1 left it.
		const text = readFileSync(path.join(fixturesDir, 'states', 'legacy-shop-panka-0.1.json'), 'utf8').replaceAll('{{moto}}', moto.endpoint);
		const state = JSON.parse(text) as StateDocument;
		const stateDir = path.join(world.pankaHome, 'tenants', 'acme', 'v1', 'stacks', 'shop', 'test');
		mkdirSync(stateDir, {recursive: true});
		writeFileSync(path.join(stateDir, 'state.json'), text);
		const clients = moto.clients();
		for (const address of ['data/orders-queue', 'data/orders-table', 'data/order-events']) {
			const resource = state.resources[address]!;
			const {tags, physicalNames: _names, ...inputs} = resource.inputs;
			const spec = parsedSpec(resource.kind, inputs);
			const context = resourceContext(
				resource.kind,
				{tenant: 'acme', stack: 'shop', env: 'test', component: resource.name},
				spec,
				clients,
				{service: 'data', names: resource.physicalNames, references: {'orders-queue': state.resources['data/orders-queue']!.outputs}},
			);
			const provider = (await getKind(resource.kind)!.provider!()) as Provider<unknown>;
			const made = await provider.create({...context, tags: tags as Record<string, string>}, spec);
			expect(made.physicalId).toBe(resource.physicalId);
		}
		const sqs = clients.get(SQSClient);
		const queues = async () => ((await sqs.send(new ListQueuesCommand({}))).QueueUrls ?? []).map((url) => url.split('/').pop()).sort();
		const everything = async () => ({
			queues: await queues(),
			topics: ((await clients.get(SNSClient).send(new ListTopicsCommand({}))).Topics ?? []).map((t) => t.TopicArn?.split(':').pop()),
			tables: (await clients.get(DynamoDBClient).send(new ListTablesCommand({}))).TableNames ?? [],
		});
		const deployed = {
			queues: [legacyQueue, `${legacyQueue}-dlq`],
			topics: ['acme-shop-test-order-events'],
			tables: ['acme-shop-test-orders-table'],
		};
		expect(await everything()).toEqual(deployed);

		const plan = world.run(['plan', stack, '--no-tui'], tenant);
		expect(plan.stdout, plan.stderr).toContain('No changes. Your infrastructure matches the configuration.');
		expect(plan.code).toBe(0);
		const refreshed = world.run(['plan', stack, '--refresh', '--no-tui'], tenant);
		expect(refreshed.stdout, refreshed.stderr).toContain('No changes.');

		const resources = path.join(stack, 'services', 'data', 'resources.yaml');
		writeFileSync(resources, readFileSync(resources, 'utf8').replace('visibilityTimeout: 60', 'visibilityTimeout: 90'));
		const apply = world.run(['apply', stack, '--yes', '--no-tui'], tenant);
		expect(apply.stdout, apply.stderr).toMatch(/Resources to update: 1\n {2}└── data\/orders-queue \(SQS\)/);
		expect(apply.stdout).toContain(`updating queue ${legacyQueue}`);
		expect(apply.code).toBe(0);
		const {Attributes} = await sqs.send(
			new GetQueueAttributesCommand({QueueUrl: `${moto.endpoint}/123456789012/${legacyQueue}`, AttributeNames: ['VisibilityTimeout']}),
		);
		expect(Attributes?.VisibilityTimeout).toBe('90');
		expect(await everything()).toEqual(deployed);

		const destroy = world.run(['destroy', stack, '--yes', '--no-tui'], tenant);
		expect(destroy.stdout, destroy.stderr).toContain('✓ Stack destroyed successfully!');
		expect(await everything()).toEqual({queues: [], topics: [], tables: []});
	}, 120_000);
});
