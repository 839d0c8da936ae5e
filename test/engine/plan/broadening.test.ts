/**
 * Security-broadening changes, specified on the demo stack: which planned changes widen access,
 * and what each says widens, for every class (new ingress, an internet-facing load balancer, a
 * public bucket, encryption off, new IAM permissions, a newly readable secret); that narrowing and
 * unchanged resources widen nothing; and what an unattended apply runs under the tenant's rule.
 */
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {unattendedSelection} from '../../../engine/plan/approval.js';
import {makePlanFile, parsePlanFile, serializePlanFile} from '../../../engine/plan/plan-file.js';
import {type Plan, planChanges} from '../../../engine/plan/plan.js';
import {byAddress, deployed, demoCopy, edit, loadDemo} from './plan-fixture.js';

const widens = (plan: Plan, address: string) => byAddress(plan, address).broadening ?? [];
const whatWidens = (plan: Plan) =>
	Object.fromEntries(plan.changes.filter((c) => c.broadening).map((c) => [c.address, c.broadening!.map((b) => b.what)]));

/** The demo deployed as it is, then `change` applied to the folder, planned against that state. */
async function planAfter(change: (dir: string) => void): Promise<Plan> {
	const dir = demoCopy();
	const state = deployed(await loadDemo(dir));
	change(dir);
	return planChanges(await loadDemo(dir), state);
}

const dynamoActions =
	'dynamodb:BatchGetItem, dynamodb:BatchWriteItem, dynamodb:ConditionCheckItem, dynamodb:DeleteItem, dynamodb:DescribeTable, dynamodb:GetItem, dynamodb:PutItem, dynamodb:Query, dynamodb:Scan, dynamodb:UpdateItem';

describe('a stack deployed for the first time', () => {
	it('widens access wherever it opens something, and says what in words', async () => {
		const plan = planChanges(await loadDemo(), undefined);
		expect(whatWidens(plan)).toEqual({
			'stack#security-group': [
				'ingress 443/tcp from 0.0.0.0/0 (the internet) on the stack security group',
				'ingress 80/tcp from 0.0.0.0/0 (the internet) on the stack security group',
			],
			'api/api-server': [
				'a new internet-facing load balancer for api/api-server: ingress 80/tcp and 443/tcp from 0.0.0.0/0 (the internet) on its security group, forwarding to port 8080',
				'secret production/api/db-password becomes readable by the tasks of api/api-server',
				'new IAM permissions on the role of api/api-server: sqs:SendMessage on notification-queue (read through valueFrom)',
				'new IAM permissions on the role of api/api-server: s3:GetObject, s3:ListBucket, s3:PutObject on uploads-bucket (read through valueFrom)',
			],
			'worker/processor': [
				'new IAM permissions on the role of worker/processor: sqs:ChangeMessageVisibility, sqs:DeleteMessage, sqs:GetQueueAttributes, sqs:ReceiveMessage on notification-queue (sqs trigger)',
				`new IAM permissions on the role of worker/processor: ${dynamoActions} on sessions (read through valueFrom)`,
				`new IAM permissions on the role of worker/processor: ${dynamoActions} on delivery-status (read through valueFrom)`,
				'new IAM permissions on the role of worker/processor: sns:Publish on delivery-events (read through valueFrom)',
			],
			'scheduler/cron-job': [
				`new IAM permissions on the role of scheduler/cron-job: ${dynamoActions} on delivery-status (read through valueFrom)`,
				'new IAM permissions on the role of scheduler/cron-job: sqs:SendMessage on notification-queue (read through valueFrom)',
			],
			'scheduler/daily-digest': ['new permission: rule scheduler/daily-digest may invoke notification-queue (target)'],
		});
		expect(widens(plan, 'api/api-server').map((b) => b.class)).toEqual([
			'internet-facing-load-balancer',
			'secret-access',
			'iam-permissions',
			'iam-permissions',
		]);
		// Reading an RDS endpoint is a network call: it grants no IAM permission.
		expect(widens(plan, 'api/api-server').some((b) => b.what.includes('api-db'))).toBe(false);
		expect(widens(plan, 'api/uploads-bucket')).toEqual([]);
	});

	it('keeps what widens in a saved plan file', async () => {
		const plan = planChanges(await loadDemo(), undefined);
		const text = serializePlanFile(makePlanFile(plan, {stackFolder: '/tmp/demo'}));
		expect(parsePlanFile(text, 'plan.json').plan.changes.find((c) => c.address === 'api/api-server')?.broadening).toEqual(
			widens(plan, 'api/api-server'),
		);
	});
});

describe('a deployed stack', () => {
	it('widens nothing while nothing changes', async () => {
		const plan = await planAfter(() => {});
		expect(whatWidens(plan)).toEqual({});
	});

	it('new ingress on the stack security group, by port and source; ::/0 is the internet too', async () => {
		const plan = await planAfter((dir) =>
			edit(
				dir,
				'stack.yaml',
				'          description: "HTTP from internet (redirect to HTTPS)"',
				'          description: "HTTP from internet (redirect to HTTPS)"\n        - port: 22\n          protocol: tcp\n          cidrBlocks: ["0.0.0.0/0", "10.1.0.0/16"]\n          ipv6CidrBlocks: ["::/0"]',
			),
		);
		expect(whatWidens(plan)).toEqual({
			'stack#security-group': [
				'ingress 22/tcp from 0.0.0.0/0 (the internet) on the stack security group',
				'ingress 22/tcp from 10.1.0.0/16 on the stack security group',
				'ingress 22/tcp from ::/0 (the internet) on the stack security group',
			],
		});
		expect(widens(plan, 'stack#security-group').every((b) => b.class === 'ingress')).toBe(true);
	});

	it('narrowing ingress widens nothing; a new source is named even where it replaces a wider one', async () => {
		const removed = await planAfter((dir) =>
			edit(
				dir,
				'stack.yaml',
				'        - port: 80\n          protocol: tcp\n          cidrBlocks: ["0.0.0.0/0"]\n          description: "HTTP from internet (redirect to HTTPS)"\n',
				'',
			),
		);
		expect(byAddress(removed, 'stack#security-group').action).toBe('update');
		expect(whatWidens(removed)).toEqual({});
		const replaced = await planAfter((dir) =>
			edit(
				dir,
				'stack.yaml',
				'cidrBlocks: ["0.0.0.0/0"]\n          description: "HTTP from',
				'cidrBlocks: ["10.0.0.0/8"]\n          description: "HTTP from',
			),
		);
		// The load balancer's port 80 follows the stack's port-80 rule: 10.0.0.0/8 is new there too.
		expect(whatWidens(replaced)).toEqual({
			'stack#security-group': [
				'ingress 80/tcp from 10.0.0.0/8 on the stack security group',
				"ingress 80/tcp from 10.0.0.0/8 on the load balancers' security groups of api/api-server",
			],
		});
	});

	it('dropping the web rules that kept the load balancers to a range opens them to the internet', async () => {
		const dir = demoCopy();
		const office = (text: string) => text.replaceAll('cidrBlocks: ["0.0.0.0/0"]', 'cidrBlocks: ["10.0.0.0/8"]');
		writeFileSync(path.join(dir, 'stack.yaml'), office(readFileSync(path.join(dir, 'stack.yaml'), 'utf8')));
		const state = deployed(await loadDemo(dir));
		edit(dir, 'stack.yaml', '        - port: 443\n', '        - port: 8443\n');
		edit(dir, 'stack.yaml', '        - port: 80\n', '        - port: 8080\n');
		const plan = planChanges(await loadDemo(dir), state);
		expect(widens(plan, 'stack#security-group').map((b) => b.what)).toEqual([
			'ingress 8443/tcp from 10.0.0.0/8 on the stack security group',
			'ingress 8080/tcp from 10.0.0.0/8 on the stack security group',
			"ingress 80/tcp and 443/tcp from 0.0.0.0/0 (the internet) on the load balancers' security groups of api/api-server",
		]);
	});

	it('a public ACL and a relaxed public access block make the bucket public', async () => {
		const plan = await planAfter((dir) =>
			edit(
				dir,
				'services/api/resources.yaml',
				'    acl: private\n    forceDestroy: true\n',
				'    acl: public-read\n    forceDestroy: true\n  publicAccessBlock:\n    blockPublicAcls: false\n    ignorePublicAcls: false\n',
			),
		);
		expect(widens(plan, 'api/uploads-bucket')).toEqual([
			{class: 'public-bucket', what: 'S3 public access block relaxed on the bucket: blockPublicAcls, ignorePublicAcls off'},
			{class: 'public-bucket', what: 'public ACL public-read on the bucket'},
		]);
	});

	it('encryption at rest turned off, on a bucket and on a queue', async () => {
		const plan = await planAfter((dir) => {
			edit(dir, 'services/api/resources.yaml', '  encryption:\n    enabled: true\n', '  encryption:\n    enabled: false\n');
			edit(dir, 'services/api/resources.yaml', '    maxReceiveCount: 3\n', '    maxReceiveCount: 3\n  encryption:\n    enabled: false\n');
		});
		expect(widens(plan, 'api/uploads-bucket')).toEqual([{class: 'encryption-off', what: 'encryption at rest is turned off on the bucket'}]);
		expect(widens(plan, 'api/notification-queue')).toEqual([
			{class: 'encryption-off', what: 'encryption at rest is turned off on the queue'},
		]);
	});

	it('a new valueFrom grants the reader’s role the source kind’s access; the ones it had are not repeated', async () => {
		const plan = await planAfter((dir) =>
			edit(
				dir,
				'services/api/ecs.yaml',
				'    - name: UPLOADS_BUCKET\n',
				'    - name: SESSIONS_TABLE\n      valueFrom:\n        component: sessions\n        output: tableName\n    - name: UPLOADS_BUCKET\n',
			),
		);
		expect(whatWidens(plan)).toEqual({
			'api/api-server': [`new IAM permissions on the role of api/api-server: ${dynamoActions} on sessions (read through valueFrom)`],
		});
	});

	it('a new secret becomes readable by the tasks', async () => {
		const plan = await planAfter((dir) =>
			edit(
				dir,
				'services/api/ecs.yaml',
				'      secretRef: "${ENVIRONMENT}/api/db-password"\n',
				'      secretRef: "${ENVIRONMENT}/api/db-password"\n    - name: API_KEY\n      secretRef: "${ENVIRONMENT}/api/api-key"\n',
			),
		);
		expect(widens(plan, 'api/api-server')).toEqual([
			{class: 'secret-access', what: 'secret production/api/api-key becomes readable by the tasks of api/api-server'},
		]);
	});

	it('an http port puts a service that had none behind a new internet-facing load balancer', async () => {
		const dir = demoCopy();
		edit(dir, 'services/api/ecs.yaml', '      protocol: http\n', '      protocol: tcp\n');
		edit(dir, 'services/api/ecs.yaml', '    path: /health\n', '    command: curl -f http://localhost:8080/health\n');
		const state = deployed(await loadDemo(dir));
		edit(dir, 'services/api/ecs.yaml', '      protocol: tcp\n', '      protocol: http\n');
		edit(dir, 'services/api/ecs.yaml', '    command: curl -f http://localhost:8080/health\n', '    path: /health\n');
		const plan = planChanges(await loadDemo(dir), state);
		expect(widens(plan, 'api/api-server')).toEqual([
			{
				class: 'internet-facing-load-balancer',
				what: 'a new internet-facing load balancer for api/api-server: ingress 80/tcp and 443/tcp from 0.0.0.0/0 (the internet) on its security group, forwarding to port 8080',
			},
		]);
	});

	it('a new target may invoke its component', async () => {
		const plan = await planAfter((dir) =>
			edit(
				dir,
				'services/scheduler/eventbridge.yaml',
				'    - component: notification-queue\n',
				'    - component: notification-queue\n    - component: processor\n',
			),
		);
		expect(widens(plan, 'scheduler/daily-digest')).toEqual([
			{class: 'iam-permissions', what: 'new permission: rule scheduler/daily-digest may invoke processor (target)'},
		]);
	});
});

describe('what an unattended apply runs', () => {
	it('under broadening: everything but what widens access and what needs it, each skip saying what widens and how to approve it', async () => {
		const plan = await planAfter((dir) =>
			edit(
				dir,
				'services/api/resources.yaml',
				'    acl: private\n    forceDestroy: true\n',
				'    acl: public-read\n    forceDestroy: true\n  publicAccessBlock:\n    blockPublicAcls: false\n',
			),
		);
		const selection = unattendedSelection(plan, {
			approveBroadening: false,
			rule: 'broadening',
			how: 'pass --approve-broadening to apply it',
		});
		expect([...(selection.withheld?.keys() ?? [])]).toEqual(['api/uploads-bucket']);
		expect(selection.skipped.get('api/uploads-bucket')).toBe(
			'widens access (S3 public access block relaxed on the bucket: blockPublicAcls off; public ACL public-read on the bucket); pass --approve-broadening to apply it',
		);
		expect(selection.partial).toBe(true);
	});

	it('what depends on a held-back change waits with it; the rest is approved', async () => {
		const plan = planChanges(await loadDemo(), undefined);
		const selection = unattendedSelection(plan, {approveBroadening: false, rule: 'broadening', how: 'approve it'});
		expect([...selection.withheld!.keys()]).toEqual([
			'stack#security-group',
			'api/api-server',
			'worker/processor',
			'scheduler/cron-job',
			'scheduler/daily-digest',
		]);
		// The database runs in the VPC: it needs the stack security group, which is held back.
		expect(selection.skipped.get('api/api-db')).toMatch(/^skipped because it depends on stack#security-group/);
		expect([...selection.approved].sort()).toEqual([
			'api/notification-queue',
			'api/uploads-bucket',
			'worker/delivery-events',
			'worker/delivery-status',
			'worker/sessions',
		]);
	});

	it('with broadening approved, or under the rule never, everything', async () => {
		const plan = planChanges(await loadDemo(), undefined);
		for (const options of [
			{approveBroadening: true, rule: 'broadening' as const},
			{approveBroadening: false, rule: 'never' as const},
		]) {
			const selection = unattendedSelection(plan, {...options, how: ''});
			expect(selection.partial).toBe(false);
			expect(selection.withheld).toBeUndefined();
			expect(selection.approved.size).toBe(plan.changes.length);
		}
	});
});
