/**
 * RDS: a single PostgreSQL, MySQL or MariaDB instance in the tenant's private subnets, with its
 * own subnet group, parameter group and security group.
 *
 * Invariants:
 * - `database.port` is always set: the engine's default (5432 for postgres, 3306 for mysql and
 *   mariadb) when not written.
 * - `backup.retentionDays` is always set: 0 exactly when backups are disabled, else 1–35
 *   (default 7). `monitoring.monitoringInterval` is 0 exactly when enhanced monitoring is off
 *   (default 60 when on).
 * - Windows are UTC: `backup.preferredWindow` is `hh:mm-hh:mm`, `maintenance.preferredWindow`
 *   is `ddd:hh:mm-ddd:hh:mm` (days normalised to lowercase); each lasts at least 30 minutes
 *   and the two never overlap.
 * - Storage: `iops` is required for io1/io2, allowed for gp3 from 400 GB, forbidden for gp2;
 *   `maxAllocatedGB` (storage autoscaling) is at least `allocatedGB`.
 * - The master password is never in the spec: `database.passwordSecret.ref` names a secret, in the
 *   tenant's secret namespace (`panka/{tenant}/{ref}`, providers/secret-namespace.ts).
 */
import {z} from '../zod.js';
import {estimateFrom, formatMonthly, monthlyAtHourly} from '../cost/cost-rules.js';
import type {CostContext, CostEstimate, CostLine} from '../cost/cost-types.js';
import {boolean, dependsOnSchema, integer, tagsSchema, text} from '../model/fields.js';
import {scopeSecretRef} from '../providers/secret-namespace.js';
import {nameRules, physicalName} from '../resolve/physical-names.js';
import {defineKind} from './kind.js';
import {rdsLegacyForms} from './rds/legacy-forms.js';
import {outsideAllowed} from './policies.js';
import {addFieldIssue, caseInsensitiveEnum, type IssueSink} from './spec-rules.js';

export const rdsEngines = ['postgres', 'mysql', 'mariadb'] as const;
export type RdsEngine = (typeof rdsEngines)[number];

export const defaultRdsPorts: Readonly<Record<RdsEngine, number>> = {postgres: 5432, mysql: 3306, mariadb: 3306};

/** Longest master user name per engine. */
const maxUsernameLength: Readonly<Record<RdsEngine, number>> = {postgres: 63, mysql: 16, mariadb: 16};
const maxDatabaseNameLength: Readonly<Record<RdsEngine, number>> = {postgres: 63, mysql: 64, mariadb: 64};
const reservedUsernames = new Set(['rdsadmin', 'rdsrepladmin', 'rds_superuser']);

const identifier = /^[A-Za-z][A-Za-z0-9_]*$/;
const dailyWindow = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;
const weekDays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const weeklyWindow = /^([a-z]{3}):([01]\d|2[0-3]):([0-5]\d)-([a-z]{3}):([01]\d|2[0-3]):([0-5]\d)$/;
const minutesPerDay = 24 * 60;
const minutesPerWeek = 7 * minutesPerDay;
const minimumWindowMinutes = 30;

/** A window as [start, end) minutes; end > start (a window past midnight/Sunday ends after the period). */
type Window = [start: number, end: number];

function parseDailyWindow(text: string): Window | undefined {
	const match = dailyWindow.exec(text);
	if (!match) return undefined;
	const [start, end] = [Number(match[1]) * 60 + Number(match[2]), Number(match[3]) * 60 + Number(match[4])];
	return [start, end > start ? end : end + minutesPerDay];
}

function parseWeeklyWindow(text: string): Window | undefined {
	const match = weeklyWindow.exec(text);
	if (!match) return undefined;
	const startDay = weekDays.indexOf(match[1]!);
	const endDay = weekDays.indexOf(match[4]!);
	if (startDay < 0 || endDay < 0) return undefined;
	const start = startDay * minutesPerDay + Number(match[2]) * 60 + Number(match[3]);
	const end = endDay * minutesPerDay + Number(match[5]) * 60 + Number(match[6]);
	return [start, end > start ? end : end + minutesPerWeek];
}

function windowField(what: string, format: string, parse: (text: string) => Window | undefined) {
	return z
		.string()
		.trim()
		.toLowerCase()
		.superRefine((text, ctx) => {
			const window = parse(text);
			if (!window) ctx.addIssue({code: 'custom', message: `${what} "${text}" must be ${format} (UTC)`});
			else if (window[1] - window[0] < minimumWindowMinutes)
				ctx.addIssue({code: 'custom', message: `${what} "${text}" is shorter than ${minimumWindowMinutes} minutes`});
		});
}

/** Whether a daily window overlaps a weekly window on any day of the week. */
function windowsOverlap(daily: Window, weekly: Window): boolean {
	for (let day = -1; day <= 7; day++) {
		const start = daily[0] + day * minutesPerDay;
		const end = daily[1] + day * minutesPerDay;
		for (const shift of [-minutesPerWeek, 0, minutesPerWeek]) if (start < weekly[1] + shift && weekly[0] + shift < end) return true;
	}
	return false;
}

const storageSchema = z.strictObject({
	type: caseInsensitiveEnum(['gp2', 'gp3', 'io1', 'io2']).default('gp3'),
	allocatedGB: integer({min: 20, max: 65_536}).default(20),
	/** Storage autoscaling ceiling. */
	maxAllocatedGB: integer({min: 20, max: 65_536}).optional(),
	iops: integer({min: 1_000, max: 256_000}).optional(),
});

const monitoringIntervals = [0, 1, 5, 10, 15, 30, 60] as const;

export const rdsSpecSchema = z
	.strictObject({
		engine: z.strictObject({
			type: caseInsensitiveEnum(rdsEngines),
			version: text().pipe(z.string().regex(/^\d[0-9A-Za-z._-]*$/, {error: 'engine.version is a version such as "15" or "8.0.35"'})),
			parameters: z.record(z.string().min(1), text()).optional(),
		}),
		instance: z.strictObject({
			class: z.string().regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, {error: 'instance.class is an RDS class such as db.t3.medium'}),
			storage: storageSchema.prefault({}),
			multiAZ: boolean().default(false),
		}),
		database: z.strictObject({
			name: z.string().regex(identifier, {error: 'database.name starts with a letter; letters, digits and underscores'}),
			username: z.string().regex(identifier, {error: 'database.username starts with a letter; letters, digits and underscores'}),
			passwordSecret: z.strictObject({
				ref: z.string().min(1, {error: 'passwordSecret.ref names the secret holding the master password'}),
			}),
			port: integer({min: 1_150, max: 65_535}).optional(),
		}),
		backup: z
			.strictObject({
				enabled: boolean().default(true),
				retentionDays: integer({min: 0, max: 35}).optional(),
				preferredWindow: windowField('backup.preferredWindow', 'hh:mm-hh:mm', parseDailyWindow).optional(),
			})
			.prefault({}),
		maintenance: z
			.strictObject({
				preferredWindow: windowField(
					'maintenance.preferredWindow',
					'ddd:hh:mm-ddd:hh:mm, e.g. sun:04:00-sun:05:00',
					parseWeeklyWindow,
				).optional(),
				autoMinorVersionUpgrade: boolean().default(true),
			})
			.optional(),
		monitoring: z
			.strictObject({
				enhancedMonitoring: boolean().default(false),
				monitoringInterval: integer()
					.pipe(z.literal(monitoringIntervals, {error: `monitoringInterval is one of ${monitoringIntervals.join(', ')} seconds`}))
					.optional(),
			})
			.optional(),
		deletionProtection: boolean().optional(),
		tags: tagsSchema.optional(),
		dependsOn: dependsOnSchema.optional(),
	})
	.superRefine((spec, ctx) => {
		checkStorage(spec.instance.storage, ctx);
		checkDatabase(spec.engine.type, spec.database, ctx);
		const {backup, maintenance, monitoring} = spec;
		if (backup.enabled && backup.retentionDays === 0)
			addFieldIssue(ctx, ['backup', 'retentionDays'], 'retentionDays 0 turns backups off; set backup.enabled: false');
		if (!backup.enabled && backup.retentionDays)
			addFieldIssue(ctx, ['backup', 'retentionDays'], 'retentionDays is set but backup.enabled is false');
		if (backup.preferredWindow && maintenance?.preferredWindow) {
			const daily = parseDailyWindow(backup.preferredWindow)!;
			const weekly = parseWeeklyWindow(maintenance.preferredWindow)!;
			if (windowsOverlap(daily, weekly))
				addFieldIssue(
					ctx,
					['backup', 'preferredWindow'],
					`backup window ${backup.preferredWindow} overlaps the maintenance window ${maintenance.preferredWindow}`,
				);
		}
		if (monitoring) {
			const interval = monitoring.monitoringInterval;
			if (monitoring.enhancedMonitoring && interval === 0)
				addFieldIssue(ctx, ['monitoring', 'monitoringInterval'], 'enhanced monitoring needs an interval of 1–60 seconds');
			if (!monitoring.enhancedMonitoring && interval !== undefined && interval !== 0)
				addFieldIssue(ctx, ['monitoring', 'monitoringInterval'], 'monitoringInterval is set but enhancedMonitoring is false');
		}
	})
	.transform((spec) => ({
		...spec,
		database: {...spec.database, port: spec.database.port ?? defaultRdsPorts[spec.engine.type]},
		backup: {...spec.backup, retentionDays: spec.backup.enabled ? (spec.backup.retentionDays ?? 7) : 0},
		monitoring: spec.monitoring && {
			...spec.monitoring,
			monitoringInterval: spec.monitoring.monitoringInterval ?? (spec.monitoring.enhancedMonitoring ? 60 : 0),
		},
	}));

function checkStorage(storage: z.output<typeof storageSchema>, ctx: IssueSink): void {
	const at = (field: string) => ['instance', 'storage', field];
	if (storage.maxAllocatedGB !== undefined && storage.maxAllocatedGB < storage.allocatedGB)
		addFieldIssue(ctx, at('maxAllocatedGB'), `maxAllocatedGB ${storage.maxAllocatedGB} is less than allocatedGB ${storage.allocatedGB}`);
	const provisioned = storage.type === 'io1' || storage.type === 'io2';
	if (provisioned && storage.iops === undefined) addFieldIssue(ctx, at('iops'), `${storage.type} storage needs iops`);
	if (provisioned && storage.allocatedGB < 100)
		addFieldIssue(ctx, at('allocatedGB'), `${storage.type} storage needs allocatedGB of at least 100`);
	if (storage.type === 'gp2' && storage.iops !== undefined)
		addFieldIssue(ctx, at('iops'), 'gp2 storage has no provisioned iops; use gp3, io1 or io2');
	if (storage.type === 'gp3' && storage.iops !== undefined && storage.allocatedGB < 400)
		addFieldIssue(ctx, at('iops'), 'gp3 iops can be set from 400 GB of storage; below that it is fixed at 3000');
}

function checkDatabase(engine: RdsEngine, database: {name: string; username: string}, ctx: IssueSink): void {
	if (database.name.length > maxDatabaseNameLength[engine])
		addFieldIssue(ctx, ['database', 'name'], `${engine} database names are at most ${maxDatabaseNameLength[engine]} characters`);
	const username = database.username;
	if (username.length > maxUsernameLength[engine])
		addFieldIssue(ctx, ['database', 'username'], `${engine} user names are at most ${maxUsernameLength[engine]} characters`);
	if (reservedUsernames.has(username.toLowerCase()) || (engine === 'postgres' && username.toLowerCase().startsWith('pg_')))
		addFieldIssue(ctx, ['database', 'username'], `database.username "${username}" is reserved by ${engine} on RDS`);
}

export type RdsSpec = z.output<typeof rdsSpecSchema>;

export const rdsKind = defineKind<RdsSpec>({
	kind: 'RDS',
	summary: 'An RDS database instance (PostgreSQL, MySQL or MariaDB) in the private subnets',
	awsType: 'AWS::RDS::DBInstance',
	spec: rdsSpecSchema,
	outputs: {
		endpoint: {description: 'The host name to connect to'},
		port: {description: 'The port the database listens on'},
		arn: {description: 'The DB instance ARN'},
		databaseName: {description: 'The name of the database created with the instance'},
		secretArn: {description: 'The ARN of the Secrets Manager secret holding the master password (never its value)'},
	},
	/*
	 * RDS cannot change an instance's engine (moving between engines is a dump and restore), and
	 * the initial database name and the master user name are set only at creation. Everything else
	 * is ModifyDBInstance: class, version upgrades, storage type (gp2 → gp3 in place), size, iops,
	 * Multi-AZ, port, windows, monitoring. Shrinking allocatedGB or downgrading the version is not
	 * possible on AWS at all, neither in place nor by a replace that keeps the data: the planner
	 * reports those as errors instead of planning a replace.
	 */
	replaceOn: ['engine.type', 'database.name', 'database.username'],
	placement: () => 'private-subnets',
	physicalNames(identity, spec) {
		const names: {primary: string} & Record<string, string> = {
			primary: physicalName(identity, nameRules.rdsInstance),
			subnetGroup: physicalName(identity, nameRules.dbSubnetGroup),
			parameterGroup: physicalName(identity, nameRules.dbParameterGroup),
			securityGroup: physicalName(identity, nameRules.securityGroup, 'db'),
		};
		if (spec.monitoring?.enhancedMonitoring) names.monitoringRole = physicalName(identity, nameRules.iamRole, 'monitoring');
		return names;
	},
	references: () => [],
	policyIssues: (spec, context) =>
		outsideAllowed(spec.instance.class, context.policies.rdsInstanceClasses, {
			path: ['instance', 'class'],
			code: 'policy-rds-instance-class',
			what: 'RDS instance class',
			tenant: context.tenant,
		}),
	secretReferences: (spec) => [{path: ['database', 'passwordSecret', 'ref'], ref: spec.database.passwordSecret.ref, accepts: 'secret'}],
	describe(spec) {
		const {storage} = spec.instance;
		const autoscale = storage.maxAllocatedGB === undefined ? '' : ` (up to ${storage.maxAllocatedGB} GB)`;
		const multiAZ = spec.instance.multiAZ ? ', multi-AZ' : '';
		const backups = spec.backup.enabled ? `backups ${spec.backup.retentionDays} days` : 'no backups';
		return `${spec.engine.type} ${spec.engine.version} ${spec.instance.class}, ${storage.allocatedGB} GB ${storage.type}${autoscale}${multiAZ}, ${backups}`;
	},
	cost: (spec, context) => rdsCost(spec, context),

	/*
	 * Every replace deletes the instance (the planner's reasons say which field forced it), so the
	 * data-loss warning is unconditional. A storage decrease cannot be seen from the spec alone: the
	 * provider refuses it (StorageCannotShrink) before changing anything.
	 */
	planNotes(spec, action, {tenant}) {
		const notes: string[] = [];
		if (action === 'replace') notes.push('replacing the database deletes its data; take a snapshot first');
		if (action === 'create' || action === 'replace') {
			// The name it has in the tenant's secret namespace (a stack deployed by 0.1 keeps its bare-named secret).
			const ref = spec.database.passwordSecret.ref;
			const scope = scopeSecretRef(ref, {tenant}, 'secret');
			const name = scope.ok && scope.service === 'secretsmanager' ? (scope.name ?? ref) : ref;
			notes.push(`will generate secret ${name} if missing (a random password, never shown)`);
		}
		return notes;
	},
	holdsData: true,
	allowedByDefault: true,
	typicalCreateSeconds: 600,
	provider: async () => (await import('./rds-provider.js')).rdsProvider,
	health: async () => (await import('./rds/health.js')).rdsHealth,
	leftovers: async () => (await import('./rds/leftovers.js')).rdsLeftovers,
	legacyForms: rdsLegacyForms,
});

/** gp3 includes 3,000 IOPS, 12,000 from 400 GB (RDS for PostgreSQL, MySQL and MariaDB). */
export function gp3IncludedIops(allocatedGB: number): number {
	return allocatedGB >= 400 ? 12_000 : 3_000;
}

/**
 * The monthly cost: instance hours by engine and class, storage by type and size, provisioned
 * IOPS (io1/io2, or gp3 above its included baseline), all twice for Multi-AZ (the standby is
 * billed like the primary), and the master password's Secrets Manager secret. Backup storage up
 * to the database's size is free; beyond that it is usage and not estimated.
 */
export function rdsCost(spec: RdsSpec, {prices}: CostContext): CostEstimate {
	const {class: instanceClass, multiAZ, storage} = spec.instance;
	const copies = multiAZ ? 2 : 1;
	const deployment = multiAZ ? 'Multi-AZ' : 'Single-AZ';
	const lines: CostLine[] = [];
	const unpriced: string[] = [];
	const hourly = prices.rds.instanceHour[spec.engine.type][instanceClass];
	if (hourly === undefined) unpriced.push(`instance ${instanceClass} (${spec.engine.type})`);
	else lines.push({item: `${instanceClass} ${spec.engine.type} ${deployment}`, monthly: copies * monthlyAtHourly(hourly)});
	lines.push({
		item: `${storage.allocatedGB} GB ${storage.type} storage${multiAZ ? ' × 2 (Multi-AZ)' : ''}`,
		monthly: copies * storage.allocatedGB * prices.rds.storageGbMonth[storage.type],
	});
	const billedIops =
		storage.type === 'gp2' || storage.iops === undefined
			? 0
			: storage.type === 'gp3'
				? Math.max(0, storage.iops - gp3IncludedIops(storage.allocatedGB))
				: storage.iops;
	if (billedIops > 0 && storage.type !== 'gp2')
		lines.push({
			item: `${billedIops} provisioned IOPS (${storage.type})${multiAZ ? ' × 2' : ''}`,
			monthly: copies * billedIops * prices.rds.iopsMonth[storage.type],
		});
	lines.push({item: 'Secrets Manager secret (master password)', monthly: prices.secretsManager.secretMonth});
	const notes: string[] = [];
	if (storage.maxAllocatedGB !== undefined && storage.maxAllocatedGB > storage.allocatedGB)
		notes.push(
			`storage autoscaling up to ${storage.maxAllocatedGB} GB: ${formatMonthly(copies * storage.maxAllocatedGB * prices.rds.storageGbMonth[storage.type])} of storage at the maximum`,
		);
	return estimateFrom(lines, notes, {unpriced});
}
