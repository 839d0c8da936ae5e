/**
 * The plan's two views (source/render/plan-text.ts and plan-json.ts) on the demo stack. The
 * expected text is written out here, not kept in a snapshot file that regenerates itself: a
 * change to the output has to be made on purpose.
 */
import {describe, expect, it} from 'vitest';
import {planDestroy} from '../../../engine/plan/destroy-plan.js';
import {planChanges} from '../../../engine/plan/plan.js';
import {selectChanges} from '../../../engine/plan/selection.js';
import type {Paint} from '../../../source/context.js';
import {renderPlanJson} from '../../../source/render/plan-json.js';
import {formatPlanValue} from '../../../engine/plan/plan-value.js';
import {renderPlanText} from '../../../source/render/plan-text.js';
import {changedDemoPlan, deployed, demoCopy, edit, loadDemo} from './plan-fixture.js';

const plain: Paint = (text) => text;
const secret = 'tok-123-do-not-print';

const dynamoActions =
	'dynamodb:BatchGetItem, dynamodb:BatchWriteItem, dynamodb:ConditionCheckItem, dynamodb:DeleteItem, dynamodb:DescribeTable, dynamodb:GetItem, dynamodb:PutItem, dynamodb:Query, dynamodb:Scan, dynamodb:UpdateItem';

describe('the text view', () => {
	it('shows the demo against an empty state as the stack security group and ten creates, with what each widens and the list of those', async () => {
		const text = renderPlanText(planChanges(await loadDemo(), undefined), plain);
		expect(text).toBe(
			[
				'Plan for stack notification-platform · tenant notifications-team · environment production [protected]',
				'No state yet: every resource is new.',
				'',
				'Symbols: + create',
				'',
				'panka will perform the following actions:',
				'',
				'  + stack#security-group  SecurityGroup  notifications-team-notification-platform-production-stack-sg-fff01bff',
				'      ⚠ widens access: ingress 443/tcp from 0.0.0.0/0 (the internet) on the stack security group',
				'      ⚠ widens access: ingress 80/tcp from 0.0.0.0/0 (the internet) on the stack security group',
				'      ingress: tcp 443 0.0.0.0/0, tcp 80 0.0.0.0/0; egress: all traffic 0.0.0.0/0',
				'',
				'  + api/api-db  RDS  notifications-team-notification-platform-production-ap-85a1798c',
				'      ! will generate secret panka/notifications-team/production/api/db-password if missing (a random password, never shown)',
				'      postgres 15 db.t3.medium, 100 GB gp3 (up to 500 GB), multi-AZ, backups 7 days',
				'',
				'  + api/notification-queue  SQS  notifications-team-notification-platform-production-notification-queue-fa2a506b',
				'      standard queue, visibility 300s, DLQ after 3 receives',
				'',
				'  + api/uploads-bucket  S3  notifications-team-notification-platform-production-up-0dccc6e6',
				'      bucket private, versioned, AES256, 1 lifecycle rule',
				'',
				'  + api/api-server  MicroService  notifications-team-notification-platform-production-api-server-30779bd1',
				'      ⚠ widens access: a new internet-facing load balancer for api/api-server: ingress 80/tcp and 443/tcp from 0.0.0.0/0 (the internet) on its security group, forwarding to port 8080',
				'      ⚠ widens access: secret production/api/db-password becomes readable by the tasks of api/api-server',
				'      ⚠ widens access: new IAM permissions on the role of api/api-server: sqs:SendMessage on notification-queue (read through valueFrom)',
				'      ⚠ widens access: new IAM permissions on the role of api/api-server: s3:GetObject, s3:ListBucket, s3:PutObject on uploads-bucket (read through valueFrom)',
				'      fargate 0.25 vCPU / 512 MiB × 3–10 (autoscaling at 70% CPU), image 123456789012.dkr.ecr.us-east-1.amazonaws.com/api:latest',
				'',
				'  + worker/delivery-events  SNS  notifications-team-notification-platform-production-delivery-events-4a6f98c0',
				'      standard topic, 1 subscription',
				'',
				'  + worker/delivery-status  DynamoDB  notifications-team-notification-platform-production-delivery-status-76ef4c3a',
				'      on-demand table, key notificationId (S) + channel (S), 1 GSI, stream NEW_AND_OLD_IMAGES',
				'',
				'  + worker/sessions  DynamoDB  notifications-team-notification-platform-production-sessions-b4e97902',
				'      on-demand table, key sessionId (S), TTL expiresAt, PITR',
				'',
				'  + worker/processor  Lambda  notifications-team-notification-platform-production-pro-171c61ae',
				'      ⚠ widens access: new IAM permissions on the role of worker/processor: sqs:ChangeMessageVisibility, sqs:DeleteMessage, sqs:GetQueueAttributes, sqs:ReceiveMessage on notification-queue (sqs trigger)',
				`      ⚠ widens access: new IAM permissions on the role of worker/processor: ${dynamoActions} on sessions (read through valueFrom)`,
				`      ⚠ widens access: new IAM permissions on the role of worker/processor: ${dynamoActions} on delivery-status (read through valueFrom)`,
				'      ⚠ widens access: new IAM permissions on the role of worker/processor: sns:Publish on delivery-events (read through valueFrom)',
				'      nodejs24.x x86_64 index.handler, 512 MB, 60s timeout, triggers: sqs',
				'',
				'  + scheduler/cron-job  Lambda  notifications-team-notification-platform-production-cro-820f6a9f',
				`      ⚠ widens access: new IAM permissions on the role of scheduler/cron-job: ${dynamoActions} on delivery-status (read through valueFrom)`,
				'      ⚠ widens access: new IAM permissions on the role of scheduler/cron-job: sqs:SendMessage on notification-queue (read through valueFrom)',
				'      nodejs24.x x86_64 index.handler, 256 MB, 120s timeout, triggers: eventbridge',
				'',
				'  + scheduler/daily-digest  EventBridge  notifications-team-notification-platform-production-dai-24f72982',
				'      ⚠ widens access: new permission: rule scheduler/daily-digest may invoke notification-queue (target)',
				'      cron(0 8 * * ? *) → notification-queue',
				'',
				'5 changes widen access and need their own approval (in the review, or --approve-broadening with --yes):',
				'  stack#security-group, api/api-server, worker/processor, scheduler/cron-job, scheduler/daily-digest',
				'',
				'Plan: 11 to add, 0 to change, 0 to replace, 0 to destroy.',
			].join('\n'),
		);
	});

	it('opens with deletes and replaces, then creates and updates, then warnings and the summary', async () => {
		expect(renderPlanText(await changedDemoPlan(secret), plain)).toBe(
			[
				'Plan for stack notification-platform · tenant notifications-team · environment production [protected]',
				'Compared with state serial 4 (lineage 0d5d2b1e-6a3f-4c1e-9b8e-2f4a1c3d5e7f).',
				'',
				'Symbols: + create   ~ update in place   -/+ replace (delete, then create)   - delete',
				'',
				'panka will perform the following actions:',
				'',
				'  - scheduler/daily-digest  EventBridge  notifications-team-notification-platform-production-dai-24f72982',
				'      # no longer in the stack folder',
				'',
				'-/+ worker/sessions  DynamoDB  notifications-team-notification-platform-production-sessions-b4e97902',
				'      # replaced because hashKey.name cannot change in place',
				'      ~ hashKey.name: "sessionId" → "userId"  # forces replacement',
				'',
				'  + api/audit-queue  SQS  notifications-team-notification-platform-production-audit-queue-71b795b1',
				'      standard queue, visibility 60s',
				'',
				'  ~ api/api-server  MicroService  notifications-team-notification-platform-production-api-server-30779bd1',
				'      ~ replicas: 3 → 4',
				'',
				'  ~ worker/processor  Lambda  notifications-team-notification-platform-production-pro-171c61ae',
				'      # reads worker/sessions, which is replaced: the value is known only after apply',
				'      + environment.API_TOKEN: (sensitive)',
				'      ~ environment.SESSIONS_TABLE: (known after apply: sessions.tableName)  # worker/sessions is replaced',
				'',
				'Warning: worker/processor: environment.API_TOKEN looks secret, so its value is hidden from plans and state and a change to it alone cannot be seen; pass secrets by name with secretRef',
				'',
				'Plan: 1 to add, 2 to change, 1 to replace, 1 to destroy.',
			].join('\n'),
		);
	});

	it('says so when nothing changes', async () => {
		const ws = await loadDemo();
		expect(renderPlanText(planChanges(ws, deployed(ws)), plain)).toBe(
			[
				'Plan for stack notification-platform · tenant notifications-team · environment production [protected]',
				'Compared with state serial 1 (lineage 0d5d2b1e-6a3f-4c1e-9b8e-2f4a1c3d5e7f).',
				'',
				'No changes. Your infrastructure matches the configuration.',
			].join('\n'),
		);
	});

	it('shows create-before-delete replaces as +/- with both names, and warns about targeting above the summary', async () => {
		const dir = demoCopy();
		const ws = await loadDemo(dir);
		edit(dir, 'services/api/resources.yaml', 'type: standard', 'type: fifo');
		const text = renderPlanText(planChanges(await loadDemo(dir), deployed(ws), {target: ['api/notification-queue']}), plain);
		expect(text).toContain(
			'+/- api/notification-queue  SQS  notifications-team-notification-platform-production-notification-queue-fa2a506b → notifications-team-notification-platform-production-notification-q-fa2a506b.fifo\n' +
				'      # replaced because type cannot change in place and the physical name changes\n' +
				'      ~ type: "standard" → "fifo"  # forces replacement\n',
		);
		expect(text).toMatch(
			/\n\nWarning: resource targeting is in effect: .*may be incomplete.*\n\nPlan: 0 to add, 0 to change, 1 to replace, 0 to destroy\.$/,
		);
	});

	it('says a destroy plan deletes each resource because the stack is destroyed', async () => {
		const ws = await loadDemo();
		const text = renderPlanText(planDestroy(ws, deployed(ws)), plain);
		expect(text).toContain(
			'  - scheduler/daily-digest  EventBridge  notifications-team-notification-platform-production-dai-24f72982\n      # destroying the stack\n',
		);
		expect(text).not.toContain('no longer in the stack folder');
		expect(text).toMatch(/Plan: 0 to add, 0 to change, 0 to replace, 11 to destroy\.$/);
	});

	it('marks skipped changes when given a selection', async () => {
		const plan = await changedDemoPlan(secret);
		const text = renderPlanText(plan, plain, {selection: selectChanges(plan, {skip: ['worker/sessions']})});
		expect(text).toContain(
			'  ~ worker/processor  Lambda  notifications-team-notification-platform-production-pro-171c61ae\n      # skipped because it depends on worker/sessions, which is skipped\n',
		);
	});

	it('colours through the Paint it is given', async () => {
		const tagged: Paint = (text, ...styles) => (styles.length ? `<${styles.join(',')}>${text}</>` : text);
		const text = renderPlanText(await changedDemoPlan(secret), tagged);
		expect(text).toContain('<red,bold>-/+</> <bold>worker/sessions</>');
		expect(text).toContain('<red># forces replacement</>');
		expect(text).toContain('<yellow,bold>Warning:</>');
		expect(renderPlanText(await changedDemoPlan(secret), plain)).not.toContain('<');
	});

	it('formats values on one line', () => {
		expect(formatPlanValue({valueFrom: {component: 'api-db', output: 'endpoint'}})).toBe('(known after apply: api-db.endpoint)');
		expect(formatPlanValue({value: 'bar'})).toBe('"bar"');
		expect(formatPlanValue('(sensitive)')).toBe('(sensitive)');
		expect(formatPlanValue('anything', true)).toBe('(sensitive)');
		expect(formatPlanValue({days: 30, storageClass: 'STANDARD_IA', 'odd key': [1, true, null]})).toBe(
			'{days: 30, storageClass: "STANDARD_IA", "odd key": [1, true, null]}',
		);
		expect(formatPlanValue('x'.repeat(300))).toHaveLength(120);
	});

	it('shows control characters in values and keys escaped, never raw', () => {
		expect(formatPlanValue('\u001b[8mhidden\u001b[28m')).toBe('"\\u001b[8mhidden\\u001b[28m"');
		expect(formatPlanValue({'\u202eevil': 'x\u009by'})).toBe('{"\\u202eevil": "x\\u009by"}');
	});
});

describe('the JSON view', () => {
	it('is a versioned document with every change, its diff, the summary and warnings', async () => {
		const plan = await changedDemoPlan(secret);
		const doc = JSON.parse(renderPlanJson(plan));
		expect(doc).toMatchObject({
			apiVersion: 'panka.io/cli/v1',
			kind: 'Plan',
			formatVersion: 1,
			stack: {name: 'notification-platform', tenant: 'notifications-team', environment: 'production'},
			state: {serial: 4, lineage: '0d5d2b1e-6a3f-4c1e-9b8e-2f4a1c3d5e7f'},
			hasChanges: true,
			summary: {create: 1, update: 2, replace: 1, delete: 1, noop: 6},
			warnings: [expect.stringContaining('environment.API_TOKEN looks secret')],
		});
		expect(doc.changes).toHaveLength(11);
		expect(doc.changes.find((c: {address: string}) => c.address === 'worker/sessions')).toMatchObject({
			action: 'replace',
			replaceStrategy: 'delete-before-create',
			reasons: ['hashKey.name cannot change in place'],
			diff: [{path: 'hashKey.name', action: 'change', before: 'sessionId', after: 'userId', forcesReplace: true}],
		});
		expect(doc.changes.find((c: {address: string}) => c.address === 'worker/processor').diff).toEqual([
			{path: 'environment.API_TOKEN', action: 'add', after: {value: '(sensitive)'}, sensitive: true},
			{
				path: 'environment.SESSIONS_TABLE',
				action: 'change',
				before: {valueFrom: {component: 'sessions', output: 'tableName'}},
				after: {valueFrom: {component: 'sessions', output: 'tableName'}},
				knownAfterApply: {address: 'worker/sessions', action: 'replace'},
			},
		]);
	});

	it('never holds a secret value, and carries the selection when given one', async () => {
		const plan = await changedDemoPlan(secret);
		const text = renderPlanJson(plan, {selection: selectChanges(plan, {skip: ['api/api-server']})});
		expect(text).not.toContain(secret);
		expect(text).toContain('production/api/db-password'); // a secret's name is fine
		expect(JSON.parse(text).selection).toEqual({
			approved: ['api/audit-queue', 'scheduler/daily-digest', 'worker/sessions', 'worker/processor'], // in apply order
			skipped: [{address: 'api/api-server', reason: 'skipped as requested'}],
			partial: true,
		});
	});
});
