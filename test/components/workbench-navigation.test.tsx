/**
 * The overview: moving through the components tree changes the details pane; services fold;
 * tab moves the focus; long lists are virtualised; q and ctrl+c end the app with 0 and 130.
 */
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, test} from 'vitest';
import {footerHints} from '../../components/keymap.js';
import {KEYS, press} from './keys.js';
import {detailTitle, renderWorkbench, selectedTreeRow, treeColumn} from './render-workbench.js';
import {copyDemo, removeTempDirs, tempDir, writeFile} from './stack-fixture.js';

afterEach(() => {
	cleanup();
	removeTempDirs();
});

describe('the components tree', () => {
	test('starts on the first component and shows its resolved values with their origins', async () => {
		const {frame} = await renderWorkbench(copyDemo());
		expect(detailTitle(frame())).toBe('api/api-server');
		expect(selectedTreeRow(frame())).toMatch(/^api-server\s+MicroService/);
		expect(frame()).toContain('Depends on (3)');
		expect(frame()).toContain('← api/api-db RDS');
	});

	test('↓/j and ↑/k move the selection and the details pane follows', async () => {
		const {stdin, frame} = await renderWorkbench(copyDemo());
		await press(stdin, KEYS.down);
		expect(detailTitle(frame())).toBe('api/api-db');
		expect(frame()).toContain('Needed by (1)');
		expect(frame()).toContain('→ api/api-server MicroService');
		await press(stdin, 'j', 'j');
		expect(detailTitle(frame())).toBe('api/uploads-bucket');
		await press(stdin, 'j');
		expect(detailTitle(frame())).toBe('service scheduler');
		expect(frame()).toContain('created after worker');
		await press(stdin, 'k', KEYS.up);
		expect(detailTitle(frame())).toBe('api/notification-queue');
	});

	test('the details pane scrolls to the values and names where each came from', async () => {
		const {stdin, frame} = await renderWorkbench(copyDemo());
		await press(stdin, KEYS.tab);
		await press(stdin, KEYS.pageDown);
		expect(frame()).toContain('Values (44)');
		expect(frame()).toMatch(/runtime\.cpu\s+256 ← 256m\s+ecs\.yaml:17\s.*\n.*↳ \$\{CPU\} = "256m" \(service\.yaml:\d+\)/);
		expect(frame()).toMatch(/image\.tag\s+latest\s+ecs\.yaml:12\s.*\n.*↳ \$\{VERSION\} = "latest" \(:- default\)/);
		await press(stdin, ...Array<string>(13).fill('j'));
		expect(frame()).toMatch(/healthCheck\.timeout\S*\s+5\s+default/);
		expect(detailTitle(frame())).toBe('api/api-server');
	});

	test('← and → fold a service; ← on a component goes to its service', async () => {
		const {stdin, frame} = await renderWorkbench(copyDemo());
		await press(stdin, KEYS.left);
		expect(selectedTreeRow(frame())).toMatch(/^▾ api 4/);
		await press(stdin, KEYS.left);
		expect(selectedTreeRow(frame())).toMatch(/^▸ api 4/);
		expect(treeColumn(frame())).not.toContain('api-db');
		await press(stdin, KEYS.down);
		expect(selectedTreeRow(frame())).toMatch(/^▾ scheduler/);
		await press(stdin, KEYS.up, KEYS.right, KEYS.down);
		expect(detailTitle(frame())).toBe('api/api-server');
	});

	test('tab and shift+tab move the focus between the panes, and the footer follows it', async () => {
		const {stdin, frame} = await renderWorkbench(copyDemo());
		const focusedTitle = () => /╭─ (\w+)/.exec(frame())?.[1];
		expect(frame()).toContain('←→ fold');
		await press(stdin, KEYS.tab);
		expect(frame()).not.toContain('←→ fold');
		await press(stdin, KEYS.tab);
		expect(frame()).toContain(footerHints(['diagnostics'])[0]!.label);
		await press(stdin, KEYS.shiftTab, KEYS.shiftTab);
		expect(frame()).toContain('←→ fold');
		expect(focusedTitle()).toBe('Components');
	});

	test('a long list is virtualised: the frame never grows past the terminal', async () => {
		const root = tempDir();
		const queues = Array.from(
			{length: 300},
			(_, i) =>
				`apiVersion: components.panka.io/v1\nkind: SQS\nmetadata:\n  name: queue-${String(i).padStart(3, '0')}\n  service: bulk\n  stack: big\nspec:\n  type: standard\n`,
		);
		writeFile(root, 'stack.yaml', 'apiVersion: core.panka.io/v1\nkind: Stack\nmetadata:\n  name: big\nspec: {}\n');
		writeFile(
			root,
			'services/bulk/service.yaml',
			'apiVersion: core.panka.io/v1\nkind: Service\nmetadata:\n  name: bulk\n  stack: big\nspec: {}\n',
		);
		writeFile(root, 'services/bulk/queues.yaml', queues.join('---\n'));
		const {stdin, frame} = await renderWorkbench(root, {env: {}});
		expect(frame().split('\n').length).toBeLessThanOrEqual(39);
		expect(frame()).toContain('queue-000');
		expect(frame()).not.toContain('queue-299');
		await press(stdin, KEYS.pageDown);
		expect(frame().split('\n').length).toBeLessThanOrEqual(39);
		await press(stdin, '\u001B[F'); // end
		expect(detailTitle(frame())).toBe('bulk/queue-299');
		expect(frame()).not.toContain('queue-000');
		expect(frame().split('\n').length).toBeLessThanOrEqual(39);
	});
});

describe('unusual folders', () => {
	test('a stack without services says how to add one', async () => {
		const root = tempDir();
		writeFile(root, 'stack.yaml', 'apiVersion: core.panka.io/v1\nkind: Stack\nmetadata:\n  name: bare\nspec: {}\n');
		writeFile(root, 'services/.gitkeep', '');
		const {stdin, frame} = await renderWorkbench(root, {env: {}});
		expect(frame()).toContain('panka bare');
		expect(frame()).toContain('press n to add one');
		await press(stdin, 'j', 'g');
		expect(frame()).toContain('nothing to graph: select a component');
		await press(stdin, 'j');
		expect(frame()).not.toContain('nothing to graph');
	});

	test('a folder that is not a stack shows the engine’s diagnostics, and n refuses', async () => {
		const root = tempDir();
		const {stdin, frame} = await renderWorkbench(root, {env: {}});
		expect(frame()).toMatch(/✗ stack\.yaml.*missing-stack-file/);
		await press(stdin, 'n');
		expect(frame()).toContain('no stack.yaml here');
		expect(frame()).toContain('╭─ Components');
	});
});

describe('keys that arrive together', () => {
	test('each key of a chunk acts, in order, on the state the previous one left', async () => {
		const {stdin, frame} = await renderWorkbench(copyDemo());
		await press(stdin, 'jjg'); // one write: a fast typist, key repeat or tmux send-keys
		expect(frame()).toContain('Graph · api/notification-queue');
		// (esc goes alone: a terminal reads esc followed by a key as alt+key)
		await press(stdin, KEYS.escape, '?');
		expect(frame()).toContain('╭─ Keys');
		await press(stdin, KEYS.escape, '\t\t');
		expect(frame().split('\n').at(-1)).toContain('enter show lines');
		await press(stdin, `${KEYS.down}${KEYS.down}${KEYS.up}`);
		expect(frame()).toContain('╭─ Diagnostics');
	});
});

describe('leaving', () => {
	test('q ends the app with exit code 0', async () => {
		const {stdin, onExit} = await renderWorkbench(copyDemo());
		await press(stdin, 'q');
		expect(onExit).toHaveBeenCalledWith(0);
		expect(stdin.listenerCount('readable')).toBe(0);
	});

	test('ctrl+c ends the app with exit code 130, from an overlay too', async () => {
		const {stdin, onExit} = await renderWorkbench(copyDemo());
		await press(stdin, '?', KEYS.ctrlC);
		expect(onExit).toHaveBeenCalledWith(130);
		expect(stdin.listenerCount('readable')).toBe(0);
	});

	test('q does not quit from the help overlay (esc closes it first)', async () => {
		const {stdin, onExit, frame} = await renderWorkbench(copyDemo());
		await press(stdin, '?', 'q');
		expect(onExit).not.toHaveBeenCalled();
		expect(frame()).toContain('Keys');
	});
});
