/**
 * A tenant's budget on moto, through the built binary, checked through AWS describe calls: two
 * stacks of one tenant, each a DynamoDB table with 100 RCU / 100 WCU provisioned (730 × (100 ×
 * 0.00013 + 100 × 0.00065) = $56.94 a month at the shipped us-east-1 prices), under a limit of
 * $100. The first is applied (57 % of the limit); the second would take the tenant to $113.88:
 * its plan and its apply are refused, naming the estimate, the limit and both tables as the
 * biggest contributors, and its table is never created. Raising the limit lets it through.
 */
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {DynamoDBClient, ListTablesCommand} from '@aws-sdk/client-dynamodb';
import {expect, it} from 'vitest';
import {describeAws, useMoto} from '../helpers/moto.js';
import {pankaWorld} from '../helpers/panka-world.js';
import {writeStackFolder} from '../helpers/stack-fixture.js';

/** One DynamoDB table, `data/orders`, with 100 RCU / 100 WCU provisioned. */
function tableStack(stack: string): string {
	const table = `apiVersion: components.panka.io/v1
kind: DynamoDB
metadata:
  name: orders
spec:
  billingMode: PROVISIONED
  hashKey: {name: id, type: S}
  readCapacity: 100
  writeCapacity: 100
`;
	return writeStackFolder(stack, {data: {'table.yaml': table}});
}

describeAws('tenant budgets', () => {
	const moto = useMoto();

	it('refuses, before anything is created, the stack that would take the tenant over its limit', async () => {
		const world = pankaWorld(moto.env, {network: true});
		expect(world.run(['admin', 'init']).code).toBe(0);
		const {result, tenant} = world.initTenant('acme', {vpcCidr: '10.40.0.0/16', more: ['--cost-limit', '100']});
		expect(result.stdout).toContain('Cost limit: $100.00 a month, warning at 80 %');
		const suffix = Date.now().toString(36);
		const first = tableStack(`orders-${suffix}`);
		const second = tableStack(`billing-${suffix}`);

		const applied = world.run(['apply', first, '--yes', '--no-tui'], tenant);
		expect(applied.code, `${applied.stdout}\n${applied.stderr}`).toBe(0);
		const tables = async () =>
			((await moto.clients().get(DynamoDBClient).send(new ListTablesCommand({}))).TableNames ?? []).filter((name) => name.includes(suffix));
		expect(await tables()).toEqual([expect.stringContaining(`orders-${suffix}`)]);

		const plan = world.run(['plan', second, '--no-tui'], tenant);
		expect(plan.stdout).toContain('Cost: $0.00 → $56.94 a month (+$56.94)');
		expect(plan.stderr).toContain(
			'panka: refused: over budget: with this plan tenant acme is estimated at $113.88 a month against the limit of $100.00 (114 %); nothing was created',
		);
		expect(plan.stderr).toMatch(
			new RegExp(
				`biggest contributors:\\n +\\$56\\.94 {2}billing-${suffix}/default data/orders \\(DynamoDB\\)\\n +\\$56\\.94 {2}orders-${suffix}/`,
			),
		);
		expect(plan.code).toBe(1);

		const refused = world.run(['apply', second, '--yes', '--no-tui'], tenant);
		expect(refused.stderr).toContain('panka: refused: over budget:');
		expect(refused.code).toBe(1);
		expect(await tables()).toEqual([expect.stringContaining(`orders-${suffix}`)]);

		const list = world.run(['stack', 'list'], tenant);
		expect(list.stdout).toContain('Estimated spend: $56.94 a month of the $100.00 limit (57 %)');

		const raise = path.join(world.root, 'raise.yaml');
		writeFileSync(raise, 'spec:\n  limits:\n    monthlyCost: 200\n');
		expect(world.run(['admin', 'tenant', 'update', 'acme', '--config', raise]).code).toBe(0);
		const within = world.run(['apply', second, '--yes', '--no-tui'], tenant);
		expect(within.code, `${within.stdout}\n${within.stderr}`).toBe(0);
		expect((await tables()).sort()).toEqual([expect.stringContaining(`billing-${suffix}`), expect.stringContaining(`orders-${suffix}`)]);
	}, 180_000);
});
