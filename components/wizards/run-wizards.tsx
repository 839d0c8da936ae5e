/**
 * Entry points for the CLI's wizard paths (`panka stack init`, `panka service add` in a terminal).
 * Each renders one wizard with Ink, resolves with what it wrote, or undefined when the user
 * cancelled (esc or ctrl+c: nothing written). The files are written by the engine's writeScaffold,
 * the same call the flag path makes.
 *
 * Invariants: the wizard's frame is cleared when it ends, so the caller's report of the written
 * files is the only output left; stdin must be a terminal (the CLI checks before calling).
 */
import {type Instance, render} from 'ink';
import type {ReactElement} from 'react';
import type {Diagnostic, StackInitRequest, TemplateName} from '../../engine/index.js';
import {loadWorkspace, type Workspace, type WorkspaceOptions} from '../../engine/index.js';
import {sizeOrDefault} from '../state/layout.js';
import {ProblemsNote} from './ProblemsNote.js';
import {ServiceAddWizard} from './ServiceAddWizard.js';
import {StackInitWizard} from './StackInitWizard.js';
import type {WizardOutcome} from './use-wizard-driver.js';

function frameSize() {
	const size = sizeOrDefault(process.stdout.columns, process.stdout.rows);
	return {width: Math.min(size.columns, 120), height: Math.max(8, size.rows - 2)};
}

function requireTerminal(): void {
	if (!process.stdin.isTTY) throw new Error('the wizard needs an interactive terminal; pass the answers as arguments and flags instead');
}

type Finish = (outcome: WizardOutcome | undefined) => void;

/**
 * Renders the wizard `view(finish)` builds until it calls finish; `after` may show something
 * more (it gets the live instance) before the frame is cleared.
 */
async function renderUntilDone(
	view: (finish: Finish) => ReactElement,
	after?: (outcome: WizardOutcome | undefined, instance: Instance) => Promise<void>,
): Promise<WizardOutcome | undefined> {
	requireTerminal();
	let finish: Finish = () => {};
	const done = new Promise<WizardOutcome | undefined>((resolve) => {
		finish = resolve;
	});
	const instance = render(
		view((outcome) => finish(outcome)),
		{exitOnCtrlC: false},
	);
	const outcome = await done;
	await after?.(outcome, instance);
	instance.unmount();
	await instance.waitUntilExit();
	return outcome;
}

export function runStackInitWizard(request: Partial<StackInitRequest> & {parentDir: string}): Promise<WizardOutcome | undefined> {
	return renderUntilDone((finish) => <StackInitWizard request={request} onDone={finish} {...frameSize()} />);
}

export async function runServiceAddWizard(
	workspace: Workspace,
	given: {name?: string; template?: TemplateName},
	options: WorkspaceOptions,
): Promise<WizardOutcome | undefined> {
	return renderUntilDone(
		(finish) => <ServiceAddWizard workspace={workspace} given={given} onDone={finish} {...frameSize()} />,
		async (outcome, instance) => {
			if (!outcome) return;
			// Check the new service the way the next command will load it; keep any problem on screen.
			const service = outcome.written[0]?.split('/')[1];
			const reloaded = await loadWorkspace(workspace.root, options);
			const problems: Diagnostic[] = reloaded.diagnostics.filter(
				(d) => service !== undefined && d.file?.startsWith(`services/${service}/`),
			);
			if (problems.length > 0) instance.rerender(<ProblemsNote problems={problems} />);
		},
	);
}
