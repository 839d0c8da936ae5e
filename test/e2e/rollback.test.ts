/**
 * `panka rollback` on moto, through the built binary, checked through AWS describe calls: a stack
 * is applied with image tag 1 and a queue's visibility timeout 30, then with tag 2, timeout 120
 * and a queue added. Rolling back to the first deployment is refused, with the reason, for a
 * serial that does not exist, for the state deployed now, for --var (it restores the recorded
 * values) and without approval in CI;
 * --write-patch prints the rolled-back values; --out saves a plan that says what a rollback
 * cannot undo; applying that plan restores tag 1 and timeout 30 in ECS and SQS and deletes the
 * added queue, and the history records it as a rollback. The folder still holds the newer
 * configuration: a plan from it moves forward again.
 */
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient} from '@aws-sdk/client-ecs';
import {GetQueueAttributesCommand, ListQueuesCommand, ListQueueTagsCommand, SQSClient} from '@aws-sdk/client-sqs';
import {expect, it} from 'vitest';
import {describeAws, useMoto} from '../helpers/moto.js';
import {pankaWorld} from '../helpers/panka-world.js';
import {nginxSite, tempDir, writeStackFolder} from '../helpers/stack-fixture.js';

/** A stack of one service: a MicroService whose image tag is ${VERSION} and a queue; `extra` adds a second queue. */
function writeStack(dir: string, stack: string, options: {visibilityTimeout: number; extra: boolean}): void {
	const documents = [
		nginxSite('${VERSION}'),
		`apiVersion: components.panka.io/v1\nkind: SQS\nmetadata:\n  name: jobs\nspec:\n  visibilityTimeout: ${options.visibilityTimeout}\n`,
		...(options.extra ? ['apiVersion: components.panka.io/v1\nkind: SQS\nmetadata:\n  name: extra\n'] : []),
	];
	writeStackFolder(stack, {web: {'resources.yaml': documents.map((d) => `---\n${d}`).join('')}}, {spec: 'promote: [VERSION]\n', dir});
}

describeAws('panka rollback', () => {
	const moto = useMoto({env: {MOTO_ECS_SERVICE_RUNNING: '1'}});

	/** The stack's queues as SQS has them: component → visibility timeout. */
	async function queuesOf(stack: string): Promise<Record<string, string>> {
		const sqs = moto.clients().get(SQSClient);
		const found: Record<string, string> = {};
		for (const url of (await sqs.send(new ListQueuesCommand({}))).QueueUrls ?? []) {
			const {Tags = {}} = await sqs.send(new ListQueueTagsCommand({QueueUrl: url}));
			if (Tags['panka:stack'] !== stack) continue;
			const {Attributes = {}} = await sqs.send(new GetQueueAttributesCommand({QueueUrl: url, AttributeNames: ['VisibilityTimeout']}));
			found[Tags['panka:component']!] = Attributes.VisibilityTimeout ?? '';
		}
		return found;
	}

	/** The image the ECS service runs now (its current task definition's container). */
	async function imageOf(outputs: Record<string, unknown>): Promise<string | undefined> {
		const ecs = moto.clients().get(ECSClient);
		const service = (
			await ecs.send(
				new DescribeServicesCommand({cluster: String(outputs['site.clusterName']), services: [String(outputs['site.serviceName'])]}),
			)
		).services![0]!;
		const definition = (await ecs.send(new DescribeTaskDefinitionCommand({taskDefinition: service.taskDefinition!}))).taskDefinition!;
		return definition.containerDefinitions![0]!.image;
	}

	it('restores an earlier image tag and queue setting through the normal review, deleting what was added since', async () => {
		const world = pankaWorld(moto.env, {network: true});
		expect(world.run(['admin', 'init']).code).toBe(0);
		const {tenant} = world.initTenant('acme', {vpcCidr: '10.40.0.0/16', more: ['--nat-gateway']});
		const stack = `rollback-${Date.now().toString(36)}`;
		const dir = path.join(tempDir('panka-rollback-'), stack);
		const run = (args: string[], code = 0) => {
			const result = world.run(args, tenant);
			expect(result.code, `${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(code);
			return result;
		};
		const summaryOf = (ndjson: string) =>
			ndjson
				.trim()
				.split('\n')
				.map((line) => JSON.parse(line))
				.find((event) => event.type === 'summary');

		writeStack(dir, stack, {visibilityTimeout: 30, extra: false});
		run(['apply', dir, '--var', 'VERSION=1', '--yes', '--approve-broadening', '--json']);
		writeStack(dir, stack, {visibilityTimeout: 120, extra: true});
		const second = summaryOf(run(['apply', dir, '--var', 'VERSION=2', '--yes', '--approve-broadening', '--json']).stdout);
		expect(await imageOf(second.outputs)).toBe('public.ecr.aws/nginx/nginx:2');
		expect(await queuesOf(stack)).toEqual({jobs: '120', extra: '30'});

		const [latest, first] = JSON.parse(run(['history', dir, '--json']).stdout).deployments as Array<{label: string}>;
		const to = first!.label;

		expect(run(['rollback', dir], 2).stderr).toContain('panka rollback needs --to <serial>');
		expect(run(['rollback', dir, '--to', '999', '--yes'], 1).stderr).toContain('cannot roll back to 999: no deployment with serial 999');
		expect(run(['rollback', dir, '--to', latest!.label, '--yes'], 1).stderr).toContain(`serial ${latest!.label} is the state deployed now`);
		expect(run(['rollback', dir, '--to', to, '--var', 'VERSION=3', '--yes'], 2).stderr).toContain('panka rollback does not take --var');
		expect(run(['rollback', dir, '--to', to, '--no-tui'], 2).stderr).toContain('needs approval and there is no terminal to ask in');

		const patch = run(['rollback', dir, '--to', to, '--write-patch']).stdout;
		expect(patch).toContain('release variables (spec.promote) as deployed then: --var VERSION=1');
		expect(patch).toContain('~ visibilityTimeout: 120 → 30');
		expect(patch).toMatch(/web\/extra +added since: remove it from the folder/);

		const planFile = path.join(world.root, 'rollback.plan.json');
		const planned = run(['rollback', dir, '--to', to, '--out', planFile, '--no-tui']).stdout;
		expect(planned).toMatch(new RegExp(`^Rolling back to serial ${to}, deployed \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d by \\S+$`, 'm'));
		expect(planned).toContain(
			`the stack folder still holds the newer configuration than serial ${to}, so the next panka apply from it moves forward again`,
		);
		expect(planned).toMatch(
			/^ {2}- web\/extra {2}SQS .*\n +# added after serial \d+: not in the configuration rolled back to\n +! deleting it deletes the data it holds/m,
		);
		expect(planned).toContain(`a rollback restores configuration only: data written to it since serial ${to} is not rolled back`);
		expect(planned).toContain('Plan: 0 to add, 2 to change, 0 to replace, 1 to destroy.');
		expect(JSON.parse(readFileSync(planFile, 'utf8')).plan.rollback).toMatchObject({serial: Number(to)});

		const applied = summaryOf(run(['apply', planFile, '--json']).stdout);
		expect(applied.outcome.kind).toBe('success');
		expect(await imageOf(applied.outputs)).toBe('public.ecr.aws/nginx/nginx:1');
		expect(await queuesOf(stack)).toEqual({jobs: '30'});

		const [rolledBack] = JSON.parse(run(['history', dir, '--json']).stdout).deployments;
		expect(rolledBack).toMatchObject({operation: 'rollback', rolledBackTo: Number(to), outcome: 'completed'});
		expect(rolledBack.changes).toEqual({create: 0, update: 2, replace: 0, delete: 1});

		// The folder was not changed: planned from it, the stack moves forward again.
		const forward = run(['plan', dir, '--var', 'VERSION=2', '--no-tui']).stdout;
		expect(forward).toContain('Plan: 1 to add, 2 to change, 0 to replace, 0 to destroy.');
	}, 300_000);
});
