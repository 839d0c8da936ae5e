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
import type {StateResource} from '../state/state-document.js';
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
