/**
 * The task definition of a MicroService: one Fargate container with its image, ports, environment,
 * secrets (as ARNs), health check and awslogs driver, plus the task and execution IAM roles.
 *
 * Invariants:
 * - A revision is registered only when the container or task settings changed: the exact
 *   RegisterTaskDefinition input is hashed (canonical JSON) and the hash travels as the revision's
 *   `panka:definition-hash` tag. A revision with the same hash (the one the service runs, or the
 *   family's latest after a crash) is reused, so a replicas-only change registers nothing.
 * - Secrets are passed as references only: `secrets[].valueFrom` is the secret's ARN (resolved
 *   from its name with DescribeSecret, never GetSecretValue); ECS reads the value when a task
 *   starts, with the execution role. No value ever passes through panka. Every reference is in
 *   the tenant's secret namespace (providers/secret-namespace.ts, checked again here), so the
 *   task definition and the execution role's grants name only the tenant's own secrets.
 * - Least privilege, execution role (the role ECS uses to start the task): pull the image (ECR
 *   repositories only: ecr:GetAuthorizationToken, which has no resource scope, plus
 *   BatchCheckLayerAvailability/BatchGetImage/GetDownloadUrlForLayer on exactly that repository),
 *   write exactly its log group (logs:CreateLogStream/PutLogEvents on the group and its streams)
 *   and read exactly the referenced secrets (secretsmanager:GetSecretValue on those ARNs, or
 *   ssm:GetParameters on SSM parameter ARNs). Images from other registries need no permission
 *   (public images); private non-ECR registries (repositoryCredentials) are not supported yet.
 *   Secrets encrypted with a customer-managed KMS key also need kms:Decrypt on that key, which is
 *   not granted (the default aws/secretsmanager key needs nothing).
 * - Least privilege, task role (the role the application's code runs as): starts with no
 *   permission at all. It exists from the first apply so that granting the application access
 *   later (e.g. to the queue or bucket it reads through valueFrom) is an inline policy on the same
 *   role (ensureRole reconciles inline policies exactly), not a new task definition revision.
 * - The container health check comes from `healthCheck.command` as written, or, for an HTTP
 *   `healthCheck.path`, from `CMD-SHELL curl … || wget …` against localhost on the check port: the
 *   image must then contain curl or wget (busybox wget is enough); distroless images set
 *   `healthCheck.command` instead. Without a port there is no container check for a path (the
 *   path is then only the load balancer's check).
 * - Old revisions are deregistered only after the service runs the new one (`deregisterRevisions`
 *   is called once the deployment is steady), so a circuit-breaker rollback always finds its
 *   revision ACTIVE.
 * - A revision is reused or deregistered only when its tags are this component's (the ownership
 *   rule, `requireOwned`): a family whose revisions belong to another tenant, stack, environment
 *   or component is refused, never extended with a revision of ours or emptied.
 */
import {createHash} from 'node:crypto';
import {
	type ContainerDefinition,
	DeregisterTaskDefinitionCommand,
	DescribeTaskDefinitionCommand,
	type HealthCheck,
	paginateListTaskDefinitions,
	RegisterTaskDefinitionCommand,
	type RegisterTaskDefinitionCommandInput,
	type TaskDefinition,
} from '@aws-sdk/client-ecs';
import {awsCall, awsCallUnlessMissing} from '../../aws/call.js';
import {canonicalJson} from '../../canonical-json.js';
import {parseArn, partitionOf} from '../../providers/arn.js';
import type {PolicyStatement} from '../../providers/iam-roles.js';
import {ProviderError, type ResourceContext} from '../../providers/provider.js';
import {requireOwned} from '../../providers/resource-tags.js';
import {scopeSecretRef} from '../../providers/secret-namespace.js';
import {requireSecretArns} from '../../providers/secrets.js';
import {loadBalancedPort, type MicroServiceSpec} from '../microservice.js';
import {containerNameOf, ecsOf, toEcsTags} from './ecs-calls.js';

export const definitionHashTag = 'panka:definition-hash';
const missingDefinition = ['ClientException', 'InvalidParameterException'];

/** `repository:tag`, the image reference ECS pulls. */
export function containerImage(spec: Pick<MicroServiceSpec, 'image'>): string {
	return `${spec.image.repository}:${spec.image.tag}`;
}

/** `{repository, tag}` of an image reference (the tag after the last `:` of the last path segment). */
export function splitImage(image: string): {repository: string; tag: string} {
	const slash = image.lastIndexOf('/');
	const colon = image.lastIndexOf(':');
	return colon > slash ? {repository: image.slice(0, colon), tag: image.slice(colon + 1)} : {repository: image, tag: 'latest'};
}

const ecrRepositoryPattern = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/(.+)$/;

/** The ECR repository ARN of an image repository, or undefined for other registries. */
export function ecrRepositoryArn(repository: string): string | undefined {
	const match = ecrRepositoryPattern.exec(repository);
	if (!match) return undefined;
	const [, account, region, name] = match;
	return `arn:${partitionOf(region!)}:ecr:${region}:${account}:repository/${name}`;
}

/** One `secrets[]` entry resolved to what ECS and IAM need. */
export interface ResolvedSecret {
	envVar: string;
	/** What the container definition names: a Secrets Manager ARN (maybe with a JSON key) or an SSM parameter ARN. */
	valueFrom: string;
	/** What the execution role may read. */
	permission: {action: 'secretsmanager:GetSecretValue' | 'ssm:GetParameters'; resource: string};
}

/**
 * The ARN behind each secretRef, in the tenant's namespace: a name is looked up (DescribeSecret:
 * it must exist), an ARN is used as written. `arn:…:secret:name-AbCdEf:jsonKey::` keeps its JSON
 * key in valueFrom and grants the secret itself. Values are never read.
 */
export async function resolveSecrets(context: ResourceContext, spec: MicroServiceSpec): Promise<ResolvedSecret[]> {
	const usedBy = `MicroService ${context.address}`;
	const secrets = spec.secrets ?? [];
	const refs = [...new Set(secrets.map((secret) => secret.secretRef).filter((ref) => !isParameterArn(ref)))];
	const arns = await requireSecretArns(context, refs, usedBy);
	return secrets.map((secret) => {
		const ref = secret.secretRef;
		if (isParameterArn(ref)) {
			const scope = scopeSecretRef(ref, {tenant: context.tags['panka:tenant'] ?? '', accountId: context.accountId});
			if (!scope.ok) throw new ProviderError(`${usedBy}: ${scope.problem}`, 'SecretOutsideNamespace');
			return {envVar: secret.envVar, valueFrom: ref, permission: {action: 'ssm:GetParameters' as const, resource: ref}};
		}
		const secretArn = arns[ref]!;
		const valueFrom = ref.startsWith('arn:') ? ref : secretArn;
		return {envVar: secret.envVar, valueFrom, permission: {action: 'secretsmanager:GetSecretValue' as const, resource: secretArn}};
	});
}

function isParameterArn(ref: string): boolean {
	return parseArn(ref)?.service === 'ssm';
}

/** The execution role's inline policies by name (an empty list removes that policy). */
export function executionRolePolicies(
	spec: MicroServiceSpec,
	logGroupArn: string,
	secrets: readonly ResolvedSecret[],
): Record<string, PolicyStatement[]> {
	const repositoryArn = ecrRepositoryArn(spec.image.repository);
	const granted = (action: ResolvedSecret['permission']['action']) =>
		[...new Set(secrets.filter((s) => s.permission.action === action).map((s) => s.permission.resource))].sort();
	const secretArns = granted('secretsmanager:GetSecretValue');
	const parameterArns = granted('ssm:GetParameters');
	return {
		'pull-image': repositoryArn
			? [
					{Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*'},
					{
						Effect: 'Allow',
						Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
						Resource: repositoryArn,
					},
				]
			: [],
		'write-logs': [
			{Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: [logGroupArn, `${logGroupArn}:log-stream:*`]},
		],
		'read-secrets': [
			...(secretArns.length > 0 ? [{Effect: 'Allow' as const, Action: 'secretsmanager:GetSecretValue', Resource: secretArns}] : []),
			...(parameterArns.length > 0 ? [{Effect: 'Allow' as const, Action: 'ssm:GetParameters', Resource: parameterArns}] : []),
		],
	};
}

function shellQuote(text: string): string {
	return `'${text.replaceAll("'", `'"'"'`)}'`;
}

/** The container's own health check, in ECS's form; undefined when the spec gives none it can run. */
export function containerHealthCheck(spec: MicroServiceSpec): HealthCheck | undefined {
	const check = spec.healthCheck;
	if (!check) return undefined;
	let command: string[] | undefined;
	if (check.command)
		command = check.command[0] === 'CMD' || check.command[0] === 'CMD-SHELL' ? [...check.command] : ['CMD', ...check.command];
	else if (check.path) {
		const port = check.port ?? loadBalancedPort(spec)?.port ?? spec.ports?.[0]?.port;
		if (port === undefined) return undefined;
		const url = shellQuote(`http://localhost:${port}${check.path}`);
		command = ['CMD-SHELL', `curl -fsS -o /dev/null ${url} || wget -q -O /dev/null ${url} || exit 1`];
	}
	if (!command) return undefined;
	return {
		command,
		interval: check.periodSeconds,
		timeout: check.timeoutSeconds,
		retries: check.failureThreshold,
		startPeriod: check.initialDelaySeconds,
	};
}

export interface TaskDefinitionParts {
	executionRoleArn: string;
	taskRoleArn: string;
	logGroup: string;
	secrets: readonly ResolvedSecret[];
}

/** The RegisterTaskDefinition input (without tags) for the spec. */
export function taskDefinitionInput(
	context: ResourceContext,
	spec: MicroServiceSpec,
	parts: TaskDefinitionParts,
): RegisterTaskDefinitionCommandInput {
	const environment = (spec.environment ?? []).map((entry) => {
		if (entry.value === undefined)
			throw new ProviderError(
				`${context.address}: environment ${entry.name} still has a valueFrom; applyPlan substitutes outputs before the provider runs`,
				'UnresolvedValueFrom',
			);
		return {name: entry.name, value: entry.value};
	});
	const healthCheck = containerHealthCheck(spec);
	const container: ContainerDefinition = {
		name: containerNameOf(context),
		image: containerImage(spec),
		essential: true,
		portMappings: (spec.ports ?? []).map((port) => ({
			containerPort: port.port,
			protocol: port.protocol === 'udp' ? 'udp' : 'tcp',
			name: port.name,
		})),
		environment,
		secrets: parts.secrets.map((secret) => ({name: secret.envVar, valueFrom: secret.valueFrom})),
		...(healthCheck ? {healthCheck} : {}),
		logConfiguration: {
			logDriver: 'awslogs',
			options: {'awslogs-group': parts.logGroup, 'awslogs-region': context.region, 'awslogs-stream-prefix': 'ecs'},
		},
	};
	return {
		family: context.names.taskDefinitionFamily!,
		requiresCompatibilities: ['FARGATE'],
		networkMode: 'awsvpc',
		cpu: String(spec.runtime.cpu),
		memory: String(spec.runtime.memory),
		executionRoleArn: parts.executionRoleArn,
		taskRoleArn: parts.taskRoleArn,
		containerDefinitions: [container],
	};
}

export function definitionHash(input: RegisterTaskDefinitionCommandInput): string {
	return createHash('sha256').update(canonicalJson(input)).digest('hex').slice(0, 32);
}

/** The revision (family:rev or ARN) with its tags; undefined when ECS does not know it. */
export async function describeTaskDefinition(
	context: ResourceContext,
	taskDefinition: string,
): Promise<{definition: TaskDefinition; tags: Record<string, string>} | undefined> {
	const found = await awsCallUnlessMissing(context, `ECS DescribeTaskDefinition ${taskDefinition}`, missingDefinition, (options) =>
		ecsOf(context).send(new DescribeTaskDefinitionCommand({taskDefinition, include: ['TAGS']}), options),
	);
	if (!found?.taskDefinition) return undefined;
	return {definition: found.taskDefinition, tags: Object.fromEntries((found.tags ?? []).map((tag) => [tag.key ?? '', tag.value ?? '']))};
}

/**
 * The ARN of a revision with exactly `input`: one of `candidates` (the service's revision, the
 * family's latest) when its hash tag matches, else a newly registered one.
 */
export async function ensureTaskDefinition(
	context: ResourceContext,
	input: RegisterTaskDefinitionCommandInput,
	candidates: readonly string[],
): Promise<{arn: string; registered: boolean}> {
	const hash = definitionHash(input);
	for (const candidate of new Set(candidates)) {
		const found = await describeTaskDefinition(context, candidate);
		if (found) requireOwned(found.tags, context.tags, 'adopt', `ECS task definition ${found.definition.taskDefinitionArn ?? candidate}`);
		if (found?.definition.status === 'ACTIVE' && found.tags[definitionHashTag] === hash && found.definition.taskDefinitionArn)
			return {arn: found.definition.taskDefinitionArn, registered: false};
	}
	context.progress(`registering task definition ${input.family}`);
	const {taskDefinition} = await awsCall(context, `ECS RegisterTaskDefinition ${input.family}`, (options) =>
		ecsOf(context).send(
			new RegisterTaskDefinitionCommand({...input, tags: toEcsTags({...context.tags, [definitionHashTag]: hash})}),
			options,
		),
	);
	if (!taskDefinition?.taskDefinitionArn) throw new ProviderError(`ECS RegisterTaskDefinition ${input.family}: no ARN returned`);
	return {arn: taskDefinition.taskDefinitionArn, registered: true};
}

/** ARNs of the family's ACTIVE revisions (the family exactly: ListTaskDefinitions matches a prefix). */
export async function activeRevisions(context: ResourceContext, family: string): Promise<string[]> {
	const arns: string[] = [];
	await awsCall(context, `ECS ListTaskDefinitions ${family}`, async (options) => {
		for await (const page of paginateListTaskDefinitions({client: ecsOf(context)}, {familyPrefix: family, status: 'ACTIVE'}, options))
			arns.push(...(page.taskDefinitionArns ?? []).filter((arn) => arn.split('/').at(-1)?.replace(/:\d+$/, '') === family));
	});
	return arns;
}

/** Deregister every ACTIVE revision of the family (this component's: checked) except `keep`; revisions already gone are skipped. */
export async function deregisterRevisions(context: ResourceContext, family: string, keep?: string): Promise<void> {
	for (const arn of await activeRevisions(context, family)) {
		if (arn === keep) continue;
		const found = await describeTaskDefinition(context, arn);
		if (!found) continue;
		requireOwned(found.tags, context.tags, 'delete', `ECS task definition ${arn}`);
		context.progress(`deregistering task definition ${arn.split('/').at(-1)}`);
		await awsCallUnlessMissing(context, `ECS DeregisterTaskDefinition ${arn}`, missingDefinition, (options) =>
			ecsOf(context).send(new DeregisterTaskDefinitionCommand({taskDefinition: arn}), options),
		);
	}
}
