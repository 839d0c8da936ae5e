/**
 * Deterministic AWS physical names.
 *
 * Invariants:
 * - The same (tenant, stack, env, component, role) always gives the same name, on every machine,
 *   so a resource created just before a crash is found again by name.
 * - Injective: two different identities never get the same name. The readable form
 *   `{tenant}-{stack}-{env}-{component}[-{role}]` is used as it is only when every part is plain
 *   letters and digits (then the hyphens can be split back into exactly those parts); when any
 *   part holds a hyphen (or anything else that could read as a separator), a short hash of the
 *   whole identity is appended: `acme-shop-prod2-orders-q-1f0c…` and `acme-shop-prod2-orders-q`
 *   (tenant acme-shop) are different names, and so are component `x-dlq` and the `dlq` role of `x`.
 * - Every name fits its AWS service's length and character rules. When the readable form is too
 *   long, it is truncated and the hash appended, so two long identities never collide either.
 * - Rules with `alwaysHash` (S3 buckets: one global namespace) always carry the hash, salted with
 *   the AWS account when known; other names are unique within an account, so their hash is not.
 * - `naming: 'legacy'` gives the names panka 0.1 computed (readable unless too long, account in
 *   the truncation hash). They are never used for new resources: they tell a name recorded by
 *   an older panka from a name that changed for another reason (names-in-use.ts).
 */
import {createHash} from 'node:crypto';

export interface NameIdentity {
	tenant: string;
	stack: string;
	env: string;
	component: string;
	accountId?: string;
	/** `legacy`: the naming of panka 0.1, for recognising names recorded by it (see the header). */
	naming?: 'legacy';
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

/** A hash of the identity and role; the AWS account is part of it only when `withAccount`. */
export function identityHash(identity: NameIdentity, role = '', withAccount = true): string {
	const account = withAccount ? (identity.accountId ?? '') : '';
	const key = [account, identity.tenant, identity.stack, identity.env, identity.component, role].join('\u0000');
	return createHash('sha256').update(key).digest('hex').slice(0, hashLength);
}

/** A part that could read as (or become) a separator once joined: anything but letters and digits. */
const ambiguousPart = /[^a-z0-9]/;

/** The physical name for `identity` (and an optional role such as `alb` or `dlq`) under `rule`. */
export function physicalName(identity: NameIdentity, rule: PhysicalNameRule, role?: string): string {
	const parts = [identity.tenant, identity.stack, identity.env, identity.component, role].filter(Boolean) as string[];
	const legacy = identity.naming === 'legacy';
	let base = parts.join('-');
	if (rule.lowercase) base = base.toLowerCase();
	base = base.replace(disallowed(rule), '-').replace(/-{2,}/g, '-');
	if (rule.forbiddenPrefixes?.some((prefix) => base.toLowerCase().startsWith(prefix))) base = `p-${base}`;
	const suffix = rule.suffix ?? '';
	const room = rule.maxLength - suffix.length;
	const ambiguous = !legacy && parts.some((part) => ambiguousPart.test(part));
	if (!rule.alwaysHash && !ambiguous && base.length <= room) return base + suffix;
	const hash = identityHash(identity, role, legacy || rule.alwaysHash === true);
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
