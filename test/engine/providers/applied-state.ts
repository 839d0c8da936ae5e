/** The state record applyPlan would write after a provider call: what update/delete/read receive as `previous`. */
import type {AppliedResource} from '../../../engine/providers/provider.js';
import type {StateResource} from '../../../engine/state/state-document.js';

export function appliedState(kind: string, applied: AppliedResource, inputs: unknown = {}): StateResource {
	return {
		kind,
		type: `AWS::${kind}`,
		service: 'svc',
		name: 'component',
		physicalId: applied.physicalId,
		status: 'ready',
		inputs: inputs as Record<string, unknown>,
		outputs: applied.outputs,
		physicalNames: {},
		dependsOn: [],
		createdAt: '',
		updatedAt: '',
	};
}
