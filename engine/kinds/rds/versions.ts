/**
 * Engine versions and the parameter group family they select: `postgres15`, `mysql8.0`. Pure.
 */
import type {ModifyDBInstanceCommandInput} from '@aws-sdk/client-rds';
import {ProviderError, type ResourceContext} from '../../providers/provider.js';
import type {RdsEngine, RdsSpec} from '../rds.js';
import {instanceId} from './shared.js';

function versionParts(version: string): string[] {
	return version.split('.');
}

/** The version that selects the parameter group family: `15` (postgres 10+), `9.6`, `8.0` (mysql, mariadb). */
export function majorVersion(engine: RdsEngine, version: string): string {
	const [first = '', second] = versionParts(version);
	if (engine === 'postgres' && Number(first) >= 10) return first;
	if (second === undefined)
		throw new ProviderError(
			`engine.version "${version}": ${engine} versions need major.minor (e.g. ${engine === 'postgres' ? '9.6' : '8.0'}) to choose the parameter group family`,
			'InvalidEngineVersion',
		);
	return `${first}.${second}`;
}

/** `postgres15`, `postgres9.6`, `mysql8.0`, `mariadb10.11`. */
export function parameterGroupFamily(engine: RdsEngine, version: string): string {
	return `${engine}${majorVersion(engine, version)}`;
}

/** Compare `wanted` with `actual` over the parts `wanted` names: `15` matches `15.4`. */
export function compareVersions(wanted: string, actual: string): number {
	const want = versionParts(wanted);
	const have = versionParts(actual);
	for (let i = 0; i < want.length; i++) {
		const [a, b] = [want[i] ?? '', have[i] ?? ''];
		const difference = /^\d+$/.test(a) && /^\d+$/.test(b) ? Number(a) - Number(b) : a.localeCompare(b);
		if (difference !== 0) return Math.sign(difference);
	}
	return 0;
}

/** ModifyDBInstance fields for the engine version, or none when `actual` already is `wanted`. */
export function versionChange(context: ResourceContext, spec: RdsSpec, actual: string | undefined): Partial<ModifyDBInstanceCommandInput> {
	const wanted = spec.engine.version;
	if (!actual) return {};
	const order = compareVersions(wanted, actual);
	if (order === 0) return {};
	if (order < 0)
		throw new ProviderError(
			`DB instance ${instanceId(context)} runs ${spec.engine.type} ${actual}; engine.version ${wanted} would be a downgrade, which RDS cannot do. Set engine.version to ${actual} or later`,
			'VersionDowngrade',
		);
	const major = majorVersion(spec.engine.type, wanted) !== majorVersion(spec.engine.type, actual);
	return {EngineVersion: wanted, ...(major ? {AllowMajorVersionUpgrade: true} : {})};
}
