/**
 * `panka stack init` as a wizard: name → services → template → environments → confirm → write.
 *
 * Invariants:
 * - Asks only for what the request does not give; a given answer the engine rejects is asked
 *   again, with the engine's message.
 * - Every answer is checked with planStackInit, the function the flag path uses, and the files
 *   shown at the confirm step are exactly the plan that writeScaffold will write.
 * - The template is asked only when there are services to apply it to.
 */
import {
	defaultEnvironments,
	planStackInit,
	type ScaffoldPlan,
	type StackInitRequest,
	type TemplateName,
	templateNames,
} from '../../engine/index.js';
import {
	type ScaffoldWizardState,
	splitServices,
	type StepKind,
	type WizardSteps,
	scaffoldStepKind,
	scaffoldWizardReducer,
} from './wizard-core.js';

export type StackInitRequestDraft = Partial<StackInitRequest> & {parentDir: string};

export type StackInitStep = 'name' | 'services' | 'template' | 'environments' | 'confirm' | 'writing' | 'failed' | 'done' | 'cancelled';

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
	};
	if (request.name === undefined) return {...state, step: 'name', text: ''};
	const nameProblem = problemsOf(planStackInit({...base, name: request.name}));
	if (nameProblem) return {...state, step: 'name', text: '', error: nameProblem, request: withoutKey(request, 'name')};
	if (request.services === undefined) return {...state, step: 'services', text: ''};
	const servicesProblem = problemsOf(planStackInit({...base, name: request.name, services: request.services}));
	if (servicesProblem) return {...state, step: 'services', text: '', error: servicesProblem, request: withoutKey(request, 'services')};
	if (request.services.length > 0 && request.template === undefined) return {...state, step: 'template', choice: 0};
	if (request.environments === undefined) return {...state, step: 'environments', text: ''};
	const environmentsProblem = problemsOf(planStackInit({...base, name: request.name, environments: request.environments}));
	if (environmentsProblem)
		return {...state, step: 'environments', text: '', error: environmentsProblem, request: withoutKey(request, 'environments')};
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
	kind: (state) => scaffoldStepKind(state.step, ['name', 'services', 'environments'], ['template']),
	choiceCount: () => templateNames.length,
	submitText(state, text) {
		const cleared = {...state, error: undefined};
		if (state.step === 'name') return advance({...cleared, request: {...state.request, name: text}});
		if (state.step === 'environments') return advance({...cleared, request: {...state.request, environments: environmentsAnswer(text)}});
		return advance({...cleared, request: {...state.request, services: splitServices(text)}});
	},
	submitChoice(state, index) {
		const template: TemplateName = templateNames[index] ?? 'empty';
		return advance({...state, error: undefined, request: {...state.request, template}});
	},
	confirm: (state) => (state.plan && state.step === 'confirm' ? {...state, step: 'writing', error: undefined} : state),
	cancel: (state) => ({...state, step: 'cancelled'}),
};

/** The environments typed, or the default for an empty answer. */
function environmentsAnswer(text: string): string[] {
	return text.trim() === '' ? [...defaultEnvironments] : splitServices(text);
}

export const stackInitReducer = scaffoldWizardReducer(steps);

export function stackInitStepKind(state: StackInitState): StepKind {
	return steps.kind(state);
}
