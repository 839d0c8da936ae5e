/**
 * MicroService: a long-running container on ECS Fargate, one ECS service per component in the
 * stack+env cluster, with an Application Load Balancer when it exposes an http/https port.
 *
 * Invariants:
 * - `runtime.cpu` is normalised to CPU units and `runtime.memory` to MiB (`"256m"`/`"512Mi"` →
 *   256/512), and the pair is a valid Fargate size; memory defaults to the smallest size valid
 *   for the CPU.
 * - `ports[].protocol` is lowercase; port names are unique, and so are (port, protocol) pairs.
 * - Environment entries are `{name, value}` or `{name, valueFrom}` (see environment.ts); secret
 *   entries always carry `envVar` (defaulting to `name`); no variable name is set twice across
 *   environment and secrets.
 * - `healthCheck.command` is normalised to the ECS form: a string becomes `['CMD-SHELL', text]`.
 * - With autoscaling enabled, `replicas` is the initial count and lies within min..max.
 * - The load balancer fronts the first http/https port; other ports are reachable inside the VPC
 *   (and through service discovery when enabled).
 */
import {z} from '../zod.js';
import {estimateFrom, fargateTaskMonthly, formatMonthly, formatRate, logsLines, monthlyAtHourly, usageLine} from '../cost/cost-rules.js';
import type {CostContext, CostEstimate, CostLine} from '../cost/cost-types.js';
import type {PathSegment} from '../load/yaml-source.js';
import {boolean, dependsOnSchema, integer, tagsSchema, text} from '../model/fields.js';
import {logGroupName, nameRules, physicalName} from '../resolve/physical-names.js';
import {environmentListSchema, environmentVariableName, unsetEnvFileEntries} from './environment.js';
import {fargateCpuField, fargateSizeProblem, formatVcpu, memoryMiBField, validFargateMemory} from './fargate-size.js';
import {
	type Broadening,
	describeWebOpenings,
	isAnywhere,
	loadBalancerOpenings,
	newItems,
	newValueFromGrants,
	recordedAt,
} from './broadening.js';
import {disallowedInternetPorts, type PolicyIssue} from './policies.js';
import {defineKind, type KindIssue, secretEnvironmentNamePatterns} from './kind.js';
import {microServiceLegacyForms} from './microservice/legacy-forms.js';
import {addFieldIssue, caseInsensitiveEnum, reportDuplicates} from './spec-rules.js';

const imageSchema = z
	.strictObject({
		/** Registry and repository, without the tag: `123456789012.dkr.ecr.us-east-1.amazonaws.com/api`. */
		repository: z.string().min(1, {error: 'image.repository names the container image repository'}),
		tag: text()
			.pipe(z.string().min(1, {error: 'image.tag must not be empty'}))
			.default('latest'),
		/** Fargate pulls the image for every task; the policy is kept for parity with other runtimes. */
		pullPolicy: caseInsensitiveEnum(['Always', 'IfNotPresent', 'Never']).default('IfNotPresent'),
	})
	.superRefine((image, ctx) => {
		const lastSegment = image.repository.split('/').at(-1) ?? '';
		if (lastSegment.includes(':') || lastSegment.includes('@'))
			addFieldIssue(ctx, ['repository'], `image.repository "${image.repository}" includes a tag or digest; put it in image.tag`);
	});

const runtimeSchema = z
	.strictObject({
		platform: caseInsensitiveEnum(['fargate']).default('fargate'),
		/** CPU units (256 = 0.25 vCPU); also "0.25 vCPU", "0.5", "256m". */
		cpu: fargateCpuField().default(256),
		/** MiB; also "512Mi", "1GB", "2G". */
		memory: memoryMiBField().optional(),
	})
	.superRefine((runtime, ctx) => {
		if (runtime.memory === undefined) return;
		const problem = fargateSizeProblem(runtime.cpu, runtime.memory);
		if (problem) addFieldIssue(ctx, ['memory'], problem);
	})
	.transform((runtime) => ({...runtime, memory: runtime.memory ?? validFargateMemory(runtime.cpu)[0]!}));

const autoscalingSchema = z
	.strictObject({
		enabled: boolean().default(true),
		minReplicas: integer({min: 0}).default(1),
		maxReplicas: integer({min: 1}).optional(),
		targetCPUUtilization: integer({min: 1, max: 100}).default(70),
	})
	.superRefine((autoscaling, ctx) => {
		if (autoscaling.maxReplicas === undefined) {
			if (autoscaling.enabled) addFieldIssue(ctx, ['maxReplicas'], 'autoscaling needs maxReplicas');
		} else if (autoscaling.minReplicas > autoscaling.maxReplicas) {
			addFieldIssue(ctx, ['minReplicas'], `minReplicas ${autoscaling.minReplicas} is greater than maxReplicas ${autoscaling.maxReplicas}`);
		}
	});

const portSchema = z.strictObject({
	name: z.string().regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, {error: 'port names are lowercase letters, digits and hyphens'}),
	port: integer({min: 1, max: 65_535}),
	protocol: caseInsensitiveEnum(['tcp', 'udp', 'http', 'https']).default('tcp'),
});
export type MicroServicePort = z.output<typeof portSchema>;

/**
 * One health check, used twice: `path` is the load balancer's HTTP check (on `port`, default the
 * traffic port) and `command` is the container's own check. Ranges fit both AWS APIs.
 */
const healthCheckSchema = z
	.strictObject({
		path: z.string().startsWith('/', {error: 'healthCheck.path starts with /'}).optional(),
		port: integer({min: 1, max: 65_535}).optional(),
		initialDelaySeconds: integer({min: 0, max: 300}).default(0),
		periodSeconds: integer({min: 5, max: 300}).default(30),
		timeoutSeconds: integer({min: 2, max: 60}).default(5),
		failureThreshold: integer({min: 1, max: 10}).default(3),
		/** `curl -f http://localhost/health` (run by the shell) or the exec form `['CMD', 'bin', 'arg']`. */
		command: z
			.union([z.string().min(1), z.array(z.string()).min(1)], {
				error: 'healthCheck.command is a shell command string or a list such as [CMD, /bin/check]',
			})
			.transform((command) => (typeof command === 'string' ? ['CMD-SHELL', command] : command))
			.optional(),
	})
	.superRefine((check, ctx) => {
		if (check.path === undefined && check.command === undefined)
			addFieldIssue(ctx, ['path'], 'healthCheck needs a path (HTTP check) or a command (container check)');
		if (check.timeoutSeconds >= check.periodSeconds)
			addFieldIssue(
				ctx,
				['timeoutSeconds'],
				`timeoutSeconds ${check.timeoutSeconds} must be less than periodSeconds ${check.periodSeconds}`,
			);
		if (check.path !== undefined && check.failureThreshold < 2)
			addFieldIssue(ctx, ['failureThreshold'], 'a load balancer health check (path) needs failureThreshold of at least 2');
	});

const secretSchema = z
	.strictObject({
		name: z.string().min(1),
		/** Secrets Manager name or ARN (or an SSM parameter ARN). */
		secretRef: z.string().min(1, {error: 'secretRef names the secret (Secrets Manager name or ARN)'}),
		/** The container's variable; defaults to `name`. */
		envVar: environmentVariableName().optional(),
	})
	.superRefine((secret, ctx) => {
		if (secret.envVar === undefined && !environmentVariableName().safeParse(secret.name).success)
			addFieldIssue(ctx, ['name'], `secret name "${secret.name}" is not a variable name; set envVar`);
	})
	.transform((secret) => ({...secret, envVar: secret.envVar ?? secret.name}));

const serviceDiscoverySchema = z.strictObject({
	enabled: boolean().default(true),
	/** Cloud Map private DNS namespace, e.g. `notification-platform.local`; the resolver's default when absent. */
	namespace: z.string().min(1).optional(),
	/** DNS label of the service in the namespace; the component name when absent. */
	name: z
		.string()
		.regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, {error: 'serviceDiscovery.name is a DNS label'})
		.optional(),
});

export const microServiceSpecSchema = z
	.strictObject({
		image: imageSchema,
		runtime: runtimeSchema.prefault({}),
		/** Desired task count; the initial count when autoscaling is enabled. */
		replicas: integer({min: 0}).default(1),
		autoscaling: autoscalingSchema.optional(),
		ports: z.array(portSchema).optional(),
		healthCheck: healthCheckSchema.optional(),
		environment: environmentListSchema.optional(),
		secrets: z.array(secretSchema).optional(),
		serviceDiscovery: serviceDiscoverySchema.optional(),
		tags: tagsSchema.optional(),
		dependsOn: dependsOnSchema.optional(),
	})
	.superRefine((spec, ctx) => {
		reportDuplicates(
			ctx,
			spec.ports,
			(port) => port.name,
			(index) => ['ports', index, 'name'],
			'port name',
		);
		reportDuplicates(
			ctx,
			spec.ports,
			(port) => `${port.port}/${port.protocol === 'udp' ? 'udp' : 'tcp'}`,
			(index) => ['ports', index, 'port'],
			'port',
		);
		// The variable is written as envVar, or as the secret's name when envVar is absent.
		const variablePath = (index: number): PathSegment[] => {
			const secret = spec.secrets![index]!;
			return ['secrets', index, secret.envVar === secret.name ? 'name' : 'envVar'];
		};
		reportDuplicates(ctx, spec.secrets, (secret) => secret.envVar, variablePath, 'secret variable');
		const environmentNames = new Set(spec.environment?.map((entry) => entry.name));
		spec.secrets?.forEach((secret, index) => {
			if (environmentNames.has(secret.envVar))
				addFieldIssue(ctx, variablePath(index), `${secret.envVar} is set by both environment and secrets`);
		});
		const autoscaling = spec.autoscaling;
		if (autoscaling?.enabled && autoscaling.maxReplicas !== undefined) {
			if (spec.replicas < autoscaling.minReplicas || spec.replicas > autoscaling.maxReplicas)
				addFieldIssue(
					ctx,
					['replicas'],
					`replicas ${spec.replicas} is outside autoscaling ${autoscaling.minReplicas}–${autoscaling.maxReplicas}`,
				);
		}
		const checkPort = spec.healthCheck?.port;
		if (checkPort !== undefined && !spec.ports?.some((port) => port.port === checkPort))
			addFieldIssue(ctx, ['healthCheck', 'port'], `healthCheck.port ${checkPort} is not one of the ports`);
	});

export type MicroServiceSpec = z.output<typeof microServiceSpecSchema>;

const isWebPort = (port: MicroServicePort) => port.protocol === 'http' || port.protocol === 'https';

/** The port the load balancer forwards to: the first http/https port, if any. */
export function loadBalancedPort(spec: MicroServiceSpec): MicroServicePort | undefined {
	return spec.ports?.find(isWebPort);
}

export const microServiceKind = defineKind<MicroServiceSpec>({
	kind: 'MicroService',
	summary: 'A container service on ECS Fargate, with a load balancer for http/https ports',
	awsType: 'AWS::ECS::Service',
	spec: microServiceSpecSchema,
	outputs: {
		endpoint: {
			description: 'Where to reach the service: load balancer DNS name, else the service discovery name',
		},
		serviceArn: {description: 'The ECS service ARN'},
		serviceName: {description: 'The ECS service name'},
		clusterName: {description: 'The ECS cluster of the stack and environment'},
		logGroup: {description: 'The CloudWatch log group of the containers'},
		taskDefinitionArn: {description: 'The ARN of the task definition revision in use'},
	},
	/*
	 * What ECS cannot change in place. The launch type (platform) is fixed when a service is
	 * created. Everything else is an in-place update: image, size, environment and secrets make
	 * a new task definition revision and a rolling deployment; UpdateService changes the desired
	 * count, health check grace period, load balancers and service registries. Ports are not
	 * listed: a changed http/https port or protocol replaces the target group (its port and
	 * protocol are immutable) and re-points the ALB listener, which the planner handles as a
	 * replace of that sub-resource, while the ECS service itself updates in place.
	 */
	replaceOn: ['runtime.platform'],
	/** Literal values of secret-looking variables (DB_PASSWORD, API_TOKEN, …); secretRef names are not secret. */
	sensitivePaths: secretEnvironmentNamePatterns.map((pattern) => `environment.${pattern}`),
	placement: () => 'private-subnets',
	sharedNameRoles: ['cluster'],
	physicalNames(identity, spec) {
		const names: {primary: string} & Record<string, string> = {
			primary: physicalName(identity, nameRules.ecsService),
			cluster: physicalName({...identity, component: 'cluster'}, nameRules.ecsCluster),
			taskDefinitionFamily: physicalName(identity, nameRules.ecsService),
			taskRole: physicalName(identity, nameRules.iamRole, 'task'),
			executionRole: physicalName(identity, nameRules.iamRole, 'execution'),
			logGroup: logGroupName(identity),
		};
		if (loadBalancedPort(spec)) {
			names.loadBalancer = physicalName(identity, nameRules.loadBalancer, 'alb');
			names.targetGroup = physicalName(identity, nameRules.targetGroup, 'tg');
		}
		if (spec.serviceDiscovery?.enabled) names.serviceDiscovery = spec.serviceDiscovery.name ?? identity.component;
		return names;
	},
	references: () => [],
	secretReferences: (spec) =>
		(spec.secrets ?? []).map((secret, index) => ({
			path: ['secrets', index, 'secretRef'],
			ref: secret.secretRef,
			accepts: 'secret-or-parameter',
		})),
	withEnvironment(spec, entries) {
		const taken = [...(spec.environment ?? []).map((entry) => entry.name), ...(spec.secrets ?? []).map((s) => s.envVar)];
		const added = unsetEnvFileEntries(entries, taken).map(({name, value}) => ({name, value}));
		if (added.length === 0) return spec;
		return {...spec, environment: [...(spec.environment ?? []), ...added]};
	},
	check(spec) {
		const issues: KindIssue[] = [];
		const webPorts = spec.ports?.filter(isWebPort) ?? [];
		for (const port of webPorts.slice(1)) {
			issues.push({
				path: ['ports', spec.ports!.indexOf(port), 'protocol'],
				message: `only the first http/https port (${webPorts[0]!.name}) is behind the load balancer; ${port.name} is reachable inside the VPC`,
				hint: 'use protocol tcp for ports that are not meant for the load balancer',
				severity: 'warning',
			});
		}
		return issues;
	},
	policyIssues(spec, context) {
		const issues: PolicyIssue[] = [];
		const {maxReplicas} = context.policies;
		const tooMany = (path: PolicyIssue['path'], what: string, count: number) =>
			issues.push({
				path,
				code: 'policy-max-replicas',
				message: `${what} ${count} is above the ${maxReplicas} tenant ${context.tenant} allows`,
			});
		if (maxReplicas !== undefined && spec.replicas > maxReplicas) tooMany(['replicas'], 'replicas', spec.replicas);
		const ceiling = spec.autoscaling?.enabled ? spec.autoscaling.maxReplicas : undefined;
		if (maxReplicas !== undefined && ceiling !== undefined && ceiling > maxReplicas)
			tooMany(['autoscaling', 'maxReplicas'], 'autoscaling.maxReplicas', ceiling);
		const port = loadBalancedPort(spec);
		const fromInternet = port ? loadBalancerOpenings(context.stackIngress).filter((opening) => isAnywhere(opening.source)) : [];
		const refused = disallowedInternetPorts([...new Set(fromInternet.map((opening) => opening.port))], context.policies);
		if (port && refused.length > 0)
			issues.push({
				path: ['ports', spec.ports!.indexOf(port), 'protocol'],
				code: 'policy-internet-ingress',
				message: `the ${port.protocol} port puts the service behind an internet-facing load balancer that opens ${refused.join(' and ')} to the internet; tenant ${context.tenant} allows only ${context.policies.internetIngressPorts!.join(', ') || 'no ports'} from the internet`,
			});
		return issues;
	},
	broadening(input, context) {
		const found: Broadening[] = [];
		const port = loadBalancedPort(input.spec);
		if (port && recordedAt(input.before, 'physicalNames', 'loadBalancer') === undefined)
			found.push({
				class: 'internet-facing-load-balancer',
				what: `a new internet-facing load balancer for ${context.address}: ingress ${describeWebOpenings(loadBalancerOpenings(context.stackIngress))} on its security group, forwarding to port ${port.port}`,
			});
		const secretRef = (secret: {secretRef?: unknown}) => (typeof secret.secretRef === 'string' ? secret.secretRef : undefined);
		for (const secret of newItems(input.spec.secrets, input.before?.secrets, secretRef))
			found.push({class: 'secret-access', what: `secret ${secret.secretRef} becomes readable by the tasks of ${context.address}`});
		return [...found, ...newValueFromGrants(input, context)];
	},
	describe(spec) {
		const {cpu, memory} = spec.runtime;
		const autoscaling = spec.autoscaling;
		const count =
			autoscaling?.enabled && autoscaling.maxReplicas !== undefined
				? `${autoscaling.minReplicas}–${autoscaling.maxReplicas} (autoscaling at ${autoscaling.targetCPUUtilization}% CPU)`
				: String(spec.replicas);
		return `${spec.runtime.platform} ${formatVcpu(cpu)} / ${memory} MiB × ${count}, image ${spec.image.repository}:${spec.image.tag}`;
	},
	cost: (spec, context) => microServiceCost(spec, context),

	hasLogs: true,
	allowedByDefault: true,
	typicalCreateSeconds: 180,
	provider: async () => (await import('./microservice-provider.js')).microServiceProvider,
	health: async () => (await import('./microservice/health.js')).microServiceHealth,
	leftovers: async () => (await import('./microservice/leftovers.js')).microServiceLeftovers,
	legacyForms: microServiceLegacyForms,
});

/**
 * The monthly cost: the Fargate tasks all month (the autoscaling minimum when it scales, the
 * maximum noted), the Application Load Balancer's hours when a web port is load balanced (its
 * LCUs from usage), and the logs (usage).
 */
export function microServiceCost(spec: MicroServiceSpec, context: CostContext): CostEstimate {
	const {prices, usage} = context;
	const {cpu, memory} = spec.runtime;
	const autoscaling = spec.autoscaling?.enabled ? spec.autoscaling : undefined;
	const tasks = autoscaling ? autoscaling.minReplicas : spec.replicas;
	const perTask = fargateTaskMonthly(prices, cpu, memory);
	const size = `${formatVcpu(cpu)} / ${memory / 1024} GB`;
	const lines: CostLine[] = [{item: `${tasks} × Fargate task ${size}`, monthly: tasks * perTask}];
	const notes: string[] = [];
	if (autoscaling?.maxReplicas !== undefined && autoscaling.maxReplicas > tasks)
		notes.push(
			`autoscaling ${tasks}–${autoscaling.maxReplicas} tasks: priced at the minimum; ${formatMonthly(autoscaling.maxReplicas * perTask)} of tasks at the maximum`,
		);
	if (loadBalancedPort(spec)) {
		lines.push({item: 'Application Load Balancer hours', monthly: monthlyAtHourly(prices.loadBalancer.hour)});
		const lcus = usageLine(
			`load balancer ${usage?.loadBalancerLcus} LCU on average`,
			usage?.loadBalancerLcus,
			monthlyAtHourly(prices.loadBalancer.lcuHour),
		);
		lines.push(...lcus);
		if (lcus.length === 0) notes.push(`load balancer LCUs: usage-based (${formatRate(prices.loadBalancer.lcuHour)} per LCU-hour)`);
	}
	const logs = logsLines(context);
	return estimateFrom([...lines, ...logs.lines], [...notes, ...logs.notes]);
}
