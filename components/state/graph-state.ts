/**
 * The drawn graph's viewport, as pure functions of the graph screen: pan, centre on the
 * selection, keep the selection in place when the picture changes (a reload, a new depth or
 * scope, a resize), and the `/` jump.
 *
 * Invariants:
 * - The pan is always clamped to the picture (graph-picture.ts `clampPan`).
 * - When the picture changes under the user, the selected box stays where it was on screen; only
 *   when it was not drawn before is the view centred on it (keptInPlace).
 * - A jump matches a component name without regard to case: an exact name first, then the first
 *   name (by address) that starts with the text, then the first that contains it.
 */
import type {Workspace} from '../../engine/index.js';
import type {KeyPress} from '../keymap.js';
import {centredOn, type GraphPicture, graphPicture, keptInPlace, panBy} from '../model/graph-picture.js';
import type {Layout} from './layout.js';
import type {BaseScreen} from './screens.js';

export type GraphScreen = Extract<BaseScreen, {type: 'graph'}>;

/** Where the graph is drawn: the pane sizes, and whether without colour (the legend differs). */
export interface GraphSurface {
	size: Layout;
	glyphs: boolean;
}

export function pictureOf(workspace: Workspace | undefined, screen: GraphScreen, surface: GraphSurface): GraphPicture | undefined {
	return graphPicture(
		workspace,
		{scope: screen.scope, centre: screen.centre, depth: screen.depth, ...(screen.plan ? {plan: screen.plan} : {})},
		surface.size,
		surface.glyphs,
	);
}

/** The view centred on the selection. */
export function centreView(workspace: Workspace | undefined, screen: GraphScreen, surface: GraphSurface): GraphScreen {
	const picture = pictureOf(workspace, screen, surface);
	return picture ? {...screen, pan: centredOn(picture, screen.centre)} : screen;
}

export function panView(workspace: Workspace | undefined, screen: GraphScreen, surface: GraphSurface, dx: number, dy: number): GraphScreen {
	const picture = pictureOf(workspace, screen, surface);
	if (!picture) return screen;
	const pan = panBy(picture, screen.pan, dx, dy);
	return pan.x === screen.pan.x && pan.y === screen.pan.y ? screen : {...screen, pan};
}

/**
 * `after` (the same screen with a new workspace, depth, scope or size) with its pan moved so the
 * selection stays where it was in `before`.
 */
export function followPicture(
	before: {workspace: Workspace | undefined; screen: GraphScreen; surface: GraphSurface},
	after: {workspace: Workspace | undefined; screen: GraphScreen; surface: GraphSurface},
): GraphScreen {
	const next = pictureOf(after.workspace, after.screen, after.surface);
	if (!next) return after.screen;
	const previous = pictureOf(before.workspace, before.screen, before.surface);
	return {...after.screen, pan: keptInPlace(previous, before.screen.pan, next, after.screen.centre)};
}

/** The component a jump lands on, if any (see the module header). */
export function jumpTarget(workspace: Workspace | undefined, text: string): string | undefined {
	const query = text.trim().toLowerCase();
	if (!workspace || query === '') return undefined;
	const names = [...workspace.graph.nodes.values()].map((n) => n.id);
	const lower = (name: string) => name.toLowerCase();
	return (
		names.find((n) => lower(n) === query) ?? names.find((n) => lower(n).startsWith(query)) ?? names.find((n) => lower(n).includes(query))
	);
}

/** A key no binding took while the jump is typed: printable text is appended. */
export function jumpTyped(screen: GraphScreen, press: KeyPress): GraphScreen {
	if (screen.jump === undefined || press.ctrl || press.meta || press.input === '' || /[\u0000-\u001f\u007f]/.test(press.input))
		return screen;
	return {...screen, jump: screen.jump + press.input};
}
