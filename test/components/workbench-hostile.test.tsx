/**
 * The workbench shows user text with control characters escaped: a name, a value or a message
 * holding ESC sequences never reaches the terminal raw (it could clear the screen, hide a line or
 * retitle the window), in the tree, the details, the diagnostics or a pane title.
 */
import {cleanup} from 'ink-testing-library';
import {afterEach, expect, test} from 'vitest';
import {KEYS, press} from './keys.js';
import {detailTitle, renderWorkbench} from './render-workbench.js';
import {copyDemo, removeTempDirs, writeFile} from './stack-fixture.js';

afterEach(() => {
	cleanup();
	removeTempDirs();
});

test('names, values and messages with escape sequences are shown escaped', async () => {
	const root = copyDemo();
	writeFile(
		root,
		'services/api/evil.yaml',
		'apiVersion: components.panka.io/v1\nkind: "SQS\\e[2J"\nmetadata:\n  name: "evil\\e]0;owned\\a"\nspec: {}\n---\napiVersion: components.panka.io/v1\nkind: SQS\nmetadata:\n  name: "queue\\e[8mhidden"\n',
	);
	const {stdin, frame} = await renderWorkbench(root);
	const rawControl = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
	expect(frame()).not.toMatch(rawControl);
	expect(frame()).toContain('queue\\u001b[8mhidd'); // the tree
	expect(frame()).toContain('unknown kind "SQS\\u001b[2J"'); // the diagnostics
	await press(stdin, KEYS.down);
	expect(detailTitle(frame())).toBe('api/queue\\u001b[8mhidden'); // a pane title
	expect(frame()).not.toMatch(rawControl);
});
