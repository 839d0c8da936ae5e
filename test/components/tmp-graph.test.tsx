import {afterEach, expect, test} from 'vitest';
import {KEYS, press} from './keys.js';
import {renderWorkbench} from './render-workbench.js';
import {copyDemo, removeTempDirs} from './stack-fixture.js';
afterEach(() => removeTempDirs());
test('look', async () => {
	const {stdin, frame} = await renderWorkbench(copyDemo());
	await press(stdin, 'g');
	console.log(frame());
	await press(stdin, 's');
	console.log(frame());
	await press(stdin, '/', 'p', 'r', 'o', KEYS.enter);
	console.log(frame());
});
