/**
 * The drawn graph in the workbench: `g` draws the stack with the selection pinned (◉), the arrows
 * and hjkl pan, `/` jumps, enter centres, `s` narrows to the neighbourhood, `v` is the list; a
 * file save redraws it with the selection where it was; `g` in the plan review shows the plan.
 */
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, test, vi} from 'vitest';
import type {PlanService} from '../../components/services.js';
import {generateStack} from '../../bench/generate-stack.js';
import {planChanges} from '../../engine/plan/plan.js';
import {KEYS, press} from './keys.js';
import {demoOptions, detailTitle, footerOf, live, renderWorkbench} from './render-workbench.js';
import {copyDemo, readFile, removeTempDirs, tempDir, writeFile} from './stack-fixture.js';
import {nothingWidens} from './plan-fixture.js';

afterEach(() => {
	cleanup();
	removeTempDirs();
});

/** Row and column of the selection's pin in the frame. */
function pin(frame: string): {row: number; column: number} | undefined {
	const rows = frame.split('\n');
	const row = rows.findIndex((r) => r.includes('◉'));
	return row < 0 ? undefined : {row, column: rows[row]!.indexOf('◉')};
}

/** The name in the pinned box (the row under the pin). */
function pinnedName(frame: string): string | undefined {
	const at = pin(frame);
	if (!at) return undefined;
	return /^\S?\s*(\S+)/.exec(frame.split('\n')[at.row + 1]!.slice(at.column))?.[1];
}

/** The 50-component stack of the benchmarks (wider and taller than the pane). */
function generatedStack(): string {
	return generateStack(tempDir(), 50);
}

const eventbridge = 'services/scheduler/eventbridge.yaml';
const resources = 'services/api/resources.yaml';

describe('the drawn graph', () => {
	test('g draws the whole stack with the selection pinned, the edge kinds and the critical path in the legend', async () => {
		const {stdin, frame} = await renderWorkbench(copyDemo());
		await press(stdin, 'g');
		expect(frame()).toContain('Graph · api/api-server');
		expect(frame()).toContain('whole stack · 10 components');
		expect(pinnedName(frame())).toBe('api-server');
		expect(frame()).toMatch(/◉━+★┓/); // on the critical path: heavy border and a star
		for (const legend of ['valueFrom', 'trigger', 'target', 'dependsOn', 'critical path']) expect(frame()).toContain(legend);
		expect(footerOf(frame())).toContain('←↑↓→/hjkl pan');
	});

	test('arrows and hjkl pan a drawing larger than the pane, and stop at its edges', async () => {
		const {stdin, frame} = await renderWorkbench(generatedStack(), {env: {}});
		await press(stdin, 'g', '/', 'c', '0', '0', '0', '0', '9', KEYS.enter); // a component in the middle of the drawing
		const home = pin(frame())!;
		expect(pinnedName(frame())).toBe('c00009-lambda');
		await press(stdin, 'l');
		expect(pin(frame())).toEqual({row: home.row, column: home.column - 8});
		await press(stdin, KEYS.right);
		expect(pin(frame())).toEqual({row: home.row, column: home.column - 16});
		await press(stdin, KEYS.left, 'h');
		expect(pin(frame())).toEqual(home);
		await press(stdin, 'j');
		expect(pin(frame())).toEqual({row: home.row - 3, column: home.column});
		await press(stdin, KEYS.up, 'k');
		expect(pin(frame())).toEqual(home);

		await press(stdin, ...Array.from({length: 20}, () => 'h'), ...Array.from({length: 30}, () => 'k'));
		const corner = frame();
		await press(stdin, 'h', KEYS.left, 'k', KEYS.up); // at the top-left edge already
		expect(frame()).toBe(corner);
		expect(corner).toContain('c00000-sqs');
	});

	test('enter centres the view on the selection after panning it away; tab selects the next component', async () => {
		const {stdin, frame} = await renderWorkbench(generatedStack(), {env: {}});
		await press(stdin, 'g');
		const home = pin(frame());
		await press(stdin, ...Array.from({length: 12}, () => 'l'));
		expect(pin(frame())).toBeUndefined(); // off screen
		await press(stdin, KEYS.enter);
		expect(pin(frame())).toEqual(home);
		await press(stdin, KEYS.tab);
		expect(frame()).toContain('Graph · svc-000/c00001-dynamodb');
		expect(pinnedName(frame())).toBe('c00001-dynamodb');
	});

	test('/ jumps to a component by part of its name and selects it in the tree; esc while typing keeps the view', async () => {
		const {stdin, frame} = await renderWorkbench(copyDemo());
		await press(stdin, 'g', '/', 'd', 'i', 'g');
		expect(frame()).toContain('jump to: dig');
		expect(footerOf(frame())).toContain('enter jump');
		await press(stdin, KEYS.escape);
		expect(frame()).toContain('Graph · api/api-server');
		expect(frame()).not.toContain('jump to:');

		await press(stdin, '/', 'D', 'I', 'G', 'E', 'S', 'T', KEYS.enter);
		expect(frame()).toContain('Graph · scheduler/daily-digest');
		expect(pinnedName(frame())).toBe('daily-digest');
		await press(stdin, '/', 'n', 'o', 'p', 'e', KEYS.enter);
		expect(footerOf(frame())).toContain('no component matches "nope"');
		expect(frame()).toContain('Graph · scheduler/daily-digest');
		await press(stdin, KEYS.escape);
		expect(detailTitle(frame())).toBe('scheduler/daily-digest');
	});

	test('s narrows to the neighbourhood, +/- change its depth, v lists it and back', async () => {
		const {stdin, frame} = await renderWorkbench(copyDemo());
		await press(stdin, 'g', 's');
		expect(frame()).toContain('neighbourhood, depth 2 · 4 components');
		expect(frame()).not.toContain('daily-digest');
		await press(stdin, '-');
		expect(frame()).toContain('neighbourhood, depth 1 · 4 components');
		await press(stdin, 'v');
		expect(frame()).toContain('Upstream: what api-server needs');
		await press(stdin, 'v', 's');
		expect(frame()).toContain('whole stack · 10 components');
	});
});

describe('following file saves', () => {
	test('a new edge appears; a cycle is drawn in the error style with its members named', async () => {
		const root = copyDemo();
		const {stdin, frame} = await renderWorkbench(root);
		await press(stdin, 'g', '/', 'd', 'a', 'i', 'l', 'y', KEYS.enter, 's');
		expect(frame()).toContain('Graph · scheduler/daily-digest');
		const count = Number(/neighbourhood, depth 2 · (\d+) components/.exec(frame())?.[1]);
		expect(frame()).not.toContain('uploads-bucket');

		const original = readFile(root, eventbridge);
		const withEdge = original.replace(
			'  description: "Queue the daily digest notification"\n',
			'  description: "Queue the daily digest notification"\n  dependsOn:\n    - uploads-bucket\n',
		);
		expect(withEdge).not.toBe(original);
		writeFile(root, eventbridge, withEdge);
		await vi.waitFor(() => expect(frame()).toContain(`neighbourhood, depth 2 · ${count + 1} components`), live);
		expect(frame()).toContain('uploads-bucket');
		expect(frame()).not.toContain('cycle:');

		writeFile(
			root,
			resources,
			readFile(root, resources).replace('spec:\n  bucket:\n', 'spec:\n  dependsOn:\n    - daily-digest\n  bucket:\n'),
		);
		await vi.waitFor(() => expect(frame()).toContain('cycle: uploads-bucket → daily-digest → uploads-bucket'), live);
		expect(frame()).toMatch(/╔◉═+⟳╗/); // daily-digest: double border, pinned, on the cycle
		expect(frame()).toContain('╔⟳ in a cycle');
		expect(frame()).toMatch(/✗1 ⚠0/); // and the cycle is an error of the folder
	});

	test('the selection stays where it was on screen when a save changes the drawing', async () => {
		const root = generatedStack();
		const {stdin, frame} = await renderWorkbench(root, {env: {}});
		await press(stdin, 'g', '/', 'c', '0', '0', '0', '2', '5', KEYS.enter);
		expect(pinnedName(frame())).toBe('c00025-s3');
		const where = pin(frame());
		const file = 'services/svc-000/components-02.yaml';
		const extra =
			'---\napiVersion: components.panka.io/v1\nkind: SQS\nmetadata:\n  name: zz-extra-queue\nspec:\n  dependsOn: [c00025-s3]\n';
		writeFile(root, file, `${readFile(root, file)}${extra}`);
		await vi.waitFor(() => expect(frame()).toContain('whole stack · 51 components'), live);
		expect(pin(frame())).toEqual(where);
		expect(pinnedName(frame())).toBe('c00025-s3');
	});
});

describe('the plan on the graph', () => {
	/** As if nothing widened access, so the one skip below is the only one (the review's section for those has its own specs). */
	const realPlan: PlanService = async (workspace) => ({plan: nothingWidens(planChanges(workspace, undefined))});

	test('g in the plan review draws the stack in the plan’s actions, a skip shows what it cuts off; esc goes back to the review', async () => {
		const {stdin, frame} = await renderWorkbench(copyDemo(), demoOptions, 'Components', {plan: realPlan});
		await press(stdin, 'p');
		await vi.waitFor(() => expect(frame()).toContain('Plan review'), live);
		await press(stdin, '/', 'p', 'r', 'o', 'c', KEYS.enter, KEYS.space); // skip worker/processor
		await press(stdin, 'g');
		expect(frame()).toMatch(/Graph · .* plan · whole stack · 10 components/);
		expect(frame()).toMatch(/┃\+ api-db/);
		expect(frame()).toMatch(/│○ processor/);
		expect(frame()).toMatch(/│○ cron-job/); // the scheduler depends on the worker service
		expect(frame()).toContain('+ create');
		expect(frame()).toContain('○ skipped');
		await press(stdin, KEYS.escape);
		expect(frame()).toContain('Plan review');
	});
});
