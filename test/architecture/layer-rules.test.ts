/**
 * The layer check (`npm run layers`) catches what the old line-by-line check let through: imports
 * that span lines, import() and type-only imports, each against the rule it breaks. A copy of the
 * repo's dependency-cruiser config runs on a small tree of offending files.
 */
import {execFile} from 'node:child_process';
import {cp, mkdtemp, mkdir, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

const repo = path.resolve(import.meta.dirname, '../..');
let tree = '';
let report = '';

const offendingFiles: Record<string, string> = {
	'engine/index.ts': 'export const core = 1;\n',
	'engine/backends.ts': 'export const backend = 1;\n',
	'engine/plan/plan.ts': 'export const plan = 1;\nexport type Plan = {n: number};\n',
	'engine/loads-ink.ts': "export async function draw() {\n\tawait import('ink');\n}\n",
	'components/multi-line.ts': "import {\n\tplan,\n} from '../engine/plan/plan.js';\nexport const p = plan;\n",
	'components/uses-backend.ts': "import {backend} from '../engine/backends.js';\nexport const b = backend;\n",
	'components/types-from-backend.ts': "import type {} from '../engine/backends.js';\nexport const ok = 1;\n",
	'source/type-only-deep.ts': "import type {Plan} from '../engine/plan/plan.js';\nexport const n: Plan = {n: 1};\n",
	'source/front-door.ts': "import {core} from '../engine/index.js';\nexport const c = core;\n",
	'source/eager-ui.ts': "import {p} from '../components/multi-line.js';\nexport const q = p;\n",
	'source/lazy-ui.ts': "export const load = () => import('../components/multi-line.js');\n",
	'engine/rows.ts': "import {draw} from './lines.js';\nexport type Row = {n: number};\nexport const rows = () => draw();\n",
	'engine/lines.ts': "import type {Row} from './rows.js';\nexport const draw = (): Row[] => [];\n",
	'engine/kind.ts': "export const provider = () => import('./kind-provider.js');\n",
	'engine/kind-provider.ts': "import {provider} from './kind.js';\nexport const again = provider;\n",
	'engine/zod.ts': "import {z} from 'zod';\nexport {z};\n",
	'engine/own-zod.ts': "import {z} from 'zod';\nexport const s = z;\n",
	'engine/zod-types.ts': "import type {z} from 'zod';\nexport type S = z.ZodType;\n",
};

beforeAll(async () => {
	tree = await mkdtemp(path.join(tmpdir(), 'panka-layers-'));
	await cp(path.join(repo, '.dependency-cruiser.cjs'), path.join(tree, '.dependency-cruiser.cjs'));
	await cp(path.join(repo, 'scripts/layers'), path.join(tree, 'scripts/layers'), {recursive: true});
	for (const [file, text] of Object.entries(offendingFiles)) {
		await mkdir(path.dirname(path.join(tree, file)), {recursive: true});
		await writeFile(path.join(tree, file), text);
	}
	await mkdir(path.join(tree, 'node_modules/ink'), {recursive: true});
	await writeFile(
		path.join(tree, 'node_modules/ink/package.json'),
		JSON.stringify({name: 'ink', type: 'module', exports: {default: './index.js'}}),
	);
	await writeFile(path.join(tree, 'node_modules/ink/index.js'), 'export const Box = 1;\n');
	await mkdir(path.join(tree, 'node_modules/zod'), {recursive: true});
	await writeFile(
		path.join(tree, 'node_modules/zod/package.json'),
		JSON.stringify({name: 'zod', type: 'module', exports: {default: './index.js'}}),
	);
	await writeFile(path.join(tree, 'node_modules/zod/index.js'), 'export const z = {};\n');
	const depcruise = path.join(repo, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
	const run = promisify(execFile)(
		process.execPath,
		[depcruise, '--config', '.dependency-cruiser.cjs', '--output-type', 'err', 'engine', 'components', 'source'],
		{
			cwd: tree,
			// babel finds its TypeScript preset from the repo's install
			env: {...process.env, NODE_PATH: path.join(repo, 'node_modules')},
		},
	);
	report = await run.then(
		(r) => r.stdout,
		(error: {stdout?: string}) => error.stdout ?? '',
	);
}, 60_000);

afterAll(async () => {
	if (tree) await rm(tree, {recursive: true, force: true});
});

const broken = (rule: string, from: string, to: string) => `${rule}: ${from} → ${to}`;

describe('npm run layers', () => {
	it('finds a deep engine import that spans several lines', () => {
		expect(report).toContain(broken('front-door-only', 'components/multi-line.ts', 'engine/plan/plan.ts'));
	});

	it('finds a deep engine import that is only for types', () => {
		expect(report).toContain(broken('front-door-only', 'source/type-only-deep.ts', 'engine/plan/plan.ts'));
	});

	it('finds a UI package the engine loads with import()', () => {
		expect(report).toMatch(/engine-no-ui: engine\/loads-ink\.ts → node_modules\/ink\//);
	});

	it('lets components use an AWS-facing entry for its types only', () => {
		expect(report).toContain(broken('components-use-the-core-entry', 'components/uses-backend.ts', 'engine/backends.ts'));
		expect(report).not.toContain('components/types-from-backend.ts');
	});

	it('finds modules that import each other in a circle, even for types only; a lazy import() may close one', () => {
		expect(report).toMatch(/no-import-circles: engine\/(rows|lines)\.ts → /);
		expect(report).not.toMatch(/no-import-circles: engine\/kind(-provider)?\.ts/);
	});

	it('lets only engine/zod.ts take z from zod; types may come from zod itself', () => {
		expect(report).toMatch(/zod-through-engine-zod: engine\/own-zod\.ts → node_modules\/zod\//);
		expect(report).not.toMatch(/engine\/zod(-types)?\.ts →/);
	});

	it('lets source/ load components/ with import() only', () => {
		expect(report).toContain(broken('source-loads-the-ui-lazily', 'source/eager-ui.ts', 'components/multi-line.ts'));
		expect(report).not.toContain('source/lazy-ui.ts');
		expect(report).not.toContain('source/front-door.ts');
	});
});
