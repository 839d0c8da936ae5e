/**
 * A stack written for the original tool, as its users run panka on it: validate, graph and plan a
 * folder or a single-file stack unchanged (warnings, exit 0), `panka migrate` shows then writes
 * the rewrite, and every folder command works from inside the stack's subfolders.
 */
import {cpSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {pankaWorld} from '../helpers/panka-world.js';
import {hasStackTrace, runCli} from '../helpers/run-cli.js';
import {demoStack, demoTenant, fixturesDir, tempDir} from '../helpers/stack-fixture.js';

const original = path.join(fixturesDir, 'legacy', 'original');
const singleFile = path.join(fixturesDir, 'legacy', 'single-file.yaml');

function copyOriginal(): string {
	const dir = tempDir();
	cpSync(original, dir, {recursive: true});
	return dir;
}

describe('stacks written for the original tool', () => {
	it('validate and graph take a single-file stack; deprecated forms are warnings (exit 0)', () => {
		const validate = runCli(['validate', singleFile, '--tenant-config', demoTenant]);
		expect(validate.stdout).toMatch(/single-file\.yaml:13:3 {2}warning {2}spec\.provider is deprecated/);
		expect(validate.stdout).toMatch(/hint: `panka migrate --write` rewrites it in place, keeping comments/);
		expect(validate.stdout).toMatch(
			/✓ orders \(.*single-file\.yaml, env staging, tenant notifications-team\): 2 services, 5 components — 19 warnings/,
		);
		expect(validate.code).toBe(0);
		// `panka stack.yaml` is the workbench on it (without a terminal: the stack summary).
		const summary = runCli([singleFile, '--tenant-config', demoTenant]);
		expect(summary.stdout).toMatch(/^Stack +orders/m);
		expect(summary.code).toBe(0);
		const graph = runCli(['graph', singleFile, '--format', 'mermaid']);
		expect(graph.stdout).toMatch(/orders-api.*-->.*orders-table/s);
		expect(graph.code).toBe(0);
	});

	it('plan takes a single-file stack and a legacy folder, and plans them alike', () => {
		const world = pankaWorld();
		expect(world.run(['admin', 'init']).code).toBe(0);
		const init = world.run(['admin', 'tenant', 'init', 'notifications-team', '--config', demoTenant]);
		expect(init.code, init.stderr).toBe(0);
		const tenant = {PANKA_TENANT: 'notifications-team', PANKA_TENANT_SECRET: world.secretIn(init.stdout)};
		const fromFile = world.run(['plan', singleFile, '--no-tui'], tenant);
		expect(fromFile.stdout).toMatch(/Plan: 6 to add, 0 to change, 0 to replace, 0 to destroy/);
		expect(fromFile.code, fromFile.stderr).toBe(0);
		const fromFolder = world.run(['plan', original, '--no-tui'], tenant);
		expect(fromFolder.code, fromFolder.stderr).toBe(0);
		const actions = (text: string) => text.split('\n').filter((line) => /^\s+\+ /.test(line));
		expect(actions(fromFolder.stdout)).toEqual(actions(fromFile.stdout));
	});

	it('panka migrate shows the diff and writes nothing; --write rewrites in place, keeping comments', () => {
		const dir = copyOriginal();
		const before = readFileSync(path.join(dir, 'services/api/app.yaml'), 'utf8');
		const shown = runCli(['migrate'], {cwd: dir});
		expect(shown.stdout).toContain('--- a/services/api/app.yaml\n+++ b/services/api/app.yaml\n');
		expect(shown.stdout).toMatch(/^-apiVersion: panka\.io\/v1\n\+apiVersion: components\.panka\.io\/v1$/m);
		expect(shown.stdout).toContain('--- /dev/null\n+++ b/services/worker/service.yaml\n');
		expect(shown.stdout).toMatch(/25 changes in 5 files of orders would be rewritten; nothing was written\. Run panka migrate --write/);
		expect(shown.code).toBe(0);
		expect(readFileSync(path.join(dir, 'services/api/app.yaml'), 'utf8')).toBe(before);

		const written = runCli(['migrate', '--write'], {cwd: dir});
		expect(written.stdout).toMatch(/^✓ rewrote services\/api\/app\.yaml\n {4}line 3: apiVersion panka\.io\/v1/m);
		expect(written.stdout).toMatch(/^✓ created services\/worker\/service\.yaml$/m);
		expect(written.stdout).toMatch(/Migrated orders: 25 changes in 5 files; no deprecated form is left\.$/m);
		expect(written.code, written.stderr).toBe(0);
		const validate = runCli(['validate', '--tenant-config', demoTenant], {cwd: dir});
		expect(validate.stdout).toMatch(/— no problems/);
		expect(readFileSync(path.join(dir, 'services/api/app.yaml'), 'utf8')).toContain('# The API server and what it keeps.');
		expect(runCli(['migrate'], {cwd: dir}).stdout).toMatch(/✓ nothing to migrate: orders uses panka's current forms/);
	});

	it('every folder command finds the stack from a subfolder, as git does', () => {
		const inside = path.join(demoStack, 'services', 'api');
		const validate = runCli(['validate', '--tenant-config', demoTenant], {cwd: inside});
		expect(validate.stdout).toMatch(/✓ notification-platform \(\.\.\/\.\., env staging/);
		expect(validate.code).toBe(0);
		const info = runCli(['stack', 'info', '--tenant-config', demoTenant], {
			cwd: path.join(demoStack, 'services', 'worker', 'src', 'processor'),
		});
		expect(info.stdout).toMatch(/^Stack +notification-platform/m);
		expect(info.code).toBe(0);
		const services = runCli(['service', 'list'], {cwd: inside});
		expect(services.stdout).toMatch(/scheduler/);
		// Outside any stack, still "not a stack", about the folder the user is in.
		const outside = runCli(['validate'], {cwd: tempDir()});
		expect(outside.stdout).toMatch(/stack\.yaml is missing: this folder is not a stack/);
		expect(outside.code).toBe(1);
		expect(hasStackTrace(outside.stdout + outside.stderr)).toBe(false);
	});
});
