import {describe, expect, it} from 'vitest';
import {forcesReplace} from '../../../engine/kinds/kind.js';
import {rdsKind, rdsSpecSchema as schema} from '../../../engine/kinds/rds.js';
import {identity, issueAt, longIdentity, parseOk} from './kind-test-helpers.js';

/** The original tool's documented api-db example, after ${VAR} interpolation. */
const seedApiDb = {
	engine: {type: 'postgres', version: '15', parameters: {max_connections: '200'}},
	instance: {class: 'db.t3.medium', storage: {type: 'gp3', allocatedGB: 100, maxAllocatedGB: 500}, multiAZ: true},
	database: {name: 'notifications', username: 'dbadmin', passwordSecret: {ref: 'production/api/db-password'}, port: 5432},
	backup: {enabled: true, retentionDays: 7, preferredWindow: '03:00-04:00'},
};

const minimal = {
	engine: {type: 'mysql', version: '8.0.35'},
	instance: {class: 'db.t4g.micro'},
	database: {name: 'app', username: 'app_user', passwordSecret: {ref: 'db/password'}},
};
const edit = (change: (spec: typeof minimal & Record<string, unknown>) => void) => {
	const copy = structuredClone(minimal) as typeof minimal & Record<string, unknown>;
	change(copy);
	return copy;
};

describe('RDS spec', () => {
	it('parses the seed example', () => {
		const spec = parseOk(schema, seedApiDb);
		expect(spec.engine).toEqual({type: 'postgres', version: '15', parameters: {max_connections: '200'}});
		expect(spec.instance.storage).toEqual({type: 'gp3', allocatedGB: 100, maxAllocatedGB: 500});
		expect(spec.backup).toEqual({enabled: true, retentionDays: 7, preferredWindow: '03:00-04:00'});
	});

	it('applies defaults: gp3 20 GB, single AZ, 7 days of backups, the engine port', () => {
		const spec = parseOk(schema, minimal);
		expect(spec.instance).toEqual({class: 'db.t4g.micro', storage: {type: 'gp3', allocatedGB: 20}, multiAZ: false});
		expect(spec.backup).toEqual({enabled: true, retentionDays: 7});
		expect(spec.database.port).toBe(3306);
		expect(parseOk(schema, {...seedApiDb, database: {...seedApiDb.database, port: undefined}}).database.port).toBe(5432);
		expect(
			parseOk(
				schema,
				edit((s) => (s.engine.type = 'MariaDB')),
			).engine.type,
		).toBe('mariadb');
	});

	it('turns a numeric version and parameter values into text', () => {
		const spec = parseOk(
			schema,
			edit((s) => Object.assign(s.engine, {version: 16, parameters: {max_connections: 200}})),
		);
		expect(spec.engine.version).toBe('16');
		expect(spec.engine.parameters).toEqual({max_connections: '200'});
	});

	it('rejects other engines, malformed classes and unknown keys', () => {
		expect(
			issueAt(
				schema,
				edit((s) => (s.engine.type = 'oracle-ee')),
				'engine.type',
			).code,
		).toBe('invalid_value');
		expect(
			issueAt(
				schema,
				edit((s) => (s.instance.class = 't3.medium')),
				'instance.class',
			).message,
		).toMatch(/db\.t3\.medium/);
		expect(
			issueAt(
				schema,
				edit((s) => Object.assign(s.instance, {size: 'large'})),
				'instance',
			),
		).toMatchObject({
			code: 'unrecognized_keys',
			keys: ['size'],
		});
		expect(
			issueAt(
				schema,
				edit((s) => (s.password = 'hunter2')),
				'',
			).code,
		).toBe('unrecognized_keys');
	});

	describe('storage', () => {
		const storage = (value: Record<string, unknown>) => edit((s) => Object.assign(s.instance, {storage: value}));

		it('accepts numeric strings and bounds the size', () => {
			expect(parseOk(schema, storage({allocatedGB: '50'})).instance.storage.allocatedGB).toBe(50);
			expect(issueAt(schema, storage({allocatedGB: 10}), 'instance.storage.allocatedGB').code).toBe('too_small');
		});

		it('keeps maxAllocatedGB at or above allocatedGB', () => {
			expect(issueAt(schema, storage({allocatedGB: 100, maxAllocatedGB: 50}), 'instance.storage.maxAllocatedGB').message).toBe(
				'maxAllocatedGB 50 is less than allocatedGB 100',
			);
		});

		it('requires iops for io1/io2, allows them for gp3 from 400 GB, forbids them for gp2', () => {
			expect(issueAt(schema, storage({type: 'io1', allocatedGB: 100}), 'instance.storage.iops').message).toBe('io1 storage needs iops');
			expect(issueAt(schema, storage({type: 'io2', allocatedGB: 20, iops: 3000}), 'instance.storage.allocatedGB').message).toBe(
				'io2 storage needs allocatedGB of at least 100',
			);
			expect(issueAt(schema, storage({type: 'gp2', iops: 3000}), 'instance.storage.iops').message).toMatch(/gp2 storage has no/);
			expect(issueAt(schema, storage({type: 'gp3', iops: 12000}), 'instance.storage.iops').message).toMatch(/from 400 GB/);
			parseOk(schema, storage({type: 'gp3', allocatedGB: 400, iops: 12000}));
			parseOk(schema, storage({type: 'io1', allocatedGB: 100, iops: 1000}));
		});
	});

	describe('database', () => {
		it('checks identifiers and engine-specific lengths', () => {
			expect(
				issueAt(
					schema,
					edit((s) => (s.database.name = '1app')),
					'database.name',
				).code,
			).toBe('invalid_format');
			expect(
				issueAt(
					schema,
					edit((s) => (s.database.username = 'a_very_long_user_name')),
					'database.username',
				).message,
			).toBe('mysql user names are at most 16 characters');
		});

		it('rejects user names RDS reserves', () => {
			expect(
				issueAt(
					schema,
					edit((s) => (s.database.username = 'rdsadmin')),
					'database.username',
				).message,
			).toBe('database.username "rdsadmin" is reserved by mysql on RDS');
			const postgres = edit((s) => {
				s.engine.type = 'postgres';
				s.database.username = 'pg_admin';
			});
			expect(issueAt(schema, postgres, 'database.username').message).toMatch(/reserved by postgres/);
		});

		it('requires the password as a secret reference', () => {
			expect(
				issueAt(
					schema,
					edit((s) => Object.assign(s.database, {passwordSecret: undefined})),
					'database.passwordSecret',
				).code,
			).toBe('invalid_type');
		});

		it('keeps the port in the RDS range', () => {
			expect(
				issueAt(
					schema,
					edit((s) => Object.assign(s.database, {port: 80})),
					'database.port',
				).code,
			).toBe('too_small');
		});
	});

	describe('backup and maintenance', () => {
		it('sets retentionDays to 0 when backups are disabled, and rejects contradictions', () => {
			expect(
				parseOk(
					schema,
					edit((s) => (s.backup = {enabled: false})),
				).backup,
			).toEqual({enabled: false, retentionDays: 0});
			expect(
				issueAt(
					schema,
					edit((s) => (s.backup = {retentionDays: 0})),
					'backup.retentionDays',
				).message,
			).toMatch(/set backup.enabled: false/);
			expect(
				issueAt(
					schema,
					edit((s) => (s.backup = {enabled: false, retentionDays: 7})),
					'backup.retentionDays',
				).message,
			).toBe('retentionDays is set but backup.enabled is false');
			expect(
				issueAt(
					schema,
					edit((s) => (s.backup = {retentionDays: 36})),
					'backup.retentionDays',
				).code,
			).toBe('too_big');
		});

		it('checks window formats and lengths, lowercasing days', () => {
			expect(
				issueAt(
					schema,
					edit((s) => (s.backup = {preferredWindow: '3am-4am'})),
					'backup.preferredWindow',
				).message,
			).toBe('backup.preferredWindow "3am-4am" must be hh:mm-hh:mm (UTC)');
			expect(
				issueAt(
					schema,
					edit((s) => (s.backup = {preferredWindow: '03:00-03:15'})),
					'backup.preferredWindow',
				).message,
			).toMatch(/shorter than 30 minutes/);
			const spec = parseOk(
				schema,
				edit((s) => (s.maintenance = {preferredWindow: 'Sun:04:00-Sun:05:00'})),
			);
			expect(spec.maintenance).toEqual({preferredWindow: 'sun:04:00-sun:05:00', autoMinorVersionUpgrade: true});
			expect(
				issueAt(
					schema,
					edit((s) => (s.maintenance = {preferredWindow: 'xyz:04:00-sun:05:00'})),
					'maintenance.preferredWindow',
				).code,
			).toBe('custom');
		});

		it('accepts windows across midnight', () => {
			parseOk(
				schema,
				edit((s) => (s.backup = {preferredWindow: '23:30-00:30'})),
			);
			parseOk(
				schema,
				edit((s) => (s.maintenance = {preferredWindow: 'sun:23:00-mon:01:00'})),
			);
		});

		it('keeps the backup window out of the maintenance window', () => {
			const overlapping = edit((s) => {
				s.backup = {preferredWindow: '03:00-04:00'};
				s.maintenance = {preferredWindow: 'wed:03:30-wed:04:30'};
			});
			expect(issueAt(schema, overlapping, 'backup.preferredWindow').message).toBe(
				'backup window 03:00-04:00 overlaps the maintenance window wed:03:30-wed:04:30',
			);
			const acrossMidnight = edit((s) => {
				s.backup = {preferredWindow: '23:30-00:30'};
				s.maintenance = {preferredWindow: 'mon:00:00-mon:01:00'};
			});
			expect(issueAt(schema, acrossMidnight, 'backup.preferredWindow').code).toBe('custom');
			parseOk(
				schema,
				edit((s) => {
					s.backup = {preferredWindow: '03:00-04:00'};
					s.maintenance = {preferredWindow: 'sun:04:00-sun:05:00'};
				}),
			);
		});
	});

	describe('monitoring', () => {
		it('defaults the interval to 60 with enhanced monitoring and 0 without', () => {
			expect(
				parseOk(
					schema,
					edit((s) => (s.monitoring = {enhancedMonitoring: true})),
				).monitoring,
			).toEqual({
				enhancedMonitoring: true,
				monitoringInterval: 60,
			});
			expect(
				parseOk(
					schema,
					edit((s) => (s.monitoring = {})),
				).monitoring?.monitoringInterval,
			).toBe(0);
		});

		it('takes only the intervals RDS offers, consistent with the switch', () => {
			expect(
				issueAt(
					schema,
					edit((s) => (s.monitoring = {enhancedMonitoring: true, monitoringInterval: 2})),
					'monitoring.monitoringInterval',
				).message,
			).toBe('monitoringInterval is one of 0, 1, 5, 10, 15, 30, 60 seconds');
			expect(
				parseOk(
					schema,
					edit((s) => (s.monitoring = {enhancedMonitoring: 'true', monitoringInterval: '15'})),
				).monitoring,
			).toEqual({
				enhancedMonitoring: true,
				monitoringInterval: 15,
			});
			expect(
				issueAt(
					schema,
					edit((s) => (s.monitoring = {enhancedMonitoring: true, monitoringInterval: 0})),
					'monitoring.monitoringInterval',
				).message,
			).toMatch(/needs an interval/);
			expect(
				issueAt(
					schema,
					edit((s) => (s.monitoring = {monitoringInterval: 30})),
					'monitoring.monitoringInterval',
				).message,
			).toBe('monitoringInterval is set but enhancedMonitoring is false');
		});
	});

	it('reads the same after parsing twice', () => {
		const once = parseOk(schema, {...seedApiDb, monitoring: {enhancedMonitoring: true}, backup: {enabled: false}});
		expect(parseOk(schema, once)).toEqual(once);
	});
});

describe('RDS kind', () => {
	const spec = parseOk(schema, seedApiDb);

	it('declares its outputs', () => {
		expect(Object.keys(rdsKind.outputs).sort()).toEqual(['arn', 'databaseName', 'endpoint', 'port', 'secretArn']);
	});

	it('replaces on a change of engine, database name or master user, and nothing else', () => {
		expect(rdsKind.replaceOn).toEqual(['engine.type', 'database.name', 'database.username']);
		expect(forcesReplace(rdsKind.replaceOn, 'engine.version')).toBeUndefined();
		expect(forcesReplace(rdsKind.replaceOn, 'instance.storage.type')).toBeUndefined();
		expect(forcesReplace(rdsKind.replaceOn, 'database.passwordSecret.ref')).toBeUndefined();
	});

	it('runs in the private subnets', () => {
		expect(rdsKind.placement(spec)).toBe('private-subnets');
	});

	it('names the instance and its groups', () => {
		expect(rdsKind.physicalNames(identity, spec)).toEqual({
			primary: 'acme-shop-prod-api',
			subnetGroup: 'acme-shop-prod-api',
			parameterGroup: 'acme-shop-prod-api',
			securityGroup: 'acme-shop-prod-api-db',
		});
		const monitored = parseOk(schema, {...seedApiDb, monitoring: {enhancedMonitoring: true}});
		expect(rdsKind.physicalNames(identity, monitored).monitoringRole).toBe('acme-shop-prod-api-monitoring');
	});

	it('keeps the instance identifier valid for a very long identity', () => {
		const names = rdsKind.physicalNames(longIdentity, spec);
		expect(names.primary.length).toBeLessThanOrEqual(63);
		expect(names.primary).toMatch(/^[a-z][a-z0-9-]*[a-z0-9]$/);
		expect(names.primary).not.toContain('--');
		expect(names.subnetGroup!.length).toBeLessThanOrEqual(255);
		expect(names.parameterGroup!.length).toBeLessThanOrEqual(255);
		expect(names.parameterGroup).toMatch(/^[a-z][a-z0-9-]*[a-z0-9]$/);
		expect(names.securityGroup!.length).toBeLessThanOrEqual(255);
	});

	it('has no kind-specific references', () => {
		expect(rdsKind.references(spec)).toEqual([]);
	});

	it('describes engine, class, storage and backups', () => {
		expect(rdsKind.describe(spec)).toBe('postgres 15 db.t3.medium, 100 GB gp3 (up to 500 GB), multi-AZ, backups 7 days');
	});
});
