/**
 * The HTML export in a real browser: headless Chromium (Debian's `chromium` package, driven by
 * playwright-core) opens the file `panka graph --format html` wrote, and the rendered DOM must
 * have every component's box and every edge drawn; hover shows a component's details, the wheel
 * zooms. A screenshot is kept in test-output/ (PANKA_TEST_OUTPUT to put it elsewhere).
 *
 * Skipped, saying how to install it, only when there is no Chromium (PANKA_CHROMIUM names one).
 */
import {existsSync, mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {type Browser, chromium} from 'playwright-core';
import {afterAll, describe, expect, it} from 'vitest';
import {loadWorkspace} from '../../engine/workspace.js';
import {demoStack, demoTenant, repoRoot} from '../components/stack-fixture.js';
import {runCli} from '../helpers/run-cli.js';

const candidates = [process.env.PANKA_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => !!p);
const executable = candidates.find((p) => existsSync(p));
const outputDir = process.env.PANKA_TEST_OUTPUT ?? path.join(repoRoot, 'test-output');
const install =
	'install it with `apt-get update && apt-get install -y chromium` (Debian/Ubuntu), or set PANKA_CHROMIUM to a Chromium binary';

/** The little of the DOM these checks use (the tests compile without the DOM library). */
interface Dom {
	getAttribute(name: string): string | null;
	getTotalLength(): number;
}
const transformOf = (element: unknown) =>
	(globalThis as unknown as {getComputedStyle(e: unknown): {transform: string}}).getComputedStyle(element).transform;

const dir = mkdtempSync(path.join(os.tmpdir(), 'panka-graph-html-'));
let browser: Browser | undefined;
afterAll(async () => {
	await browser?.close();
	rmSync(dir, {recursive: true, force: true});
});

if (!executable) {
	process.stderr.write(`graph HTML browser test skipped: no Chromium (looked at ${candidates.join(', ')}); ${install}\n`);
}

describe('the HTML export in headless Chromium', () => {
	it.skipIf(!executable)(
		`shows every component and edge, details on hover, zooms, and leaves a screenshot${executable ? '' : ` (skipped: no Chromium; ${install})`}`,
		{timeout: 90_000},
		async () => {
			const file = path.join(dir, 'demo.html');
			const result = runCli(['graph', demoStack, '--tenant-config', demoTenant, '--format', 'html', '--out', file]);
			expect(result.code, result.stderr).toBe(0);
			const {graph} = await loadWorkspace(demoStack, {tenantConfigPath: demoTenant, env: {}});

			browser = await chromium.launch({executablePath: executable, args: ['--no-sandbox']});
			const page = await browser.newPage({viewport: {width: 1200, height: 900}});
			const errors: string[] = [];
			page.on('pageerror', (error) => errors.push(error.message));
			await page.goto(pathToFileURL(file).href);

			const ids = await page.locator('g.node').evaluateAll((nodes) => nodes.map((n) => (n as unknown as Dom).getAttribute('data-id')));
			expect(ids.sort()).toEqual([...graph.nodes.keys()].sort());
			for (const id of graph.nodes.keys()) {
				const box = await page.locator(`g.node[data-id="${id}"]`).boundingBox();
				expect(box?.width, id).toBeGreaterThan(20);
				expect(box?.height, id).toBeGreaterThan(10);
			}
			const lengths = await page.locator('path.edge').evaluateAll((paths) => paths.map((p) => (p as unknown as Dom).getTotalLength()));
			expect(lengths).toHaveLength(graph.edges.length);
			for (const length of lengths) expect(length).toBeGreaterThan(10);
			expect(await page.locator('g.legend').textContent()).toContain('critical path');

			await page.hover('g.node[data-id="api-db"]');
			await expect.poll(() => page.locator('#details').isVisible()).toBe(true);
			expect(await page.locator('#details').textContent()).toContain('api/api-db');

			const before = await page.locator('#viewport > svg').evaluate(transformOf);
			await page.mouse.move(400, 300);
			await page.mouse.wheel(0, -400);
			await expect.poll(() => page.locator('#viewport > svg').evaluate(transformOf)).not.toBe(before);
			await page.keyboard.press('0');

			mkdirSync(outputDir, {recursive: true});
			const screenshot = path.join(outputDir, 'graph-html-demo.png');
			await page.screenshot({path: screenshot});
			expect(existsSync(screenshot)).toBe(true);
			expect(errors).toEqual([]);
		},
	);
});
