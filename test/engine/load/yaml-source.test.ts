import {describe, expect, it} from 'vitest';
import {parseYamlFile, parseYamlFileWithPositions} from '../../../engine/load/yaml-source.js';

describe('parseYamlFile', () => {
	it('splits multi-document files and keeps every document position-aware', () => {
		const {documents, diagnostics} = parseYamlFile('a.yaml', '---\nkind: A\nspec:\n  x: 1\n---\nkind: B\nspec:\n  items:\n    - name: y\n');
		expect(diagnostics).toEqual([]);
		expect(documents.map((d) => (d.value as {kind: string}).kind)).toEqual(['A', 'B']);
		expect(documents[0]?.positionOf(['spec', 'x'])).toEqual({file: 'a.yaml', line: 4, column: 6});
		expect(documents[0]?.positionOf(['spec', 'x'], 'key')).toEqual({file: 'a.yaml', line: 4, column: 3});
		expect(documents[1]?.positionOf(['spec', 'items', 0, 'name'])).toEqual({file: 'a.yaml', line: 9, column: 13});
		expect(documents[1]?.lines).toEqual({first: 5, last: 9}); // from its --- marker
	});

	it('falls back to the nearest existing ancestor for paths that are not written', () => {
		const [doc] = parseYamlFile('a.yaml', 'spec:\n  image:\n    repository: x\n').documents;
		expect(doc?.positionOf(['spec', 'image', 'tag'])).toEqual({file: 'a.yaml', line: 3, column: 5});
	});

	it('drops only the broken document of a file and reports where it broke', () => {
		const {documents, diagnostics, brokenNames} = parseYamlFile(
			'a.yaml',
			'kind: A\n---\nmetadata:\n  name: broken\nspec:\n\tx: 1\n---\nkind: C\n',
		);
		expect(documents.map((d) => (d.value as {kind: string}).kind)).toEqual(['A', 'C']);
		expect(diagnostics).toMatchObject([{code: 'yaml-syntax', line: 6, column: 1}]);
		expect(brokenNames).toEqual(['broken']);
	});

	it('rejects duplicate keys instead of keeping the last one', () => {
		const {diagnostics} = parseYamlFile('a.yaml', 'spec:\n  replicas: 1\n  replicas: 2\n');
		expect(diagnostics).toMatchObject([{code: 'yaml-syntax', line: 3, message: expect.stringMatching(/unique/)}]);
	});

	it('expands anchors and merge keys', () => {
		const [doc] = parseYamlFile('a.yaml', 'base: &b {cpu: 256}\nspec:\n  <<: *b\n  memory: 512\n').documents;
		expect((doc!.value as {spec: unknown}).spec).toEqual({cpu: 256, memory: 512});
	});

	it('refuses alias bombs instead of hanging', () => {
		const bomb = [
			'a: &a [x, x, x, x, x, x, x, x, x, x]',
			...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(10).fill(`*${'abcdefghi'[i]}`).join(', ')}]`),
		].join('\n');
		const {diagnostics} = parseYamlFile('bomb.yaml', bomb);
		expect(diagnostics.length).toBeGreaterThan(0);
	});

	it('treats an empty file or a trailing --- as no documents, not an error', () => {
		expect(parseYamlFile('a.yaml', '')).toMatchObject({documents: [], diagnostics: []});
		expect(parseYamlFile('a.yaml', 'kind: A\n---\n').documents).toHaveLength(1);
	});
});

describe('the fast and the full parser read the same values', () => {
	const samples: Record<string, string> = {
		scalars: 'a: 1\nb: 1.5e3\nc: 0x1F\nd: true\ne: ~\nf: "2024-11-28T10:00:00Z"\ng: 2024-11-28T10:00:00Z\nh: yes\ni: .inf\nj: "${VAR}"\n',
		merge: 'base: &b {cpu: 256}\nspec:\n  <<: *b\n  memory: 512\n',
		multi: '---\n# first\nkind: A\n...\n---\n---\nkind: B\nlist: [1, two, {x: y}]\n',
		block: 'text: |\n  line one\n  --- not a marker (indented)\nfolded: >\n  a\n  b\n',
	};
	for (const [name, text] of Object.entries(samples)) {
		it(name, () => {
			const fast = parseYamlFile('a.yaml', text);
			const full = parseYamlFileWithPositions('a.yaml', text);
			expect(fast.documents.map((d) => d.value)).toEqual(full.documents.map((d) => d.value));
			expect(fast.documents.map((d) => d.lines)).toEqual(full.documents.map((d) => ({first: d.lines.first, last: d.lines.last})));
		});
	}

	it('for every YAML file of the demo and the fixtures', async () => {
		const {readdirSync, readFileSync, statSync} = await import('node:fs');
		const path = await import('node:path');
		const walk = (dir: string): string[] =>
			readdirSync(dir).flatMap((n) =>
				statSync(path.join(dir, n)).isDirectory() ? walk(path.join(dir, n)) : /\.ya?ml$/.test(n) ? [path.join(dir, n)] : [],
			);
		const root = path.resolve(import.meta.dirname, '../../..');
		for (const file of [...walk(path.join(root, 'demo')), ...walk(path.join(root, 'test/fixtures'))]) {
			const text = readFileSync(file, 'utf8');
			const fast = parseYamlFile(file, text);
			const full = parseYamlFileWithPositions(file, text);
			expect(
				fast.documents.map((d) => d.value),
				file,
			).toEqual(full.documents.map((d) => d.value));
			expect(fast.diagnostics.length, file).toBe(full.diagnostics.length);
		}
	});

	it('gives positions from the full parse on demand', () => {
		const [doc] = parseYamlFile('a.yaml', 'spec:\n  image:\n    repository: x\n').documents;
		expect(doc?.positionOf(['spec', 'image', 'repository'])).toEqual({file: 'a.yaml', line: 3, column: 17});
	});
});
