/**
 * The header of an apply in line mode (--no-tui) lists what the run will change, the approved
 * changes, and apart from them what it holds back and why: a skipped change is never shown as one
 * about to be made.
 */
import {describe, expect, it} from 'vitest';
import {planChanges} from '../../engine/plan/plan.js';
import {selectChanges} from '../../engine/plan/selection.js';
import {loadWorkspace} from '../../engine/workspace.js';
import {painter} from '../../source/context.js';
import {applyHeader} from '../../source/render/apply-text.js';
import {demoStack, demoTenant} from '../components/stack-fixture.js';

describe('the apply header', () => {
	it('lists the approved changes under what they do, and the skipped ones as held back with the reason', async () => {
		const workspace = await loadWorkspace(demoStack, {tenantConfigPath: demoTenant, env: {}});
		const plan = planChanges(workspace, undefined);
		const selection = selectChanges(plan, {skip: ['worker/processor']});
		const lines = applyHeader(plan, selection, workspace, 'apply', painter(false));
		const start = lines.findIndex((l) => l.startsWith('Resources to create:'));
		const created = lines.slice(start, lines.indexOf('', start));
		expect(created[0]).toBe(`Resources to create: ${selection.approved.size}`);
		expect(created.join('\n')).not.toContain('worker/processor');
		const held = lines.slice(lines.findIndex((l) => l.startsWith('Held back:')));
		expect(held[0]).toBe(`Held back: ${selection.skipped.size}`);
		for (const address of selection.skipped.keys())
			expect(held.some((l) => l.includes(`${address} (`) && l.endsWith(`: ${selection.skipped.get(address)}`))).toBe(true);
	});

	it('has no held-back section when everything is approved', async () => {
		const workspace = await loadWorkspace(demoStack, {tenantConfigPath: demoTenant, env: {}});
		const plan = planChanges(workspace, undefined);
		const lines = applyHeader(plan, selectChanges(plan, {skip: []}), workspace, 'apply', painter(false));
		expect(lines.some((l) => l.startsWith('Held back'))).toBe(false);
		expect(lines).toContain(`Resources to create: ${plan.summary.create}`);
	});
});
