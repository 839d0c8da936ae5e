/**
 * The run's record in the state it saves (`metadata.run`, what `panka history` lists): its last
 * write says `completed` only when the run made every change of its plan, and `partial` when a
 * change was left unselected (skipped in the review, held back for approval) even though every
 * step it ran succeeded. The SQS provider is the gated fake (gated-queues.ts); the backend is a
 * real local folder.
 */
import {describe, expect, it} from 'vitest';
import {planChanges} from '../../../engine/plan/plan.js';
import {selectChanges} from '../../../engine/plan/selection.js';
import {openBackend} from '../../../engine/state/backend.js';
import {readState} from '../../../engine/state/state-store.js';
import {loadWorkspace} from '../../../engine/workspace.js';
import {startApply} from '../../helpers/apply-run.js';
import {gatedQueues, queueStack, until} from '../../helpers/gated-queues.js';
import {tempDir} from '../../helpers/stack-fixture.js';

const gate = gatedQueues();
const key = {tenant: 'acme', stack: 'queues', environment: 'default'};

/** Applies a plan creating queues q0 and q1, with `skip` left out of the selection; the saved run record. */
async function runRecordAfterApply(skip: string[]) {
	gate.reset();
	const workspace = await loadWorkspace(queueStack('queues', 2));
	const plan = planChanges(workspace, undefined);
	const backend = openBackend({kind: 'local', home: tempDir()});
	const run = startApply({plan, selection: selectChanges(plan, {skip}), workspace, stored: undefined, backend, key, clients: {} as never});
	const creates = 2 - skip.length;
	await until(
		() => gate.waiting.length === creates,
		() => JSON.stringify(run.events.map((e) => e.type)),
	);
	for (let i = 0; i < creates; i++) gate.next();
	await run.done;
	expect(run.summary()).toMatchObject({failed: [], skipped: [], interrupted: false});
	return (await readState(backend, key))?.state.metadata.run;
}

describe("an apply's run record", () => {
	it('says partial when a change of the plan was left unselected, though every step it ran succeeded', async () => {
		expect(await runRecordAfterApply(['jobs/q1'])).toMatchObject({
			operation: 'apply',
			changes: {create: 1, update: 0, replace: 0, delete: 0},
			outcome: 'partial',
		});
	});

	it('says completed when every change of the plan was selected and made', async () => {
		expect(await runRecordAfterApply([])).toMatchObject({
			operation: 'apply',
			changes: {create: 2, update: 0, replace: 0, delete: 0},
			outcome: 'completed',
		});
	});
});
