/**
 * The tail every scaffold wizard shares: the files it will write (confirm, or after a failed
 * write). Nothing on the other steps (while the files are written, WizardLayout's spinner says so).
 */
import {templateNames, templateSummaries} from '../../engine/index.js';
import {FilePlanView} from './FilePlanView.js';
import type {ScaffoldWizardState} from './wizard-core.js';

/** The template list every wizard offers, with one-line summaries. */
export const templateChoices = templateNames.map((name) => ({name, summary: templateSummaries[name]}));

export function PlanStep({state, maxRows, width}: {state: ScaffoldWizardState; maxRows: number; width: number}) {
	if ((state.step === 'confirm' || state.step === 'failed') && state.plan)
		return <FilePlanView base={state.plan.base} files={state.plan.files} maxRows={maxRows} width={width} />;
	return null;
}
