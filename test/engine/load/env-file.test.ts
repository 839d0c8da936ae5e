import {describe, expect, it} from 'vitest';
import {parseEnvFile} from '../../../engine/load/env-file.js';

describe('config/*.env files', () => {
	it('read KEY=value lines with comments, export prefixes and quotes', () => {
		const {entries, diagnostics} = parseEnvFile(
			'c.env',
			'# comment\n\nA=1\nexport B = two words # trailing\nC="line\\nnext \\"q\\""\nD=\'$literal # kept\'\nE=\n',
		);
		expect(diagnostics).toEqual([]);
		expect(entries.map((e) => [e.name, e.value, e.line])).toEqual([
			['A', '1', 3],
			['B', 'two words', 4],
			['C', 'line\nnext "q"', 5],
			['D', '$literal # kept', 6],
			['E', '', 7],
		]);
	});

	it('report bad lines at their line and keep the good ones', () => {
		const {entries, diagnostics} = parseEnvFile('c.env', 'GOOD=1\nnot a pair\n1BAD=2\nOPEN="x\n');
		expect(entries.map((e) => e.name)).toEqual(['GOOD']);
		expect(diagnostics.map((d) => [d.line, d.message])).toEqual([
			[2, 'expected KEY=value'],
			[3, '"1BAD" is not a valid environment variable name'],
			[4, 'unterminated quoted value for OPEN'],
		]);
	});

	it('warn when a key is set twice, and use the last value', () => {
		const {entries, diagnostics} = parseEnvFile('c.env', 'A=1\nA=2\n');
		expect(entries).toMatchObject([{name: 'A', value: '2', line: 2}]);
		expect(diagnostics).toMatchObject([{severity: 'warning', line: 2}]);
	});
});
