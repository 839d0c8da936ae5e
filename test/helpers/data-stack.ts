/**
 * A small stack of data kinds only (SQS, DynamoDB, SNS, S3), every one with a provider: the
 * fixture for apply tests on moto. Names carry a unique suffix so S3's global namespace and
 * suites sharing a moto never collide. `vpcDataStack` adds a function in the tenant VPC, for
 * tests of the stack's own security group.
 */
import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {tempDir} from './stack-fixture.js';

export interface DataStackOptions {
	stack?: string;
	tenant?: string;
	visibilityTimeout?: number;
	/** Leave the table out (to test deletes). */
	withoutTable?: boolean;
	extra?: string;
}

export function writeDataStack(dir: string, options: DataStackOptions = {}): string {
	const stack = options.stack ?? 'shop';
	mkdirSync(path.join(dir, 'services', 'data'), {recursive: true});
	writeFileSync(
		path.join(dir, 'stack.yaml'),
		`apiVersion: core.panka.io/v1\nkind: Stack\nmetadata:\n  name: ${stack}\n  tenant: ${options.tenant ?? 'acme'}\n  labels:\n    environment: test\n`,
	);
	writeFileSync(
		path.join(dir, 'services', 'data', 'service.yaml'),
		'apiVersion: core.panka.io/v1\nkind: Service\nmetadata:\n  name: data\n',
	);
	const docs = [
		`apiVersion: components.panka.io/v1\nkind: SQS\nmetadata:\n  name: orders-queue\nspec:\n  visibilityTimeout: ${options.visibilityTimeout ?? 60}\n  deadLetterQueue:\n    enabled: true\n    maxReceiveCount: 3\n`,
		`apiVersion: components.panka.io/v1\nkind: SNS\nmetadata:\n  name: order-events\nspec:\n  subscriptions:\n    - protocol: sqs\n      component: orders-queue\n`,
		`apiVersion: components.panka.io/v1\nkind: S3\nmetadata:\n  name: uploads\nspec:\n  bucket:\n    forceDestroy: true\n  versioning:\n    enabled: true\n`,
		...(options.withoutTable
			? []
			: [
					`apiVersion: components.panka.io/v1\nkind: DynamoDB\nmetadata:\n  name: orders-table\nspec:\n  hashKey:\n    name: id\n    type: S\n  dependsOn: [orders-queue]\n`,
				]),
		...(options.extra ? [options.extra] : []),
	];
	writeFileSync(path.join(dir, 'services', 'data', 'resources.yaml'), docs.map((d) => `---\n${d}`).join(''));
	return dir;
}

export function dataStack(options: DataStackOptions = {}): string {
	return writeDataStack(path.join(tempDir('panka-apply-'), 'stack'), options);
}

/** A Lambda `ingest` in the tenant VPC, its code in the service's src folder. */
const vpcFunction =
	'apiVersion: components.panka.io/v1\nkind: Lambda\nmetadata:\n  name: ingest\nspec:\n  runtime: nodejs24.x\n  handler: index.handler\n  code:\n    path: ./src\n  vpc:\n    enabled: true\n';

/** The data stack plus a function in the tenant VPC, `data/ingest` (so the stack has its own security group). */
export function vpcDataStack(options: Omit<DataStackOptions, 'extra'> = {}): string {
	const dir = dataStack({...options, extra: vpcFunction});
	mkdirSync(path.join(dir, 'services', 'data', 'src'), {recursive: true});
	writeFileSync(path.join(dir, 'services', 'data', 'src', 'index.mjs'), 'export const handler = async () => ({});\n');
	return dir;
}
