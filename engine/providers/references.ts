/**
 * Outputs of the components a resource refers to by name in its spec (not through valueFrom):
 * SNS subscriptions (`component: orders-queue`), and later triggers and targets.
 *
 * Contract with applyPlan: `valueFrom` values are substituted into the spec before the provider
 * runs, but a kind reference (a KindDefinition.references() entry) stays a component name in the
 * spec. applyPlan puts each referenced component's current outputs into
 * `context.references[componentName]`; the graph already orders the referenced component first,
 * so its outputs exist when this resource is created or updated.
 */
import {ProviderError, type ResourceContext} from './provider.js';

/** One string output of a referenced component; a clear error when applyPlan did not pass it. */
export function referencedOutput(context: ResourceContext, component: string, output: string, usedFor: string): string {
	const value = context.references?.[component]?.[output];
	if (typeof value === 'string' && value !== '') return value;
	throw new ProviderError(
		`${usedFor}: component ${component} has no ${output} output here (it must be applied first, and its outputs passed in context.references)`,
		'MissingReference',
	);
}

/** A string output of a referenced component when present (optional extras such as a queue URL). */
export function optionalReferencedOutput(context: ResourceContext, component: string, output: string): string | undefined {
	const value = context.references?.[component]?.[output];
	return typeof value === 'string' && value !== '' ? value : undefined;
}
