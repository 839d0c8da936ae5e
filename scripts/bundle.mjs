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
	plugins: [withoutZodLocales],
	logLevel: 'warning',
});
