/**
 * `panka graph --format svg|html [--plan plan.json] [--out FILE]`: the pictures panka draws itself
 * (engine/graph/picture.ts, the workbench's layout and legend), coloured by a saved plan's actions
 * and its selection's skips when --plan is given; written to stdout or to --out.
 *
 * --plan and --out go only with a picture format; a plan of another stack, a file that is not a
 * plan and an --out that cannot be written are the user's to fix: exit 1 (2 for flag misuse) with
 * why, never a stack trace.
 */
import {writeFile} from 'node:fs/promises';
import {formatHtml, formatSvg, layoutGraph, markerWidthFor, planMarks, readPlanFile, type Workspace} from '../../engine/index.js';
import {UsageError} from '../errors.js';
import type {Flags} from '../flags.js';

export const pictureFormats = ['svg', 'html'] as const;
export type PictureFormat = (typeof pictureFormats)[number];

export function isPictureFormat(format: string): format is PictureFormat {
	return (pictureFormats as readonly string[]).includes(format);
}

/** --plan and --out only make sense for a picture. */
export function checkPictureFlags(format: string, flags: Pick<Flags, 'plan' | 'out'>): void {
	if ((flags.plan !== undefined || flags.out !== undefined) && !isPictureFormat(format))
		throw new UsageError(`--${flags.plan !== undefined ? 'plan' : 'out'} goes with --format svg or html`);
}

/** The SVG or HTML picture of the whole graph, coloured by the plan file's actions when one is given. */
export async function graphPicture(workspace: Workspace, format: PictureFormat, planPath: string | undefined): Promise<string> {
	const {graph} = workspace;
	const planFile = planPath ? await readPlanFile(planPath) : undefined;
	if (planFile && planFile.stack !== workspace.stack.name)
		throw new UsageError(`--plan ${planPath} is a plan of stack ${planFile.stack}, not of ${workspace.stack.name}`);
	const skipped = new Set(planFile?.selection?.skipped.map((s) => s.address) ?? []);
	const plan = planFile ? planMarks(planFile.plan, skipped, (name) => graph.nodes.has(name)).marks : undefined;
	const title = `${workspace.stack.name} · dependency graph${planFile ? ' · plan' : ''}`;
	const layout = layoutGraph(graph, {markerWidth: markerWidthFor(plan)});
	const options = {title, ...(plan ? {plan} : {})};
	return format === 'svg' ? formatSvg(layout, graph, options) : formatHtml(layout, graph, options);
}

/** Writes --out; a file that cannot be written is the user's to fix (exit 1 with why). */
export async function writeGraphPicture(file: string, picture: string): Promise<void> {
	try {
		await writeFile(file, picture);
	} catch (error) {
		const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
		throw Object.assign(new Error(`--out ${file}: cannot write the picture there (${reason})`), {
			hint: 'give a file in a folder that exists and that you can write to',
		});
	}
}
