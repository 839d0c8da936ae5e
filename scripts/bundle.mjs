#!/usr/bin/env node
/**
 * Bundles the compiled CLI (dist/source/cli.js, from tsc) into dist/bin/, the files `panka` runs.
 * Node resolves, reads and compiles every module of a start-up one by one (about 240 for
 * `panka validate`); the bundle turns them into a handful of files, one chunk per part loaded on
 * demand (Ink, each AWS client, each command), so what a command does not use is still not loaded.
 *
 * Invariants: dist/source/ stays the unbundled build (what the layer check and the import-trace
 * tests look at); dist/bin/ behaves the same, and the black-box tests run it. Packages found by
 * `createRequire` at run time (yaml, dagre) resolve from dist/bin/ as they do from dist/source/.
 * Zod's sixty message locales are left out: panka writes its own messages, in English, and zod
 * keeps its English one (`config(en())`); they were a third of every start-up's source text.
 */
import {rmSync} from 'node:fs';
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(repo, 'dist', 'bin');

/** zod/v4/{classic,mini}/external.js re-export `locales` from ../locales/index.js: an empty module stands in. */
const withoutZodLocales = {
	name: 'without-zod-locales',
	setup(builder) {
		builder.onResolve({filter: /\/locales\/index\.js$/}, ({importer, path: request}) =>
			/[\\/]zod[\\/]/.test(importer) ? {path: request, namespace: 'zod-locales'} : undefined,
		);
		builder.onLoad({filter: /.*/, namespace: 'zod-locales'}, () => ({contents: 'export {};', loader: 'js'}));
	},
};

/**
 * meow's bundled dependencies do work at load that panka never uses: they build
 * normalize-package-data (spdx-correct sorts its licence tables, 15-25 ms), which meow calls only
 * for a package.json it looks up (panka passes its own `pkg`), and promisify child_process's
 * execFile for nothing. Here normalize-package-data is built on first call and the execFile line is
 * gone. The texts are meow 14.1.0's (pinned): if one is not found, the build fails.
 */
const meowWithoutLoadTimeWork = {
	name: 'meow-without-load-time-work',
	setup(builder) {
		const edits = [
			["import { execFile } from 'node:child_process';\n", ''],
			['promisify(execFile);\n', ''],
			[
				'var normalizeExports = requireNormalize();\nconst normalizePackageData = getDefaultExportFromCjs(normalizeExports);\n',
				'const normalizePackageData = (...args) => getDefaultExportFromCjs(requireNormalize())(...args);\n',
			],
		];
		builder.onLoad({filter: /[\\/]node_modules[\\/]meow[\\/]build[\\/]dependencies\.js$/}, async ({path: file}) => {
			let contents = await readFile(file, 'utf8');
			for (const [text, replacement] of edits) {
				if (!contents.includes(text))
					throw new Error(`meow's build/dependencies.js no longer has ${JSON.stringify(text)}: revisit ${path.basename(import.meta.url)}`);
				contents = contents.replace(text, replacement);
			}
			return {contents, loader: 'js'};
		});
	},
};

/**
 * panka's own modules do nothing when loaded but define things, so a command's chunks hold only the
 * modules whose exports it uses: without this, every module behind an entry's `export *` (the
 * engine's front doors) counted as used by every command that imports one name through it. (The one
 * module with a load-time call, engine/zod.ts, is kept whole wherever its `z` is used.) The engine's
 * core entries must be imported statically for this to hold (test/architecture/core-entries-static.test.ts).
 */
const ownModulesWithoutSideEffects = {
	name: 'own-modules-without-side-effects',
	setup(builder) {
		const own = path.join(repo, 'dist') + path.sep;
		builder.onResolve({filter: /^\.\.?\//}, async ({path: request, importer, kind, resolveDir, pluginData}) => {
			if (pluginData === ownModulesWithoutSideEffects || !importer.startsWith(own)) return undefined;
			const resolved = await builder.resolve(request, {importer, kind, resolveDir, pluginData: ownModulesWithoutSideEffects});
			if (resolved.errors.length > 0 || !resolved.path.startsWith(own)) return undefined;
			return {path: resolved.path, sideEffects: false};
		});
	},
};

rmSync(outdir, {recursive: true, force: true});
await build({
	entryPoints: [path.join(repo, 'dist', 'source', 'cli.js')],
	outdir,
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	// The ES module builds (the AWS SDK's dist-es): their exports are static, so the bundle links them as it links panka's own.
	mainFields: ['module', 'main'],
	// Chunks sit next to cli.js, as deep in the package as dist/source/: package.json is at ../../ from both.
	chunkNames: '[name]-[hash]',
	// Ink loads react-devtools-core only when DEV=true is set; panka does not ship it.
	external: ['react-devtools-core'],
	// CommonJS packages inside an ES module bundle call require() for Node's built-ins.
	banner: {js: "import {createRequire as __pankaRequire} from 'node:module'; const require = __pankaRequire(import.meta.url);"},
	minifyWhitespace: true,
	minifySyntax: true,
	plugins: [withoutZodLocales, meowWithoutLoadTimeWork, ownModulesWithoutSideEffects],
	logLevel: 'warning',
});
