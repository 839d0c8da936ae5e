/** The benchmark's generated stacks are valid, so `npm run bench` measures the real path. */
import {describe, expect, it} from 'vitest';
import {generateStack} from '../../bench/generate-stack.js';
import {loadWorkspace} from '../../engine/workspace.js';
import {tempDir} from '../helpers/stack-fixture.js';

describe('generateStack', () => {
	it('writes the requested number of components, clean, with a valueFrom chain through the Lambdas', async () => {
		const ws = await loadWorkspace(generateStack(tempDir(), 250));
		expect(ws.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
		expect(ws.components).toHaveLength(250);
		expect(ws.services).toHaveLength(3);
		expect(ws.graph.levels.length).toBeGreaterThan(90); // 100 Lambdas chained
		expect(ws.graph.cycles).toEqual([]);
	});
});
