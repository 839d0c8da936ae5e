/**
 * Deterministic AWS physical names.
 *
 * Invariants:
 * - The same (tenant, stack, env, component, role) always gives the same name, on every machine,
 *   so a resource created just before a crash is found again by name.
 * - Every name fits its AWS service's length and character rules. When the readable form
 *   `{tenant}-{stack}-{env}-{component}[-{role}]` is too long, it is truncated and a short hash of
 *   the full identity is appended, so two long identities never collide after truncation.
 * - Rules with `alwaysHash` (S3 buckets: one global namespace) always carry the hash, salted with the
 *   AWS account when known.
 */
import {createHash} from 'node:crypto';

export interface NameIdentity {
	tenant: string;
	stack: string;
	env: string;
	component: string;
	accountId?: string;
}

export interface PhysicalNameRule {
	/** Longest name AWS accepts for this resource, suffix included. */
	maxLength: number;
	/** Characters AWS accepts; every other character becomes `-`. */
	allowed: RegExp;
	lowercase?: boolean;
	/** Required ending, e.g. `.fifo` for FIFO queues and topics. */
	suffix?: string;
	/** Always append the identity hash (globally unique namespaces such as S3). */
	alwaysHash?: boolean;
	/** Beginnings AWS rejects (`internal-` for load balancers, `sg-` for security groups). */
	forbiddenPrefixes?: readonly string[];
}

export const hashLength = 8;

export function identityHash(identity: NameIdentity, role = ''): string {
	const key = [identity.accountId ?? '', identity.tenant, identity.stack, identity.env, identity.component, role].join('\u0000');
	return createHash('sha256').update(key).digest('hex').slice(0, hashLength);
}

/** The physical name for `identity` (and an optional role such as `alb` or `dlq`) under `rule`. */
export function physicalName(identity: NameIdentity, rule: PhysicalNameRule, role?: string): string {
	const parts = [identity.tenant, identity.stack, identity.env, identity.component, role].filter(Boolean);
	let base = parts.join('-');
	if (rule.lowercase) base = base.toLowerCase();
	base = base.replace(disallowed(rule), '-').replace(/-{2,}/g, '-');
	if (rule.forbiddenPrefixes?.some((prefix) => base.toLowerCase().startsWith(prefix))) base = `p-${base}`;
	const suffix = rule.suffix ?? '';
	const room = rule.maxLength - suffix.length;
	if (!rule.alwaysHash && base.length <= room) return base + suffix;
	const hash = identityHash(identity, role);
	const head = base.slice(0, room - hash.length - 1).replace(/-+$/, '');
	return `${head}-${hash}${suffix}`;
}

const disallowedCache = new WeakMap<RegExp, RegExp>();

/** `/[a-z0-9-]/` → `/[^a-z0-9-]/gu`: every character the rule does not allow. */
function disallowed(rule: PhysicalNameRule): RegExp {
	let negated = disallowedCache.get(rule.allowed);
	if (!negated) {
		const source = rule.allowed.source;
		if (!source.startsWith('[') || !source.endsWith(']')) throw new Error(`name rule ${source} must be one character class`);
		negated = new RegExp(`[^${source.slice(1, -1)}]`, 'gu');
		disallowedCache.set(rule.allowed, negated);
	}
	return negated;
}

/** Name rules of the AWS resources panka creates. */
export const nameRules = {
	s3Bucket: {maxLength: 63, allowed: /[a-z0-9-]/, lowercase: true, alwaysHash: true},
	sqsQueue: {maxLength: 80, allowed: /[A-Za-z0-9_-]/},
	sqsFifoQueue: {maxLength: 80, allowed: /[A-Za-z0-9_-]/, suffix: '.fifo'},
	snsTopic: {maxLength: 256, allowed: /[A-Za-z0-9_-]/},
	snsFifoTopic: {maxLength: 256, allowed: /[A-Za-z0-9_-]/, suffix: '.fifo'},
	dynamodbTable: {maxLength: 255, allowed: /[A-Za-z0-9_.-]/},
	lambdaFunction: {maxLength: 64, allowed: /[A-Za-z0-9_-]/},
	rdsInstance: {maxLength: 63, allowed: /[a-z0-9-]/, lowercase: true},
	ecsCluster: {maxLength: 255, allowed: /[A-Za-z0-9_-]/},
	ecsService: {maxLength: 255, allowed: /[A-Za-z0-9_-]/},
	loadBalancer: {maxLength: 32, allowed: /[A-Za-z0-9-]/, forbiddenPrefixes: ['internal-']},
	targetGroup: {maxLength: 32, allowed: /[A-Za-z0-9-]/},
	iamRole: {maxLength: 64, allowed: /[A-Za-z0-9_+=,.@-]/},
	eventRule: {maxLength: 64, allowed: /[A-Za-z0-9_.-]/},
	securityGroup: {maxLength: 255, allowed: /[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]/, forbiddenPrefixes: ['sg-']},
	dbSubnetGroup: {maxLength: 255, allowed: /[a-z0-9 ._-]/, lowercase: true},
	dbParameterGroup: {maxLength: 255, allowed: /[a-z0-9-]/, lowercase: true},
	logGroup: {maxLength: 512, allowed: /[A-Za-z0-9_\-/.#]/},
	secret: {maxLength: 512, allowed: /[A-Za-z0-9/_+=.@-]/},
} as const satisfies Record<string, PhysicalNameRule>;

/** CloudWatch log group of a component: `/panka/{tenant}/{stack}/{env}/{component}`. */
export function logGroupName(identity: NameIdentity): string {
	return `/panka/${identity.tenant}/${identity.stack}/${identity.env}/${identity.component}`.slice(0, 512);
}
