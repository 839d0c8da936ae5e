/**
 * Each kind's monthly cost, specified by hand-computed figures at the shipped us-east-1 prices.
 * A month is 730 hours. A handful of figures are checked against AWS's published on-demand
 * prices; each says where the price was published.
 */
import {describe, expect, it} from 'vitest';
import {formatDelta, formatMonthly, formatRate} from '../../../engine/cost/cost-rules.js';
import type {UsageAssumptions} from '../../../engine/cost/cost-types.js';
import {estimateResourceCost, regionPrices} from '../../../engine/cost/estimate.js';
import {parsePriceTable} from '../../../engine/cost/price-table.js';
import {shippedPriceTable} from '../../../engine/cost/prices/shipped.js';
import {getKind} from '../../../engine/kinds/registry.js';

const prices = shippedPriceTable.regions['us-east-1']!;

/** The estimate of a `kind` component written as `spec` (parsed by the kind's own schema, defaults and all). */
function estimate(kind: string, spec: unknown, usage?: UsageAssumptions) {
	const inputs = getKind(kind)!.spec.parse(spec) as Record<string, unknown>;
	const usageFile = usage ? {file: 'usage.yaml', components: {'svc/thing': usage}, kinds: {}} : undefined;
	return estimateResourceCost({address: 'svc/thing', kind, inputs}, prices, usageFile);
}

const image = {repository: 'example/api'};
const rdsBase = {engine: {type: 'postgres', version: '15'}, database: {name: 'app', username: 'app', passwordSecret: {ref: 'db'}}};

describe('published on-demand prices (us-east-1)', () => {
	it('Fargate Linux/x86: $0.04048 per vCPU-hour and $0.004445 per GB-hour (aws.amazon.com/fargate/pricing, as quoted by vantage.sh/blog/fargate-pricing)', () => {
		expect(prices.fargate).toEqual({vcpuHour: 0.04048, gbHour: 0.004445});
		// 1 vCPU / 2 GB all month: 730 × (0.04048 + 2 × 0.004445) = $36.04
		expect(estimate('MicroService', {image, runtime: {cpu: 1024, memory: 2048}}).lines[0]!.monthly).toBeCloseTo(36.0401, 4);
	});

	it('Application Load Balancer: $0.0225 an hour (aws.amazon.com/elasticloadbalancing/pricing): $16.43 a month', () => {
		expect(prices.loadBalancer.hour).toBe(0.0225);
		const withPort = estimate('MicroService', {image, ports: [{name: 'http', port: 8080, protocol: 'http'}]});
		expect(withPort.lines.find((line) => line.item.includes('Load Balancer'))!.monthly).toBeCloseTo(16.425, 6);
	});

	it('RDS db.t4g.micro Multi-AZ: $0.032 an hour, $23.36 a month (aws.amazon.com/rds/pricing, as tabled by infratally.com)', () => {
		const db = estimate('RDS', {...rdsBase, engine: {type: 'mysql', version: '8.0'}, instance: {class: 'db.t4g.micro', multiAZ: true}});
		expect(db.lines[0]).toEqual({item: 'db.t4g.micro mysql Multi-AZ', monthly: expect.closeTo(23.36, 6)});
	});

	it('RDS gp3 storage: $0.115 per GB-month, extra IOPS $0.02 per IOPS-month (aws.amazon.com/rds/pricing)', () => {
		expect(prices.rds.storageGbMonth.gp3).toBe(0.115);
		expect(prices.rds.iopsMonth.gp3).toBe(0.02);
	});

	it('NAT gateway: $0.045 an hour and per GB processed (aws.amazon.com/vpc/pricing)', () => {
		expect(prices.natGateway).toMatchObject({hour: 0.045, gbProcessed: 0.045});
	});
});

describe('MicroService', () => {
	it('prices its tasks all month: 2 × 0.25 vCPU / 0.5 GB = 2 × 730 × (0.25 × 0.04048 + 0.5 × 0.004445)', () => {
		const cost = estimate('MicroService', {image, replicas: 2});
		expect(cost.lines[0]).toEqual({item: '2 × Fargate task 0.25 vCPU / 0.5 GB', monthly: expect.closeTo(18.02005, 6)});
		expect(cost.monthly).toBeCloseTo(18.02005, 6);
		expect(cost.usageBased).toBeUndefined();
		expect(cost.notes).toContain('logs: usage-based ($0.50/GB written, kept 30 days)');
	});

	it('prices the autoscaling minimum and notes the maximum', () => {
		const cost = estimate('MicroService', {image, replicas: 3, autoscaling: {minReplicas: 2, maxReplicas: 6}});
		expect(cost.monthly).toBeCloseTo(18.02005, 6);
		expect(cost.notes[0]).toBe('autoscaling 2–6 tasks: priced at the minimum; $54.06 of tasks at the maximum');
	});

	it('adds the load balancer when a web port is load balanced, and its LCUs from usage', () => {
		const ports = [{name: 'http', port: 8080, protocol: 'http'}];
		expect(estimate('MicroService', {image, ports}).monthly).toBeCloseTo(9.010025 + 16.425, 6);
		const busy = estimate('MicroService', {image, ports}, {loadBalancerLcus: 2, logGBPerMonth: 10});
		// + 2 LCU × 730 × 0.008, + logs 10 GB × 0.50 written + 10 GB × 0.03 kept 30 days
		expect(busy.monthly).toBeCloseTo(9.010025 + 16.425 + 11.68 + 5 + 0.3, 6);
	});
});

describe('RDS', () => {
	it('prices instance hours by engine and class, storage and the master password secret', () => {
		const cost = estimate('RDS', {...rdsBase, instance: {class: 'db.t3.micro'}});
		// 730 × 0.018 + 20 GB × 0.115 + 0.40
		expect(cost.monthly).toBeCloseTo(13.14 + 2.3 + 0.4, 6);
		expect(cost.lines.map((line) => line.item)).toEqual([
			'db.t3.micro postgres Single-AZ',
			'20 GB gp3 storage',
			'Secrets Manager secret (master password)',
		]);
	});

	it('doubles instance, storage and IOPS for Multi-AZ, and prices io1 IOPS', () => {
		const cost = estimate('RDS', {
			...rdsBase,
			instance: {class: 'db.m5.large', multiAZ: true, storage: {type: 'io1', allocatedGB: 100, iops: 3000}},
		});
		// 2 × 730 × 0.178 + 2 × 100 × 0.125 + 2 × 3000 × 0.10 + 0.40
		expect(cost.monthly).toBeCloseTo(259.88 + 25 + 600 + 0.4, 6);
	});

	it('prices gp3 IOPS only above the included 12,000 from 400 GB', () => {
		const cost = estimate('RDS', {...rdsBase, instance: {class: 'db.t3.micro', storage: {type: 'gp3', allocatedGB: 500, iops: 15_000}}});
		expect(cost.lines.find((line) => line.item.includes('IOPS'))).toEqual({
			item: '3000 provisioned IOPS (gp3)',
			monthly: expect.closeTo(60, 6),
		});
	});

	it('names a class the table has no price for, and leaves it out', () => {
		const cost = estimate('RDS', {...rdsBase, instance: {class: 'db.x2g.16xlarge'}});
		expect(cost.unpriced).toEqual(['instance db.x2g.16xlarge (postgres)']);
		expect(cost.monthly).toBeCloseTo(2.3 + 0.4, 6);
	});
});

describe('DynamoDB', () => {
	it('prices provisioned capacity of the table and its indexes: 730 × (RCU × 0.00013 + WCU × 0.00065)', () => {
		const cost = estimate('DynamoDB', {
			billingMode: 'PROVISIONED',
			hashKey: {name: 'id', type: 'S'},
			readCapacity: 5,
			writeCapacity: 5,
			globalSecondaryIndexes: [{name: 'by-user', hashKey: {name: 'user', type: 'S'}, readCapacity: 5, writeCapacity: 5}],
		});
		expect(cost.monthly).toBeCloseTo(730 * (10 * 0.00013 + 10 * 0.00065), 6);
		expect(cost.usageBased).toBeUndefined();
	});

	it('is usage-based on demand, and priced from usage assumptions', () => {
		const table = {hashKey: {name: 'id', type: 'S'}};
		expect(estimate('DynamoDB', table)).toMatchObject({monthly: 0, usageBased: true});
		const used = estimate('DynamoDB', table, {readRequestsPerMonth: 10_000_000, writeRequestsPerMonth: 2_000_000, storageGB: 4});
		expect(used.monthly).toBeCloseTo(10 * 0.125 + 2 * 0.625 + 4 * 0.25, 6);
		expect(used.usageBased).toBeUndefined();
	});
});

describe('kinds billed by use', () => {
	it('Lambda: requests and GB-seconds at its memory and architecture', () => {
		const fn = {runtime: 'nodejs20.x', handler: 'index.handler', code: {path: '.'}};
		expect(estimate('Lambda', fn)).toMatchObject({monthly: 0, usageBased: true});
		// 1M × $0.20/M + 1M × 0.1 s × 0.125 GB × $0.0000166667
		expect(estimate('Lambda', fn, {requestsPerMonth: 1_000_000, averageDurationMs: 100}).monthly).toBeCloseTo(
			0.2 + 12_500 * 0.0000166667,
			8,
		);
	});

	it('SQS standard and FIFO, SNS, S3 and EventBridge', () => {
		expect(estimate('SQS', {})).toMatchObject({monthly: 0, usageBased: true, notes: ['$0.40 per million requests']});
		expect(estimate('SQS', {type: 'fifo'}, {requestsPerMonth: 2_000_000}).monthly).toBeCloseTo(1, 6);
		expect(estimate('SNS', {}, {requestsPerMonth: 4_000_000}).monthly).toBeCloseTo(2, 6);
		expect(estimate('S3', {}, {storageGB: 100, writeRequestsPerMonth: 10_000}).monthly).toBeCloseTo(2.3 + 0.05, 6);
		expect(estimate('EventBridge', {schedule: 'rate(1 hour)', targets: [{component: 'fn'}]})).toEqual({
			monthly: 0,
			lines: [],
			notes: ['scheduled rule: no charge'],
		});
	});
});

describe('prices and figures', () => {
	it('says there are no prices for a region the table lacks, rather than borrowing another', () => {
		expect(regionPrices({table: shippedPriceTable, region: 'ap-south-1'})).toEqual({
			unavailable: expect.stringContaining('price table panka 2026-12-06 has no prices for ap-south-1'),
		});
	});

	it('checks an override table whole and names what is wrong', () => {
		const broken = {...shippedPriceTable, regions: {'eu-west-1': {...prices, fargate: {vcpuHour: -1, gbHour: 0.005}}}};
		const {name: _name, ...document} = broken;
		expect(parsePriceTable(JSON.stringify(document), 'mine.json')).toEqual({
			problems: [expect.stringMatching(/^regions\.eu-west-1\.fargate\.vcpuHour: /)],
		});
		const good = parsePriceTable(JSON.stringify({...document, regions: {'eu-west-1': prices}}), 'mine.json');
		expect(good).toMatchObject({name: 'mine.json', date: '2026-12-06'});
	});

	it('writes dollars with cents, signs changes, and keeps unit prices whole', () => {
		expect([
			formatMonthly(1234.567),
			formatMonthly(1_234_567.891),
			formatMonthly(999.999),
			formatMonthly(0.004),
			formatMonthly(-5),
		]).toEqual(['$1,234.57', '$1,234,567.89', '$1,000.00', '$0.00', '-$5.00']);
		expect([formatDelta(12.3), formatDelta(-5), formatDelta(0.001)]).toEqual(['+$12.30', '-$5.00', '$0.00']);
		// Unit prices as AWS lists them, never rounded to cents.
		expect([formatRate(0.4), formatRate(0.045), formatRate(0.0000166667)]).toEqual(['$0.40', '$0.045', '$0.0000166667']);
	});
});
