/**
 * What the Lambda modules share: the client and the physical names of a ResourceContext, the
 * not-found code, and the names and limits the function, role and trigger modules agree on.
 */
import {LambdaClient} from '@aws-sdk/client-lambda';
import {ProviderError, type ResourceContext} from '../../providers/provider.js';

export const functionMissing = ['ResourceNotFoundException'];
/** IAM changes usually reach Lambda within seconds; longer means the permission is really missing. */
export const iamPropagationSeconds = 120;
/** The id of the function in its schedule rules' target lists. */
export const functionTargetId = 'function';
export const triggerNamePrefix = 'triggers.';
/** Event source mapping states in which AWS refuses an update. */
export const mappingInTransition = new Set(['Creating', 'Enabling', 'Disabling', 'Updating']);

export function lambda(context: ResourceContext): LambdaClient {
	return context.clients.get(LambdaClient);
}

export function functionName(context: ResourceContext): string {
	return context.names.primary!;
}

export function requiredName(context: ResourceContext, role: string): string {
	const name = context.names[role];
	if (!name)
		throw new ProviderError(
			`${context.address}: no physical name for ${role} (the Lambda kind's physicalNames must give one)`,
			'MissingName',
		);
	return name;
}
