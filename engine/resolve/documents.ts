/**
 * Which document is this? Every YAML document in a stack folder declares `apiVersion` and `kind`;
 * this module checks that pair before any schema runs, so a typo in either gets one precise
 * diagnostic ("unknown kind Microservice — did you mean MicroService?") instead of a cascade.
 */
import type {Diagnostic} from '../diagnostics.js';
import {componentsApiVersion} from '../kinds/kind.js';
import {kindNames} from '../kinds/registry.js';
import type {SourceDocument} from '../load/yaml-source.js';
import {coreApiVersion} from '../model/stack.js';
import {tenantApiVersion} from '../model/tenant-config.js';
import {didYouMean} from './suggest.js';

export const documentKinds: Readonly<Record<string, readonly string[]>> = {
	[tenantApiVersion]: ['TenantConfig'],
	[coreApiVersion]: ['Stack', 'Service'],
	[componentsApiVersion]: kindNames,
};

/** Kinds the original tool declared that panka does not have, and what to write instead. */
const legacyKinds: Readonly<Record<string, string>> = {
	ComponentInfra:
		"write its settings into the component itself: spec.resources.cpu/memory → the MicroService's spec.runtime.cpu/memory, spec.scaling.replicas → spec.replicas, spec.scaling.autoscaling → spec.autoscaling",
	InfraDefaults: 'networking and defaults come from the tenant config (panka admin tenant show); remove this document',
	Worker: 'write a MicroService without ports, or a Lambda with an sqs trigger',
	CronJob: 'write a Lambda with an eventbridge trigger (schedule: cron(…) or rate(…)), or an EventBridge rule',
};

export type DocumentClass =
	| {ok: true; apiVersion: string; kind: string; value: Record<string, unknown>}
	| {ok: false; diagnostics: Diagnostic[]};

export function classifyDocument(document: SourceDocument): DocumentClass {
	const {value} = document;
	const here = (path: string[], which: 'key' | 'value' = 'value') => {
		const {file, line, column} = document.positionOf(path, which);
		return {file, line, column};
	};
	const fail = (diagnostic: Omit<Diagnostic, 'severity'>): DocumentClass => ({
		ok: false,
		diagnostics: [{severity: 'error', ...diagnostic}],
	});
	if (value === null || typeof value !== 'object' || Array.isArray(value))
		return fail({
			code: 'not-a-mapping',
			message: `a panka document is a mapping with apiVersion, kind, metadata and spec; this one is ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}`,
			...here([]),
		});
	const record = value as Record<string, unknown>;
	const {apiVersion, kind} = record;
	const allKinds = Object.values(documentKinds).flat();
	if (typeof kind !== 'string')
		return fail({
			code: kind === undefined ? 'missing-field' : 'invalid-type',
			message: kind === undefined ? 'missing required field "kind"' : 'kind must be a string',
			...here(kind === undefined ? [] : ['kind']),
			hint: `one of: ${allKinds.join(', ')}`,
		});
	const expectedVersion = Object.entries(documentKinds).find(([, kinds]) => kinds.includes(kind))?.[0];
	if (!expectedVersion)
		return fail({
			code: 'unknown-kind',
			message: `unknown kind "${kind}"${legacyKinds[kind] ? ` (the original tool's; panka has no such kind)` : didYouMean(kind, allKinds)}`,
			...here(['kind']),
			hint: legacyKinds[kind] ?? `panka knows: ${allKinds.join(', ')}`,
		});
	if (apiVersion !== expectedVersion)
		return fail({
			code: apiVersion === undefined ? 'missing-field' : 'unknown-api-version',
			message:
				apiVersion === undefined
					? `missing required field "apiVersion" (${kind} documents use ${expectedVersion})`
					: `apiVersion "${String(apiVersion)}" is wrong for kind ${kind}: expected ${expectedVersion}`,
			...here(apiVersion === undefined ? [] : ['apiVersion']),
			hint: `write: apiVersion: ${expectedVersion}`,
		});
	return {ok: true, apiVersion, kind, value: record};
}
