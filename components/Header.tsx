/**
 * The top row: stack, tenant, environment, counts, and the reload indicator ("reloading…" while
 * the first load or a wizard's files are pending, else "reloaded 4s ago (35 ms)").
 */
import {countBySeverity, environmentLabel} from '../engine/index.js';
import type {Workspace} from '../engine/index.js';
import {useNow} from './hooks/use-now.js';
import {LineText} from './LineText.js';
import {type Line, lineWidth, seg, spread} from './model/line.js';
import {theme} from './theme.js';

export interface HeaderProps {
	workspace: Workspace | undefined;
	root: string;
	reloading: boolean;
	loads: number;
	failure?: string;
	width: number;
}

export function formatAgo(ms: number): string {
	if (ms < 1000) return 'just now';
	if (ms < 60_000) return `${Math.floor(ms / 1000)}s ago`;
	if (ms < 3_600_000) return `${Math.floor(ms / 60_000)}m ago`;
	return `${Math.floor(ms / 3_600_000)}h ago`;
}

export function Header({workspace, root, reloading, loads, failure, width}: HeaderProps) {
	const now = useNow();
	const reload = (withDuration: boolean): Line => {
		if (failure) return [seg(`watch failed: ${failure}`, {color: theme.error})];
		if (reloading || !workspace) return [seg(workspace ? 'reloading…' : 'loading…', {color: theme.warning})];
		const ago = `${loads > 1 ? 'reloaded' : 'loaded'} ${formatAgo(Math.max(0, now - workspace.loadedAt))}`;
		return [seg(withDuration ? `${ago} (${Math.round(workspace.durationMs)} ms)` : ago, {dim: true})];
	};
	// Widest variant that fits: labels first, then the load time, then the compact form.
	const variants: Array<[Line, Line]> = [
		[headerLeft(workspace, root, false), reload(true)],
		[headerLeft(workspace, root, true), reload(true)],
		[headerLeft(workspace, root, true), reload(false)],
	];
	const [left, right] = variants.find(([l, r]) => lineWidth(l) + 1 + lineWidth(r) <= width) ?? variants[2]!;
	return <LineText line={spread(left, right, width)} width={width} />;
}

/** Stack, tenant, environment and counts; `compact` drops the labels for narrow terminals. */
function headerLeft(workspace: Workspace | undefined, root: string, compact: boolean): Line {
	const left: Line = [seg('panka ', {bold: true, color: theme.accent})];
	if (!workspace) return [...left, seg(root, {dim: true})];
	const counts = countBySeverity(workspace.diagnostics);
	const gap = seg(compact ? '  ' : '  │  ', {dim: true});
	left.push(
		seg(workspace.stack.name || '(unnamed stack)', {bold: true}),
		seg(compact ? '  ' : '  tenant ', {dim: true}),
		seg(workspace.tenantName),
		seg(compact ? '/' : '  env ', {dim: true}),
		seg(
			environmentLabel(workspace.environment, workspace.environmentSettings?.protected),
			workspace.environmentSettings?.protected ? {color: theme.warning, bold: true} : {},
		),
		gap,
		seg(
			compact
				? `${workspace.components.length} components`
				: `${workspace.services.length} services · ${workspace.components.length} components`,
		),
		gap,
		seg(compact ? `✗${counts.error}` : `✗ ${counts.error}`, counts.error > 0 ? {color: theme.error, bold: true} : {dim: true}),
		seg(compact ? ' ' : '  '),
		seg(compact ? `⚠${counts.warning}` : `⚠ ${counts.warning}`, counts.warning > 0 ? {color: theme.warning} : {dim: true}),
	);
	return left;
}
