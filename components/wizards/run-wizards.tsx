/**
 * Entry points for the CLI's wizard paths (`panka stack init`, `panka service add` in a terminal).
 * Each renders one wizard with Ink, resolves with what it wrote, or undefined when the user
 * cancelled (esc or ctrl+c: nothing written). The files are written by the engine's writeScaffold,
 * the same call the flag path makes.
 *
 * Invariants: the wizard's frame is cleared when it ends, so the caller's report of the written
 * files is the only output left; stdin must be a terminal (the CLI checks before calling).
 */
import {render} from 'ink';
import type {Diagnostic} from '../../engine/diagnostics.js';
import type {StackInitRequest} from '../../engine/scaffold/scaffold.js';
import type {TemplateName} from '../../engine/scaffold/templates.js';
import {loadWorkspace, type Workspace, type WorkspaceOptions} from '../../engine/workspace.js';
import {sizeOrDefault} from '../state/layout.js';
import {ProblemsNote} from './ProblemsNote.js';
import {ServiceAddWizard} from './ServiceAddWizard.js';
import {StackInitWizard, type WizardOutcome} from './StackInitWizard.js';

function frameSize() {
	const size = sizeOrDefault(process.stdout.columns, process.stdout.rows);
	return {width: Math.min(size.columns, 120), height: Math.max(8, size.rows - 2)};
}

function requireTerminal(): void {
	if (!process.stdin.isTTY) throw new Error('the wizard needs an interactive terminal; pass the answers as arguments and flags instead');
}

export async function runStackInitWizard(request: Partial<StackInitRequest> & {parentDir: string}): Promise<WizardOutcome | undefined> {
	requireTerminal();
	let finish: (outcome: WizardOutcome | undefined) => void = () => {};
	const done = new Promise<WizardOutcome | undefined>((resolve) => {
		finish = resolve;
	});
	const instance = render(<StackInitWizard request={request} onDone={(outcome) => finish(outcome)} {...frameSize()} />, {exitOnCtrlC: false});
	const outcome = await done;
	instance.unmount();
	await instance.waitUntilExit();
	return outcome;
}

export async function runServiceAddWizard(
	workspace: Workspace,
	given: {name?: string; template?: TemplateName},
	options: WorkspaceOptions,
): Promise<WizardOutcome | undefined> {
	requireTerminal();
	let finish: (outcome: WizardOutcome | undefined) => void = () => {};
	const done = new Promise<WizardOutcome | undefined>((resolve) => {
		finish = resolve;
	});
	const instance = render(<ServiceAddWizard workspace={workspace} given={given} onDone={(outcome) => finish(outcome)} {...frameSize()} />, {exitOnCtrlC: false});
	const outcome = await done;
	if (outcome) {
		// Check the new service the way the next command will load it; keep any problem on screen.
		const service = outcome.written[0]?.split('/')[1];
		const reloaded = await loadWorkspace(workspace.root, options);
		const problems: Diagnostic[] = reloaded.diagnostics.filter((d) => service !== undefined && d.file?.startsWith(`services/${service}/`));
		if (problems.length > 0) instance.rerender(<ProblemsNote problems={problems} />);
	}
	instance.unmount();
	await instance.waitUntilExit();
	return outcome;
}
