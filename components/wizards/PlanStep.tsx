/**
 * The tail every scaffold wizard shares: the files it will write (confirm, or after a failed
 * write), then "writing…" while the engine writes them. Nothing on the other steps.
 */
import {Box, Text} from 'ink';
import {templateNames, templateSummaries} from '../../engine/index.js';
import {theme} from '../theme.js';
import {FilePlanView} from './FilePlanView.js';
import type {ScaffoldWizardState} from './wizard-core.js';

/** The template list every wizard offers, with one-line summaries. */
export const templateChoices = templateNames.map((name) => ({name, summary: templateSummaries[name]}));

export function PlanStep({state, maxRows, width}: {state: ScaffoldWizardState; maxRows: number; width: number}) {
	if ((state.step === 'confirm' || state.step === 'failed') && state.plan)
		return <FilePlanView base={state.plan.base} files={state.plan.files} maxRows={maxRows} width={width} />;
	if (state.step === 'writing')
		return (
			<Box>
				<Text color={theme.warning}>writing…</Text>
			</Box>
		);
	return null;
}
