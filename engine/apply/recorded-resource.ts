/**
 * What the state records for a component's resource once it exists in AWS (made by an apply, or
 * adopted by the recovery of an interrupted create): the component's kind and names, the inputs it
 * was made from (so the next plan diffs against them), its outputs and its dependencies.
 *
 * Invariant: the one place a StateResource is built from a component, so apply and recovery can
 * never record the same resource differently.
 */
import {getKind} from '../kinds/registry.js';
import {dependencyAddresses, desiredInputs} from '../plan/inputs.js';
import type {ResolvedComponent} from '../resolve/resolve-stack.js';
import {identityTags} from '../resolve/tags.js';
import type {StateKey, StateResource} from '../state/state-document.js';
import type {Workspace} from '../workspace.js';

export function recordedResource(
	workspace: Workspace,
	component: ResolvedComponent,
	found: {physicalId: string; outputs: StateResource['outputs']},
	status: StateResource['status'],
	times: {createdAt: string; updatedAt: string},
): StateResource {
	return {
		kind: component.kind,
		type: getKind(component.kind)?.awsType ?? component.kind,
		service: component.service,
		name: component.name,
		physicalId: found.physicalId,
		status,
		inputs: desiredInputs(component).inputs,
		outputs: found.outputs,
		physicalNames: {...component.physicalNames},
		dependsOn: dependencyAddresses(workspace, component),
		createdAt: times.createdAt,
		updatedAt: times.updatedAt,
	};
}

/**
 * The tags a recorded resource's AWS resources carry, for deleting and reading it: as recorded,
 * with the identity tags made from the state's key and the resource's address (an old or edited
 * state missing them can still only ever reach resources of this component).
 */
export function recordedTags(key: StateKey, resource: Pick<StateResource, 'inputs' | 'service' | 'name'>): Record<string, string> {
	const recorded = resource.inputs.tags;
	const tags = recorded && typeof recorded === 'object' && !Array.isArray(recorded) ? (recorded as Record<string, string>) : {};
	return {
		...tags,
		...identityTags({tenant: key.tenant, stack: key.stack, env: key.environment, service: resource.service, component: resource.name}),
	};
}
