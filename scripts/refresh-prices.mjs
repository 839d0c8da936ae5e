#!/usr/bin/env node
/**
 * Writes a panka price table (the JSON `--prices FILE` and PANKA_PRICES read) from the AWS Price
 * List Query API (pricing:GetProducts): the on-demand USD price of every figure panka's estimates
 * use, for the regions asked for.
 *
 *   AWS_PROFILE=… node scripts/refresh-prices.mjs --regions us-east-1,eu-west-1 --out prices.json
 *
 * Needs AWS credentials allowed pricing:GetProducts (any account; the API is free) and network
 * access to api.pricing.us-east-1.amazonaws.com. It asks for each figure by service code, region
 * and product family, then picks the usage type by its suffix; a figure it cannot find stops the
 * run naming the service, the usage type it looked for and what AWS offered instead, so a usage
 * type AWS renamed is fixed here, never written as a wrong price. The table is checked against
 * panka's own schema when panka reads it (engine/cost/price-table.ts).
 *
 * To ship a refreshed table, copy the figures into engine/cost/prices/shipped.ts and change its
 * date and source with them (the estimate tests then say which hand-computed figures moved).
 */
import {writeFile} from 'node:fs/promises';
import {parseArgs} from 'node:util';

const {values} = parseArgs({
	options: {
		regions: {type: 'string', default: 'us-east-1,us-east-2,us-west-2'},
		out: {type: 'string', default: 'prices.json'},
		help: {type: 'boolean', default: false},
	},
});
if (values.help) {
	console.log('node scripts/refresh-prices.mjs [--regions us-east-1,eu-west-1] [--out prices.json]');
	process.exit(0);
}

let pricing;
try {
	pricing = await import('@aws-sdk/client-pricing');
} catch {
	console.error('refresh-prices needs the AWS SDK pricing client (a dev dependency): run npm install in the panka checkout');
	process.exit(2);
}
// The Query API is served from us-east-1 (also eu-central-1 and ap-south-1), whatever region is priced.
const client = new pricing.PricingClient({region: 'us-east-1'});

/** Every product of `serviceCode` matching the TERM_MATCH `filters`, parsed. */
async function products(serviceCode, filters) {
	const found = [];
	let NextToken;
	do {
		const page = await client.send(
			new pricing.GetProductsCommand({
				ServiceCode: serviceCode,
				Filters: Object.entries(filters).map(([Field, Value]) => ({Type: 'TERM_MATCH', Field, Value})),
				FormatVersion: 'aws_v1',
				MaxResults: 100,
				NextToken,
			}),
		);
		for (const item of page.PriceList ?? []) found.push(typeof item === 'string' ? JSON.parse(item) : item);
		NextToken = page.NextToken;
	} while (NextToken);
	return found;
}

/** The first paid on-demand tier of a product: its USD price per unit and the unit. */
function onDemandPrice(product) {
	const dimensions = Object.values(product.terms?.OnDemand ?? {}).flatMap((term) => Object.values(term.priceDimensions ?? {}));
	const paid = dimensions
		.map((d) => ({usd: Number(d.pricePerUnit?.USD), begin: Number(d.beginRange ?? 0), unit: d.unit}))
		.filter((d) => Number.isFinite(d.usd) && d.usd > 0)
		.sort((a, b) => a.begin - b.begin);
	return paid[0];
}

/** The price of the one product whose usage type ends with `suffix` (a free tier skipped), times `scale`. */
async function price(what, serviceCode, filters, suffix, scale = 1) {
	const found = await products(serviceCode, filters);
	const matching = found.filter((p) => (p.product?.attributes?.usagetype ?? '').endsWith(suffix));
	const prices = [
		...new Set(
			matching
				.map(onDemandPrice)
				.filter(Boolean)
				.map((p) => p.usd),
		),
	];
	if (prices.length !== 1) {
		const offered = [...new Set(found.map((p) => p.product?.attributes?.usagetype))].sort().slice(0, 40);
		throw new Error(
			`${what}: ${prices.length === 0 ? 'no' : `${prices.length} different`} on-demand prices for usage type *${suffix} in ${serviceCode} ${JSON.stringify(filters)}; offered: ${offered.join(', ')}`,
		);
	}
	return Number((prices[0] * scale).toPrecision(8));
}

const rdsEngines = {postgres: 'PostgreSQL', mysql: 'MySQL', mariadb: 'MariaDB'};

/** Single-AZ on-demand instance-hours of every db.* class the region offers for `engine`. */
async function rdsInstanceHours(region, engine) {
	const found = await products('AmazonRDS', {
		regionCode: region,
		productFamily: 'Database Instance',
		databaseEngine: engine,
		deploymentOption: 'Single-AZ',
	});
	const byClass = {};
	for (const product of found) {
		const attributes = product.product?.attributes ?? {};
		const usd = onDemandPrice(product)?.usd;
		if (!/^db\.[a-z0-9]+\.[a-z0-9]+$/.test(attributes.instanceType ?? '') || usd === undefined) continue;
		if (attributes.locationType && attributes.locationType !== 'AWS Region') continue;
		byClass[attributes.instanceType] = Math.min(byClass[attributes.instanceType] ?? Number.POSITIVE_INFINITY, usd);
	}
	if (Object.keys(byClass).length === 0) throw new Error(`RDS ${engine} in ${region}: no instance classes offered`);
	return Object.fromEntries(Object.entries(byClass).sort(([a], [b]) => a.localeCompare(b)));
}

async function rdsStorage(region, volumeType) {
	return price(
		`RDS storage ${volumeType}`,
		'AmazonRDS',
		{regionCode: region, productFamily: 'Database Storage', volumeType, deploymentOption: 'Single-AZ', databaseEngine: 'PostgreSQL'},
		'',
		1,
	);
}

async function regionPrices(region) {
	const r = {regionCode: region};
	const gib = 1; // AWS prices these per GB (GiB) already.
	return {
		fargate: {
			vcpuHour: await price('Fargate vCPU', 'AmazonECS', r, 'Fargate-vCPU-Hours:perCPU'),
			gbHour: await price('Fargate memory', 'AmazonECS', r, 'Fargate-GB-Hours'),
		},
		loadBalancer: {
			hour: await price('ALB hours', 'AWSELB', {...r, productFamily: 'Load Balancer-Application'}, 'LoadBalancerUsage'),
			lcuHour: await price('ALB LCUs', 'AWSELB', {...r, productFamily: 'Load Balancer-Application'}, 'LCUUsage'),
		},
		natGateway: {
			hour: await price('NAT gateway hours', 'AmazonEC2', {...r, productFamily: 'NAT Gateway'}, 'NatGateway-Hours'),
			gbProcessed: await price('NAT gateway data', 'AmazonEC2', {...r, productFamily: 'NAT Gateway'}, 'NatGateway-Bytes', gib),
			publicIpv4Hour: await price('public IPv4 address', 'AmazonVPC', r, 'PublicIPv4:InUseAddress'),
		},
		rds: {
			instanceHour: {
				postgres: await rdsInstanceHours(region, rdsEngines.postgres),
				mysql: await rdsInstanceHours(region, rdsEngines.mysql),
				mariadb: await rdsInstanceHours(region, rdsEngines.mariadb),
			},
			storageGbMonth: {
				gp2: await rdsStorage(region, 'General Purpose'),
				gp3: await rdsStorage(region, 'General Purpose-GP3'),
				io1: await rdsStorage(region, 'Provisioned IOPS'),
				io2: await rdsStorage(region, 'Provisioned IOPS-IO2'),
			},
			iopsMonth: {
				gp3: await price(
					'RDS gp3 IOPS',
					'AmazonRDS',
					{...r, productFamily: 'Provisioned IOPS', deploymentOption: 'Single-AZ', databaseEngine: 'PostgreSQL'},
					'RDS:GP3-PIOPS',
				),
				io1: await price(
					'RDS io1 IOPS',
					'AmazonRDS',
					{...r, productFamily: 'Provisioned IOPS', deploymentOption: 'Single-AZ', databaseEngine: 'PostgreSQL'},
					'RDS:PIOPS',
				),
				io2: await price(
					'RDS io2 IOPS',
					'AmazonRDS',
					{...r, productFamily: 'Provisioned IOPS', deploymentOption: 'Single-AZ', databaseEngine: 'PostgreSQL'},
					'RDS:PIOPS-IO2',
				),
			},
		},
		dynamodb: {
			wcuHour: await price('DynamoDB WCU', 'AmazonDynamoDB', r, 'WriteCapacityUnit-Hrs'),
			rcuHour: await price('DynamoDB RCU', 'AmazonDynamoDB', r, 'ReadCapacityUnit-Hrs'),
			writeRequestMillion: await price('DynamoDB on-demand writes', 'AmazonDynamoDB', r, 'WriteRequestUnits', 1_000_000),
			readRequestMillion: await price('DynamoDB on-demand reads', 'AmazonDynamoDB', r, 'ReadRequestUnits', 1_000_000),
			storageGbMonth: await price('DynamoDB storage', 'AmazonDynamoDB', r, 'TimedStorage-ByteHrs'),
		},
		secretsManager: {secretMonth: await price('Secrets Manager secret', 'AWSSecretsManager', r, 'AWSSecretsManager-Secrets')},
		logs: {
			ingestGb: await price('CloudWatch Logs ingestion', 'AmazonCloudWatch', {...r, productFamily: 'Data Payload'}, 'DataProcessing-Bytes'),
			storageGbMonth: await price(
				'CloudWatch Logs storage',
				'AmazonCloudWatch',
				{...r, productFamily: 'Storage Snapshot'},
				'TimedStorage-ByteHrs',
			),
		},
		lambda: {
			requestMillion: await price('Lambda requests', 'AWSLambda', r, 'Request', 1_000_000),
			gbSecond: {
				x86_64: await price('Lambda GB-seconds x86_64', 'AWSLambda', r, 'Lambda-GB-Second'),
				arm64: await price('Lambda GB-seconds arm64', 'AWSLambda', r, 'Lambda-GB-Second-ARM'),
			},
		},
		sqs: {
			standardRequestMillion: await price('SQS standard requests', 'AWSQueueService', r, 'Requests-RBP', 1_000_000),
			fifoRequestMillion: await price('SQS FIFO requests', 'AWSQueueService', r, 'Requests-FIFO-RBP', 1_000_000),
		},
		sns: {publishMillion: await price('SNS publishes', 'AmazonSNS', r, 'Requests-Tier1', 1_000_000)},
		s3: {
			storageGbMonth: await price('S3 Standard storage', 'AmazonS3', {...r, storageClass: 'General Purpose'}, 'TimedStorage-ByteHrs'),
			putThousand: await price('S3 PUT requests', 'AmazonS3', r, 'Requests-Tier1', 1000),
			getThousand: await price('S3 GET requests', 'AmazonS3', r, 'Requests-Tier2', 1000),
		},
		eventbridge: {eventMillion: await price('EventBridge custom events', 'AWSEvents', r, 'Event-64K-Chunks', 1_000_000)},
	};
}

const regions = values.regions
	.split(',')
	.map((region) => region.trim())
	.filter(Boolean);
const table = {
	date: new Date().toISOString().slice(0, 10),
	source: `AWS Price List Query API (pricing:GetProducts), on-demand USD, read by scripts/refresh-prices.mjs`,
	currency: 'USD',
	regions: {},
};
for (const region of regions) {
	console.error(`reading prices for ${region}…`);
	table.regions[region] = await regionPrices(region);
}
await writeFile(values.out, `${JSON.stringify(table, null, '\t')}\n`);
console.error(`wrote ${values.out}: ${regions.length} region(s), dated ${table.date}; use it with panka plan --prices ${values.out}`);
