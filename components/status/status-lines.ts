/**
 * Health as text lines: the tree's one-cell verdict marker and the status pane's rows. Pure; the
 * health is the workbench's latest answer from the caller's status service (undefined before the
 * first answer, or without the service: then no marker column and a pane that says so).
 *
 *   ✓  green   healthy
 *   ⚠  yellow  degraded
 *   ✗  red     failing
 *   ?  dim     unknown (not read, or could not be)
 *
 * Invariants: every fact a reader gave is shown, the reasons for a verdict in its colour; text from
 * AWS goes through the terminal-text sanitiser (fitLine / printable), never raw.
 */
import {type ComponentHealth, type HealthVerdict, stackVerdict} from '../../engine/index.js';
import type {StackStatus} from '../../engine/observe.js';
import {type Line, type Segment, seg} from '../model/line.js';
import type {BaseScreen} from '../state/screens.js';
import type {WorkbenchState} from '../state/workbench-state.js';
import {theme} from '../theme.js';

export type Health = {status: StackStatus} | {error: string} | undefined;

/** How often the status pane reads the health again. */
export const statusRefreshMs = 5_000;

/** Rows of health lines in a pane `height` tall: borders and the status line taken. */
export function statusRows(height: number): number {
	return Math.max(1, height - 3);
}

/** The status pane's view as it is drawn now (its rows also decide how far it scrolls). */
export function statusPaneView(
	state: Pick<WorkbenchState, 'health' | 'canReadStatus' | 'readOnly'>,
	screen: Extract<BaseScreen, {type: 'status'}>,
): StatusView {
	return statusView(state.health, screen.whole ? 'whole stack' : screen.scope.label, screen.whole ? undefined : screen.scope.addresses, {
		canRead: state.canReadStatus,
		refreshSeconds: statusRefreshMs / 1000,
		...(state.readOnly ? {readOnly: state.readOnly} : {}),
	});
}

const verdictStyle: Readonly<Record<HealthVerdict, {glyph: string; style: Omit<Segment, 'text'>}>> = {
	healthy: {glyph: '✓', style: {color: theme.ok}},
	degraded: {glyph: '⚠', style: {color: theme.warning}},
	failing: {glyph: '✗', style: {color: theme.error, bold: true}},
	unknown: {glyph: '?', style: {dim: true}},
};

export function verdictSegment(verdict: HealthVerdict, text = verdictStyle[verdict].glyph): Segment {
	return seg(text, verdictStyle[verdict].style);
}

/** The tree's marker for `address`: its verdict, none when it was not read (not deployed, or no answer yet). */
export function healthMarker(health: Health, address: string): Segment | undefined {
	if (!health || 'error' in health) return undefined;
	const component = health.status.components.find((c) => c.address === address);
	return component ? verdictSegment(component.verdict) : undefined;
}

/** The details pane's health line for `address`: its verdict and the facts that make it; none when not read. */
export function healthLine(health: Health, address: string): Line | undefined {
	if (!health || 'error' in health) return undefined;
	const component = health.status.components.find((c) => c.address === address);
	if (!component) return undefined;
	const reasons = component.facts.filter((fact) => fact.verdict !== undefined);
	return [
		verdictSegment(component.verdict, `${verdictStyle[component.verdict].glyph} ${component.verdict}`),
		...(reasons.length > 0
			? [seg(`: ${reasons.map((f) => `${f.name} ${f.value}`).join('; ')}`, verdictStyle[component.verdict].style)]
			: []),
		seg('  s shows the facts', {dim: true}),
	];
}

export interface StatusView {
	title: string;
	status: Line;
	rows: Line[];
}

/** The pane's title, status line and rows for the components at `addresses` (all deployed ones when undefined). */
export function statusView(
	health: Health,
	label: string,
	addresses: readonly string[] | undefined,
	options: {readOnly?: string; canRead: boolean; refreshSeconds: number},
): StatusView {
	const title = `status · ${label}`;
	if (!options.canRead)
		return {
			title,
			status: [
				seg(options.readOnly ?? 'status needs a tenant: panka login (or PANKA_TENANT + PANKA_TENANT_SECRET)', {color: theme.warning}),
			],
			rows: [],
		};
	if (!health) return {title, status: [seg('reading the health of the stack from AWS…', {dim: true})], rows: []};
	if ('error' in health) return {title, status: [seg(`status unknown: ${health.error}`, {color: theme.warning})], rows: []};
	const shown = addresses ? health.status.components.filter((c) => addresses.includes(c.address)) : health.status.components;
	const notDeployed = addresses ? addresses.filter((a) => !shown.some((c) => c.address === a)) : [];
	const verdict: HealthVerdict = addresses ? stackVerdict(shown) : health.status.verdict;
	const status: Line = [
		verdictSegment(verdict, `${verdictStyle[verdict].glyph} ${verdict}`),
		seg(`  ${shown.length} read · ${health.status.readAt.slice(11, 19)} UTC · again every ${options.refreshSeconds} s`, {dim: true}),
	];
	const rows: Line[] = [];
	for (const component of shown) rows.push(...componentLines(component));
	for (const address of notDeployed) rows.push([seg('○ ', {dim: true}), seg(address, {bold: true}), seg('  not deployed', {dim: true})]);
	if (rows.length === 0) rows.push([seg('nothing deployed: a (apply) deploys the stack', {dim: true})]);
	return {title, status, rows};
}

function componentLines(component: ComponentHealth): Line[] {
	const lines: Line[] = [
		[
			verdictSegment(component.verdict),
			seg(' '),
			seg(component.address, {bold: true}),
			seg(`  ${component.kind}  `, {color: theme.kind}),
			verdictSegment(component.verdict, component.verdict),
		],
	];
	for (const fact of component.facts)
		lines.push([seg('    '), seg(`${fact.name}: ${fact.value}`, fact.verdict ? verdictStyle[fact.verdict].style : {})]);
	for (const event of component.events) lines.push([seg(`    ${event.at.slice(11, 19)} ${event.message}`, {dim: true})]);
	if (component.verdict === 'failing' && component.hasLogs) lines.push([seg('    l ', {bold: true}), seg('shows its logs', {dim: true})]);
	return lines;
}
