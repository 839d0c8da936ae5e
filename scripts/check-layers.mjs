#!/usr/bin/env node
// Layer lint for panka (DESIGN.md §1). The rule is one-way: source → components → engine, and
// source → engine. Biome lints the code itself; this script checks what Biome cannot express:
//
//   engine/      never imports UI packages, meow, source/ or components/; never touches
//                process.stdout/stderr/exit/cwd/argv and never calls console.* (the caller
//                passes folder, env, clock and output sinks).
//   components/  never imports source/, the AWS SDK, or node:fs (no writes of its own).
//   source/      imports ink, react and components/ only through import() or `import type`,
//                so that non-TUI commands never pay Ink's ~600 ms load.
//
// Exit 1 with one line per violation (file:line: message), 0 when clean. Scaffold templates are
// exempt from the console rule: they hold source text panka writes for users, not code it runs.
import {readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const uiPackages = /^(ink|react|react\/.*|@inkjs\/ui|ink-[a-z-]+)$/;

/** @returns {string[]} */
function sourceFiles(dir) {
	const out = [];
	let entries;
	try {
		entries = readdirSync(dir);
	} catch {
		return out;
	}
	for (const name of entries) {
		const full = path.join(dir, name);
		if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
		else if (/\.(ts|tsx|mts|js|mjs)$/.test(name)) out.push(full);
	}
	return out;
}

const staticImport = /^\s*(import|export)\s+(?!type\b)[^'"]*?from\s+['"]([^'"]+)['"]/;
const bareImport = /^\s*import\s+['"]([^'"]+)['"]/;

/** The layer a resolved import specifier points into, or the package name. */
function target(file, spec) {
	if (!spec.startsWith('.')) return {pkg: spec};
	const resolved = path.relative(root, path.resolve(path.dirname(file), spec));
	return {layer: resolved.split(path.sep)[0]};
}

const isScaffoldTemplate = (file) => path.relative(root, file) === path.join('engine', 'scaffold', 'templates.ts');

const violations = [];
function report(file, line, message) {
	violations.push(`${path.relative(root, file)}:${line}: ${message}`);
}

for (const layer of ['engine', 'components', 'source']) {
	for (const file of sourceFiles(path.join(root, layer))) {
		const lines = readFileSync(file, 'utf8').split('\n');
		lines.forEach((text, index) => {
			const line = index + 1;
			const match = staticImport.exec(text) ?? bareImport.exec(text);
			const spec = match ? (match[2] ?? match[1]) : undefined;
			const t = spec ? target(file, spec) : undefined;
			if (layer === 'engine') {
				if (t?.pkg && (uiPackages.test(t.pkg) || t.pkg === 'meow')) report(file, line, `engine/ must not import ${t.pkg}`);
				if (t?.layer === 'source' || t?.layer === 'components') report(file, line, `engine/ must not import from ${t.layer}/`);
				if (/\bimport\(\s*['"](ink|react|@inkjs\/ui)['"]/.test(text)) report(file, line, 'engine/ must not load UI packages');
				if (/\bprocess\.(stdout|stderr|stdin|exit|cwd|argv)\b/.test(text))
					report(file, line, 'engine/ must not use process I/O, exit, cwd or argv: take them as parameters');
				if (/\bconsole\.(log|error|warn|info|debug)\(/.test(text) && !isScaffoldTemplate(file))
					report(file, line, 'engine/ must not write to the console: return values or emit events');
			}
			if (layer === 'components') {
				if (t?.layer === 'source') report(file, line, 'components/ must not import from source/');
				if (t?.pkg && /^(@aws-sdk\/|node:fs|fs$)/.test(t.pkg))
					report(file, line, `components/ must not import ${t.pkg}: go through the engine`);
			}
			if (layer === 'source' && !file.endsWith('.tsx')) {
				if (t?.pkg && uiPackages.test(t.pkg)) report(file, line, `source/ must load ${t.pkg} with import() on the TUI path only`);
				if (t?.layer === 'components') report(file, line, 'source/ must load components/ with import() on the TUI path only');
			}
		});
	}
}

if (violations.length > 0) {
	console.error(`Layer rules broken (DESIGN.md §1):\n${violations.join('\n')}`);
	process.exit(1);
}
console.log('layers ok: engine/ is UI-free, components/ has no AWS or fs, source/ loads the UI lazily');
