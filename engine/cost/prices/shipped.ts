/**
 * The price table shipped with panka: AWS on-demand list prices, USD, for the regions below.
 *
 * Invariants: a region is listed only with every figure read for that region; a region missing
 * here is estimated as "no prices" (never with another region's figures) until a table with it
 * is given (`--prices FILE`, written by scripts/refresh-prices.mjs). Changing a figure means
 * changing `date` and `source` with it.
 */
import type {PriceTable, RegionPrices} from '../price-table.js';

const rdsStandardClasses = {
	postgres: {
		'db.t3.micro': 0.018,
		'db.t3.small': 0.036,
		'db.t3.medium': 0.072,
		'db.t3.large': 0.145,
		'db.t4g.micro': 0.016,
		'db.t4g.small': 0.032,
		'db.t4g.medium': 0.065,
		'db.t4g.large': 0.129,
		'db.m5.large': 0.178,
		'db.m5.xlarge': 0.356,
		'db.m6g.large': 0.159,
		'db.m6i.large': 0.178,
		'db.r5.large': 0.25,
		'db.r6g.large': 0.225,
	},
	mysql: {
		'db.t3.micro': 0.017,
		'db.t3.small': 0.034,
		'db.t3.medium': 0.068,
		'db.t3.large': 0.136,
		'db.t4g.micro': 0.016,
		'db.t4g.small': 0.032,
		'db.t4g.medium': 0.065,
		'db.t4g.large': 0.129,
		'db.m5.large': 0.171,
		'db.m5.xlarge': 0.342,
		'db.m6g.large': 0.152,
		'db.m6i.large': 0.171,
		'db.r5.large': 0.24,
		'db.r6g.large': 0.215,
	},
};

/** US East (N. Virginia); US East (Ohio) and US West (Oregon) list the same figures for these services. */
const usPrices: RegionPrices = {
	fargate: {vcpuHour: 0.04048, gbHour: 0.004445},
	loadBalancer: {hour: 0.0225, lcuHour: 0.008},
	natGateway: {hour: 0.045, gbProcessed: 0.045, publicIpv4Hour: 0.005},
	rds: {
		instanceHour: {...rdsStandardClasses, mariadb: rdsStandardClasses.mysql},
		storageGbMonth: {gp2: 0.115, gp3: 0.115, io1: 0.125, io2: 0.125},
		iopsMonth: {gp3: 0.02, io1: 0.1, io2: 0.1},
	},
	dynamodb: {wcuHour: 0.00065, rcuHour: 0.00013, writeRequestMillion: 0.625, readRequestMillion: 0.125, storageGbMonth: 0.25},
	secretsManager: {secretMonth: 0.4},
	logs: {ingestGb: 0.5, storageGbMonth: 0.03},
	lambda: {requestMillion: 0.2, gbSecond: {x86_64: 0.0000166667, arm64: 0.0000133334}},
	sqs: {standardRequestMillion: 0.4, fifoRequestMillion: 0.5},
	sns: {publishMillion: 0.5},
	s3: {storageGbMonth: 0.023, putThousand: 0.005, getThousand: 0.0004},
	eventbridge: {eventMillion: 1},
};

export const shippedPriceTable: PriceTable = {
	name: 'panka 2026-12-06',
	date: '2026-12-06',
	source:
		"AWS on-demand list prices from each service's public pricing page (Fargate, Elastic Load Balancing, VPC, RDS, DynamoDB, Secrets Manager, CloudWatch, Lambda, SQS, SNS, S3, EventBridge), transcribed by hand",
	currency: 'USD',
	regions: {'us-east-1': usPrices, 'us-east-2': usPrices, 'us-west-2': usPrices},
};
