/**
 * `panka service add` as a wizard: name → template → confirm → write.
 *
 * Invariants:
 * - Asks only for what was not given; every answer is checked with planServiceAdd (the flag
 *   path's function), so a name that collides with a service or, through the template, with a
 *   component is refused with the engine's message and asked again.
 * - The files shown at the confirm step are exactly the plan that writeScaffold writes.
 */
import {planServiceAdd, type TemplateName, templateNames} from '../../engine/index.js';
import type {Workspace} from '../../engine/index.js';
import {type ScaffoldWizardState, type StepKind, type WizardSteps, scaffoldStepKind, scaffoldWizardReducer} from './wizard-core.js';

export interface ServiceAddGiven {
	name?: string;
	template?: TemplateName;
}

export type ServiceAddStep = 'name' | 'template' | 'confirm' | 'writing' | 'failed' | 'done' | 'cancelled';

export interface ServiceAddState extends ScaffoldWizardState {
	workspace: Workspace;
	given: ServiceAddGiven;
	step: ServiceAddStep;
}

function advance(state: ServiceAddState): ServiceAddState {
	const {given, workspace} = state;
	if (given.name === undefined) return {...state, step: 'name', text: ''};
	const nameCheck = planServiceAdd(workspace, {name: given.name});
	if (!nameCheck.ok)
		return {
			...state,
			step: 'name',
			text: '',
			error: nameCheck.problems.join('; '),
			given: {...(given.template ? {template: given.template} : {})},
		};
	if (given.template === undefined) return {...state, step: 'template', choice: state.choice};
	const plan = planServiceAdd(workspace, {name: given.name, template: given.template});
	// The template's component names can collide even when the service name is free: ask the name again.
	if (!plan.ok) return {...state, step: 'name', text: '', error: plan.problems.join('; '), given: {template: given.template}};
	return {...state, step: 'confirm', plan};
}

export function initServiceAdd(workspace: Workspace, given: ServiceAddGiven): ServiceAddState {
	return advance({workspace, given, step: 'name', text: '', choice: 0});
}

const steps: WizardSteps<ServiceAddState> = {
	kind: (state) => scaffoldStepKind(state.step, ['name'], ['template']),
	choiceCount: () => templateNames.length,
	submitText: (state, text) => advance({...state, error: undefined, given: {...state.given, name: text}}),
	submitChoice(state, index) {
		// A collision found with this template sends the user back to the name: forget the choice
		// only if it was not given, so the list is asked again after the new name.
		const template: TemplateName = templateNames[index] ?? 'empty';
		const next = advance({...state, error: undefined, given: {...state.given, template}});
		return next.step === 'name' ? {...next, given: {}} : next;
	},
	confirm: (state) => (state.plan && state.step === 'confirm' ? {...state, step: 'writing', error: undefined} : state),
	cancel: (state) => ({...state, step: 'cancelled'}),
};

export const serviceAddReducer = scaffoldWizardReducer(steps);

export function serviceAddStepKind(state: ServiceAddState): StepKind {
	return steps.kind(state);
}
