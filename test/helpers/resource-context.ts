/**
 * ResourceContexts for provider tests: a component spec parsed by its kind's schema (defaults and
 * normalisation applied, as the resolver would), its deterministic physical names and panka tags,
 * moto's clients, and fast waiters. Progress phases are collected for assertions.
 */
import {randomUUID} from 'node:crypto';
import type {AwsClients} from '../../engine/aws/aws-clients.js';
import {getKind} from '../../engine/kinds/registry.js';
import {defaultWait, type NetworkingIds, type ResourceContext} from '../../engine/providers/provider.js';
import type {NameIdentity} from '../../engine/resolve/physical-names.js';
import {resourceTags} from '../../engine/resolve/tags.js';

export interface ProviderFixture<Spec> {
	spec: Spec;
	context: ResourceContext;
	phases: string[];
	/** The same resource with another spec (for updates): same names, tags and clients. */
	withSpec(raw: unknown): {spec: Spec; context: ResourceContext};
}

let counter = 0;

export interface ContextOptions {
	networking?: NetworkingIds;
	serviceDir?: string;
	service?: string;
	/** Names to use instead of the kind's physical names for the identity. */
	names?: Readonly<Record<string, string>>;
	references?: ResourceContext['references'];
	phases?: string[];
}

/** A component's ResourceContext on `clients` for any identity: its names and panka tags, fast waits. */
export function resourceContext(
	kind: string,
	identity: NameIdentity,
	spec: unknown,
	clients: AwsClients,
	options: ContextOptions = {},
): ResourceContext {
	const definition = getKind(kind);
	if (!definition) throw new Error(`unknown kind ${kind}`);
	const service = options.service ?? 'svc';
	const {tenant, stack, env, component} = identity;
	return {
		clients,
		names: options.names ?? definition.physicalNames(identity, spec),
		tags: resourceTags({tenant, stack, env, service, component}, [{team: 'tests'}]),
		address: `${service}/${component}`,
		region: 'us-east-1',
		accountId: identity.accountId ?? '123456789012',
		...(options.networking ? {networking: options.networking} : {}),
		...(options.references ? {references: options.references} : {}),
		stackRoot: options.serviceDir ?? '/nonexistent',
		serviceDir: options.serviceDir ?? '/nonexistent',
		signal: new AbortController().signal,
		progress: (phase) => options.phases?.push(phase),
		token: randomUUID(),
		wait: {...defaultWait, minDelay: 1, maxDelay: 1, maxWaitTime: 20},
	};
}

/** A spec parsed by its kind's schema (defaults and normalisation applied, as the resolver does). */
export function parsedSpec<Spec>(kind: string, raw: unknown): Spec {
	const parsed = getKind(kind)?.spec.safeParse(raw);
	if (!parsed?.success) throw new Error(`fixture spec does not parse: ${JSON.stringify(parsed?.error.issues)}`);
	return parsed.data as Spec;
}

export function providerFixture<Spec>(
	kind: string,
	component: string,
	raw: unknown,
	clients: AwsClients,
	options: {stack?: string; networking?: NetworkingIds; serviceDir?: string} = {},
): ProviderFixture<Spec> {
	// Unique per test run, so suites that share a moto never collide on names.
	const stack = options.stack ?? `t${Date.now().toString(36)}${(counter++).toString(36)}`;
	const identity = {tenant: 'acme', stack, env: 'test', component, accountId: '123456789012'};
	const parse = (input: unknown) => parsedSpec<Spec>(kind, input);
	const phases: string[] = [];
	const build = (spec: Spec): ResourceContext => resourceContext(kind, identity, spec, clients, {...options, phases});
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
