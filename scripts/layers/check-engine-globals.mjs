#!/usr/bin/env node
// The engine's rule that no import graph can show (docs/ARCHITECTURE.md §1): engine/ never touches
// process.stdout/stderr/stdin/exit/cwd/argv and never calls console.*; the caller passes folder,
// env, clock and output sinks. Scaffold templates are exempt from the console rule: they hold
// source text panka writes for users, not code it runs. Exit 1 with file:line per violation.
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const engineFiles = readdirSync(path.join(root, 'engine'), {recursive: true, withFileTypes: true})
	.filter((entry) => entry.isFile() && /\.(ts|tsx)$/.test(entry.name))
	.map((entry) => path.join(entry.parentPath, entry.name));
const isScaffoldTemplate = (file) => path.relative(root, file) === path.join('engine', 'scaffold', 'templates.ts');

const violations = [];
for (const file of engineFiles) {
	readFileSync(file, 'utf8')
		.split('\n')
		.forEach((text, index) => {
			const where = `${path.relative(root, file)}:${index + 1}`;
			if (/\bprocess\.(stdout|stderr|stdin|exit|cwd|argv)\b/.test(text))
				violations.push(`${where}: engine/ must not use process I/O, exit, cwd or argv: take them as parameters`);
			if (/\bconsole\.(log|error|warn|info|debug)\(/.test(text) && !isScaffoldTemplate(file))
				violations.push(`${where}: engine/ must not write to the console: return values or emit events`);
		});
}
if (violations.length > 0) {
	console.error(`engine/ rules broken (docs/ARCHITECTURE.md §1):\n${violations.join('\n')}`);
	process.exit(1);
}
