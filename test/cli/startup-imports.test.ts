/**
 * What the commands that only read a stack folder load: no AWS SDK module (@aws-sdk, nor the
 * @smithy packages under it). The clients cost hundreds of milliseconds to load, so they come in
 * through import() on the paths that talk to AWS, never at module load of a reading command.
 * Traced on the unbundled build, where every module is still a file; the bundle keeps the same
 * import() boundaries as its chunks.
 */
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {runCli, unbundledCliPath} from '../helpers/run-cli.js';
import {demoStack, demoTenant, repoRoot, tempDir} from '../helpers/stack-fixture.js';

const tracer = path.join(repoRoot, 'test', 'helpers', 'trace-imports.mjs');

/** The URLs of the modules `panka <args>` resolved, and its exit code. */
function modulesLoadedBy(args: string[]): {code: number | null; urls: string[]} {
	const file = path.join(tempDir('panka-imports-'), 'imports');
	const result = runCli(args, {env: {PANKA_TEST_IMPORTS_FILE: file}, nodeArgs: ['--import', tracer], script: unbundledCliPath});
	return {code: result.code, urls: readFileSync(file, 'utf8').split('\n').filter(Boolean)};
}

const awsSdk = /\/node_modules\/(@aws-sdk|@smithy)\//;

describe('commands that read a stack folder load no AWS SDK module', () => {
	const commands: Record<string, string[]> = {
		validate: ['validate', demoStack, '--tenant-config', demoTenant],
		'stack info': ['stack', 'info', demoStack, '--tenant-config', demoTenant],
		graph: ['graph', demoStack],
		'the workbench without a terminal (the stack summary)': [demoStack, '--tenant-config', demoTenant],
	};
	for (const [name, args] of Object.entries(commands))
		it(name, () => {
			const {code, urls} = modulesLoadedBy(args);
			expect(code).toBe(0);
			// The trace sees packages: the engine's schemas come from zod.
			expect(urls.some((url) => url.includes('/node_modules/zod/'))).toBe(true);
			expect(urls.filter((url) => awsSdk.test(url))).toEqual([]);
		});
});
