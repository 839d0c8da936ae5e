/**
 * ResourceContexts for provider tests: a component spec parsed by its kind's schema (defaults and
 * normalisation applied, as the resolver would), its deterministic physical names and panka tags,
 * moto's clients, and fast waiters. Progress phases are collected for assertions.
 */
import {randomUUID} from 'node:crypto';
import type {AwsClients} from '../../engine/aws/aws-clients.js';
import {getKind} from '../../engine/kinds/registry.js';
import {defaultWait, type NetworkingIds, type ResourceContext} from '../../engine/providers/provider.js';
import {resourceTags} from '../../engine/resolve/tags.js';

export interface ProviderFixture<Spec> {
	spec: Spec;
	context: ResourceContext;
	phases: string[];
	/** The same resource with another spec (for updates): same names, tags and clients. */
	withSpec(raw: unknown): {spec: Spec; context: ResourceContext};
}

let counter = 0;

export function providerFixture<Spec>(
	kind: string,
	component: string,
	raw: unknown,
	clients: AwsClients,
	options: {stack?: string; networking?: NetworkingIds; serviceDir?: string} = {},
): ProviderFixture<Spec> {
	const definition = getKind(kind);
	if (!definition) throw new Error(`unknown kind ${kind}`);
	// Unique per test run, so suites that share a moto never collide on names.
	const stack = options.stack ?? `t${Date.now().toString(36)}${(counter++).toString(36)}`;
	const identity = {tenant: 'acme', stack, env: 'test', component, accountId: '123456789012'};
	const parse = (input: unknown) => {
		const parsed = definition.spec.safeParse(input);
		if (!parsed.success) throw new Error(`fixture spec does not parse: ${JSON.stringify(parsed.error.issues)}`);
		return parsed.data as Spec;
	};
	const phases: string[] = [];
	const build = (spec: Spec): ResourceContext => ({
		clients,
		names: definition.physicalNames(identity, spec),
		tags: resourceTags({tenant: 'acme', stack, env: 'test', service: 'svc', component}, [{team: 'tests'}]),
		address: `svc/${component}`,
		region: 'us-east-1',
		accountId: '123456789012',
		...(options.networking ? {networking: options.networking} : {}),
		stackRoot: options.serviceDir ?? '/nonexistent',
		serviceDir: options.serviceDir ?? '/nonexistent',
		signal: new AbortController().signal,
		progress: (phase) => phases.push(phase),
		token: randomUUID(),
		wait: {...defaultWait, minDelay: 1, maxDelay: 1, maxWaitTime: 20},
	});
	const spec = parse(raw);
	return {
		spec,
		context: build(spec),
		phases,
		withSpec(next) {
			const nextSpec = parse(next);
			return {spec: nextSpec, context: build(nextSpec)};
		},
	};
}
