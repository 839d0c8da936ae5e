/**
 * Errors of the tenant layer. Each carries a `hint` (what to do about it), which the CLI prints on
 * its own line; none of them is a bug, so none is reported with a stack trace.
 *
 * AuthenticationError is deliberately generic: an unknown tenant, a deleted one and a wrong secret
 * all produce the same message, so the answer never tells a caller which tenant names exist.
 */

export class TenantError extends Error {
	constructor(
		message: string,
		readonly hint?: string,
		options?: {cause?: unknown},
	) {
		super(message, options);
		this.name = 'TenantError';
	}
}

export const authenticationFailedMessage = 'tenant ID or secret is wrong';

export class AuthenticationError extends TenantError {
	constructor() {
		super(authenticationFailedMessage, 'check the Tenant ID and Secret your platform admin gave you (they may have rotated it)');
		this.name = 'AuthenticationError';
	}
}

/** The caller's identity is not one of the registry's admins. */
export class NotAdminError extends TenantError {
	constructor(identity: string, backend: string, admins: readonly string[]) {
		super(
			`${identity} is not an admin of ${backend}`,
			`admins: ${admins.join(', ') || '(none)'}; an admin can add you to the admins list of tenants.yaml`,
		);
		this.name = 'NotAdminError';
	}
}

/** The registry cannot be used: missing on a backend that has data, unparsable, or unreadable. */
export class RegistryError extends TenantError {
	constructor(message: string, hint?: string, options?: {cause?: unknown}) {
		super(message, hint, options);
		this.name = 'RegistryError';
	}
}
