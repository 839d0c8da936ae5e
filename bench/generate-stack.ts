/**
 * Generated stacks for benchmarks: `components` components spread over services of 100 (ten files
 * of ten documents each), mixing SQS, DynamoDB, SNS, S3 and Lambda, wired into valueFrom chains:
 * each Lambda reads the previous component's output, and each service's first component depends on
 * the previous service's last, and each Lambda also reads the previous Lambda's ARN, so the graph
 * has a chain through every Lambda (40 % of the components) plus many short edges. The result
 * validates clean (a test checks this), so benchmarks measure the real path, not error handling.
 */
import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';

const perService = 100;
const perFile = 10;

const outputOf: Record<string, string> = {SQS: 'queueUrl', DynamoDB: 'tableName', SNS: 'topicArn', S3: 'bucketName', Lambda: 'functionArn'};
const kinds = ['SQS', 'DynamoDB', 'Lambda', 'SNS', 'Lambda', 'S3', 'SQS', 'Lambda', 'DynamoDB', 'Lambda'] as const;

interface Upstream {
	name: string;
	kind: string;
}

function componentYaml(
	name: string,
	kind: string,
	previous: Upstream | undefined,
	previousLambda: Upstream | undefined,
	dependsOn?: string,
): string {
	const head = `apiVersion: components.panka.io/v1\nkind: ${kind}\nmetadata:\n  name: ${name}\n  labels:\n    generated: "true"\nspec:\n`;
	const deps = dependsOn ? `  dependsOn: [${dependsOn}]\n` : '';
	switch (kind) {
		case 'SQS':
			return `${head}  visibilityTimeout: "\${VISIBILITY}"\n  deadLetterQueue:\n    enabled: true\n    maxReceiveCount: 5\n${deps}`;
		case 'DynamoDB':
			return `${head}  billingMode: PAY_PER_REQUEST\n  hashKey:\n    name: id\n    type: S\n  ttl:\n    enabled: true\n    attributeName: expiresAt\n${deps}`;
		case 'SNS':
			return `${head}  displayName: ${name}\n${deps}`;
		case 'S3':
			return `${head}  versioning:\n    enabled: true\n  lifecycle:\n    - id: expire\n      enabled: true\n      expiration:\n        days: 30\n${deps}`;
		default: {
			const from = (variable: string, upstream: Upstream | undefined) =>
				upstream
					? `    ${variable}:\n      valueFrom:\n        component: ${upstream.name}\n        output: ${outputOf[upstream.kind]}\n`
					: '';
			const env = `  environment:\n${from('UPSTREAM', previous)}${from('CHAIN', previousLambda)}    LOG_LEVEL: "\${LOG_LEVEL}"\n`;
			return `${head}  runtime: nodejs24.x\n  handler: index.handler\n  code:\n    path: ./src\n  memory: "\${MEMORY}"\n  timeout: 30\n${env}${deps}`;
		}
	}
}

/** Writes the stack under `parent` and returns its folder. */
export function generateStack(parent: string, components: number): string {
	const root = path.join(parent, `generated-${components}`);
	mkdirSync(path.join(root, 'services'), {recursive: true});
	writeFileSync(
		path.join(root, 'stack.yaml'),
		`apiVersion: core.panka.io/v1\nkind: Stack\nmetadata:\n  name: generated-${components}\n  labels:\n    environment: bench\nspec:\n  variables:\n    VISIBILITY: "60"\n    LOG_LEVEL: info\n`,
	);
	let previous: Upstream | undefined;
	let previousLambda: Upstream | undefined;
	const services = Math.ceil(components / perService);
	let made = 0;
	for (let s = 0; s < services; s++) {
		const service = `svc-${String(s).padStart(3, '0')}`;
		const dir = path.join(root, 'services', service);
		mkdirSync(path.join(dir, 'src'), {recursive: true});
		writeFileSync(path.join(dir, 'src', 'index.js'), 'export const handler = async () => ({ok: true});\n');
		writeFileSync(
			path.join(dir, 'service.yaml'),
			`apiVersion: core.panka.io/v1\nkind: Service\nmetadata:\n  name: ${service}\nspec:\n  variables:\n    MEMORY: "256"\n`,
		);
		const inService = Math.min(perService, components - made);
		for (let f = 0; f * perFile < inService; f++) {
			const docs: string[] = [];
			for (let d = 0; d < perFile && f * perFile + d < inService; d++) {
				const index = made + f * perFile + d;
				const kind = kinds[index % kinds.length]!;
				const name = `c${String(index).padStart(5, '0')}-${kind.toLowerCase()}`;
				const first = f === 0 && d === 0;
				docs.push(componentYaml(name, kind, previous, previousLambda, first && previous ? previous.name : undefined));
				previous = {name, kind};
				if (kind === 'Lambda') previousLambda = previous;
			}
			writeFileSync(path.join(dir, `components-${String(f).padStart(2, '0')}.yaml`), docs.map((doc) => `---\n${doc}`).join(''));
		}
		made += inService;
	}
	return root;
}
