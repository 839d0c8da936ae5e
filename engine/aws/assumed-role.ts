/**
 * Credentials of an assumed role (a tenant's `assumeRoleArn`), shared by every client that acts
 * in that role.
 *
 * Invariants:
 * - AssumeRole is made by the SDK's own temporary-credentials provider (`fromTemporaryCredentials`),
 *   whose STS client gets the caller's settings: region, endpoint, credentials, retries, agent,
 *   and the same request middleware as every other client (allowed hosts, readable errors).
 * - One fetch serves every client: callers that ask while a fetch is in flight share it (many
 *   clients starting at once call AssumeRole once); credentials are fetched again when less than
 *   `refreshBeforeMs` (5 minutes) of their life is left; a failed fetch is not remembered.
 */
import {fromTemporaryCredentials} from '@aws-sdk/credential-providers';
import type {AwsCredentialIdentity, AwsCredentialIdentityProvider} from '@aws-sdk/types';
import type {AwsSettings, RequestMiddlewareStack} from './aws-settings.js';

/** How long before expiry credentials are fetched again. */
export const refreshBeforeMs = 5 * 60_000;

/** `provider` fetched once for all callers, again only when what it gave is about to expire. */
export function sharedCredentials(provider: AwsCredentialIdentityProvider, now: () => number = Date.now): AwsCredentialIdentityProvider {
	let current: Promise<AwsCredentialIdentity> | undefined;
	let held: AwsCredentialIdentity | undefined;
	const fresh = (credentials: AwsCredentialIdentity) =>
		!credentials.expiration || credentials.expiration.getTime() - now() > refreshBeforeMs;
	return () => {
		if (held && !fresh(held)) {
			held = undefined;
			current = undefined;
		}
		current ??= provider().then(
			(credentials) => {
				held = credentials;
				return credentials;
			},
			(error: unknown) => {
				current = undefined;
				throw error;
			},
		);
		return current;
	};
}

/**
 * Credentials of `roleArn` (session `sessionName`, one hour, refreshed), fetched with `settings`
 * (the caller's own identity) through an STS client that `addMiddleware` is applied to.
 */
export function assumedRoleCredentials(
	settings: AwsSettings,
	roleArn: string,
	sessionName: string,
	addMiddleware: (stack: RequestMiddlewareStack) => void,
): AwsCredentialIdentityProvider {
	const {region, endpoint, credentials, maxAttempts, agent} = settings;
	const applied = new WeakSet<object>();
	const provider = fromTemporaryCredentials({
		params: {RoleArn: roleArn, RoleSessionName: sessionName.slice(0, 64), DurationSeconds: 3600},
		...(credentials ? {masterCredentials: credentials} : {}),
		clientConfig: {
			...(region ? {region} : {}),
			...(endpoint ? {endpoint} : {}),
			...(maxAttempts ? {maxAttempts} : {}),
			...(agent ? {requestHandler: {httpAgent: agent, httpsAgent: agent}} : {}),
		},
		// The SDK applies plugins on every fetch: install the middleware once per stack.
		clientPlugins: [
			{
				applyToStack(stack) {
					if (applied.has(stack)) return;
					applied.add(stack);
					addMiddleware(stack as unknown as RequestMiddlewareStack);
				},
			},
		],
	});
	return sharedCredentials(() => provider());
}
