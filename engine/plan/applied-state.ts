/**
 * stateAsIfApplied: the state document a complete, successful apply of a workspace records.
 *
 * It is the planner's contract with apply, written down once: after applying every change, each
 * resource's `inputs` are exactly its desired inputs (inputs.ts, secrets redacted), `dependsOn` its
 * graph dependencies, `physicalNames` its names, status `ready`, and the stack security group (when
 * one is needed) is recorded with its desired inputs; so planning the same workspace against this
 * state is all no-ops. Tests and the plan benchmark build their "already deployed"
 * states with it; outputs are placeholders unless the caller supplies them (nothing here talks to AWS).
 *
 * Invariants: pure (the caller passes lineage, serial and time); addresses in the workspace's order.
 */
import {getKind} from '../kinds/registry.js';
import type {ResolvedComponent} from '../resolve/resolve-stack.js';
import {type StateDocument, type StateResource, stateFormatVersion} from '../state/state-document.js';
import type {Workspace} from '../workspace.js';
import {dependencyAddresses, desiredInputs, desiredStackSecurityGroup} from './inputs.js';

export interface AppliedStateOptions {
	lineage: string;
	/** Default 1: the first write. */
	serial?: number;
	/** ISO time of the apply. */
	at: string;
	deployedBy?: string;
	/** An output's value; default `fake://{address}/{output}`. */
	output?: (component: ResolvedComponent, output: string) => unknown;
}

export function stateAsIfApplied(workspace: Workspace, options: AppliedStateOptions): StateDocument {
	const outputOf = options.output ?? ((component, output) => `fake://${component.address}/${output}`);
	const resources: Record<string, StateResource> = {};
	const outputs: Record<string, unknown> = {};
	for (const component of workspace.components) {
		const kind = getKind(component.kind);
		const resourceOutputs: Record<string, unknown> = {};
		for (const output of component.outputs) {
			resourceOutputs[output] = outputOf(component, output);
			outputs[`${component.name}.${output}`] = resourceOutputs[output];
		}
		resources[component.address] = {
			kind: component.kind,
			type: kind?.awsType ?? component.kind,
			service: component.service,
			name: component.name,
			physicalId: component.physicalNames.primary ?? component.name,
			status: 'ready',
			inputs: desiredInputs(component).inputs,
			outputs: resourceOutputs,
			physicalNames: {...component.physicalNames},
			dependsOn: dependencyAddresses(workspace, component),
			createdAt: options.at,
			updatedAt: options.at,
		};
	}
	const group = desiredStackSecurityGroup(workspace);
	return {
		version: stateFormatVersion,
		serial: options.serial ?? 1,
		lineage: options.lineage,
		metadata: {
			stack: workspace.stack.name,
			tenant: workspace.tenantName,
			environment: workspace.environment,
			...(options.deployedBy ? {deployedBy: options.deployedBy} : {}),
			deployedAt: options.at,
		},
		networking: group ? {stackSecurityGroupId: 'sg-as-if-applied', stackSecurityGroupInputs: group.inputs} : {},
		resources,
		outputs,
		pending: [],
	};
}
