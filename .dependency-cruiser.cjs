/**
 * panka's layer rules, checked on the real import graph by dependency-cruiser (`npm run layers`);
 * docs/ARCHITECTURE.md §1 explains them. Every import counts: static, multi-line, dynamic
 * (`import()`, dependency type `dynamic-import`) and type-only (`import type`, which the babel plugin
 * in scripts/layers marks with the dependency type `require`, since panka's ES modules never call it).
 *
 *   engine/      imports no UI package, no meow, nothing from source/ or components/.
 *   components/  imports no AWS SDK, no node:fs and nothing from source/; reaches the engine only
 *                through engine/index.ts (and the other entries for types only).
 *   source/      reaches the engine only through its entry modules; loads Ink, React and
 *                components/ only with import() (or for types), so commands without the
 *                workbench never pay for them.
 *   everywhere   no import circles, type-only imports included (a lazy import() may close one);
 *                zod only through engine/zod.ts (its settings precede every schema), types aside.
 */
const engineEntries = '^engine/(index|essentials|backends|operations|admin|observe)[.]ts$';
const uiPackages = '^node_modules/(ink|ink-[a-z-]+|react|react-reconciler|@inkjs/ui)/';
const lazyOrTypeOnly = ['dynamic-import', 'require'];

module.exports = {
	forbidden: [
		{
			name: 'engine-no-ui',
			comment: 'The engine is UI-free: it returns values and emits events; the UI is chosen by source/.',
			severity: 'error',
			from: {path: '^engine/'},
			to: {path: [uiPackages, '^node_modules/meow/', '^(source|components)/']},
		},
		{
			name: 'components-no-aws-or-fs',
			comment: 'The workbench never talks to AWS or writes files: it asks the services source/ injects.',
			severity: 'error',
			from: {path: '^components/'},
			to: {path: ['^node_modules/@aws-sdk/', '^node_modules/@smithy/', '^(node:)?fs(/promises)?$', '^source/']},
		},
		{
			name: 'front-door-only',
			comment: 'source/ and components/ import the engine through its entry modules (engine/index.ts and siblings).',
			severity: 'error',
			from: {path: '^(source|components)/'},
			to: {path: '^engine/', pathNot: engineEntries},
		},
		{
			name: 'components-use-the-core-entry',
			comment: 'At run time components/ reaches only engine/index.ts; the AWS-facing entries only for their types.',
			severity: 'error',
			from: {path: '^components/'},
			to: {path: '^engine/(backends|operations|admin|observe)[.]ts$', dependencyTypesNot: ['require']},
		},
		{
			name: 'source-loads-the-ui-lazily',
			comment: 'Ink costs ~600 ms to load: only the workbench path pays for it, through import().',
			severity: 'error',
			from: {path: '^source/.+[.]ts$'},
			to: {path: [uiPackages, '^components/'], dependencyTypesNot: lazyOrTypeOnly},
		},
		{
			name: 'no-import-circles',
			comment:
				'Modules never import each other in a circle, not even for types (shared types get a module of their own). A lazy import() may close one: a kind loads its provider on first use.',
			severity: 'error',
			from: {path: '^(engine|source|components)/'},
			to: {circular: true, dependencyTypesNot: ['dynamic-import'], viaOnly: {dependencyTypesNot: ['dynamic-import']}},
		},
		{
			name: 'zod-through-engine-zod',
			comment: 'engine/zod.ts configures zod before any schema is built: every module takes z from it (types may come from zod).',
			severity: 'error',
			from: {path: '^(engine|source|components)/', pathNot: '^engine/zod[.]ts$'},
			to: {path: '^node_modules/zod/', dependencyTypesNot: ['require']},
		},
		{
			name: 'no-unresolvable-import',
			comment: 'An import the checker cannot resolve is an import it cannot check.',
			severity: 'error',
			from: {path: '^(engine|source|components)/'},
			to: {couldNotResolve: true},
		},
	],
	options: {
		doNotFollow: {path: 'node_modules'},
		exclude: {path: '^(dist|test|bench|demo)/'},
		tsPreCompilationDeps: true,
		// A package is named by where it is imported from (node_modules/…), also when node_modules is a symlink
		// (a worktree sharing one install); resolved through the link, the package rules would never match.
		preserveSymlinks: true,
		babelConfig: {fileName: 'scripts/layers/babel.json'},
		enhancedResolveOptions: {
			extensions: ['.ts', '.tsx', '.js', '.mjs'],
			exportsFields: ['exports'],
			conditionNames: ['import', 'node', 'default'],
		},
		reporterOptions: {text: {highlightFocused: true}},
	},
};
