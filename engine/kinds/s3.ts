/**
 * S3: one bucket with versioning, default encryption, lifecycle rules, CORS and a public access
 * block.
 *
 * Invariants:
 * - The bucket name is derived (always hashed: S3 names are one global namespace), never written.
 * - `cors` is always `{rules}`: a bare list of rules becomes `{rules: [...]}`; methods are
 *   uppercase.
 * - `publicAccessBlock` is always present, every flag defaulting to true; a public ACL with
 *   `blockPublicAcls` is an error rather than a bucket AWS refuses to configure. (New buckets
 *   disable ACLs; for any acl but private the provider sets ObjectOwnership BucketOwnerPreferred.)
 * - Lifecycle rule ids are unique; transitions are in strictly ascending days, STANDARD_IA and
 *   ONEZONE_IA no earlier than day 30, and expiration comes after the last transition.
 */
import {z} from '../zod.js';
import {estimateFrom, formatRate, usageLine} from '../cost/cost-rules.js';
import {alsoAccepts, boolean, dependsOnSchema, integer, tagsSchema} from '../model/fields.js';
import {nameRules, physicalName} from '../resolve/physical-names.js';
import {type Broadening, encryptionTurnedOff, recordedAt} from './broadening.js';
import {encryptionRequired, type PolicyIssue} from './policies.js';
import {arnInOutput, defineKind, type ReaderAccess} from './kind.js';
import {s3LegacyForms} from './s3/legacy-forms.js';
import {addFieldIssue, caseInsensitiveEnum, reportDuplicates} from './spec-rules.js';

export const s3StorageClasses = ['STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER', 'GLACIER_IR', 'DEEP_ARCHIVE'] as const;

const days = () => integer({min: 1});

const lifecycleRuleSchema = z
	.strictObject({
		id: z.string().min(1).max(255),
		enabled: boolean().default(true),
		/** Object key prefix the rule applies to; the whole bucket when absent. */
		prefix: z.string().optional(),
		transitions: z.array(z.strictObject({days: integer({min: 0}), storageClass: caseInsensitiveEnum(s3StorageClasses)})).optional(),
		expiration: z.strictObject({days: days()}).optional(),
		noncurrentVersionExpiration: z.strictObject({days: days()}).optional(),
	})
	.superRefine((rule, ctx) => {
		if (!rule.transitions?.length && !rule.expiration && !rule.noncurrentVersionExpiration)
			addFieldIssue(ctx, [], `lifecycle rule ${rule.id} has no action: add transitions, expiration or noncurrentVersionExpiration`);
		let previous: number | undefined;
		rule.transitions?.forEach((transition, index) => {
			if (previous !== undefined && transition.days <= previous)
				addFieldIssue(ctx, ['transitions', index, 'days'], `transition days must ascend: ${transition.days} comes after ${previous}`);
			if ((transition.storageClass === 'STANDARD_IA' || transition.storageClass === 'ONEZONE_IA') && transition.days < 30)
				addFieldIssue(
					ctx,
					['transitions', index, 'days'],
					`${transition.storageClass} transitions need at least 30 days, not ${transition.days}`,
				);
			previous = transition.days;
		});
		if (rule.expiration && previous !== undefined && rule.expiration.days <= previous)
			addFieldIssue(
				ctx,
				['expiration', 'days'],
				`expiration after ${rule.expiration.days} days comes before the last transition (${previous} days)`,
			);
	});

const corsRuleSchema = z.strictObject({
	allowedOrigins: z.array(z.string().min(1)).min(1),
	allowedMethods: z.array(caseInsensitiveEnum(['GET', 'PUT', 'POST', 'DELETE', 'HEAD'])).min(1),
	allowedHeaders: z.array(z.string().min(1)).optional(),
	exposeHeaders: z.array(z.string().min(1)).optional(),
	maxAgeSeconds: integer({min: 0}).optional(),
});

const corsSchema = alsoAccepts(
	z.preprocess(
		(input) => (Array.isArray(input) ? {rules: input} : input),
		z.strictObject({rules: z.array(corsRuleSchema).min(1).max(100)}),
	),
	z.array(corsRuleSchema).min(1).max(100),
);

const flag = () => boolean().default(true);

export const s3SpecSchema = z
	.strictObject({
		bucket: z
			.strictObject({
				acl: caseInsensitiveEnum([
					'private',
					'public-read',
					'public-read-write',
					'authenticated-read',
					'aws-exec-read',
					'bucket-owner-read',
					'bucket-owner-full-control',
					'log-delivery-write',
				]).default('private'),
				/** Empty the bucket on delete; otherwise deleting a non-empty bucket fails. */
				forceDestroy: boolean().default(false),
			})
			.prefault({}),
		versioning: z.strictObject({enabled: boolean().default(true)}).optional(),
		encryption: z
			.strictObject({
				enabled: boolean().default(true),
				algorithm: caseInsensitiveEnum(['AES256', 'aws:kms'], {'sse-s3': 'AES256', kms: 'aws:kms', 'sse-kms': 'aws:kms'}).default('AES256'),
				kmsKeyId: z.string().min(1).optional(),
			})
			.superRefine((encryption, ctx) => {
				if (encryption.kmsKeyId !== undefined && encryption.algorithm !== 'aws:kms')
					addFieldIssue(ctx, ['kmsKeyId'], 'kmsKeyId needs algorithm aws:kms');
			})
			.optional(),
		lifecycle: z.array(lifecycleRuleSchema).max(1_000).optional(),
		cors: corsSchema.optional(),
		publicAccessBlock: z
			.strictObject({
				blockPublicAcls: flag(),
				ignorePublicAcls: flag(),
				blockPublicPolicy: flag(),
				restrictPublicBuckets: flag(),
			})
			.prefault({}),
		tags: tagsSchema.optional(),
		dependsOn: dependsOnSchema.optional(),
	})
	.superRefine((spec, ctx) => {
		reportDuplicates(
			ctx,
			spec.lifecycle,
			(rule) => rule.id,
			(index) => ['lifecycle', index, 'id'],
			'lifecycle rule id',
		);
		if (isPublicAcl(spec.bucket.acl) && spec.publicAccessBlock.blockPublicAcls)
			addFieldIssue(
				ctx,
				['bucket', 'acl'],
				`acl ${spec.bucket.acl} is blocked by publicAccessBlock.blockPublicAcls; set it to false to allow a public ACL`,
			);
		if (spec.lifecycle?.some((rule) => rule.noncurrentVersionExpiration) && !spec.versioning?.enabled)
			addFieldIssue(ctx, ['versioning'], 'noncurrentVersionExpiration needs versioning.enabled: true');
	});

export type S3Spec = z.output<typeof s3SpecSchema>;

/** An ACL that grants anyone (or any AWS account) access to the bucket. */
export function isPublicAcl(acl: string): boolean {
	return acl.startsWith('public-') || acl === 'authenticated-read';
}

const publicAccessFlags = ['blockPublicAcls', 'ignorePublicAcls', 'blockPublicPolicy', 'restrictPublicBuckets'] as const;

/** The public access block flags the spec turns off. */
export function relaxedPublicAccessFlags(spec: S3Spec): string[] {
	return publicAccessFlags.filter((flag) => !spec.publicAccessBlock[flag]);
}

/** What reading the bucket's name, ARN or domain names grants: object reads and writes, and listing. */
const bucketReadWrite: readonly ReaderAccess[] = [
	{name: 'bucket', actions: ['s3:ListBucket'], resources: arnInOutput('arn')},
	{name: 'objects', actions: ['s3:GetObject', 's3:PutObject'], resources: arnInOutput('arn', ['/*'])},
];

export const s3Kind = defineKind<S3Spec>({
	kind: 'S3',
	summary: 'An S3 bucket with versioning, encryption, lifecycle rules and CORS',
	awsType: 'AWS::S3::Bucket',
	spec: s3SpecSchema,
	outputs: {
		bucketName: {description: 'The bucket name'},
		arn: {description: 'The bucket ARN'},
		domainName: {description: 'The global domain name: {bucket}.s3.amazonaws.com'},
		regionalDomainName: {description: 'The regional domain name: {bucket}.s3.{region}.amazonaws.com'},
	},
	/*
	 * Nothing in the spec forces a replace: the bucket's name and region, the only immutable
	 * properties, come from the identity, and every setting (ACL, versioning, encryption,
	 * lifecycle, CORS, public access block, tags) is its own Put*Bucket* call. Versioning can be
	 * suspended but never removed; the provider maps enabled: false to Suspended.
	 */
	replaceOn: [],
	placement: () => 'none',
	physicalNames: (identity) => ({primary: physicalName(identity, nameRules.s3Bucket)}),
	references: () => [],
	policyIssues(spec, context) {
		const issues = encryptionRequired(spec.encryption, context, 'a bucket');
		if (context.policies.publicBuckets !== 'forbidden') return issues;
		const forbidden = (path: PolicyIssue['path'], what: string): PolicyIssue => ({
			path,
			code: 'policy-public-bucket',
			message: `tenant ${context.tenant} forbids public buckets: ${what}`,
		});
		if (isPublicAcl(spec.bucket.acl)) issues.push(forbidden(['bucket', 'acl'], `acl ${spec.bucket.acl} makes the bucket public`));
		for (const flag of relaxedPublicAccessFlags(spec))
			issues.push(forbidden(['publicAccessBlock', flag], `publicAccessBlock.${flag} must stay true`));
		return issues;
	},
	broadening(input) {
		const {spec, before} = input;
		const found: Broadening[] = [];
		const relaxed = relaxedPublicAccessFlags(spec).filter((flag) => recordedAt(before, 'publicAccessBlock', flag) !== false);
		if (relaxed.length > 0)
			found.push({class: 'public-bucket', what: `S3 public access block relaxed on the bucket: ${relaxed.join(', ')} off`});
		if (isPublicAcl(spec.bucket.acl) && recordedAt(before, 'bucket', 'acl') !== spec.bucket.acl)
			found.push({class: 'public-bucket', what: `public ACL ${spec.bucket.acl} on the bucket`});
		return [...found, ...encryptionTurnedOff(input, spec.encryption?.enabled, 'the bucket')];
	},
	describe(spec) {
		const parts = [`bucket ${spec.bucket.acl}`];
		if (spec.versioning?.enabled) parts.push('versioned');
		if (spec.encryption?.enabled) parts.push(spec.encryption.algorithm);
		if (spec.lifecycle?.length) parts.push(`${spec.lifecycle.length} lifecycle rule${spec.lifecycle.length === 1 ? '' : 's'}`);
		if (spec.cors) parts.push('CORS');
		return parts.join(', ');
	},
	/** Billed by use: storage and requests (usage file). */
	cost(_spec, context) {
		const {s3} = context.prices;
		const usage = context.usage;
		const lines = [
			...usageLine(`${usage?.storageGB} GB stored`, usage?.storageGB, s3.storageGbMonth),
			...usageLine(`${usage?.writeRequestsPerMonth} PUT requests/month`, usage?.writeRequestsPerMonth, s3.putThousand, 1000),
			...usageLine(`${usage?.readRequestsPerMonth} GET requests/month`, usage?.readRequestsPerMonth, s3.getThousand, 1000),
		];
		const notes =
			lines.length > 0 ? [] : [`${formatRate(s3.storageGbMonth)}/GB-month stored, ${formatRate(s3.putThousand)} per 1,000 PUTs`];
		return estimateFrom(lines, notes, {billedByUse: true});
	},
	// A reader of the bucket (any of its names) gets and puts objects and lists the bucket.
	readerAccess: {bucketName: bucketReadWrite, arn: bucketReadWrite, domainName: bucketReadWrite, regionalDomainName: bucketReadWrite},
	holdsData: true,
	allowedByDefault: true,
	typicalCreateSeconds: 3,
	provider: async () => (await import('./s3-provider.js')).s3Provider,
	health: async () => (await import('./s3/health.js')).s3Health,
	leftovers: async () => (await import('./s3/leftovers.js')).s3Leftovers,
	legacyForms: s3LegacyForms,
});
