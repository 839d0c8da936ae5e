/**
 * Environments: which one a run resolves for, and what it changes.
 *
 * - A stack that declares `spec.environments` deploys to those only: an `--env` (or a
 *   `labels.environment`) it does not declare is an error listing them, with a did-you-mean. Without
 *   `--env` the run uses `labels.environment`, else the first declared environment.
 * - A stack that declares none keeps one environment: `--env`, else `labels.environment`, else `default`.
 * - A component's `environments: {<env>: {…spec fields…}}` block is merged over its spec for that
 *   environment (objects field by field, scalars and lists replaced) before interpolation and
 *   validation; every merged leaf remembers that it came from the override, so diagnostics and the
 *   values' origins point at the override's line and name the environment.
 *
 * Variable precedence (highest first): `--var` > `PANKA_VAR_*` > environment > service > stack > `${VAR:-default}`.
 */
import type {PathSegment, SourceDocument} from '../load/yaml-source.js';
import type {EnvironmentSettings, StackDocument} from '../model/stack.js';
import {pathKey} from './interpolate.js';
import {didYouMean} from './suggest.js';

/** The environments a stack declares, in file order (empty: the stack declares none). */
export function declaredEnvironments(stack: StackDocument | undefined): string[] {
	return Object.keys(stack?.spec.environments ?? {});
}

/** The settings of a declared environment; undefined when the stack declares none or not this one. */
export function environmentSettings(stack: StackDocument | undefined, environment: string): EnvironmentSettings | undefined {
	const declared = stack?.spec.environments;
	return declared && Object.hasOwn(declared, environment) ? declared[environment] : undefined;
}

/** The environment a run uses when `--env` is not given. */
export function defaultEnvironment(stack: StackDocument | undefined, labels: Readonly<Record<string, string>>): string {
	return labels.environment ?? declaredEnvironments(stack)[0] ?? 'default';
}

/** Why `environment` cannot be used with this stack (message and hint), or undefined when it can. */
export function undeclaredEnvironment(stack: StackDocument | undefined, environment: string): {message: string; hint: string} | undefined {
	const declared = declaredEnvironments(stack);
	if (declared.length === 0 || declared.includes(environment)) return undefined;
	return {
		message: `environment "${environment}" is not declared in stack.yaml${didYouMean(environment, declared)}`,
		hint: `declared environments: ${declared.join(', ')} (spec.environments of stack.yaml)`,
	};
}

/** How every view names an environment: `production [protected]` when it is protected. */
export function environmentLabel(environment: string, isProtected: boolean | undefined): string {
	return isProtected ? `${environment} [protected]` : environment;
}

/** A component's spec for one environment, and which of its paths the environment's override wrote. */
export interface EnvironmentSpec {
	spec: unknown;
	/** The environment whose override was merged; undefined when the component has none for it. */
	environment?: string;
	/** pathKeys (from `['spec', …]`) of the leaves the override wrote. */
	overridden: ReadonlySet<string>;
}

/** `spec` with the component's override for `environment` merged over it. */
export function withEnvironmentOverride(spec: unknown, overrides: unknown, environment: string): EnvironmentSpec {
	const override = isRecord(overrides) && Object.hasOwn(overrides, environment) ? overrides[environment] : undefined;
	if (!isRecord(override)) return {spec, overridden: new Set()};
	const overridden = new Set<string>();
	const merge = (base: unknown, top: unknown, path: PathSegment[]): unknown => {
		if (isRecord(base) && isRecord(top)) {
			const out: Record<string, unknown> = {...base};
			for (const [key, value] of Object.entries(top)) out[key] = merge(base[key], value, [...path, key]);
			return out;
		}
		overridden.add(pathKey(path));
		return top;
	};
	return {spec: merge(spec, override, ['spec']), environment, overridden};
}

/**
 * Where a path of a component's resolved spec is written in its document: under
 * `environments.<env>` when the override wrote it (or an object or list above it), else itself.
 */
export function sourcePath(path: readonly PathSegment[], override: Pick<EnvironmentSpec, 'environment' | 'overridden'>): PathSegment[] {
	if (override.environment === undefined || override.overridden.size === 0 || path[0] !== 'spec') return [...path];
	for (let end = path.length; end > 1; end--)
		if (override.overridden.has(pathKey(path.slice(0, end)))) return ['environments', override.environment, ...path.slice(1)];
	return [...path];
}

/**
 * The environment whose layer gave a spec field its value (its `environments.<env>` override, or a
 * variable set in `spec.environments.<env>.variables`), for a path as plans write it
 * (`instance.class`, `triggers[0].batchSize`); undefined when another layer did or it cannot tell.
 */
export function environmentLayerOf(
	component: {
		environmentOverride: Pick<EnvironmentSpec, 'environment' | 'overridden'>;
		interpolations: ReadonlyMap<string, {uses: ReadonlyArray<{origin: {type: string; environment?: string}}>}>;
	},
	planPath: string,
): string | undefined {
	const path: PathSegment[] = ['spec'];
	for (const [, key, index, mapKey] of planPath.matchAll(/([^.[\]]+)|\[(\d+)\]|\[([^\]]*)\]/g)) {
		if (mapKey !== undefined) break; // `environment[NAME]`: keyed by content, not by position
		path.push(index !== undefined ? Number(index) : key!);
	}
	if (sourcePath(path, component.environmentOverride)[0] === 'environments') return component.environmentOverride.environment;
	return component.interpolations.get(pathKey(path))?.uses.find((use) => use.origin.environment !== undefined)?.origin.environment;
}

/** The keys of a component's `environments` block that the stack does not declare, with where each is. */
export function undeclaredOverrides(
	document: SourceDocument,
	overrides: unknown,
	stack: StackDocument | undefined,
): Array<{environment: string; message: string; hint: string; position: {file: string; line: number; column: number}}> {
	if (!isRecord(overrides)) return [];
	const problems = [];
	for (const environment of Object.keys(overrides)) {
		const problem = undeclaredEnvironment(stack, environment);
		if (!problem) continue;
		const {file, line, column} = document.positionOf(['environments', environment], 'key');
		problems.push({environment, ...problem, position: {file, line, column}});
	}
	return problems;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}
