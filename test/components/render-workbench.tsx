/**
 * Mount the real workbench on a real stack folder (loaded and watched by the real engine) and
 * wait for the first workspace.
 */
import {render} from 'ink-testing-library';
import {expect, vi} from 'vitest';
import type {WorkbenchServices} from '../../components/services.js';
import {Workbench} from '../../components/Workbench.js';
import type {WorkspaceOptions} from '../../engine/workspace.js';
import {demoTenant} from './stack-fixture.js';

/** The demo tenant's config and no environment variables: how the workbench tests load a stack. */
export const demoOptions: WorkspaceOptions = {tenantConfigPath: demoTenant, env: {}};

/** vi.waitFor settings for frames that follow an event (a file save, a service's answer). */
export const live = {timeout: 10_000, interval: 5};

/** The footer: the frame's last row. */
export const footerOf = (frame: string) => frame.split('\n').at(-1) ?? '';

export async function renderWorkbench(
	root: string,
	options: WorkspaceOptions = demoOptions,
	waitFor = 'Components',
	services?: WorkbenchServices,
	extra: {statusRefreshMs?: number} = {},
) {
	const onExit = vi.fn();
	const rendered = render(
		<Workbench root={root} options={options} onExit={onExit} debounceMs={15} {...(services ? {services} : {})} {...extra} />,
	);
	await vi.waitFor(() => expect(rendered.lastFrame()).toMatch(/loaded|reloaded/), {timeout: 10_000, interval: 5});
	if (waitFor) expect(rendered.lastFrame()).toContain(waitFor);
	return {...rendered, onExit, frame: () => rendered.lastFrame() ?? ''};
}

/** The title of the details pane (the selected component's address), read from the frame. */
export function detailTitle(frame: string): string | undefined {
	const top = frame.split('\n')[1] ?? '';
	return /╮╭─ (.+?) ─/.exec(top)?.[1];
}

/** The tree row carrying the cursor bar. */
export function selectedTreeRow(frame: string): string | undefined {
	return treeColumn(frame)
		.split('\n')
		.find((line) => line.startsWith('│▌'))
		?.slice(2, -1)
		.trim();
}

/** The tree pane's columns of every row of the main area. */
export function treeColumn(frame: string): string {
	const lines = frame.split('\n');
	const width = (lines[1] ?? '').indexOf('╮') + 1;
	return lines.map((line) => line.slice(0, width)).join('\n');
}
