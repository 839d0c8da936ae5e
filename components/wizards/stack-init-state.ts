/**
 * `panka stack init` as a wizard: name → services → template → confirm → write.
 *
 * Invariants:
 * - Asks only for what the request does not give; a given answer the engine rejects is asked
 *   again, with the engine's message.
 * - Every answer is checked with planStackInit, the function the flag path uses, and the files
 *   shown at the confirm step are exactly the plan that writeScaffold will write.
 * - The template is asked only when there are services to apply it to.
 */
import {planStackInit, type ScaffoldPlan, type StackInitRequest, type TemplateName, templateNames} from '../../engine/index.js';
import {
	type ScaffoldWizardState,
	splitServices,
	type StepKind,
	type WizardSteps,
	scaffoldStepKind,
	scaffoldWizardReducer,
} from './wizard-core.js';

export type StackInitRequestDraft = Partial<StackInitRequest> & {parentDir: string};

export type StackInitStep = 'name' | 'services' | 'template' | 'confirm' | 'writing' | 'failed' | 'done' | 'cancelled';

export interface StackInitState extends ScaffoldWizardState {
	request: StackInitRequestDraft;
	step: StackInitStep;
}

function problemsOf(plan: ScaffoldPlan): string | undefined {
	return plan.ok ? undefined : plan.problems.join('; ');
}

/** Move to the first step whose answer is missing or rejected, or to the confirm step. */
function advance(state: StackInitState): StackInitState {
	const {request} = state;
	const base = {
		parentDir: request.parentDir,
		...(request.tenant ? {tenant: request.tenant} : {}),
		...(request.environment ? {environment: request.environment} : {}),
	};
	if (request.name === undefined) return {...state, step: 'name', text: ''};
	const nameProblem = problemsOf(planStackInit({...base, name: request.name}));
	if (nameProblem) return {...state, step: 'name', text: '', error: nameProblem, request: withoutKey(request, 'name')};
	if (request.services === undefined) return {...state, step: 'services', text: ''};
	const servicesProblem = problemsOf(planStackInit({...base, name: request.name, services: request.services}));
	if (servicesProblem) return {...state, step: 'services', text: '', error: servicesProblem, request: withoutKey(request, 'services')};
	if (request.services.length > 0 && request.template === undefined) return {...state, step: 'template', choice: 0};
	const plan = planStackInit({...request, name: request.name});
	if (!plan.ok) return {...state, step: 'confirm', error: plan.problems.join('; ')};
	return {...state, step: 'confirm', plan};
}

function withoutKey<K extends keyof StackInitRequestDraft>(request: StackInitRequestDraft, key: K): StackInitRequestDraft {
	const copy = {...request};
	delete copy[key];
	return copy;
}

export function initStackInit(request: StackInitRequestDraft): StackInitState {
	return advance({request, step: 'name', text: '', choice: 0});
}

const steps: WizardSteps<StackInitState> = {
	kind: (state) => scaffoldStepKind(state.step, ['name', 'services'], ['template']),
	choiceCount: () => templateNames.length,
	submitText(state, text) {
		const cleared = {...state, error: undefined};
		if (state.step === 'name') return advance({...cleared, request: {...state.request, name: text}});
		return advance({...cleared, request: {...state.request, services: splitServices(text)}});
	},
	submitChoice(state, index) {
		const template: TemplateName = templateNames[index] ?? 'empty';
		return advance({...state, error: undefined, request: {...state.request, template}});
	},
	confirm: (state) => (state.plan && state.step === 'confirm' ? {...state, step: 'writing', error: undefined} : state),
	cancel: (state) => ({...state, step: 'cancelled'}),
};

export const stackInitReducer = scaffoldWizardReducer(steps);

export function stackInitStepKind(state: StackInitState): StepKind {
	return steps.kind(state);
}
