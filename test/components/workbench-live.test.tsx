/**
 * The workbench follows file saves: a broken file shows up in the diagnostics pane (with its
 * file:line) while the app keeps running, fixing it makes the problem go away, and the selection
 * survives both. Enter on a diagnostic shows the offending lines.
 */
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, test, vi} from 'vitest';
import {KEYS, press} from './keys.js';
import {detailTitle, live, renderWorkbench, selectedTreeRow, treeColumn} from './render-workbench.js';
import {copyDemo, readFile, removeTempDirs, writeFile} from './stack-fixture.js';

afterEach(() => {
	cleanup();
	removeTempDirs();
});

const ecs = 'services/api/ecs.yaml';

describe('live reload', () => {
	test('a broken file appears in the diagnostics pane, and goes away when fixed; the selection is kept', async () => {
		const root = copyDemo();
		const original = readFile(root, ecs);
		const {stdin, frame} = await renderWorkbench(root);
		await press(stdin, KEYS.down); // select api/api-db, not the component about to break
		expect(detailTitle(frame())).toBe('api/api-db');
		expect(frame()).toContain('✓ no problems');

		writeFile(root, ecs, original.replace('  replicas: "${REPLICAS}"', '  replicas: "${REPLICAS}"\n  replicaz: 4'));
		await vi.waitFor(() => expect(frame()).toContain(`✗ ${ecs}:21:3  unknown field "replicaz" in spec`), live);
		expect(frame()).toContain('✗ 1  ⚠ 0');
		expect(treeColumn(frame())).toMatch(/api-server\s+MicroService\s+✗1/);
		expect(treeColumn(frame())).toMatch(/▾ api 4\s+✗1/);
		expect(detailTitle(frame())).toBe('api/api-db');
		expect(selectedTreeRow(frame())).toMatch(/^api-db/);

		writeFile(root, ecs, original);
		await vi.waitFor(() => expect(frame()).toContain('✓ no problems'), live);
		expect(frame()).not.toContain('replicaz');
		expect(detailTitle(frame())).toBe('api/api-db');
		expect(frame()).toMatch(/reloaded/);
	});

	test('when the selected component disappears, the nearest row is selected; the panes do not move', async () => {
		const root = copyDemo();
		const original = readFile(root, ecs);
		const {frame} = await renderWorkbench(root);
		expect(detailTitle(frame())).toBe('api/api-server');
		const paneTops = () =>
			frame()
				.split('\n')
				.flatMap((line, i) => (line.startsWith('╭') ? [i] : []));
		const before = paneTops();

		writeFile(root, ecs, original.replace('  replicas: "${REPLICAS}"', '  replicas: [oops'));
		await vi.waitFor(() => expect(frame()).toContain(`${ecs}:22:3`), live);
		expect(frame()).toContain('Flow sequence in block collection');
		expect(treeColumn(frame())).not.toContain('api-server');
		expect(detailTitle(frame())).toBe('api/api-db');
		expect(paneTops()).toEqual(before);

		writeFile(root, ecs, original);
		await vi.waitFor(() => expect(frame()).toContain('✓ no problems'), live);
		expect(treeColumn(frame())).toContain('api-server');
		expect(detailTitle(frame())).toBe('api/api-db');
	});

	test('enter on a diagnostic shows the offending lines with a caret and the hint; esc goes back', async () => {
		const root = copyDemo();
		writeFile(root, ecs, readFile(root, ecs).replace('  replicas: "${REPLICAS}"', '  replicas: "${REPLICAS}"\n  replicaz: 4'));
		const {stdin, frame} = await renderWorkbench(root);
		expect(frame()).toContain('unknown field "replicaz"');
		await press(stdin, KEYS.tab, KEYS.tab, KEYS.enter);
		expect(frame()).toContain('Diagnostic');
		expect(frame()).toContain('✗ error  unknown-field');
		expect(frame()).toContain(`${ecs}:21:3`);
		expect(frame()).toMatch(/> 21 │ {3}replicaz: 4/);
		expect(frame()).toMatch(/20 │ {3}replicas: "\$\{REPLICAS\}"/);
		expect(frame()).toMatch(/│ {3}\^/);
		expect(frame()).toMatch(/hint: known fields here: image, runtime, replicas/);
		await press(stdin, KEYS.escape);
		expect(frame()).toContain('╭─ Diagnostics');
		expect(frame()).toContain('╭─ Components');
	});
});
