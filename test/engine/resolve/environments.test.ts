/**
 * Environments (engine/resolve/environments.ts): a stack declares them in spec.environments; each
 * may set variables and tags, and a component's `environments.<env>` block overrides its spec
 * fields. Variable precedence: --var > PANKA_VAR_* > environment > service > stack > :-default, and
 * every value's origin names the environment when it came from there.
 */
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {describeOrigin} from '../../../engine/resolve/interpolate.js';
import {stateAsIfApplied} from '../../../engine/plan/applied-state.js';
import {planChanges} from '../../../engine/plan/plan.js';
import {explainComponent} from '../../../engine/resolve/explain.js';
import {loadWorkspace} from '../../../engine/workspace.js';
import {writeStackFolder} from '../../helpers/stack-fixture.js';

const stackYaml = `apiVersion: core.panka.io/v1
kind: Stack
metadata:
  name: shop
  tenant: acme
spec:
  variables:
    SIZE: stack-size
    LEVEL: stack-level
    TIER: stack-tier
  environments:
    staging:
    production:
      protected: true
      description: the real one
      variables:
        LEVEL: production-level
        TIER: production-tier
      tags:
        criticality: high
`;

const serviceYaml = `apiVersion: core.panka.io/v1
kind: Service
metadata:
  name: web
spec:
  variables:
    TIER: service-tier
`;

const queueYaml = `apiVersion: components.panka.io/v1
kind: SQS
metadata:
  name: jobs
spec:
  visibilityTimeout: 30
  tags:
    size: \${SIZE}
    level: \${LEVEL}
    tier: \${TIER}
    fallback: \${UNSET:-from-default}
environments:
  production:
    visibilityTimeout: 120
`;

function shop(): string {
	const dir = writeStackFolder('shop', {web: {'queue.yaml': queueYaml}});
	writeFileSync(path.join(dir, 'stack.yaml'), stackYaml);
	writeFileSync(path.join(dir, 'services', 'web', 'service.yaml'), serviceYaml);
	return dir;
}

const tagsOf = (ws: Awaited<ReturnType<typeof loadWorkspace>>) =>
	(ws.componentsByName.get('jobs')!.spec as {tags: Record<string, string>}).tags;
const errors = (ws: Awaited<ReturnType<typeof loadWorkspace>>) => ws.diagnostics.filter((d) => d.severity === 'error');

describe('declared environments', () => {
	it('default to the first declared one and expose its settings', async () => {
		const ws = await loadWorkspace(shop());
		expect(errors(ws)).toEqual([]);
		expect(ws.environment).toBe('staging');
		expect(ws.environments).toEqual(['staging', 'production']);
		expect(ws.environmentSettings).toEqual({});
		const production = await loadWorkspace(shop(), {environment: 'production'});
		expect(production.environmentSettings).toMatchObject({protected: true, description: 'the real one'});
	});

	it('refuse an undeclared --env, listing the declared ones with a did-you-mean', async () => {
		const ws = await loadWorkspace(shop(), {environment: 'prodution'});
		expect(errors(ws)).toEqual([
			expect.objectContaining({
				code: 'unknown-environment',
				flag: '--env',
				message: 'environment "prodution" is not declared in stack.yaml — did you mean "production"?',
				hint: 'declared environments: staging, production (spec.environments of stack.yaml)',
			}),
		]);
	});

	it('refuse a component override for an undeclared environment, at its key', async () => {
		const dir = shop();
		writeFileSync(
			path.join(dir, 'services', 'web', 'queue.yaml'),
			queueYaml.replace('  production:\n    visibility', '  producton:\n    visibility'),
		);
		const ws = await loadWorkspace(dir);
		expect(errors(ws)).toEqual([
			expect.objectContaining({code: 'unknown-environment', file: 'services/web/queue.yaml', line: 13, column: 3}),
		]);
		expect(errors(ws)[0]!.message).toContain('did you mean "production"?');
	});

	it('keep today’s single environment when none are declared', async () => {
		const ws = await loadWorkspace(writeStackFolder('plain', {web: {}}), {environment: 'anything'});
		expect(errors(ws)).toEqual([]);
		expect(ws.environment).toBe('anything');
		expect(ws.environments).toEqual([]);
		expect((await loadWorkspace(writeStackFolder('plain', {web: {}}))).environment).toBe('default');
	});
});

describe('variable precedence', () => {
	it('is --var > PANKA_VAR_* > environment > service > stack > :-default', async () => {
		const staging = await loadWorkspace(shop());
		expect(tagsOf(staging)).toEqual({size: 'stack-size', level: 'stack-level', tier: 'service-tier', fallback: 'from-default'});
		const production = await loadWorkspace(shop(), {environment: 'production'});
		expect(tagsOf(production)).toEqual({size: 'stack-size', level: 'production-level', tier: 'production-tier', fallback: 'from-default'});
		const fromEnv = await loadWorkspace(shop(), {environment: 'production', env: {PANKA_VAR_LEVEL: 'env-level'}});
		expect(tagsOf(fromEnv).level).toBe('env-level');
		const fromFlag = await loadWorkspace(shop(), {
			environment: 'production',
			env: {PANKA_VAR_LEVEL: 'env-level'},
			vars: {LEVEL: 'flag-level'},
		});
		expect(tagsOf(fromFlag).level).toBe('flag-level');
	});

	it('names each layer as the origin of a value', async () => {
		const ws = await loadWorkspace(shop(), {environment: 'production', env: {PANKA_VAR_SIZE: 'env-size'}});
		const origins = Object.fromEntries(
			explainComponent(ws, 'jobs')!
				.values.filter((v) => v.path.startsWith('tags.'))
				.map((v) => [v.path, v.origin.type === 'variable' ? v.origin.uses.map((u) => describeOrigin(u.origin)) : v.origin.type]),
		);
		expect(origins).toEqual({
			'tags.size': ['$PANKA_VAR_SIZE'],
			'tags.level': ['environment production, stack.yaml:17'],
			'tags.tier': ['environment production, stack.yaml:18'],
			'tags.fallback': [':- default'],
		});
		const staging = await loadWorkspace(shop());
		const tier = explainComponent(staging, 'jobs')!.values.find((v) => v.path === 'tags.tier')!;
		expect(tier.origin.type === 'variable' && describeOrigin(tier.origin.uses[0]!.origin)).toBe('services/web/service.yaml:7');
	});
});

describe('component overrides', () => {
	it('replace spec fields in their environment only, with the override as origin', async () => {
		const staging = await loadWorkspace(shop());
		const production = await loadWorkspace(shop(), {environment: 'production'});
		expect((staging.componentsByName.get('jobs')!.spec as {visibilityTimeout: number}).visibilityTimeout).toBe(30);
		expect((production.componentsByName.get('jobs')!.spec as {visibilityTimeout: number}).visibilityTimeout).toBe(120);
		const value = explainComponent(production, 'jobs')!.values.find((v) => v.path === 'visibilityTimeout')!;
		expect(value.origin).toEqual({
			type: 'file',
			environment: 'production',
			position: expect.objectContaining({file: 'services/web/queue.yaml', line: 14, column: 24}),
		});
		const stagingValue = explainComponent(staging, 'jobs')!.values.find((v) => v.path === 'visibilityTimeout')!;
		expect(stagingValue.origin).toEqual({
			type: 'file',
			position: expect.objectContaining({file: 'services/web/queue.yaml', line: 6, column: 22}),
		});
	});

	it('are validated like the spec, with diagnostics at the override', async () => {
		const dir = shop();
		writeFileSync(path.join(dir, 'services', 'web', 'queue.yaml'), queueYaml.replace('visibilityTimeout: 120', 'visibilityTimeout: lots'));
		const production = await loadWorkspace(dir, {environment: 'production'});
		expect(errors(production)).toEqual([expect.objectContaining({file: 'services/web/queue.yaml', line: 14, column: 24})]);
		expect(errors(await loadWorkspace(dir))).toEqual([]);
	});

	it('tag every resource of the environment with its tags', async () => {
		const production = await loadWorkspace(shop(), {environment: 'production'});
		expect(production.componentsByName.get('jobs')!.tags).toMatchObject({criticality: 'high', 'panka:env': 'production'});
		expect((await loadWorkspace(shop())).componentsByName.get('jobs')!.tags.criticality).toBeUndefined();
	});
});

describe('plans', () => {
	it('say which field changes come from the environment layer', async () => {
		const dir = shop();
		const before = await loadWorkspace(dir, {environment: 'production'});
		const state = stateAsIfApplied(before, {lineage: 'shop', at: '2026-12-01T00:00:00Z'});
		writeFileSync(
			path.join(dir, 'stack.yaml'),
			stackYaml.replace('LEVEL: production-level', 'LEVEL: production-level-2').replace('SIZE: stack-size', 'SIZE: stack-size-2'),
		);
		writeFileSync(path.join(dir, 'services', 'web', 'queue.yaml'), queueYaml.replace('visibilityTimeout: 120', 'visibilityTimeout: 240'));
		const plan = planChanges(await loadWorkspace(dir, {environment: 'production'}), state);
		const diff = plan.changes.find((c) => c.address === 'web/jobs')!.diff;
		expect(diff.map((f) => [f.path, f.environment])).toEqual([
			['visibilityTimeout', 'production'],
			['tags.size', undefined],
			['tags.level', 'production'],
		]);
	});
});
