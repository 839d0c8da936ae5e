/**
 * The price table an estimate reads: on-demand AWS list prices in USD, by region, with the date
 * they were taken and where from. panka ships one (prices/shipped.ts); `--prices FILE` or
 * PANKA_PRICES replaces it with a JSON file of the same shape (scripts/refresh-prices.mjs writes
 * one from the AWS Price List API).
 *
 * Invariants:
 * - Every estimate names the table it used (`name` and `date`): no figure without its source.
 * - A table is checked whole when read (parsePriceTable): a missing or negative price is a
 *   diagnostic naming its path, never a NaN later.
 * - A month is 730 hours (AWS's own convention in its pricing pages and calculator).
 */
import {z} from '../zod.js';

export const hoursPerMonth = 730;

const price = z.number().nonnegative();
const perRdsClass = z.record(z.string().regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/), price);

export const regionPricesSchema = z.strictObject({
	/** Fargate, Linux, per vCPU-hour and per GB-hour, by CPU architecture. */
	fargate: z.strictObject({vcpuHour: price, gbHour: price}),
	/** Application Load Balancer: per hour, per LCU-hour. */
	loadBalancer: z.strictObject({hour: price, lcuHour: price}),
	/** NAT gateway: per hour, per GB processed, and its Elastic IP as a public IPv4 address per hour. */
	natGateway: z.strictObject({hour: price, gbProcessed: price, publicIpv4Hour: price}),
	rds: z.strictObject({
		/** Single-AZ instance-hour by engine and class; Multi-AZ (one standby) is twice. */
		instanceHour: z.strictObject({postgres: perRdsClass, mysql: perRdsClass, mariadb: perRdsClass}),
		/** Single-AZ storage per GB-month by type; Multi-AZ is twice. */
		storageGbMonth: z.strictObject({gp2: price, gp3: price, io1: price, io2: price}),
		/** Provisioned IOPS per IOPS-month (gp3: only above its included baseline). */
		iopsMonth: z.strictObject({gp3: price, io1: price, io2: price}),
	}),
	dynamodb: z.strictObject({
		wcuHour: price,
		rcuHour: price,
		writeRequestMillion: price,
		readRequestMillion: price,
		storageGbMonth: price,
	}),
	secretsManager: z.strictObject({secretMonth: price}),
	logs: z.strictObject({ingestGb: price, storageGbMonth: price}),
	lambda: z.strictObject({requestMillion: price, gbSecond: z.strictObject({x86_64: price, arm64: price})}),
	sqs: z.strictObject({standardRequestMillion: price, fifoRequestMillion: price}),
	sns: z.strictObject({publishMillion: price}),
	s3: z.strictObject({storageGbMonth: price, putThousand: price, getThousand: price}),
	eventbridge: z.strictObject({eventMillion: price}),
});

export type RegionPrices = z.output<typeof regionPricesSchema>;

export const priceTableSchema = z.strictObject({
	/** The day the prices were read, YYYY-MM-DD. */
	date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, {error: 'date is YYYY-MM-DD'}),
	/** Where they were read from, in words. */
	source: z.string().min(1),
	currency: z.literal('USD'),
	regions: z.record(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/), regionPricesSchema),
});

export interface PriceTable extends z.output<typeof priceTableSchema> {
	/** What the table is called in every estimate: `panka 2026-12-06` or the override file's path. */
	name: string;
}

/** What an estimate says about its prices: `prices: panka table of 2026-12-06 (…)`. */
export interface PriceTableReference {
	name: string;
	date: string;
	source: string;
}

export function priceTableReference(table: PriceTable): PriceTableReference {
	return {name: table.name, date: table.date, source: table.source};
}

/** A price table file's text → the table, or the problems (path: message) that make it unusable. */
export function parsePriceTable(text: string, name: string): PriceTable | {problems: string[]} {
	let document: unknown;
	try {
		document = JSON.parse(text);
	} catch (error) {
		return {problems: [`not JSON: ${(error as Error).message}`]};
	}
	const parsed = priceTableSchema.safeParse(document);
	if (!parsed.success) return {problems: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(document)'}: ${issue.message}`)};
	return {...parsed.data, name};
}
