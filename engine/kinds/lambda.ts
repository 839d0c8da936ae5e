/**
 * Lambda: a function from a local folder, an S3 object or a container image, with SQS and
 * EventBridge-schedule triggers.
 *
 * Invariants:
 * - `code` has exactly one form: `{path}`, `{s3Bucket, s3Key, s3ObjectVersion?}` or `{imageUri}`.
 *   The spec carries the derived `packageType` (`Image` for imageUri, else `Zip`), so switching
 *   between zip and image code is a replace while a new image or a new zip is an update.
 * - `handler` is required for zip code (images carry their own entry point).
 * - `environment` values are normalised to `{value}` or `{valueFrom}` (see environment.ts).
 * - `memory` is MB (128–10240; "512", "512Mi" and "1GB" are accepted), `timeout` seconds (1–900).
 * - `runtime` is any runtime the installed SDK knows (lambda-runtimes.ts); one past the end of
 *   support AWS publishes is a warning naming the date and its replacement.
 * - Triggers are a union on `type` (case-insensitive): `sqs` (an event source mapping on an SQS
 *   component) or `eventbridge` (a scheduled rule). `code.path` is checked against the service
 *   folder by `check`, never against the process's working directory.
 */
import {isAbsolute, resolve} from 'node:path';
import {z} from '../zod.js';
import {estimateFrom, formatRate, logsLines, usageLine} from '../cost/cost-rules.js';
import {boolean, componentName, dependsOnSchema, integer, tagsSchema, text} from '../model/fields.js';
import {logGroupName, nameRules, physicalName} from '../resolve/physical-names.js';
import {environmentMapSchema, unsetEnvFileEntries} from './environment.js';
import {memoryMiBField} from './fargate-size.js';
import {lambdaRuntimes, runtimeSupportEnded} from './lambda-runtimes.js';
import {newItems, newValueFromGrants} from './broadening.js';
import {outsideAllowed} from './policies.js';
import {arnInOutput, defineKind, type KindIssue, type ReaderAccess, secretEnvironmentNamePatterns} from './kind.js';
import {scheduleExpression} from './schedule-expression.js';
import {addFieldIssue, caseInsensitiveEnum} from './spec-rules.js';

export {lambdaRuntimes};

/** Variables the Lambda service sets itself; AWS rejects functions that set them. */
const reservedEnvironmentNames = new Set([
	'_HANDLER',
	'_X_AMZN_TRACE_ID',
	'AWS_DEFAULT_REGION',
	'AWS_REGION',
	'AWS_EXECUTION_ENV',
	'AWS_LAMBDA_FUNCTION_NAME',
	'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
	'AWS_LAMBDA_FUNCTION_VERSION',
	'AWS_LAMBDA_INITIALIZATION_TYPE',
	'AWS_LAMBDA_LOG_GROUP_NAME',
	'AWS_LAMBDA_LOG_STREAM_NAME',
	'AWS_ACCESS_KEY',
	'AWS_ACCESS_KEY_ID',
	'AWS_SECRET_ACCESS_KEY',
	'AWS_SESSION_TOKEN',
	'AWS_LAMBDA_RUNTIME_API',
	'LAMBDA_TASK_ROOT',
	'LAMBDA_RUNTIME_DIR',
]);

const codeSchema = z
	.strictObject({
		/** A folder relative to the service folder, zipped at apply time. */
		path: z.string().min(1).optional(),
		s3Bucket: z.string().min(1).optional(),
		s3Key: z.string().min(1).optional(),
		s3ObjectVersion: text().optional(),
		/** An ECR image URI. */
		imageUri: z.string().min(1).optional(),
	})
	.superRefine((code, ctx) => {
		const forms = [
			code.path !== undefined && 'path',
			(code.s3Bucket !== undefined || code.s3Key !== undefined || code.s3ObjectVersion !== undefined) && 's3Bucket/s3Key',
			code.imageUri !== undefined && 'imageUri',
		].filter((form): form is string => form !== false);
		if (forms.length === 0) addFieldIssue(ctx, [], 'code needs one of: path (a local folder), s3Bucket + s3Key, or imageUri');
		else if (forms.length > 1) addFieldIssue(ctx, [], `code has ${forms.join(' and ')}; give exactly one form`);
		else if (forms[0] === 's3Bucket/s3Key') {
			if (code.s3Bucket === undefined) addFieldIssue(ctx, ['s3Bucket'], 'code.s3Key needs code.s3Bucket');
			if (code.s3Key === undefined) addFieldIssue(ctx, ['s3Key'], 'code.s3Bucket needs code.s3Key');
		}
	});
export type LambdaCode = z.output<typeof codeSchema>;

const sqsTriggerSchema = z
	.strictObject({
		type: z.literal('sqs'),
		source: z.strictObject({component: componentName()}),
		batchSize: integer({min: 1, max: 10_000}).default(10),
		maximumBatchingWindowInSeconds: integer({min: 0, max: 300}).optional(),
		enabled: boolean().optional(),
	})
	.superRefine((trigger, ctx) => {
		if (trigger.batchSize > 10 && !trigger.maximumBatchingWindowInSeconds)
			addFieldIssue(
				ctx,
				['maximumBatchingWindowInSeconds'],
				`batchSize ${trigger.batchSize} (over 10) needs maximumBatchingWindowInSeconds of at least 1`,
			);
	});

const eventBridgeTriggerSchema = z.strictObject({
	type: z.literal('eventbridge'),
	schedule: scheduleExpression(),
	description: z.string().max(512).optional(),
});

const triggerSchema = z.preprocess(
	(input) =>
		input !== null && typeof input === 'object' && 'type' in input && typeof input.type === 'string'
			? {...input, type: input.type.trim().toLowerCase()}
			: input,
	z.discriminatedUnion('type', [sqsTriggerSchema, eventBridgeTriggerSchema]),
);
export type LambdaTrigger = z.output<typeof triggerSchema>;

export const lambdaSpecSchema = z
	.strictObject({
		runtime: z.enum(lambdaRuntimes),
		/** `file.function` for zip code; images define their own entry point. */
		handler: z.string().min(1).optional(),
		code: codeSchema,
		/** Derived from `code`; may be written, and must then agree with it. */
		packageType: z.enum(['Zip', 'Image']).optional(),
		memory: memoryMiBField().pipe(z.int().min(128).max(10_240)).default(128),
		timeout: integer({min: 1, max: 900}).default(3),
		environment: environmentMapSchema.optional(),
		triggers: z.array(triggerSchema).optional(),
		vpc: z.strictObject({enabled: boolean().default(true)}).optional(),
		reservedConcurrentExecutions: integer({min: 0}).optional(),
		architecture: caseInsensitiveEnum(['x86_64', 'arm64'], {amd64: 'x86_64', aarch64: 'arm64'}).default('x86_64'),
		tags: tagsSchema.optional(),
		dependsOn: dependsOnSchema.optional(),
	})
	.superRefine((spec, ctx) => {
		const packageType = spec.code.imageUri === undefined ? 'Zip' : 'Image';
		if (spec.packageType !== undefined && spec.packageType !== packageType)
			addFieldIssue(ctx, ['packageType'], `packageType ${spec.packageType} does not match code (${packageType})`);
		if (packageType === 'Zip' && spec.handler === undefined)
			addFieldIssue(ctx, ['handler'], 'handler is required for zip code, e.g. index.handler');
		for (const name of Object.keys(spec.environment ?? {}))
			if (reservedEnvironmentNames.has(name))
				addFieldIssue(ctx, ['environment', name], `${name} is set by the Lambda service and cannot be set`);
	})
	.transform((spec) => ({...spec, packageType: spec.code.imageUri === undefined ? ('Zip' as const) : ('Image' as const)}));

export type LambdaSpec = z.output<typeof lambdaSpecSchema>;

/** What an SQS trigger grants the function's role on its queue. */
export const sqsConsumerActions = ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'];

/** The physical-name role of the schedule rule of `triggers[index]`. */
export function scheduleRuleRole(index: number): string {
	return `schedule-${index}`;
}

/** What reading the function's name or ARN grants: invoking it. */
const functionInvoke: ReaderAccess = {name: 'function', actions: ['lambda:InvokeFunction'], resources: arnInOutput('functionArn')};

export const lambdaKind = defineKind<LambdaSpec>({
	kind: 'Lambda',
	summary: 'An AWS Lambda function with SQS and scheduled triggers',
	awsType: 'AWS::Lambda::Function',
	spec: lambdaSpecSchema,
	outputs: {
		functionArn: {description: 'The function ARN'},
		functionName: {description: 'The function name'},
		logGroup: {description: 'The CloudWatch log group of the function'},
		roleArn: {description: 'The ARN of the function execution role'},
	},
	/*
	 * A function's package type (zip or image) is fixed at creation. Runtime, handler, code
	 * (a new zip or a new image), memory, timeout, architecture, VPC and environment all update in
	 * place (UpdateFunctionCode / UpdateFunctionConfiguration); triggers are separate resources.
	 */
	replaceOn: ['packageType'],
	/** Literal values of secret-looking variables (DB_PASSWORD, API_TOKEN, …); secretRef names are not secret. */
	sensitivePaths: secretEnvironmentNamePatterns.map((pattern) => `environment.${pattern}`),
	placement: (spec) => (spec.vpc?.enabled ? 'private-subnets' : 'none'),
	physicalNames(identity, spec) {
		const names: {primary: string} & Record<string, string> = {
			primary: physicalName(identity, nameRules.lambdaFunction),
			role: physicalName(identity, nameRules.iamRole, 'role'),
			/** Set as the function's LoggingConfig.LogGroup. */
			logGroup: logGroupName(identity),
		};
		spec.triggers?.forEach((trigger, index) => {
			if (trigger.type === 'eventbridge') names[`triggers.${index}`] = physicalName(identity, nameRules.eventRule, scheduleRuleRole(index));
		});
		return names;
	},
	references: (spec) =>
		(spec.triggers ?? []).flatMap((trigger, index) =>
			trigger.type === 'sqs'
				? [
						{
							path: ['triggers', index, 'source', 'component'],
							component: trigger.source.component,
							acceptsKinds: ['SQS'],
							label: 'sqs trigger',
						},
					]
				: [],
		),
	policyIssues: (spec, context) =>
		outsideAllowed(spec.runtime, context.policies.lambdaRuntimes, {
			path: ['runtime'],
			code: 'policy-lambda-runtime',
			what: 'Lambda runtime',
			tenant: context.tenant,
		}),
	broadening(input, context) {
		const sqsSource = (trigger: {type?: unknown; source?: {component?: unknown}}) =>
			trigger.type === 'sqs' && typeof trigger.source?.component === 'string' ? trigger.source.component : undefined;
		const triggers = newItems(input.spec.triggers, input.before?.triggers, sqsSource).map((trigger) => ({
			class: 'iam-permissions' as const,
			what: `new IAM permissions on the role of ${context.address}: ${sqsConsumerActions.join(', ')} on ${sqsSource(trigger)} (sqs trigger)`,
		}));
		return [...triggers, ...newValueFromGrants(input, context)];
	},
	withEnvironment(spec, entries) {
		const added = unsetEnvFileEntries(entries, Object.keys(spec.environment ?? {}));
		if (added.length === 0) return spec;
		const environment = {...spec.environment};
		// Shared config files may set AWS_REGION and the like for containers; Lambda sets those itself.
		for (const {name, value} of added) if (!reservedEnvironmentNames.has(name)) environment[name] = {value};
		return {...spec, environment};
	},
	check(spec, context) {
		const issues: KindIssue[] = [];
		const ended = runtimeSupportEnded(spec.runtime, context.today);
		if (ended)
			issues.push({
				path: ['runtime'],
				severity: 'warning',
				code: 'deprecated-runtime',
				message: `runtime ${spec.runtime} reached its end of support on ${ended.endedOn}: AWS no longer patches it and will refuse to create, then to update, functions that use it`,
				...(ended.replacement ? {hint: `move to ${ended.replacement} (and test the code on it)`} : {}),
			});
		const path = spec.code.path;
		if (path === undefined) return issues;
		if (isAbsolute(path)) {
			issues.push({
				path: ['code', 'path'],
				message: `code.path ${path} is absolute; it must be relative to the service folder`,
				hint: 'stack folders move between machines and CI; keep function code inside the stack folder',
			});
			return issues;
		}
		const folder = resolve(context.serviceDir, path);
		if (!context.fileExists(folder))
			issues.push({path: ['code', 'path'], message: `code.path ${path} does not exist (looked in ${folder})`});
		else if (!context.isDirectory(folder))
			issues.push({
				path: ['code', 'path'],
				message: `code.path ${path} is a file; it must be the folder to package`,
				hint: 'point code.path at the folder that holds the handler file',
			});
		return issues;
	},
	describe(spec) {
		const code = spec.packageType === 'Image' ? 'image' : spec.handler;
		const triggers = spec.triggers?.length ? `, triggers: ${spec.triggers.map((trigger) => trigger.type).join(', ')}` : '';
		return `${spec.runtime} ${spec.architecture} ${code}, ${spec.memory} MB, ${spec.timeout}s timeout${triggers}`;
	},
	/** Billed by use: requests and GB-seconds at its memory and architecture (usage file), plus its logs. */
	cost(spec, context) {
		const {lambda} = context.prices;
		const requests = context.usage?.requestsPerMonth;
		const duration = context.usage?.averageDurationMs;
		const gbSecond = lambda.gbSecond[spec.architecture];
		const lines = [
			...usageLine(`${requests} requests/month`, requests, lambda.requestMillion, 1_000_000),
			...usageLine(
				`${requests} × ${duration} ms at ${spec.memory} MB (${spec.architecture})`,
				requests !== undefined && duration !== undefined ? ((requests * duration) / 1000) * (spec.memory / 1024) : undefined,
				gbSecond,
			),
		];
		const notes =
			lines.length > 0 ? [] : [`${formatRate(lambda.requestMillion)} per million requests + ${formatRate(gbSecond)} per GB-second`];
		const logs = logsLines(context);
		return estimateFrom([...lines, ...logs.lines], [...notes, ...logs.notes], {billedByUse: true});
	},
	// A reader of the function's name or ARN invokes it.
	readerAccess: {functionArn: [functionInvoke], functionName: [functionInvoke]},
	hasLogs: true,
	allowedByDefault: true,
	typicalCreateSeconds: 10,
	provider: async () => (await import('./lambda-provider.js')).lambdaProvider,
	health: async () => (await import('./lambda/health.js')).lambdaHealth,
	leftovers: async () => (await import('./lambda/leftovers.js')).lambdaLeftovers,
});
