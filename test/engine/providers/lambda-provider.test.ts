/**
 * Lambda on moto, and its code packages.
 *
 * Packages: zipping the same folder twice (or after touching every file) gives the same bytes;
 * what is skipped, kept and refused. Provider: create → verify through the AWS API (function
 * configuration, VPC, the log group it writes to, the role's exact least-privilege policies, the
 * SQS event source mapping, the schedule rule with its target and invoke permission) → update
 * (unchanged code is not uploaded again; memory, environment and triggers change in place; new
 * code is uploaded) → delete → everything gone. Nothing is invoked (moto would need Docker).
 */
import {chmod, mkdir, mkdtemp, rm, symlink, utimes, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {CreateSubnetCommand, CreateVpcCommand, EC2Client, CreateSecurityGroupCommand} from '@aws-sdk/client-ec2';
import {DescribeRuleCommand, EventBridgeClient, ListTargetsByRuleCommand} from '@aws-sdk/client-eventbridge';
import {GetRoleCommand, IAMClient, ListAttachedRolePoliciesCommand} from '@aws-sdk/client-iam';
import {
	CreateFunctionCommand,
	GetFunctionCommand,
	GetFunctionConcurrencyCommand,
	GetPolicyCommand,
	LambdaClient,
	ListEventSourceMappingsCommand,
	UpdateFunctionCodeCommand,
	UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import {unzipSync} from 'fflate';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {substituteValueFrom} from '../../../engine/apply/resolve-values.js';
import type {LambdaSpec} from '../../../engine/kinds/lambda.js';
import {type PackageLimits, packageFolder} from '../../../engine/kinds/lambda-package.js';
import {lambdaProvider} from '../../../engine/kinds/lambda-provider.js';
import type {SqsSpec} from '../../../engine/kinds/sqs.js';
import {sqsProvider} from '../../../engine/kinds/sqs-provider.js';
import {roleInlinePolicies} from '../../../engine/providers/iam-roles.js';
import {describeLogGroup} from '../../../engine/providers/log-groups.js';
import type {AppliedResource, NetworkingIds, ResourceContext} from '../../../engine/providers/provider.js';
import {valueSourceStatements, valueSourcesOf} from '../../../engine/providers/value-sources.js';
import type {StateResource} from '../../../engine/state/state-document.js';
import {describeAws, useMoto} from '../../helpers/moto.js';
import {providerFixture} from '../../helpers/resource-context.js';
import {appliedState} from './applied-state.js';

/** The central directory of a zip: each entry's name, Unix mode, "made by" host and DOS time/date. */
function zipEntries(zip: Uint8Array): {name: string; mode: number; host: number; dosTime: number; dosDate: number}[] {
	const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
	const end = zip.length - 22;
	const count = view.getUint16(end + 10, true);
	let at = view.getUint32(end + 16, true);
	const entries = [];
	for (let index = 0; index < count; index++) {
		const nameLength = view.getUint16(at + 28, true);
		const skip = nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
		entries.push({
			name: new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength)),
			mode: view.getUint32(at + 38, true) >>> 16,
			host: view.getUint8(at + 5),
			dosTime: view.getUint16(at + 12, true),
			dosDate: view.getUint16(at + 14, true),
		});
		at += 46 + skip;
	}
	return entries;
}

async function writeFiles(root: string, files: Record<string, string>): Promise<void> {
	for (const [path, content] of Object.entries(files)) {
		await mkdir(join(root, path, '..'), {recursive: true});
		await writeFile(join(root, path), content);
	}
}

let workdir: string;
beforeEach(async () => {
	workdir = await mkdtemp(join(tmpdir(), 'panka-lambda-'));
});
afterEach(async () => {
	await rm(workdir, {recursive: true, force: true});
});

describe('Lambda code packages', () => {
	const folderWithDependencies = async () => {
		const folder = join(workdir, 'worker');
		await writeFiles(folder, {
			'index.js': 'exports.handler = async () => ({ok: true});\n',
			'lib/format.js': 'module.exports = (x) => String(x);\n',
			'node_modules/left-pad/index.js': 'module.exports = (s) => s;\n',
			'.env.defaults': 'MODE=fast\n',
			'.git/HEAD': 'ref: refs/heads/main\n',
			'.DS_Store': 'finder',
			bootstrap: '#!/bin/sh\nexec node index.js\n',
		});
		await chmod(join(folder, 'bootstrap'), 0o775);
		return folder;
	};

	it('zips the same content to the same bytes, whatever the files’ times', async () => {
		const folder = await folderWithDependencies();
		const first = await packageFolder(folder, 'code.path worker');
		const second = await packageFolder(folder, 'code.path worker');
		expect(Buffer.compare(first.zip, second.zip)).toBe(0);
		for (const path of ['index.js', 'lib/format.js', 'bootstrap'])
			await utimes(join(folder, path), new Date('2031-05-06T07:08:09Z'), new Date('2031-05-06T07:08:09Z'));
		const touched = await packageFolder(folder, 'code.path worker');
		expect(Buffer.compare(first.zip, touched.zip)).toBe(0);
		expect(touched.sha256).toBe(first.sha256);

		await writeFile(join(folder, 'lib/format.js'), 'module.exports = (x) => `${x}`;\n');
		expect((await packageFolder(folder, 'code.path worker')).sha256).not.toBe(first.sha256);
	});

	it('packages files sorted, with dotfiles and node_modules, without .git and .DS_Store, with fixed times and modes', async () => {
		const packaged = await packageFolder(await folderWithDependencies(), 'code.path worker');
		const entries = zipEntries(packaged.zip);
		expect(entries.map((entry) => entry.name)).toEqual([
			'.env.defaults',
			'bootstrap',
			'index.js',
			'lib/format.js',
			'node_modules/left-pad/index.js',
		]);
		expect(Object.keys(unzipSync(packaged.zip))).toEqual(entries.map((entry) => entry.name));
		expect(new Set(entries.map((entry) => `${entry.host} ${entry.dosDate} ${entry.dosTime}`))).toEqual(
			new Set([`3 ${(0 << 9) | (1 << 5) | 1} 0`]),
		);
		expect(Object.fromEntries(entries.map((entry) => [entry.name, (entry.mode & 0o777).toString(8)]))).toMatchObject({
			bootstrap: '755',
			'index.js': '644',
		});
		expect(packaged).toMatchObject({files: 5});
	});

	it('follows symbolic links but refuses loops, links to nothing and oversized folders', async () => {
		const folder = join(workdir, 'linked');
		await writeFiles(folder, {'index.js': 'x', '../shared/util.js': 'shared'});
		await symlink(join(workdir, 'shared'), join(folder, 'shared'));
		expect(Object.keys(unzipSync((await packageFolder(folder, 'code.path linked')).zip))).toEqual(['index.js', 'shared/util.js']);

		await symlink(folder, join(workdir, 'shared', 'back'));
		await expect(packageFolder(folder, 'code.path linked')).rejects.toThrow(/code\.path linked: shared\/back is a symbolic link loop/);
		await rm(join(workdir, 'shared', 'back'));

		await symlink(join(workdir, 'missing'), join(folder, 'dangling'));
		await expect(packageFolder(folder, 'code.path linked')).rejects.toThrow(/dangling cannot be read/);
		await rm(join(folder, 'dangling'));

		const tiny: PackageLimits = {maxUnzippedBytes: 4, maxZipBytes: 1024};
		await expect(packageFolder(folder, 'code.path linked', tiny)).rejects.toMatchObject({
			code: 'CodeTooLarge',
			message: expect.stringMatching(/is 0\.0 MiB unzipped, over Lambda's 0\.0 MiB; largest: shared\/util\.js/),
		});
		await expect(packageFolder(join(workdir, 'nope'), 'code.path nope')).rejects.toThrow(/code.path nope does not exist/);
	});
});

describe('least-privilege grants for valueFrom sources', () => {
	it('maps the outputs a spec reads to statements on exactly those resources', () => {
		const table = 'arn:aws:dynamodb:us-east-1:123456789012:table/accounts';
		const spec = {
			environment: {
				A: {valueFrom: {component: 'accounts', output: 'tableName'}},
				B: {valueFrom: {component: 'accounts', output: 'arn'}},
				C: {valueFrom: {component: 'db', output: 'endpoint'}},
				D: {value: 'x'},
			},
		};
		const sources = valueSourcesOf(spec, (component) =>
			component === 'accounts'
				? {kind: 'DynamoDB', outputs: {arn: table, tableName: 'accounts'}}
				: {kind: 'RDS', outputs: {endpoint: 'db.local'}},
		);
		expect(sources.map(({component, output}) => `${component}.${output}`)).toEqual(['accounts.tableName', 'accounts.arn', 'db.endpoint']);
		const statements = valueSourceStatements([
			...sources,
			{component: 'uploads', output: 'bucketName', kind: 'S3', outputs: {arn: 'arn:aws:s3:::uploads'}},
			{component: 'jobs', output: 'queueName', kind: 'SQS', outputs: {arn: 'arn:aws:sqs:us-east-1:123456789012:jobs'}},
			{component: 'jobs', output: 'queueUrl', kind: 'SQS', outputs: {arn: 'arn:aws:sqs:us-east-1:123456789012:jobs'}},
		]);
		expect(statements).toEqual([
			{
				Effect: 'Allow',
				Action: expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']),
				Resource: [table, `${table}/index/*`],
			},
			{Effect: 'Allow', Action: ['sqs:GetQueueUrl', 'sqs:SendMessage'], Resource: 'arn:aws:sqs:us-east-1:123456789012:jobs'},
			{Effect: 'Allow', Action: ['s3:ListBucket'], Resource: 'arn:aws:s3:::uploads'},
			{Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::uploads/*'},
		]);
		expect(valueSourceStatements(undefined)).toEqual([]);
	});
});

const region = 'us-east-1';
const account = '123456789012';

/** The state record applyPlan writes after a create or update (with the physical names it used). */
function recorded(applied: AppliedResource, spec: unknown, context: ResourceContext): StateResource {
	return {...appliedState('Lambda', applied, spec), physicalNames: {...context.names}};
}

describeAws('Lambda provider', () => {
	const moto = useMoto({managedPolicies: true});

	async function tenantNetwork(): Promise<NetworkingIds> {
		const ec2 = moto.clients().get(EC2Client);
		const {Vpc} = await ec2.send(new CreateVpcCommand({CidrBlock: '10.40.0.0/16'}));
		const subnets = [];
		for (const [index, zone] of ['us-east-1a', 'us-east-1b'].entries())
			subnets.push(
				(await ec2.send(new CreateSubnetCommand({VpcId: Vpc!.VpcId!, CidrBlock: `10.40.${index}.0/24`, AvailabilityZone: zone}))).Subnet!
					.SubnetId!,
			);
		const {GroupId} = await ec2.send(
			new CreateSecurityGroupCommand({VpcId: Vpc!.VpcId!, GroupName: `stack-${Date.now()}`, Description: 'stack'}),
		);
		return {
			vpcId: Vpc!.VpcId!,
			privateSubnetIds: subnets,
			publicSubnetIds: [],
			securityGroupIds: [GroupId!],
			stackSecurityGroupId: GroupId!,
		};
	}

	it('creates the function with its log group, least-privilege role and triggers; updates in place; deletes everything', async () => {
		const sent: object[] = [];
		const clients = moto.clients({onSend: (_client, command) => sent.push(command)});
		const sentNames = () => sent.map((command) => command.constructor.name);
		const lambda = clients.get(LambdaClient);
		const events = clients.get(EventBridgeClient);
		const iam = clients.get(IAMClient);

		await writeFiles(join(workdir, 'src/worker'), {'index.js': 'exports.handler = async () => 1;\n'});
		const queueFixture = providerFixture<SqsSpec>('SQS', 'orders', {}, clients);
		const queue = (await sqsProvider.create(queueFixture.context, queueFixture.spec)).outputs as {arn: string; queueUrl: string};
		const sources: Record<string, {kind: string; outputs: Record<string, string>}> = {
			accounts: {kind: 'DynamoDB', outputs: {tableName: 'accounts', arn: `arn:aws:dynamodb:${region}:${account}:table/accounts`}},
			alerts: {kind: 'SNS', outputs: {topicArn: `arn:aws:sns:${region}:${account}:alerts`, topicName: 'alerts'}},
		};
		const networking = await tenantNetwork();
		const raw = {
			runtime: 'nodejs24.x',
			handler: 'index.handler',
			code: {path: 'src/worker'},
			memory: '256',
			timeout: 30,
			environment: {
				TABLE: {valueFrom: {component: 'accounts', output: 'tableName'}},
				ALERTS: {valueFrom: {component: 'alerts', output: 'topicArn'}},
				MODE: 'fast',
			},
			vpc: {enabled: true},
			reservedConcurrentExecutions: 5,
			triggers: [
				{type: 'sqs', source: {component: 'orders'}, batchSize: 5},
				{type: 'EventBridge', schedule: 'rate(5 minutes)', description: 'sweep expired orders'},
			],
		};
		const fixture = providerFixture<LambdaSpec>('Lambda', 'worker', raw, clients, {serviceDir: workdir, networking});
		/** What applyPlan passes: valueFrom substituted, references and valueSources filled. */
		const applyContext = (context: ResourceContext, spec: LambdaSpec) => ({
			context: {...context, references: {orders: queue}, valueSources: valueSourcesOf(spec, (component) => sources[component])},
			spec: substituteValueFrom(spec, (component, output) => sources[component]?.outputs[output]),
		});
		const {names} = fixture.context;
		const first = applyContext(fixture.context, fixture.spec);
		const created = await lambdaProvider.create(first.context, first.spec);

		const functionArn = `arn:aws:lambda:${region}:${account}:function:${names.primary}`;
		const roleArn = `arn:aws:iam::${account}:role/${names.role}`;
		expect(created).toEqual({
			physicalId: functionArn,
			outputs: {functionArn, functionName: names.primary, logGroup: names.logGroup, roleArn},
		});
		const {Configuration, Tags} = await lambda.send(new GetFunctionCommand({FunctionName: names.primary}));
		expect(Configuration).toMatchObject({
			Runtime: 'nodejs24.x',
			Handler: 'index.handler',
			MemorySize: 256,
			Timeout: 30,
			Role: roleArn,
			Architectures: ['x86_64'],
			PackageType: 'Zip',
			Environment: {Variables: {TABLE: 'accounts', ALERTS: `arn:aws:sns:${region}:${account}:alerts`, MODE: 'fast'}},
			CodeSha256: (await packageFolder(join(workdir, 'src/worker'), 'code')).sha256,
		});
		expect([...Configuration!.VpcConfig!.SubnetIds!].sort()).toEqual([...networking.privateSubnetIds].sort());
		expect(Configuration!.VpcConfig!.SecurityGroupIds).toEqual(networking.securityGroupIds);
		expect(Tags).toMatchObject(fixture.context.tags);
		// moto does not echo LoggingConfig: check what was asked for.
		const create = sent.find((command) => command instanceof CreateFunctionCommand) as CreateFunctionCommand;
		expect(create.input.LoggingConfig).toEqual({LogFormat: 'Text', LogGroup: names.logGroup});
		expect(await describeLogGroup({clients, signal: new AbortController().signal}, names.logGroup!)).toMatchObject({retentionInDays: 30});
		expect((await lambda.send(new GetFunctionConcurrencyCommand({FunctionName: names.primary}))).ReservedConcurrentExecutions).toBe(5);

		// The role: assumable by Lambda only, and exactly these permissions.
		const trust = JSON.parse(
			decodeURIComponent((await iam.send(new GetRoleCommand({RoleName: names.role}))).Role!.AssumeRolePolicyDocument!),
		);
		expect(trust.Statement).toEqual([{Effect: 'Allow', Principal: {Service: 'lambda.amazonaws.com'}, Action: 'sts:AssumeRole'}]);
		const policy = (...Statement: unknown[]) => ({Version: '2012-10-17', Statement});
		const logGroupStreams = `arn:aws:logs:${region}:${account}:log-group:${names.logGroup}:*`;
		const table = sources.accounts!.outputs.arn!;
		expect(await roleInlinePolicies({clients}, names.role!)).toEqual({
			'panka-logs': policy({Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: logGroupStreams}),
			'panka-sqs-triggers': policy({
				Effect: 'Allow',
				Action: ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'],
				Resource: queue.arn,
			}),
			'panka-value-sources': policy(
				{
					Effect: 'Allow',
					Action: [
						'dynamodb:BatchGetItem',
						'dynamodb:BatchWriteItem',
						'dynamodb:ConditionCheckItem',
						'dynamodb:DeleteItem',
						'dynamodb:DescribeTable',
						'dynamodb:GetItem',
						'dynamodb:PutItem',
						'dynamodb:Query',
						'dynamodb:Scan',
						'dynamodb:UpdateItem',
					],
					Resource: [table, `${table}/index/*`],
				},
				{Effect: 'Allow', Action: ['sns:Publish'], Resource: sources.alerts!.outputs.topicArn},
			),
		});
		expect(
			(await iam.send(new ListAttachedRolePoliciesCommand({RoleName: names.role}))).AttachedPolicies?.map((attached) => attached.PolicyArn),
		).toEqual(['arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole']);

		// Triggers: the queue's event source mapping, and the schedule rule → function with its permission.
		const mappings = async () =>
			(await lambda.send(new ListEventSourceMappingsCommand({FunctionName: names.primary}))).EventSourceMappings ?? [];
		const [mapping] = await mappings();
		expect(mapping).toMatchObject({EventSourceArn: queue.arn, BatchSize: 5, State: 'Enabled'});
		const ruleName = names['triggers.1']!;
		const ruleArn = `arn:aws:events:${region}:${account}:rule/${ruleName}`;
		expect(await events.send(new DescribeRuleCommand({Name: ruleName}))).toMatchObject({
			ScheduleExpression: 'rate(5 minutes)',
			Description: 'sweep expired orders',
			State: 'ENABLED',
		});
		expect((await events.send(new ListTargetsByRuleCommand({Rule: ruleName}))).Targets).toEqual([{Id: 'function', Arn: functionArn}]);
		const permissions = async () => {
			const {Policy} = await lambda.send(new GetPolicyCommand({FunctionName: names.primary})).catch(() => ({Policy: '{"Statement": []}'}));
			return JSON.parse(Policy!).Statement as {Principal?: unknown; Action?: string; Condition?: unknown}[];
		};
		expect(await permissions()).toEqual([
			expect.objectContaining({
				Principal: {Service: 'events.amazonaws.com'},
				Action: 'lambda:InvokeFunction',
				Condition: {ArnLike: {'AWS:SourceArn': ruleArn}},
			}),
		]);
		expect(fixture.phases).toContain(`creating function ${names.primary}`);

		// Same code, other memory, environment and batch size, no schedule, no reserved concurrency.
		sent.length = 0;
		const changed = fixture.withSpec({
			...raw,
			memory: 512,
			environment: {TABLE: {valueFrom: {component: 'accounts', output: 'tableName'}}, MODE: 'thorough'},
			reservedConcurrentExecutions: undefined,
			triggers: [{type: 'sqs', source: {component: 'orders'}, batchSize: 8, maximumBatchingWindowInSeconds: 2}],
		});
		const second = applyContext(changed.context, changed.spec);
		const updated = await lambdaProvider.update(second.context, second.spec, recorded(created, fixture.spec, fixture.context));
		expect(updated).toEqual(created);
		expect(sentNames()).not.toContain(UpdateFunctionCodeCommand.name);
		expect(sentNames().filter((name) => name === UpdateFunctionConfigurationCommand.name)).toHaveLength(1);
		expect((await lambda.send(new GetFunctionCommand({FunctionName: names.primary}))).Configuration).toMatchObject({
			MemorySize: 512,
			Environment: {Variables: {TABLE: 'accounts', MODE: 'thorough'}},
			CodeSha256: Configuration!.CodeSha256,
		});
		expect(
			(await lambda.send(new GetFunctionConcurrencyCommand({FunctionName: names.primary}))).ReservedConcurrentExecutions,
		).toBeUndefined();
		expect(await mappings()).toEqual([expect.objectContaining({UUID: mapping!.UUID, BatchSize: 8, MaximumBatchingWindowInSeconds: 2})]);
		await expect(events.send(new DescribeRuleCommand({Name: ruleName}))).rejects.toMatchObject({name: 'ResourceNotFoundException'});
		expect(await permissions()).toEqual([]);
		// The SNS topic is no longer read: its grant went with it.
		expect(((await roleInlinePolicies({clients}, names.role!))['panka-value-sources'] as {Statement: unknown[]}).Statement).toHaveLength(1);

		// New code: uploaded, and only the code.
		sent.length = 0;
		await writeFile(join(workdir, 'src/worker/index.js'), 'exports.handler = async () => 2;\n');
		const third = applyContext(changed.context, changed.spec);
		await lambdaProvider.update(third.context, third.spec, recorded(updated, changed.spec, changed.context));
		expect(sentNames().filter((name) => name.startsWith('UpdateFunction'))).toEqual([UpdateFunctionCodeCommand.name]);
		const newCode = (await lambda.send(new GetFunctionCommand({FunctionName: names.primary}))).Configuration!.CodeSha256;
		expect(newCode).not.toBe(Configuration!.CodeSha256);
		expect(newCode).toBe((await packageFolder(join(workdir, 'src/worker'), 'code')).sha256);

		const state = recorded(updated, changed.spec, changed.context);
		expect(await lambdaProvider.read(third.context, state)).toMatchObject({
			exists: true,
			observed: {
				runtime: 'nodejs24.x',
				handler: 'index.handler',
				memory: 512,
				timeout: 30,
				architecture: 'x86_64',
				packageType: 'Zip',
				'vpc.enabled': true,
			},
		});
		expect(await lambdaProvider.find(third.context, third.spec)).toEqual(created);
		expect(
			await lambdaProvider.find({...third.context, tags: {...third.context.tags, 'panka:component': 'other'}}, third.spec),
		).toBeUndefined();

		// Delete, with the names applyPlan recorded for the resource.
		await lambdaProvider.delete({...third.context, names: state.physicalNames}, state);
		await expect(lambda.send(new GetFunctionCommand({FunctionName: names.primary}))).rejects.toMatchObject({
			name: 'ResourceNotFoundException',
		});
		expect((await lambda.send(new ListEventSourceMappingsCommand({EventSourceArn: queue.arn}))).EventSourceMappings).toEqual([]);
		await expect(iam.send(new GetRoleCommand({RoleName: names.role}))).rejects.toMatchObject({name: 'NoSuchEntityException'});
		expect(await describeLogGroup({clients, signal: new AbortController().signal}, names.logGroup!)).toBeUndefined();
		expect(await lambdaProvider.read(third.context, state)).toEqual({exists: false});
		await lambdaProvider.delete({...fixture.context, names: {...names}}, state); // deleting what is gone succeeds, schedule rule name included
	});

	it('deploys container images and updates the image in place', async () => {
		const clients = moto.clients();
		const image = (tag: string) => `${account}.dkr.ecr.${region}.amazonaws.com/worker:${tag}`;
		const fixture = providerFixture<LambdaSpec>(
			'Lambda',
			'imaged',
			{runtime: 'nodejs24.x', code: {imageUri: image('v1')}, architecture: 'arm64'},
			clients,
		);
		const created = await lambdaProvider.create(fixture.context, fixture.spec);
		const lambda = clients.get(LambdaClient);
		const read = () => lambda.send(new GetFunctionCommand({FunctionName: fixture.context.names.primary}));
		expect(await read()).toMatchObject({Configuration: {PackageType: 'Image', Architectures: ['arm64']}, Code: {ImageUri: image('v1')}});
		const next = fixture.withSpec({runtime: 'nodejs24.x', code: {imageUri: image('v2')}, architecture: 'arm64'});
		await lambdaProvider.update(next.context, next.spec, recorded(created, fixture.spec, fixture.context));
		expect((await read()).Code?.ImageUri).toBe(image('v2'));
		await lambdaProvider.delete(next.context, recorded(created, next.spec, next.context));
	});

	it('waits for a new role to become assumable, retrying CreateFunction', async () => {
		let refusals = 1;
		const clients = moto.clients({
			onSend: (_client, command) => {
				if (command instanceof CreateFunctionCommand && refusals-- > 0)
					throw Object.assign(new Error('The role defined for the function cannot be assumed by Lambda.'), {
						name: 'InvalidParameterValueException',
					});
			},
		});
		await writeFiles(join(workdir, 'fn'), {'index.js': 'exports.handler = async () => 1;\n'});
		const fixture = providerFixture<LambdaSpec>(
			'Lambda',
			'fresh',
			{runtime: 'python3.12', handler: 'index.handler', code: {path: 'fn'}},
			clients,
			{serviceDir: workdir},
		);
		const context = {...fixture.context, wait: {minDelay: 0.01, maxDelay: 0.01, maxWaitTime: 20}};
		const created = await lambdaProvider.create(context, fixture.spec);
		expect(created.outputs.functionName).toBe(fixture.context.names.primary);
		expect(fixture.phases).toContain('waiting for the new role to propagate');
		await lambdaProvider.delete(context, recorded(created, fixture.spec, context));

		// A role that never becomes usable: AWS's refusal, once the wait is over.
		refusals = Number.POSITIVE_INFINITY;
		await expect(
			lambdaProvider.create({...context, wait: {minDelay: 0.01, maxDelay: 0.01, maxWaitTime: 0.05}}, fixture.spec),
		).rejects.toThrow(
			/Lambda CreateFunction .* \(still refused after 0\.05s\): InvalidParameterValueException: The role defined for the function cannot be assumed/,
		);
		await lambdaProvider.delete(context, recorded(created, fixture.spec, context));
	});

	it('checks what it needs before changing anything: networking for VPC functions, code, resolved values', async () => {
		const clients = moto.clients();
		const iam = clients.get(IAMClient);
		await writeFiles(join(workdir, 'fn'), {'index.js': 'x'});
		const vpc = providerFixture<LambdaSpec>(
			'Lambda',
			'vpcfn',
			{runtime: 'nodejs24.x', handler: 'index.handler', code: {path: 'fn'}, vpc: {enabled: true}},
			clients,
			{serviceDir: workdir},
		);
		await expect(lambdaProvider.create(vpc.context, vpc.spec)).rejects.toMatchObject({code: 'NoTenantNetwork'});
		const missingCode = providerFixture<LambdaSpec>(
			'Lambda',
			'nocode',
			{runtime: 'nodejs24.x', handler: 'index.handler', code: {path: 'gone'}},
			clients,
			{serviceDir: workdir},
		);
		await expect(lambdaProvider.create(missingCode.context, missingCode.spec)).rejects.toMatchObject({code: 'CodeNotFound'});
		const unresolved = providerFixture<LambdaSpec>(
			'Lambda',
			'unresolved',
			{
				runtime: 'nodejs24.x',
				handler: 'index.handler',
				code: {path: 'fn'},
				environment: {TABLE: {valueFrom: {component: 'accounts', output: 'tableName'}}},
			},
			clients,
			{serviceDir: workdir},
		);
		await expect(lambdaProvider.create(unresolved.context, unresolved.spec)).rejects.toThrow(
			/environment TABLE has an unresolved valueFrom/,
		);
		const trigger = providerFixture<LambdaSpec>(
			'Lambda',
			'triggered',
			{runtime: 'nodejs24.x', handler: 'index.handler', code: {path: 'fn'}, triggers: [{type: 'sqs', source: {component: 'orders'}}]},
			clients,
			{serviceDir: workdir},
		);
		await expect(lambdaProvider.create(trigger.context, trigger.spec)).rejects.toMatchObject({code: 'MissingReference'});
		for (const fixture of [vpc, missingCode, unresolved, trigger])
			await expect(iam.send(new GetRoleCommand({RoleName: fixture.context.names.role}))).rejects.toMatchObject({
				name: 'NoSuchEntityException',
			});
	});

	it('never takes over a function another component owns', async () => {
		const clients = moto.clients();
		await writeFiles(join(workdir, 'fn'), {'index.js': 'x'});
		const stack = `own${Date.now().toString(36)}`;
		const mine = providerFixture<LambdaSpec>(
			'Lambda',
			'fn',
			{runtime: 'nodejs24.x', handler: 'index.handler', code: {path: 'fn'}},
			clients,
			{serviceDir: workdir, stack},
		);
		const created = await lambdaProvider.create(mine.context, mine.spec);
		const theirs = {...mine.context, tags: {...mine.context.tags, 'panka:service': 'elsewhere'}};
		await expect(lambdaProvider.create(theirs, mine.spec)).rejects.toThrow(/already exists and belongs to component svc\/fn/);
		// Its own function (a create whose state was lost) converges instead of failing.
		expect(await lambdaProvider.create(mine.context, mine.spec)).toEqual(created);
		await lambdaProvider.delete(mine.context, recorded(created, mine.spec, mine.context));
	});
});
