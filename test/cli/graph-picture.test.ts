/** `panka graph --format svg|html [--plan] [--out]`: the pictures panka draws itself, through the built binary. */
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {makePlanFile, serializePlanFile} from '../../engine/plan/plan-file.js';
import {planChanges} from '../../engine/plan/plan.js';
import {selectChanges} from '../../engine/plan/selection.js';
import {loadWorkspace} from '../../engine/workspace.js';
import {runCli} from '../helpers/run-cli.js';
import {demoStack, demoTenant} from '../components/stack-fixture.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'panka-graph-picture-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));
const demo = ['graph', demoStack, '--tenant-config', demoTenant];

/** A plan of the demo against no state (every component created), with worker/processor skipped. */
async function demoPlanFile(): Promise<string> {
	const workspace = await loadWorkspace(demoStack, {tenantConfigPath: demoTenant, env: {}});
	const plan = planChanges(workspace, undefined);
	const selection = selectChanges(plan, {skip: ['worker/processor']});
	const file = path.join(dir, 'plan.json');
	writeFileSync(file, serializePlanFile(makePlanFile(plan, {stackFolder: demoStack, selection})));
	return file;
}

describe('panka graph --format svg|html', () => {
	it('writes an SVG on stdout with a box for every component', () => {
		const result = runCli([...demo, '--format', 'svg']);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/^<svg xmlns/);
		for (const id of ['api-db', 'api-server', 'processor', 'daily-digest']) expect(result.stdout).toContain(`data-id="${id}"`);
	});

	it('writes one HTML file with --out, and says so on stderr', () => {
		const out = path.join(dir, 'graph.html');
		const result = runCli([...demo, '--format', 'html', '--out', out]);
		expect(result.code).toBe(0);
		expect(result.stdout).toBe('');
		expect(result.stderr).toBe(`wrote ${out}\n`);
		expect(readFileSync(out, 'utf8')).toMatch(/^<!doctype html>/);
	});

	it('writes no picture of a folder that is not a stack: the errors say why, exit 1', () => {
		const out = path.join(dir, 'nothing.svg');
		const result = runCli(['graph', dir, '--format', 'svg', '--out', out]);
		expect(result.code).toBe(1);
		expect(result.stderr).toContain('stack.yaml is missing: this folder is not a stack');
		expect(result.stderr).not.toContain('wrote');
		expect(existsSync(out)).toBe(false);
	});

	it('colours by a saved plan: its actions, and what the selection skips (and what that cuts off)', async () => {
		const plan = await demoPlanFile();
		const result = runCli([...demo, '--format', 'svg', '--plan', plan]);
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/class="node critical plan-create" data-id="api-db"/);
		expect(result.stdout).toMatch(/class="node plan-skipped" data-id="processor"/);
		// The scheduler's components depend on the worker service: skipping processor skips them too.
		expect(result.stdout).toMatch(/class="node plan-skipped" data-id="cron-job"/);
	});

	it('refuses --plan without a picture format, a file that is not a plan, and an --out it cannot write, with a clear message', () => {
		const ascii = runCli([...demo, '--plan', 'plan.json']);
		expect(ascii.code).toBe(2);
		expect(ascii.stderr).toContain('--plan goes with --format svg or html');
		const notPlan = path.join(dir, 'not-a-plan.json');
		writeFileSync(notPlan, '{"hello": 1}');
		const bad = runCli([...demo, '--format', 'html', '--plan', notPlan]);
		expect(bad.code).toBe(1);
		expect(bad.stderr).toContain(`${notPlan} is not a panka plan file`);
		expect(bad.stderr).not.toMatch(/\n\s+at /);
		const nowhere = path.join(dir, 'no-such-folder', 'graph.svg');
		const unwritable = runCli([...demo, '--format', 'svg', '--out', nowhere]);
		expect(unwritable.code).toBe(1);
		expect(unwritable.stderr).toContain(`--out ${nowhere}: cannot write the picture there (ENOENT)`);
		expect(unwritable.stderr).not.toContain('PANKA_DEBUG');
	});
});
