/**
 * source/ and components/ import the engine's core entries (engine/index.ts, essentials.ts) only
 * statically. An `import()` of one makes it an entry point of the bundle (scripts/bundle.mjs), and
 * then every command that imports one name through it loads every module behind its `export *`.
 * The layer check cannot see this when the same file also imports the entry statically (it keeps
 * one edge per pair of modules), so this spec asks esbuild, the bundler itself, for every import
 * record of each file, with its kind.
 */
import {readdir} from 'node:fs/promises';
import path from 'node:path';
import {build} from 'esbuild';
import {describe, expect, it} from 'vitest';

const repo = path.resolve(import.meta.dirname, '../..');
const coreEntries = new Set(['engine/index.ts', 'engine/essentials.ts']);

/** Each import() of a core entry in `files` (paths from the repo root, or file names of `stdin`), as `file → specifier`. */
async function dynamicCoreImports(files: string[], stdin?: {contents: string; sourcefile: string}): Promise<string[]> {
	const result = await build({
		...(stdin ? {stdin: {...stdin, resolveDir: repo, loader: 'ts'}} : {entryPoints: files}),
		absWorkingDir: repo,
		bundle: true,
		write: false,
		outdir: 'out',
		format: 'esm',
		platform: 'node',
		metafile: true,
		logLevel: 'silent',
		// Nothing is followed: each file's own import records are what is asked.
		plugins: [
			{
				name: 'no-follow',
				setup: (b) => b.onResolve({filter: /.*/}, (a) => (a.kind === 'entry-point' ? undefined : {path: a.path, external: true})),
			},
		],
	});
	return Object.entries(result.metafile.inputs).flatMap(([file, input]) => {
		const name = stdin ? stdin.sourcefile : file;
		return input.imports
			.filter(
				(i) => i.kind === 'dynamic-import' && coreEntries.has(path.posix.join(path.posix.dirname(name), i.path).replace(/\.js$/, '.ts')),
			)
			.map((i) => `${name} → ${i.path}`);
	});
}

async function filesUnder(folder: string): Promise<string[]> {
	const entries = await readdir(path.join(repo, folder), {recursive: true, withFileTypes: true});
	return entries
		.filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
		.map((entry) => path.posix.join(path.relative(repo, entry.parentPath).split(path.sep).join('/'), entry.name));
}

describe('the core entries are imported statically', () => {
	it('finds an import() of a core entry, over several lines and beside a static import of it', async () => {
		const text = [
			"import {loadWorkspace} from '../../engine/index.js';",
			"import type {Plan} from '../../engine/index.js';",
			'export async function later() {',
			'\tconst {planChanges} = await import(',
			"\t\t'../../engine/index.js'",
			'\t);',
			"\tconst {plural} = await import('../../engine/essentials.js');",
			"\treturn [planChanges, plural, loadWorkspace, await import('../../engine/backends.js')];",
			'}',
		].join('\n');
		expect(await dynamicCoreImports([], {contents: text, sourcefile: 'source/commands/sample.ts'})).toEqual([
			'source/commands/sample.ts → ../../engine/index.js',
			'source/commands/sample.ts → ../../engine/essentials.js',
		]);
	});

	it('holds for every file of source/ and components/', async () => {
		const files = [...(await filesUnder('source')), ...(await filesUnder('components'))];
		expect(files.length).toBeGreaterThan(100);
		expect(await dynamicCoreImports(files)).toEqual([]);
	});
});
