/**
 * The help overlay lists the keymap registry, grouped by context; the graph view shows the
 * selection's upstream and downstream and re-centres as you move.
 */
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, test} from 'vitest';
import {bindings, contextTitles, footerHints, helpSections} from '../../components/keymap.js';
import {activeContexts} from '../../components/state/contexts.js';
import {KEYS, press} from './keys.js';
import {detailTitle, renderWorkbench} from './render-workbench.js';
import {copyDemo, removeTempDirs} from './stack-fixture.js';

afterEach(() => {
	cleanup();
	removeTempDirs();
});

describe('help overlay', () => {
	test('? opens it with the bindings of the registry grouped by context; esc closes it', async () => {
		const {stdin, frame} = await renderWorkbench(copyDemo());
		await press(stdin, '?');
		expect(frame()).toContain('╭─ Keys');
		for (const title of [contextTitles.global, contextTitles.main, contextTitles.overview, contextTitles.tree])
			expect(frame()).toContain(title);
		for (const id of ['quit', 'help', 'focus-next', 'graph', 'new-service', 'collapse'] as const) {
			const binding = bindings.find((b) => b.id === id)!;
			expect(frame()).toContain(binding.description);
		}
		expect(frame()).toMatch(/ q {2,}quit the workbench/);
		// The rest of the registry is further down.
		await press(stdin, '\u001B[F'); // end
		const lastSection = helpSections().at(-1)!;
		expect(frame()).toContain(lastSection.title);
		for (const entry of lastSection.entries) expect(frame()).toContain(entry.description);

		await press(stdin, KEYS.escape);
		expect(frame()).not.toContain('╭─ Keys');
		expect(frame()).toContain('╭─ Components');
		expect(detailTitle(frame())).toBe('api/api-server');
	});

	test('the footer shows the registry hints of the focused pane (at 100 columns, all but the minor ones)', async () => {
		const {stdin, frame} = await renderWorkbench(copyDemo());
		const footer = () => frame().split('\n').at(-1) ?? '';
		for (const hint of footerHints(activeContexts({screen: {type: 'overview'}, focus: 'tree'})).filter((h) => !h.minor))
			expect(footer()).toContain(`${hint.keys} ${hint.label}`);
		await press(stdin, KEYS.tab, KEYS.tab);
		expect(footer()).toContain('enter show lines');
		await press(stdin, '?');
		expect(footer()).toContain('esc back');
		expect(footer()).not.toContain('q quit');
	});
});

describe('graph view', () => {
	test('g then v lists what the selection needs (upstream) and what needs it (downstream)', async () => {
		const {stdin, frame} = await renderWorkbench(copyDemo());
		await press(stdin, 'g', 'v');
		expect(frame()).toContain('Graph · api/api-server');
		expect(frame()).toContain('Upstream: what api-server needs');
		expect(frame()).toMatch(/↑ api\/api-db RDS {2}dependsOn, valueFrom api-db\.endpoint/);
		expect(frame()).toContain('↑ api/notification-queue SQS');
		expect(frame()).toContain('↑ api/uploads-bucket S3');
		expect(frame()).toContain('Downstream: what needs api-server');
		expect(frame()).toContain('nothing depends on it');
	});

	test('in the list, enter re-centres on the highlighted neighbour, ←/→ walk the components, esc returns with it selected', async () => {
		const {stdin, frame} = await renderWorkbench(copyDemo());
		await press(stdin, 'g', 'v', KEYS.up, KEYS.up, KEYS.up); // from the centre up to the first upstream row
		await press(stdin, KEYS.enter);
		expect(frame()).toContain('Graph · api/api-db');
		expect(frame()).toContain('nothing: it can be created first');
		expect(frame()).toMatch(/↓ api\/api-server MicroService/);

		await press(stdin, KEYS.right);
		expect(frame()).toContain('Graph · api/notification-queue');
		expect(frame()).toMatch(/Downstream: what needs notification-queue\s+[1-9]/);
		expect(frame()).toContain('↓ api/api-server MicroService');
		expect(frame()).toMatch(/↓ worker\/processor Lambda/);

		await press(stdin, KEYS.escape);
		expect(frame()).toContain('╭─ Components');
		expect(detailTitle(frame())).toBe('api/notification-queue');
	});

	test('the graph follows the tree selection of a folded service, and g toggles back', async () => {
		const {stdin, frame} = await renderWorkbench(copyDemo());
		await press(stdin, KEYS.left, KEYS.left); // fold api, cursor on the service
		await press(stdin, 'g', 'v');
		expect(frame()).toContain('Graph · api/api-server');
		await press(stdin, KEYS.right);
		expect(frame()).toContain('Graph · api/api-db');
		await press(stdin, 'g');
		expect(detailTitle(frame())).toBe('api/api-db');
	});
});
