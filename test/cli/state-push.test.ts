/**
 * `panka state push` through the real binary: a state file is written back only when it is the
 * direct successor of the state stored now. A stale errored state (built before a colleague's
 * apply), one of another lineage, one for a state destroyed since, and an empty file are refused
 * with the reason, and the stored state is left exactly as it was. `state remove` writes the
 * next serial without the resource; with --json both say what they did as one StateChange document.
 * A lock left by a panka that died on this host is broken with a warning on stderr.
 */
import {spawnSync} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {openBackend, stateKey} from '../../engine/state/backend.js';
import {acquireLock, readLock} from '../../engine/state/lock.js';
import {emptyState, type StateDocument, type StateResource} from '../../engine/state/state-document.js';
import {readState, writeState} from '../../engine/state/state-store.js';
import {hasStackTrace} from '../helpers/run-cli.js';
import {pankaWorld} from '../helpers/panka-world.js';
import {copyStack} from '../helpers/stack-fixture.js';

const key = {tenant: 'acme', stack: 'shop', environment: 'staging'};

function resource(address: string): StateResource {
	const [service, name] = address.split('/') as [string, string];
	return {
		kind: 'SQS',
		type: 'AWS::SQS::Queue',
		service,
		name,
		physicalId: `https://sqs.eu-west-1.amazonaws.com/111111111111/acme-shop-staging-${name}`,
		status: 'ready',
		inputs: {},
		outputs: {},
		physicalNames: {},
		dependsOn: [],
		createdAt: '2026-01-01T00:00:00.000Z',
		updatedAt: '2026-01-01T00:00:00.000Z',
	};
}

function stateWith(base: StateDocument, serial: number, addresses: string[], by: string): StateDocument {
	return {
		...base,
		serial,
		resources: Object.fromEntries(addresses.map((a) => [a, resource(a)])),
		metadata: {...base.metadata, deployedBy: by, deployedAt: `2026-01-0${serial}T00:00:00.000Z`},
	};
}

// Each run checks PANKA_TENANT_SECRET with scrypt: several runs per test take a while on a busy machine.
describe('panka state push accepts only a successor of the stored state', {timeout: 90_000}, () => {
	const world = pankaWorld();
	const backend = openBackend({kind: 'local', home: world.pankaHome});
	let env: Record<string, string>;
	let stack: string;
	const base = emptyState(key);

	/** Stores states serial 1..n in order (each a proper successor), the last with `addresses`. */
	async function storeUpTo(n: number, addresses: string[]) {
		let previous = await readState(backend, key);
		for (let serial = (previous?.state.serial ?? 0) + 1; serial <= n; serial++) {
			const next = stateWith(base, serial, serial === n ? addresses : ['api/orders-queue'], serial === n ? 'bob@laptop' : 'me@desk');
			await writeState(
				backend,
				key,
				next,
				previous ? {etag: previous.etag, serial: previous.state.serial, lineage: base.lineage} : {serial: 0, lineage: base.lineage},
			);
			previous = await readState(backend, key);
		}
	}

	const storedBytes = () => readFileSync(path.join(world.pankaHome, ...stateKey(key).split('/')), 'utf8');
	const push = (...args: string[]) => world.run(['state', 'push', ...args, '--stack', stack], env);
	const writeFile = (name: string, document: unknown) =>
		writeFileSync(path.join(world.root, name), typeof document === 'string' ? document : JSON.stringify(document));

	beforeAll(async () => {
		expect(world.run(['admin', 'init']).code).toBe(0);
		const created = world.run(['admin', 'tenant', 'init', 'acme', '--aws-account', '111111111111', '--region', 'eu-west-1']);
		expect(created.code).toBe(0);
		env = {PANKA_TENANT: 'acme', PANKA_TENANT_SECRET: world.secretIn(created.stdout)};
		stack = copyStack();
		await storeUpTo(4, ['api/orders-queue']);
	});

	it("refuses a stale errored state that would drop a colleague's resource, and leaves the state as it was", async () => {
		// My apply was built on serial 4 and could not save; meanwhile bob applied serial 5 with a new queue.
		writeFile('mine.json', stateWith(base, 5, ['api/orders-queue', 'api/mine'], 'me@desk'));
		await storeUpTo(5, ['api/orders-queue', 'worker/bobs-queue']);
		const before = storedBytes();
		const result = push('mine.json');
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(
			/^panka: error: mine\.json was built on state serial 4, but the stored state is at serial 5 \(written by bob@laptop at 2026-01-05T00:00:00\.000Z\): pushing it would lose what was written since, dropping 1 resource \(worker\/bobs-queue\) from the state while they still exist\nhint: nothing was written; reconcile instead: panka plan --refresh/,
		);
		expect(hasStackTrace(result.stderr)).toBe(false);
		expect(storedBytes()).toBe(before);
	});

	it('refuses a file of another lineage and one claiming a serial ahead of the stored one', async () => {
		const before = storedBytes();
		writeFile('other.json', {...stateWith(base, 6, ['api/orders-queue'], 'me@desk'), lineage: '00000000-0000-4000-8000-000000000000'});
		expect(push('other.json').stderr).toMatch(
			/other\.json has lineage 00000000-0000-4000-8000-000000000000, the stored state [0-9a-f-]+: it is another state/,
		);
		writeFile('ahead.json', stateWith(base, 9, ['api/orders-queue'], 'me@desk'));
		const ahead = push('ahead.json');
		expect(ahead.code).toBe(1);
		expect(ahead.stderr).toMatch(/ahead\.json claims to be built on state serial 8, ahead of the stored serial 5/);
		expect(storedBytes()).toBe(before);
	});

	it('refuses an empty, a whitespace-only, a non-state and a missing file as usage errors naming the file', () => {
		writeFile('empty.json', '');
		writeFile('blank.json', '  \n\n');
		writeFile('object.json', '{}');
		for (const [file, message] of [
			['empty.json', /^panka: empty\.json is empty: it holds no state to push/],
			['blank.json', /^panka: blank\.json is empty: it holds no state to push/],
			['object.json', /^panka: object\.json is not a panka state document: version: /],
			['nowhere.json', /^panka: nowhere\.json: file does not exist/],
		] as const) {
			const result = push(file);
			expect(result.code, file).toBe(2);
			expect(result.stderr, file).toMatch(message);
		}
	});

	it('accepts the direct successor of the stored state, found by its default name when none is given', async () => {
		const successor = stateWith(base, 6, ['api/orders-queue', 'worker/bobs-queue', 'api/mine'], 'me@desk');
		writeFile('errored-state.acme.shop.staging.json', successor);
		const result = world.run(['state', 'push', '--stack', stack], env);
		expect(result.stderr).toBe('');
		expect(result.stdout).toBe('✓ pushed errored-state.acme.shop.staging.json as state serial 6\n');
		expect(result.code).toBe(0);
		const stored = (await readState(backend, key))!.state;
		expect(stored.serial).toBe(6);
		expect(Object.keys(stored.resources).sort()).toEqual(['api/mine', 'api/orders-queue', 'worker/bobs-queue']);
		// Pushed once, it is stale the second time.
		expect(push('errored-state.acme.shop.staging.json').code).toBe(1);
	});

	it('state remove forgets a resource under the lock as the next serial, and says so as a StateChange document with --json', async () => {
		const before = (await readState(backend, key))!.state;
		const removed = world.run(['state', 'remove', 'api/mine', '--yes', '--json', '--stack', stack], env);
		expect(removed.stderr).toBe('');
		expect(removed.code).toBe(0);
		expect(JSON.parse(removed.stdout)).toEqual({
			apiVersion: 'panka.io/cli/v1',
			kind: 'StateChange',
			stack: key,
			action: 'remove',
			address: 'api/mine',
			serial: before.serial + 1,
			leftInAws: before.resources['api/mine']!.physicalId,
		});
		const after = (await readState(backend, key))!.state;
		expect(Object.keys(after.resources).sort()).toEqual(['api/orders-queue', 'worker/bobs-queue']);
		expect(after.metadata.deployedBy).not.toBe('me@desk');
		const unlock = world.run(['state', 'unlock', 'no-such-lock', '--yes', '--json', '--stack', stack], env);
		expect(unlock.code).toBe(0);
		expect(JSON.parse(unlock.stdout)).toMatchObject({kind: 'StateChange', action: 'unlock', unlocked: false});
	});

	it('breaks the lock of a panka that died on this host, says so on stderr, and goes on; stdout keeps the one document', async () => {
		// A process that ran here and has exited: its lock is left behind.
		const dead = spawnSync(process.execPath, ['-e', '0']).pid;
		await acquireLock(backend, key, {operation: 'apply', who: 'me@desk', host: os.hostname(), pid: dead, version: '0.1.0'});
		const removed = world.run(['state', 'remove', 'worker/bobs-queue', '--yes', '--json', '--stack', stack], env);
		expect(removed.code, removed.stderr).toBe(0);
		expect(removed.stderr).toBe(
			`warning: broke the lock of "apply" by me@desk (pid ${dead}), which is no longer running on this host; resolving what it left in flight\n`,
		);
		expect(JSON.parse(removed.stdout)).toMatchObject({kind: 'StateChange', action: 'remove', address: 'worker/bobs-queue'});
		expect(await readLock(backend, key)).toBeUndefined();
	});
});
