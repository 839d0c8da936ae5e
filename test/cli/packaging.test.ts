/**
 * What `npm pack` ships: the built CLI, the demo stack and the LICENSE; no benchmarks, no source
 * maps (their sources are not shipped, so every map would point at nothing), no TypeScript sources,
 * and of dist/ only the bundle;
 * and no install-time lifecycle script (`prepare` would run, and warn, on a global install).
 */
import {execFileSync} from 'node:child_process';
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {repoRoot} from '../helpers/stack-fixture.js';

const packageJson = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
	license: string;
	bin: Record<string, string>;
	scripts: Record<string, string>;
};

/** The files `npm pack` would put in the tarball (without building: prepack is skipped). */
function packedFiles(): string[] {
	const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {cwd: repoRoot, encoding: 'utf8'});
	return (JSON.parse(out) as [{files: {path: string}[]}])[0].files.map((f) => f.path);
}

describe('npm pack', () => {
	const files = packedFiles();

	it('ships the CLI, the demo stack, the JSON Schemas of its output, README and the MIT LICENSE', () => {
		expect(files).toEqual(
			expect.arrayContaining(['LICENSE', 'README.md', 'package.json', packageJson.bin.panka!, 'docs/json/document.schema.json']),
		);
		expect(files.some((f) => f.startsWith('demo/notification-platform/'))).toBe(true);
		expect(packageJson.license).toBe('MIT');
		expect(readFileSync(path.join(repoRoot, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/);
	});

	it('ships no benchmarks, source maps or TypeScript sources', () => {
		expect(files.filter((f) => f.startsWith('dist/bench/'))).toEqual([]);
		expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
		expect(files.filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
	});

	it('ships the bundle (dist/bin) and nothing else of dist: the tsc output it was made from stays home', () => {
		expect(files.filter((f) => f.startsWith('dist/') && !f.startsWith('dist/bin/'))).toEqual([]);
		expect(files.filter((f) => f.startsWith('dist/bin/')).length).toBeGreaterThan(1);
	});

	it("leaves zod's message locales out of the bundle (panka writes its own messages; zod keeps English)", () => {
		const bundle = readdirSync(path.join(repoRoot, 'dist', 'bin')).map((f) => readFileSync(path.join(repoRoot, 'dist', 'bin', f), 'utf8'));
		expect(bundle.filter((text) => text.includes('Ungültige Eingabe'))).toEqual([]);
		expect(bundle.some((text) => text.includes('Invalid input'))).toBe(true);
	});

	it('runs nothing when installed: the build runs before packing', () => {
		for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) expect(packageJson.scripts[hook], hook).toBeUndefined();
		expect(packageJson.scripts.prepack).toBe('npm run build');
	});
});
