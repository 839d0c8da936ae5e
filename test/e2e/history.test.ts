/**
 * `panka history` and `panka history show` through the built binary, on moto, on both backends (a
 * local folder and an S3 bucket with versioning): apply → update → destroy → apply lists four
 * deployments, newest first, with their operations, change counts and outcomes; the destroyed
 * state's serials are named with their lineage; `history show` of the update gives the queue's
 * field diff, and of the first apply every resource as created.
 */
import path from 'node:path';
import {expect, it} from 'vitest';
import {writeDataStack} from '../helpers/data-stack.js';
import {describeAws, useMoto} from '../helpers/moto.js';
import {pankaWorld} from '../helpers/panka-world.js';
import {tempDir} from '../helpers/stack-fixture.js';

interface ListedDeployment {
	label: string;
	serial: number;
	lineage: string;
	operation: string;
	outcome: string;
	changes: {create: number; update: number; replace: number; delete: number};
	current: boolean;
	by?: string;
}

describeAws('panka history', () => {
	const moto = useMoto();

	for (const backend of ['local', 's3'] as const)
		it(`lists apply, update, destroy and apply again from the ${backend} backend's versions, and shows what each changed`, () => {
			const world = pankaWorld(moto.env);
			const init = backend === 's3' ? ['admin', 'init', '--backend', `s3://history-${Date.now().toString(36)}`] : ['admin', 'init'];
			expect(world.run(init).code).toBe(0);
			const {tenant} = world.initTenant('acme');
			const stack = `hist-${backend}-${Date.now().toString(36)}`;
			const dir = path.join(tempDir('panka-history-'), stack);
			const write = (visibilityTimeout: number) => writeDataStack(dir, {stack, visibilityTimeout, withoutTable: true});
			const run = (args: string[]) => {
				const result = world.run(args, tenant);
				expect(result.code, `${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
				return result;
			};

			const never = run(['history', dir]);
			expect(never.stdout).toContain(`No deployments recorded: ${stack} (default) has never been applied`);

			write(60);
			run(['apply', dir, '--yes', '--no-tui']);
			write(90);
			run(['apply', dir, '--yes', '--no-tui']);
			run(['destroy', dir, '--yes', '--no-tui']);
			run(['apply', dir, '--yes', '--no-tui']);

			const listed = JSON.parse(run(['history', dir, '--json']).stdout) as {kind: string; deployments: ListedDeployment[]; exists: boolean};
			expect(listed.kind).toBe('DeploymentHistory');
			expect(listed.exists).toBe(true);
			const [again, destroyed, updated, first] = listed.deployments;
			expect(listed.deployments.map((d) => [d.operation, d.outcome, d.changes])).toEqual([
				['apply', 'completed', {create: 3, update: 0, replace: 0, delete: 0}],
				['destroy', 'completed', {create: 0, update: 0, replace: 0, delete: 3}],
				['apply', 'completed', {create: 0, update: 1, replace: 0, delete: 0}],
				['apply', 'completed', {create: 3, update: 0, replace: 0, delete: 0}],
			]);
			// The destroy removed the state: the apply after it starts a new lineage at serial 1.
			expect(again!).toMatchObject({current: true, label: String(again!.serial)});
			expect(again!.lineage).not.toBe(first!.lineage);
			for (const earlier of [destroyed!, updated!, first!]) {
				expect(earlier.lineage).toBe(first!.lineage);
				expect(earlier).toMatchObject({current: false, label: `${earlier.serial}@${first!.lineage.slice(0, 8)}`});
			}
			expect(first!.serial).toBeLessThan(updated!.serial);
			expect(updated!.serial).toBeLessThan(destroyed!.serial);
			expect(destroyed!.by).toMatch(/\S+@\S+/);

			const table = run(['history', dir]).stdout;
			expect(table).toMatch(/^SERIAL +WHEN +WHO +OPERATION +CHANGES +OUTCOME$/m);
			expect(table).toMatch(new RegExp(`^${updated!.label} +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +\\S+ +apply +~1 +completed$`, 'm'));
			expect(table).toMatch(new RegExp(`^${destroyed!.label} .* destroy +-3 +completed$`, 'm'));
			expect(table).toContain('4 deployments on');

			const update = run(['history', 'show', updated!.label, dir]).stdout;
			expect(update).toContain(`Deployment ${updated!.label}: apply by`);
			expect(update).toMatch(/~ data\/orders-queue {2}SQS/);
			expect(update).toContain('~ visibilityTimeout: 60 → 90');
			expect(update).not.toContain('data/uploads');
			expect(update).toContain('Changed: 0 add, 1 change, 0 replace, 0 destroy.');

			const created = run(['history', 'show', first!.label, dir]).stdout;
			expect(created).toContain('The first deployment of this state');
			for (const address of ['data/orders-queue', 'data/order-events', 'data/uploads'])
				expect(created).toMatch(new RegExp(`\\+ ${address} `));

			const gone = run(['history', 'show', destroyed!.label, dir, '--json']).stdout;
			expect(JSON.parse(gone)).toMatchObject({kind: 'DeploymentChanges', summary: {create: 0, update: 0, replace: 0, delete: 3}});

			const unknown = world.run(['history', 'show', '99', dir], tenant);
			expect(unknown.code).toBe(1);
			expect(unknown.stderr).toContain('no deployment with serial 99');
		}, 180_000);
});
