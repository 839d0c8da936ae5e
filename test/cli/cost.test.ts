/**
 * Cost through the CLI, without AWS: every plan states each change's monthly cost and the stack's
 * total with the price table and its date (text and --json); --prices and --usage replace the
 * table and price what is billed by use; a tenant's budget (admin tenant init --cost-limit)
 * warns from 80 % and refuses a plan, and an apply, that would take the tenant's total — every
 * stack and environment from its recorded state, plus its networking — over the limit, before
 * anything is created.
 *
 * Figures are hand-computed at the shipped us-east-1 prices (730 hours a month): the demo's
 * staging environment is an RDS db.t3.micro PostgreSQL with 100 GB gp3 (730 × 0.018 + 100 ×
 * 0.115 + 0.40 for its password secret = $25.04) and a MicroService of 0.25 vCPU / 0.5 GB at
 * its autoscaling minimum of 1 behind a load balancer (730 × (0.25 × 0.04048 + 0.5 × 0.004445) +
 * 730 × 0.0225 = $25.44): $50.48 (50.475…). The demo tenant has one NAT gateway with its
 * Elastic IP: 730 × (0.045 + 0.005) = $36.50.
 */
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {stateAsIfApplied} from '../../engine/plan/applied-state.js';
import {openBackend} from '../../engine/state/backend.js';
import {readState, writeState} from '../../engine/state/state-store.js';
import {loadWorkspace} from '../../engine/workspace.js';
import {expectDocument} from '../helpers/json-schemas.js';
import {pankaWorld} from '../helpers/panka-world.js';
import {copyStack, demoStack, demoTenant, tempDir} from '../helpers/stack-fixture.js';

function demoTenantWorld(limit?: string) {
	const world = pankaWorld();
	expect(world.run(['admin', 'init']).code).toBe(0);
	const {result: init, tenant} = world.initTenant('notifications-team', {config: demoTenant, more: limit ? ['--cost-limit', limit] : []});
	return {world, init, tenant};
}

/** A second stack of the tenant: the demo under another name, deployed to production (as an apply would have recorded it). */
async function deploySecondStack(world: ReturnType<typeof pankaWorld>): Promise<void> {
	const folder = copyStack(demoStack);
	const file = path.join(folder, 'stack.yaml');
	const {readFileSync} = await import('node:fs');
	writeFileSync(file, readFileSync(file, 'utf8').replace('name: notification-platform', 'name: billing-platform'));
	const workspace = await loadWorkspace(folder, {tenantConfigPath: demoTenant, environment: 'production'});
	const state = stateAsIfApplied(workspace, {lineage: 'lineage-billing', serial: 1, at: '2026-12-01T00:00:00.000Z', deployedBy: 'ci'});
	await writeState(
		openBackend({kind: 'local', home: world.pankaHome}),
		{tenant: 'notifications-team', stack: 'billing-platform', environment: 'production'},
		state,
		{serial: 0, lineage: state.lineage},
	);
}

describe('cost in every plan', () => {
	const {world, tenant} = demoTenantWorld();

	it('shows each change’s monthly cost, the stack’s total and the price table with its date', () => {
		const plan = world.run(['plan', demoStack, '--no-tui'], tenant);
		expect(plan.code, plan.stderr).toBe(0);
		expect(plan.stdout).toMatch(
			/\+ api\/api-db {2}RDS[^\n]*\n(?:[^\n]*\n)*? {6}cost: \$25\.04 a month · storage autoscaling up to 500 GB: \$57\.50 of storage at the maximum\n/,
		);
		expect(plan.stdout).toMatch(
			/\+ api\/api-server {2}MicroService[^\n]*\n(?:[^\n]*\n)*? {6}cost: \$25\.44 a month · autoscaling 1–3 tasks: priced at the minimum; \$27\.03 of tasks at the maximum · /,
		);
		expect(plan.stdout).toMatch(
			/\+ api\/notification-queue {2}SQS[^\n]*\n(?:[^\n]*\n)*? {6}cost: usage-based · \$0\.40 per million requests\n/,
		);
		expect(plan.stdout).toContain('Cost: $0.00 → $50.48 a month (+$50.48)  (prices: panka 2026-12-06, us-east-1)');
		expect(plan.stdout).toMatch(
			/usage-based, fixed part only: api\/notification-queue, .*worker\/processor.* \(--usage FILE prices them\)/,
		);
		// No budget set: no budget line.
		expect(plan.stdout).not.toContain('tenant budget');
	});

	it('gives the same figures in --json, with the table named', () => {
		const plan = world.run(['plan', demoStack, '--json'], tenant);
		expect(plan.code, plan.stderr).toBe(0);
		// biome-ignore lint/suspicious/noExplicitAny: a parsed document, read field by field.
		const document = expectDocument(plan.stdout) as any;
		expect(document.cost).toMatchObject({
			currency: 'USD',
			region: 'us-east-1',
			prices: {name: 'panka 2026-12-06', date: '2026-12-06', source: expect.stringContaining('AWS on-demand list prices')},
			previousMonthlyTotal: 0,
			monthlyTotal: expect.closeTo(25.04 + 9.010025 + 16.425, 6),
			monthlyDelta: expect.closeTo(25.04 + 9.010025 + 16.425, 6),
			unpriced: [],
		});
		const byAddress = Object.fromEntries(document.changes.map((c: {address: string}) => [c.address, c]));
		expect(byAddress['api/api-db'].cost).toEqual({
			after: expect.closeTo(25.04, 6),
			notes: ['storage autoscaling up to 500 GB: $57.50 of storage at the maximum'],
		});
		expect(byAddress['worker/processor'].cost).toMatchObject({after: 0, usageBased: true});
		const sumOfAfters = document.changes.reduce((sum: number, c: {cost: {after?: number}}) => sum + (c.cost.after ?? 0), 0);
		expect(sumOfAfters).toBeCloseTo(document.cost.monthlyTotal, 9);
	});

	it('prices what is billed by use from a usage file, and says so', () => {
		const usage = path.join(tempDir(), 'usage.yaml');
		writeFileSync(
			usage,
			'components:\n  worker/processor: {requestsPerMonth: 1000000, averageDurationMs: 200}\nkinds:\n  SQS: {requestsPerMonth: 5000000}\n',
		);
		const plan = JSON.parse(world.run(['plan', demoStack, '--json', '--usage', usage], tenant).stdout);
		const byAddress = Object.fromEntries(plan.changes.map((c: {address: string}) => [c.address, c]));
		// 1M × $0.20/M + 1M × 0.2 s × 0.5 GB × $0.0000166667
		expect(byAddress['worker/processor'].cost.after).toBeCloseTo(0.2 + 100_000 * 0.0000166667, 8);
		expect(byAddress['worker/processor'].cost.usageBased).toBeUndefined();
		expect(byAddress['api/notification-queue'].cost.after).toBeCloseTo(2, 8);
		expect(plan.cost.usageFile).toMatch(/usage\.yaml$/);
	});

	it('refuses a usage file with an unknown figure, at its line, before planning (exit 2)', () => {
		const usage = path.join(tempDir(), 'usage.yaml');
		writeFileSync(usage, 'components:\n  worker/processor:\n    invocations: 5\n');
		const plan = world.run(['plan', demoStack, '--no-tui', '--usage', usage], tenant);
		expect(plan.stderr).toMatch(/--usage .*usage\.yaml: .*usage\.yaml:3:5: unknown usage figure invocations/);
		expect(plan.code).toBe(2);
	});

	it('takes another price table with --prices, and names it; a table without the region gives no figures', () => {
		const dir = tempDir();
		const mine = path.join(dir, 'prices.json');
		const broken = path.join(dir, 'broken.json');
		writeFileSync(mine, JSON.stringify({date: '2027-01-01', source: 'my own', currency: 'USD', regions: {}}));
		writeFileSync(broken, JSON.stringify({date: 'yesterday', source: 'x', currency: 'USD', regions: {}}));
		const plan = world.run(['plan', demoStack, '--no-tui', '--prices', mine], tenant);
		expect(plan.code, plan.stderr).toBe(0);
		expect(plan.stdout).toMatch(
			/Cost: not estimated {2}\(prices: .*prices\.json of 2027-01-01, us-east-1\)\n {2}price table .*prices\.json has no prices for us-east-1/,
		);
		const refused = world.run(['plan', demoStack, '--no-tui'], {...tenant, PANKA_PRICES: broken});
		expect(refused.stderr).toContain('--prices');
		expect(refused.stderr).toContain('date: date is YYYY-MM-DD');
		expect(refused.code).toBe(2);
	});
});

describe('what a destroy saves', () => {
	it('prices a destroy plan: each delete and the stack’s total going to nothing', async () => {
		const {world, tenant} = demoTenantWorld();
		const workspace = await loadWorkspace(demoStack, {tenantConfigPath: demoTenant, environment: 'staging'});
		const state = stateAsIfApplied(workspace, {lineage: 'lineage-staging', serial: 1, at: '2026-12-01T00:00:00.000Z', deployedBy: 'ci'});
		await writeState(
			openBackend({kind: 'local', home: world.pankaHome}),
			{tenant: 'notifications-team', stack: 'notification-platform', environment: 'staging'},
			state,
			{serial: 0, lineage: state.lineage},
		);
		// No terminal and no --yes: the destroy shows its plan and asks for --yes (exit 2), having deleted nothing.
		const destroy = world.run(['destroy', demoStack, '--no-tui'], tenant);
		expect(destroy.stdout).toMatch(/- api\/api-db {2}RDS[^\n]*\n(?:[^\n]*\n)*? {6}cost: -\$25\.04 a month \(was \$25\.04\)\n/);
		expect(destroy.stdout).toContain('Cost: $50.48 → $0.00 a month (-$50.48)');
		expect(destroy.code).toBe(2);
	});
});

describe('tenant budgets', () => {
	it('shows the networking cost and the limit at tenant init and in admin tenant show', () => {
		const {world, init} = demoTenantWorld('100');
		expect(init.stdout).toContain(
			'Networking cost: $36.50 a month (1 × NAT gateway; 1 × Elastic IP (public IPv4); NAT data processing: usage-based ($0.045/GB)) · prices: panka 2026-12-06',
		);
		expect(init.stdout).toContain('Cost limit: $100.00 a month, warning at 80 %');
		const show = world.run(['admin', 'tenant', 'show', 'notifications-team']);
		expect(show.stdout).toMatch(/^Cost limit {2}\$100\.00 a month, warning at 80 %$/m);
		expect(show.stdout).toMatch(/^Spend {7}\$36\.50 a month \(networking \$36\.50\) of the \$100\.00 limit \(37 %\)/m);
		// biome-ignore lint/suspicious/noExplicitAny: a parsed document, read field by field.
		const json = expectDocument(world.run(['admin', 'tenant', 'show', 'notifications-team', '--json']).stdout) as any;
		expect(json.config.spec.limits).toMatchObject({monthlyCost: 100});
		expect(json.cost).toMatchObject({monthlyTotal: 36.5, networking: 36.5, limit: 100, warnAt: 0.8, environments: []});
	});

	it('changes the limit with admin tenant update --cost-limit, and shows it', () => {
		const {world} = demoTenantWorld('100');
		const update = world.run(['admin', 'tenant', 'update', 'notifications-team', '--cost-limit', '400', '--cost-warn-at', '90']);
		expect(update.code, update.stderr).toBe(0);
		expect(world.run(['admin', 'tenant', 'show', 'notifications-team']).stdout).toMatch(
			/^Cost limit {2}\$400\.00 a month, warning at 90 %$/m,
		);
	});

	it('prices one NAT gateway per availability zone for per-az networking', () => {
		const world = pankaWorld();
		world.run(['admin', 'init']);
		const {result} = world.initTenant('acme', {more: ['--azs', 'a,b,c', '--nat-type', 'per-az']});
		// 3 × 730 × (0.045 + 0.005)
		expect(result.stdout).toContain('Networking cost: $109.50 a month (3 × NAT gateway; 3 × Elastic IP (public IPv4);');
		expect(result.stdout).not.toContain('Cost limit');
	});

	it('refuses a bad --cost-limit or --cost-warn-at (exit 2)', () => {
		const world = pankaWorld();
		world.run(['admin', 'init']);
		const base = ['admin', 'tenant', 'init', 'acme', '--aws-account', '123456789012', '--region', 'us-east-1'];
		const limit = world.run([...base, '--cost-limit', 'lots']);
		expect(limit.stderr).toContain('--cost-limit lots: a number of US dollars a month');
		const warn = world.run([...base, '--cost-limit', '100', '--cost-warn-at', '150']);
		expect(warn.stderr).toContain('--cost-warn-at 150: a percentage above 0 and at most 100');
		expect([limit.code, warn.code]).toEqual([2, 2]);
	});

	it('warns from 80 % of the limit in the plan, and plans', () => {
		const {world, tenant} = demoTenantWorld('100');
		const plan = world.run(['plan', demoStack, '--no-tui'], tenant);
		// $36.50 networking + $50.48 for staging = $86.98: 87 % of $100.
		expect(plan.stdout).toContain('⚠ tenant budget: $86.98 of $100.00 a month (87 %): past the 80 % warning');
		expect(plan.code).toBe(0);
	});

	it('refuses a plan and an apply that take the tenant over its limit across its stacks, before anything is created', async () => {
		const {world, tenant} = demoTenantWorld('250');
		await deploySecondStack(world);
		const list = world.run(['stack', 'list'], tenant);
		expect(list.stdout).toMatch(/^STACK +ENVIRONMENTS +RESOURCES +MONTHLY +LAST APPLY +LOCK$/m);
		const recorded = /^billing-platform +production +10 +(\$[\d,.]+) /m.exec(list.stdout)?.[1];
		expect(recorded).toBeDefined();
		const production = JSON.parse(world.run(['stack', 'list', '--json'], tenant).stdout).cost.environments[0].monthly as number;
		expect(list.stdout).toContain(`Estimated spend: $${(36.5 + production).toFixed(2)} a month (networking $36.50) of the $250.00 limit`);
		// production: 2 × 730 × 0.072 (db.t3.medium Multi-AZ) + 2 × 100 × 0.115 + 0.40, and 3 API tasks + their load balancer
		expect(production).toBeCloseTo(105.12 + 23 + 0.4 + 3 * 9.010025 + 16.425, 6);

		const plan = world.run(['plan', demoStack, '--no-tui'], tenant);
		const estimate = (36.5 + production + 50.475).toFixed(2);
		expect(plan.stderr).toContain(
			`panka: refused: over budget: with this plan tenant notifications-team is estimated at $${estimate} a month against the limit of $250.00`,
		);
		expect(plan.stderr).toMatch(/biggest contributors:\n +\$128\.52 {2}billing-platform\/production api\/api-db \(RDS\)\n/);
		expect(plan.stderr).toContain('tenant networking');
		expect(plan.stdout).toContain('over the limit, refused');
		expect(plan.code).toBe(1);
		const planJson = world.run(['plan', demoStack, '--json'], tenant);
		expect((expectDocument(planJson.stdout).cost as {budget: unknown}).budget).toMatchObject({
			limit: 250,
			warnAt: 0.8,
			estimate: expect.closeTo(36.5 + production + 25.04 + 9.010025 + 16.425, 6),
			current: expect.closeTo(36.5 + production, 6),
			status: 'over',
			refused: true,
			contributors: expect.arrayContaining([{what: 'billing-platform/production api/api-db (RDS)', monthly: expect.closeTo(128.52, 6)}]),
		});
		expect(planJson.code).toBe(1);

		const apply = world.run(['apply', demoStack, '--yes', '--no-tui'], tenant);
		expect(apply.stderr).toContain('panka: refused: over budget:');
		expect(apply.stderr).toContain('nothing was created');
		expect(apply.code).toBe(1);
		const backend = openBackend({kind: 'local', home: world.pankaHome});
		expect(
			await readState(backend, {tenant: 'notifications-team', stack: 'notification-platform', environment: 'staging'}),
		).toBeUndefined();
	}, 90_000);
});
