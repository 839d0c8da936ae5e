/**
 * What a cut-off run leaves is shown before it is resolved, and resolved by the next apply, through
 * the built binary on moto. The state is arranged exactly as a SIGKILL leaves it (a create recorded
 * as pending, its resource made in AWS but not recorded, the lock of a process that is gone), so
 * the outcome does not depend on when a kill lands:
 *
 * - `panka plan` names the dead lock and previews "~ adopt" for the queue the crashed create made,
 *   never "+ create"; --json carries the same under `recovery`; plan itself changes nothing; a plan
 *   saved then is applied as it is (its recovery foreseen), not refused as stale.
 * - A pending create whose component was then deleted from the folder is previewed as a delete,
 *   and the next apply deletes the queue (checked in AWS) and leaves nothing pending.
 */
import os from 'node:os';
import {rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {expect, it} from 'vitest';
import {acquireLock} from '../../engine/state/lock.js';
import type {StateDocument} from '../../engine/state/state-document.js';
import {basisOf, readState, writeState} from '../../engine/state/state-store.js';
import {deadPid} from '../helpers/backend-fixture.js';
import {type ConvergenceWorld, convergenceWorld, stackResourceNames} from '../helpers/convergence.js';
import {describeAws, useMoto} from '../helpers/moto.js';

const lateQueue = 'apiVersion: components.panka.io/v1\nkind: SQS\nmetadata:\n  name: late\n';

/** Applies the stack with `late.yaml`, then rewrites the state as a crash during late's create leaves it. */
async function crashedCreateOfLate(cw: ConvergenceWorld): Promise<{queueName: string}> {
	cw.writeStack({queues: 0});
	writeFileSync(path.join(cw.dir, 'services', 'data', 'late.yaml'), lateQueue);
	expect((await cw.run(['apply', cw.dir, '--yes', '--no-tui'])).claimedSuccess).toBe(true);
	const stored = (await readState(cw.stateBackend, cw.key))!;
	const crashed: StateDocument = structuredClone(stored.state);
	const late = crashed.resources['data/late']!;
	delete crashed.resources['data/late'];
	for (const output of Object.keys(crashed.outputs)) if (output.startsWith('late.')) delete crashed.outputs[output];
	crashed.pending.push({
		id: 'op-late',
		address: 'data/late',
		operation: 'create',
		kind: 'SQS',
		startedAt: new Date().toISOString(),
		physicalName: late.physicalNames.primary,
		physicalNames: late.physicalNames,
		token: 'op-late',
	});
	crashed.serial += 1;
	await writeState(cw.stateBackend, cw.key, crashed, basisOf(stored));
	// The crashed run's lock: its process is gone.
	await acquireLock(cw.stateBackend, cw.key, {
		operation: 'apply',
		who: 'ci@runner',
		host: os.hostname(),
		pid: await deadPid(),
		version: '0.1.0',
	});
	return {queueName: late.physicalNames.primary!};
}

describeAws('a cut-off run, previewed and healed', () => {
	const moto = useMoto();

	it('plan shows the dead lock and "~ adopt" for what the crashed create made; the saved plan applies, adopting it', async () => {
		const cw = convergenceWorld(moto, 'local');
		const {queueName} = await crashedCreateOfLate(cw);
		const serial = (await readState(cw.stateBackend, cw.key))!.state.serial;

		const plan = await cw.run(['plan', cw.dir]);
		expect(plan.code, plan.stderr).toBe(0);
		expect(plan.stdout).toMatch(
			/^⚠ The stack is locked by a run that is no longer running: "apply" by ci@runner .*; the next apply breaks the lock/m,
		);
		expect(plan.stdout).toMatch(/A run was cut short: 1 operation left in flight; the next apply resolves it first/);
		expect(plan.stdout).toContain(`data/late: ~ adopt http://`);
		expect(plan.stdout).toContain(`${queueName}, created before the interruption (not created again)`);
		expect(plan.stdout).not.toMatch(/\+ data\/late/);
		const json = JSON.parse((await cw.run(['plan', cw.dir, '--json'])).stdout);
		expect(json.recovery).toMatchObject({
			lock: {dead: true},
			pending: [{address: 'data/late', operation: 'create', resolution: 'adopted'}],
		});
		expect(json.changes.find((c: {address: string}) => c.address === 'data/late').action).not.toBe('create');
		// Plan changed nothing.
		expect((await readState(cw.stateBackend, cw.key))!.state).toMatchObject({serial, pending: [{address: 'data/late'}]});

		// A plan saved now is made on the foreseen recovery: its apply resolves exactly that first, then runs it.
		const file = path.join(cw.world.root, 'plan.json');
		expect((await cw.run(['plan', cw.dir, '--out', file, '--no-tui'])).code).toBe(0);
		const applied = await cw.run(['apply', file, '--no-tui']);
		expect(applied.claimedSuccess, `${applied.stdout}\n${applied.stderr}`).toBe(true);
		expect(applied.stderr).toMatch(/data\/late: adopted \S+, created before the interruption/);
		const audit = await cw.audit();
		expect(audit).toMatchObject({orphans: [], duplicates: [], missing: [], pending: 0, resources: 5});
	}, 90_000);

	it('a pending create whose component left the folder is previewed as a delete, and the next apply deletes it in AWS', async () => {
		const cw = convergenceWorld(moto, 'local');
		const {queueName} = await crashedCreateOfLate(cw);
		rmSync(path.join(cw.dir, 'services', 'data', 'late.yaml'));

		const plan = await cw.run(['plan', cw.dir]);
		expect(plan.stdout).toContain(`data/late: - adopt http://`);
		expect(plan.stdout).toMatch(/and delete it: late is no longer in the folder/);

		const apply = await cw.run(['apply', cw.dir, '--yes', '--no-tui']);
		expect(apply.claimedSuccess, `${apply.stdout}\n${apply.stderr}`).toBe(true);
		expect(apply.stderr).toMatch(
			/data\/late: late is no longer in the folder, so its interrupted create is undone: adopted \S+, made before the interruption, and deleted it/,
		);
		const listed = JSON.parse((await cw.run(['state', 'list', '--stack', cw.dir, '--json'])).stdout);
		expect(listed.pending).toEqual([]);
		expect(await stackResourceNames(moto.clients(), queueName)).toEqual([]);
		expect(await cw.audit()).toMatchObject({orphans: [], missing: [], pending: 0, resources: 4});
		// The second apply has nothing left to do.
		expect((await cw.run(['apply', cw.dir, '--yes', '--no-tui'])).stdout).toMatch(/✓ No changes/);
	}, 90_000);
});
