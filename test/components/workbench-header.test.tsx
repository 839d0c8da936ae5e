/**
 * The workbench header says what a cut-off run left on the stack, from the caller's
 * stackCondition service: a lock held by someone (`⚠ locked by …`), a lock whose holder is gone
 * (`✗ dead lock (…)`), and the operations the recorded state has in flight; nothing when the stack
 * is free. On a narrow terminal the holder's name goes, the marks stay. The tenant's budget shows
 * once its recorded spend passes the warning threshold.
 */
import {cleanup, render} from 'ink-testing-library';
import {afterEach, describe, expect, test, vi} from 'vitest';
import {Header} from '../../components/Header.js';
import type {StackCondition, WorkbenchServices} from '../../components/services.js';
import {demoOptions, live, renderWorkbench} from './render-workbench.js';
import {copyDemo, removeTempDirs} from './stack-fixture.js';

afterEach(() => {
	cleanup();
	removeTempDirs();
});

const headerOf = (frame: string) => frame.split('\n')[0] ?? '';

async function workbenchWith(condition: StackCondition) {
	const stackCondition = vi.fn(async () => condition);
	const services: WorkbenchServices = {deployedStatus: async () => ({}), stackCondition};
	const rendered = await renderWorkbench(copyDemo(), demoOptions, 'Components', services);
	await vi.waitFor(() => expect(stackCondition).toHaveBeenCalledTimes(1), live);
	return rendered;
}

describe('the header shows what a cut-off run left on the stack', () => {
	test('a dead lock and the operations left in flight', async () => {
		const {frame} = await workbenchWith({lock: {dead: true, holder: 'ci@runner'}, inFlight: 2});
		await vi.waitFor(() => expect(headerOf(frame())).toMatch(/✗ dead lock( \(ci@runner\))? ⚠ 2 in flight {2}loaded/), live);
		expect(headerOf(frame())).toMatch(/^panka notification-platform/);
	});

	test('a lock held by a live run', async () => {
		const {frame} = await workbenchWith({lock: {dead: false, holder: 'ana@laptop'}, inFlight: 0});
		await vi.waitFor(() => expect(headerOf(frame())).toMatch(/⚠ locked( by ana@laptop)? {2}loaded/), live);
		expect(headerOf(frame())).not.toContain('in flight');
	});

	test('nothing when the stack is free and nothing is in flight', async () => {
		const {frame} = await workbenchWith({inFlight: 0});
		await vi.waitFor(() => expect(headerOf(frame())).toMatch(/loaded/), live);
		expect(headerOf(frame())).not.toMatch(/lock|in flight/);
	});

	test('the tenant budget from its warning threshold, and over it', async () => {
		const under = await workbenchWith({inFlight: 0, budget: {spend: 79, limit: 100, warnAt: 0.8}});
		await vi.waitFor(() => expect(headerOf(under.frame())).toMatch(/loaded/), live);
		expect(headerOf(under.frame())).not.toContain('budget');
		cleanup();
		const warned = await workbenchWith({inFlight: 0, budget: {spend: 87, limit: 100, warnAt: 0.8}});
		await vi.waitFor(() => expect(headerOf(warned.frame())).toMatch(/⚠ budget 87 % {2}loaded/), live);
		cleanup();
		const over = await workbenchWith({inFlight: 1, budget: {spend: 120, limit: 100, warnAt: 0.8}});
		await vi.waitFor(() => expect(headerOf(over.frame())).toMatch(/⚠ 1 in flight ✗ over budget 120 % {2}loaded/), live);
	});

	test('the holder is named where it fits; on a narrow terminal it goes and the marks stay', () => {
		const wide = render(
			<Header
				workspace={undefined}
				root="/stacks/shop"
				reloading={false}
				loads={1}
				condition={{lock: {dead: false, holder: 'ana@laptop'}, inFlight: 0}}
				width={100}
			/>,
		);
		expect(wide.lastFrame()).toMatch(/^panka \/stacks\/shop +⚠ locked by ana@laptop {2}loading…$/);
		wide.unmount();
		const {lastFrame} = render(
			<Header
				workspace={undefined}
				root="/stacks/shop"
				reloading={false}
				loads={1}
				condition={{lock: {dead: true, holder: 'ci@runner'}, inFlight: 3}}
				width={50}
			/>,
		);
		const header = lastFrame() ?? '';
		expect(header).toContain('✗ dead lock ⚠ 3 in flight');
		expect(header).not.toContain('ci@runner');
	});
});
