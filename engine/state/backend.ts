/**
 * A backend: where tenants, tenant configs and state live, as in the contract's layout
 *
 *   tenants.yaml                                          the tenant registry
 *   tenants/{tenant}/tenant.yaml                          the TenantConfig
 *   tenants/{tenant}/sessions.json                        the tenant's open login sessions
 *   tenants/{tenant}/v1/stacks/{stack}/{env}/state.json   the state of one stack environment
 *   tenants/{tenant}/v1/stacks/{stack}/{env}/state.lock   its lock, while held
 *
 * `openBackend` picks the implementation: a local folder (`$PANKA_HOME`, default `~/.panka`) or
 * `s3://bucket/prefix`. Callers never build keys themselves: the functions below are the only
 * place paths are made, and they refuse names that are not valid panka names before any path
 * exists (no `..`, no `/`).
 */
import type {AwsClients} from '../aws/aws-clients.js';
import {nameProblem} from '../model/names.js';
import {BackendError, type BlobStore} from './blob-store.js';
import {LocalBlobStore} from './local-blob-store.js';
import {S3BlobStore} from './s3-blob-store.js';
import type {StateKey} from './state-document.js';

export type BackendSpec = {kind: 'local'; home: string} | {kind: 's3'; bucket: string; prefix: string; region?: string};

export interface Backend {
	spec: BackendSpec;
	store: BlobStore;
	/** `local folder /home/me/.panka` / `s3://bucket/prefix`. */
	description: string;
}

export const registryKey = 'tenants.yaml';

export function tenantConfigKey(tenant: string): string {
	return `tenants/${checkedName(tenant, 'tenant')}/tenant.yaml`;
}

export function tenantSessionsKey(tenant: string): string {
	return `tenants/${checkedName(tenant, 'tenant')}/sessions.json`;
}

export function tenantPrefix(tenant: string): string {
	return `tenants/${checkedName(tenant, 'tenant')}/`;
}

export function stateKey(key: StateKey): string {
	return `${stackEnvPrefix(key)}state.json`;
}

export function lockKey(key: StateKey): string {
	return `${stackEnvPrefix(key)}state.lock`;
}

function stackEnvPrefix({tenant, stack, environment}: StateKey): string {
	return `tenants/${checkedName(tenant, 'tenant')}/v1/stacks/${checkedName(stack, 'stack')}/${checkedName(environment, 'environment')}/`;
}

function checkedName(name: string, role: 'tenant' | 'stack' | 'environment'): string {
	const problem = nameProblem(name, role);
	if (problem) throw new BackendError(problem);
	return name;
}

/**
 * `s3://bucket/prefix` → an S3 spec; anything else is a usage problem (BackendError). A local
 * spec is built by the caller from `--home` / `$PANKA_HOME` / `~/.panka`.
 */
export function parseBackendUrl(url: string): BackendSpec {
	const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(\/(.*))?$/.exec(url.trim());
	if (!match)
		throw new BackendError(
			`backend "${url}" is not an s3://bucket[/prefix] URL`,
			'use s3://my-bucket/panka, or leave it unset for the local folder ($PANKA_HOME, default ~/.panka)',
		);
	const prefix = (match[3] ?? '').replace(/^\/+|\/+$/g, '');
	if (prefix.split('/').some((part) => part === '..' || part === '.'))
		throw new BackendError(`backend prefix "${prefix}" may not contain . or ..`);
	return {kind: 's3', bucket: match[1]!, prefix};
}

export function describeBackend(spec: BackendSpec): string {
	return spec.kind === 'local' ? `local folder ${spec.home}` : `s3://${spec.bucket}${spec.prefix ? `/${spec.prefix}` : ''}`;
}

/** The Backend for a spec; S3 backends use the given clients (the caller's AWS identity). */
export function openBackend(spec: BackendSpec, clients?: AwsClients): Backend {
	if (spec.kind === 'local') return {spec, store: new LocalBlobStore(spec.home), description: describeBackend(spec)};
	if (!clients) throw new BackendError('an S3 backend needs AWS clients');
	return {spec, store: new S3BlobStore(clients.s3(), spec.bucket, spec.prefix), description: describeBackend(spec)};
}
