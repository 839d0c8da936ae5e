/**
 * A plan's cost and the budget rule, specified on the demo (production: a db.t3.medium Multi-AZ
 * database, $128.52 a month; an API of 3 tasks behind a load balancer, $43.46; the rest billed
 * by use) at the shipped us-east-1 prices, and the usage file and tenant networking they read.
 */
import {describe, expect, it} from 'vitest';
import {type CostSettings, estimateResourceCost} from '../../../engine/cost/estimate.js';
import {withPlanCost} from '../../../engine/cost/plan-cost.js';
import {shippedPriceTable} from '../../../engine/cost/prices/shipped.js';
import {checkBudget, tenantNetworkingCost} from '../../../engine/cost/tenant-cost.js';
import {planBudget, type TenantSpend} from '../../../engine/cost/tenant-spend.js';
import {parseUsageFile} from '../../../engine/cost/usage-file.js';
import {planChanges} from '../../../engine/plan/plan.js';
import {byAddress, demoCopy, deployed, edit, loadDemo, removeDocument} from '../plan/plan-fixture.js';

const settings: CostSettings = {table: shippedPriceTable, region: 'us-east-1'};
const prices = shippedPriceTable.regions['us-east-1']!;
const database = 128.52; // 2 × 730 × 0.072 + 2 × 100 × 0.115 + 0.40
const api = 3 * 730 * (0.25 * 0.04048 + 0.5 * 0.004445) + 730 * 0.0225;

describe('a plan’s cost', () => {
	it('gives each change its cost before and after, and the stack its total before and after', async () => {
		const dir = demoCopy();
		const state = deployed(await loadDemo(dir));
		edit(dir, 'services/api/resources.yaml', 'class: db.t3.medium', 'class: db.m5.large');
		removeDocument(dir, 'services/scheduler/eventbridge.yaml', 'daily-digest');
		const plan = withPlanCost(planChanges(await loadDemo(dir), state), state, settings);
		const larger = 2 * 730 * 0.178 + 23 + 0.4;
		expect(byAddress(plan, 'api/api-db').cost).toMatchObject({before: expect.closeTo(database, 6), after: expect.closeTo(larger, 6)});
		// A delete has nothing after; a no-op costs the same before and after.
		expect(byAddress(plan, 'scheduler/daily-digest').cost).toEqual({before: 0});
		expect(byAddress(plan, 'api/api-server').cost).toMatchObject({before: expect.closeTo(api, 6), after: expect.closeTo(api, 6)});
		expect(plan.cost).toMatchObject({
			previousMonthlyTotal: expect.closeTo(database + api, 6),
			monthlyTotal: expect.closeTo(larger + api, 6),
			monthlyDelta: expect.closeTo(larger - database, 6),
			prices: {name: 'panka 2026-12-06', date: '2026-12-06'},
		});
	});

	it('prices an update by what is billed: replicas inside autoscaling change nothing, the minimum does', async () => {
		const dir = demoCopy();
		const state = deployed(await loadDemo(dir));
		edit(dir, 'services/api/service.yaml', 'REPLICAS: "3"', 'REPLICAS: "4"');
		const same = withPlanCost(planChanges(await loadDemo(dir), state), state, settings);
		expect(byAddress(same, 'api/api-server').action).toBe('update');
		expect(same.cost!.monthlyDelta).toBeCloseTo(0, 9);
	});

	it('states the whole stack environment’s total in a targeted plan', async () => {
		const dir = demoCopy();
		const state = deployed(await loadDemo(dir));
		edit(dir, 'services/api/resources.yaml', 'class: db.t3.medium', 'class: db.m5.large');
		const plan = withPlanCost(planChanges(await loadDemo(dir), state, {target: ['api/api-db']}), state, settings);
		expect(plan.changes.map((change) => change.address)).not.toContain('api/api-server');
		expect(plan.cost!.monthlyTotal).toBeCloseTo(2 * 730 * 0.178 + 23 + 0.4 + api, 6);
	});

	it('lists what is billed by use, and gives no figures for a region the table lacks', async () => {
		const plan = withPlanCost(planChanges(await loadDemo(), undefined), undefined, settings);
		expect(plan.cost!.usageBased).toEqual(
			expect.arrayContaining(['api/notification-queue', 'api/uploads-bucket', 'worker/processor', 'worker/sessions']),
		);
		expect(plan.cost!.usageBased).not.toContain('api/api-db');
		const elsewhere = withPlanCost(planChanges(await loadDemo(), undefined), undefined, {...settings, region: 'sa-east-1'});
		expect(elsewhere.cost).toMatchObject({monthlyTotal: 0, unavailable: expect.stringContaining('no prices for sa-east-1')});
		expect(elsewhere.changes.every((change) => change.cost === undefined)).toBe(true);
	});
});

describe('the budget', () => {
	const items = [{what: 'a', monthly: 10}];

	it('is within below the warning, warns from it, and is over above the limit', () => {
		const status = (estimate: number) => checkBudget({limit: 100, warnAt: 0.8}, {current: 0, estimate, items}).status;
		expect([status(79.99), status(80), status(100), status(100.01)]).toEqual(['within', 'warning', 'warning', 'over']);
	});

	it('refuses only a plan that adds to a total over the limit: a tenant over budget can always shrink', () => {
		expect(checkBudget({limit: 100, warnAt: 0.8}, {current: 90, estimate: 120, items}).refused).toBe(true);
		expect(checkBudget({limit: 100, warnAt: 0.8}, {current: 150, estimate: 120, items}).refused).toBe(false);
		expect(checkBudget({limit: 100, warnAt: 0.8}, {current: 150, estimate: 150, items}).refused).toBe(false);
	});

	it('counts the planned stack environment as planned and every other one as recorded, and names the biggest', async () => {
		const plan = withPlanCost(planChanges(await loadDemo(), undefined), undefined, settings);
		const config = (await loadDemo()).tenant!.config;
		const spend: TenantSpend = {
			networking: {monthly: 36.5, lines: [], notes: []},
			environments: [
				{stack: 'notification-platform', environment: 'production', monthly: 999, resources: [{what: 'old', monthly: 999}], usageBased: 0},
				{stack: 'billing', environment: 'production', monthly: 80, resources: [{what: 'api/db (RDS)', monthly: 80}], usageBased: 0},
			],
			total: 36.5 + 999 + 80,
			problems: [],
		};
		const limited = {...config, spec: {...config.spec, limits: {...config.spec.limits, monthlyCost: 250}}};
		const budget = planBudget(limited, spend, plan)!;
		expect(budget.estimate).toBeCloseTo(36.5 + 80 + database + api, 6);
		expect(budget).toMatchObject({limit: 250, warnAt: 0.8, status: 'over', refused: false});
		expect(budget.contributors.map((item) => item.what)).toEqual([
			'notification-platform/production api/api-db (RDS)',
			'billing/production api/db (RDS)',
			'notification-platform/production api/api-server (MicroService)',
			'tenant networking',
		]);
		expect(planBudget(config, spend, plan)).toBeUndefined();
	});
});

describe('tenant networking', () => {
	it('costs one NAT gateway and its Elastic IP per gateway, nothing without one', async () => {
		const config = (await loadDemo()).tenant!.config;
		expect(tenantNetworkingCost(config, prices).monthly).toBeCloseTo(730 * 0.05, 9);
		const perAz = {...config.spec.networking, natGateway: {enabled: true, type: 'per-az' as const}};
		expect(tenantNetworkingCost({...config, spec: {...config.spec, networking: perAz}}, prices).monthly).toBeCloseTo(2 * 730 * 0.05, 9);
		const none = {...config.spec.networking, natGateway: {enabled: false, type: 'single' as const}};
		expect(tenantNetworkingCost({...config, spec: {...config.spec, networking: none}}, prices)).toMatchObject({monthly: 0});
	});
});

describe('the usage file', () => {
	it('gives a component its own figures before its kind’s', () => {
		const parsed = parseUsageFile(
			'usage.yaml',
			'components:\n  api/q: {requestsPerMonth: 3000000}\nkinds:\n  SQS: {requestsPerMonth: 1000000}\n',
		);
		if (!('usage' in parsed)) throw new Error('expected a usage file');
		const queue = (address: string) =>
			estimateResourceCost({address, kind: 'SQS', inputs: {type: 'standard'}}, prices, parsed.usage).monthly;
		expect([queue('api/q'), queue('api/other')]).toEqual([expect.closeTo(1.2, 9), expect.closeTo(0.4, 9)]);
	});

	it('refuses unknown figures and negative numbers at their line and column', () => {
		const parsed = parseUsageFile('usage.yaml', 'components:\n  api/q:\n    requestsPerMonth: -1\n    calls: 4\nkinds: {}\n');
		expect(parsed).toEqual({
			diagnostics: expect.arrayContaining([
				expect.objectContaining({file: 'usage.yaml', line: 3, column: 23, message: expect.stringContaining('requestsPerMonth')}),
				expect.objectContaining({file: 'usage.yaml', line: 4, column: 5, message: expect.stringContaining('unknown usage figure calls')}),
			]),
		});
	});
});
