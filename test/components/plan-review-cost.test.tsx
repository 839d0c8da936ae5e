/**
 * The review's cost: a column with what each change adds or saves a month, the stack's new
 * monthly total and its change in the header, the tenant budget there when it warns or refuses,
 * and the estimate (with its notes) in an expanded change. Plans are the engine's, priced by the
 * engine at the shipped us-east-1 prices; the demo's production environment costs (hand-computed,
 * 730 hours a month) $128.52 for its database (db.t3.medium Multi-AZ: 2 × 730 × 0.072, 100 GB gp3
 * × 2 × 0.115, its password secret 0.40) and $43.46 for its API (3 tasks of 0.25 vCPU / 0.5 GB at
 * 730 × 0.0123425 each, its load balancer 730 × 0.0225): $171.98.
 */
import {cleanup, render} from 'ink-testing-library';
import {afterEach, describe, expect, test, vi} from 'vitest';
import {PlanReview} from '../../components/review/PlanReview.js';
import type {PlanReviewResult} from '../../components/review/run-plan-review.js';
import {withPlanCost} from '../../engine/cost/plan-cost.js';
import {shippedPriceTable} from '../../engine/cost/prices/shipped.js';
import {checkBudget} from '../../engine/cost/tenant-cost.js';
import {deployedLine} from '../../components/model/deployed-lines.js';
import type {Plan} from '../../engine/plan/plan.js';
import {KEYS, press} from './keys.js';
import {freshDemoPlan} from './plan-fixture.js';
import {removeTempDirs} from './stack-fixture.js';

afterEach(() => {
	cleanup();
	removeTempDirs();
});

async function pricedDemoPlan(): Promise<Plan> {
	return withPlanCost(await freshDemoPlan(), undefined, {table: shippedPriceTable, region: 'us-east-1'});
}

/** The plan with the tenant's budget checked: `networking` a month besides this stack, against `limit`. */
function withBudget(plan: Plan, networking: number, limit: number): Plan {
	const budget = checkBudget(
		{limit, warnAt: 0.8},
		{current: networking, estimate: networking + plan.cost!.monthlyTotal, items: [{what: 'tenant networking', monthly: networking}]},
	);
	return {...plan, cost: {...plan.cost!, budget}};
}

function renderReview(plan: Plan) {
	const rendered = render(<PlanReview plan={plan} onDone={vi.fn<(result: PlanReviewResult) => void>()} />);
	const lines = () => (rendered.lastFrame() ?? '').split('\n');
	const row = (address: string) =>
		lines().find((line) => new RegExp(`^│[▌ ][✓○] +[-+~/]+ ${address.replace('/', '\\/')} `).test(line)) ?? '';
	return {...rendered, lines, row};
}

describe('cost in the review', () => {
	test('each change shows what it adds a month, in a column; usage-priced ones say so', async () => {
		const {row} = renderReview(await pricedDemoPlan());
		expect(row('api/api-db')).toMatch(/ RDS +\+\$128\.52 {2}/);
		expect(row('api/api-server')).toMatch(/ MicroService +\+\$43\.46 {2}/);
		expect(row('api/notification-queue')).toMatch(/ SQS +usage {2}/);
		// The column lines up: every figure ends at the same place.
		const ends = ['api/api-db', 'api/api-server', 'api/notification-queue'].map((address) => {
			const text = row(address);
			return text.indexOf('  ', text.search(/(\+\$[\d.]+|usage) {2}/) + 1);
		});
		expect(new Set(ends).size).toBe(1);
	});

	test('the header states the stack’s monthly total and its change; the legend names the price table', async () => {
		const {lines} = renderReview(await pricedDemoPlan());
		expect(lines()[1]).toMatch(/Plan: 11 to add, 0 to change, 0 to replace, 0 to destroy · \$171\.98\/month \(\+\$171\.98\)/);
		expect(lines().at(-4)).toContain('- delete · prices panka 2026-12-06');
	});

	test('an expanded change shows its estimate and what the estimate leaves out', async () => {
		const {stdin, lines} = renderReview(await pricedDemoPlan());
		for (let i = 0; i < 20 && !lines().some((l) => l.startsWith('│▌') && l.includes(' api/api-db ')); i++) await press(stdin, KEYS.down);
		await press(stdin, KEYS.enter);
		expect(lines().find((l) => l.includes(' cost $128.52 a month'))).toContain(
			'cost $128.52 a month · storage autoscaling up to 500 GB: $115.00 of storage at the maximum',
		);
	});

	test('the tenant budget shows in the title bar from its warning threshold, and as refused when over', async () => {
		const plan = await pricedDemoPlan();
		// $36.50 networking + $171.98: 208.48, within 300 (69 %), past 80 % of 250, over 200.
		expect(renderReview(withBudget(plan, 36.5, 300)).lines()[0]).not.toContain('budget');
		cleanup();
		expect(renderReview(withBudget(plan, 36.5, 250)).lines()[0]).toMatch(/⚠ budget 83 % of \$250\.00 · no state yet ─*╮$/);
		cleanup();
		expect(renderReview(withBudget(plan, 36.5, 200)).lines()[0]).toContain('✗ over budget 104 % of $200.00');
	});

	test('an unpriced plan has no cost column', async () => {
		const {row, lines} = renderReview(await freshDemoPlan());
		expect(row('api/api-db')).not.toContain('$');
		expect(lines()[1]).not.toContain('/month');
	});
});

describe('cost of a deployed component, in the details pane', () => {
	const text = (line: ReturnType<typeof deployedLine>) => line?.map((segment) => segment.text).join('');

	test('says what the component costs a month from its recorded inputs, with the table', () => {
		const statuses = {
			'api/api-db': {status: 'ready' as const, physicalId: 'db-1', cost: {monthly: 128.52, prices: 'panka 2026-12-06'}},
			'api/notification-queue': {
				status: 'ready' as const,
				physicalId: 'q-1',
				cost: {monthly: 0, usageBased: true, prices: 'panka 2026-12-06'},
			},
			'api/uploads-bucket': {status: 'ready' as const, physicalId: 'b-1'},
		};
		expect(text(deployedLine({statuses}, 'api/api-db'))).toBe('● deployed  db-1  $128.52 a month (panka 2026-12-06)');
		expect(text(deployedLine({statuses}, 'api/notification-queue'))).toBe('● deployed  q-1  usage-based (panka 2026-12-06)');
		expect(text(deployedLine({statuses}, 'api/uploads-bucket'))).toBe('● deployed  b-1');
	});
});
