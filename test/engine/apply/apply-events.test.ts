/**
 * What an apply says while it runs and how it ends, as every view receives it: a heartbeat for
 * each step that runs quietly, a stop reported the moment it comes (with its cause), and the
 * outcome of a run part of whose plan the user left out. The SQS provider's creates wait for the
 * test (gated-queues.ts); the backend is a real local folder.
 */
import {describe, expect, it} from 'vitest';
import type {EngineEvent} from '../../../engine/apply/events.js';
import {planChanges} from '../../../engine/plan/plan.js';
import {selectChanges} from '../../../engine/plan/selection.js';
import {openBackend} from '../../../engine/state/backend.js';
import {loadWorkspace} from '../../../engine/workspace.js';
import {ApplyLineRenderer} from '../../../source/render/apply-text.js';
import {type ApplyTestInput, startApply} from '../../helpers/apply-run.js';
import {gatedQueues, queueStack, until} from '../../helpers/gated-queues.js';
import {tempDir} from '../../helpers/stack-fixture.js';

const gate = gatedQueues();
const key = {tenant: 'acme', stack: 'queues', environment: 'default'};

async function start(count: number, options: Partial<ApplyTestInput> & {skip?: string[]} = {}) {
	gate.reset();
	const workspace = await loadWorkspace(queueStack('queues', count));
	const plan = planChanges(workspace, undefined);
	const {skip, ...rest} = options;
	const {events, done} = startApply({
		plan,
		...(skip ? {selection: selectChanges(plan, {skip})} : {}),
		workspace,
		stored: undefined,
		backend: openBackend({kind: 'local', home: tempDir()}),
		key,
		clients: {} as never,
		...rest,
	});
	return {events, run: done};
}

const types = (events: EngineEvent[]) => () => JSON.stringify(events.map((e) => e.type));
const lines = (events: EngineEvent[]) => {
	const renderer = new ApplyLineRenderer((text) => text);
	return events.flatMap((e) => renderer.event(e));
};

describe('applyPlan events', () => {
	it('hears from every running step at least every heartbeatMs: a heartbeat with its phase when it is otherwise quiet', async () => {
		const {events, run} = await start(2, {heartbeatMs: 30});
		await until(() => gate.waiting.length === 2, types(events));
		const beat = (e: EngineEvent) => e.type === 'resource.heartbeat';
		// At least two per step, and one since the steps reported their phase (after their intent was saved).
		await until(() => events.filter(beat).length >= 4 && events.some((e) => beat(e) && 'phase' in e), types(events));
		gate.next();
		gate.next();
		await run;
		const beats = events.filter((e): e is Extract<EngineEvent, {type: 'resource.heartbeat'}> => e.type === 'resource.heartbeat');
		expect(new Set(beats.map((b) => b.address))).toEqual(new Set(['jobs/q0', 'jobs/q1']));
		// The latest phase rides along, once the step has reported one (its intent is saved first).
		const withPhase = beats.find((b) => b.phase);
		expect(withPhase).toMatchObject({action: 'create', kind: 'SQS', phase: expect.stringMatching(/^creating queue /)});
		expect(beats.every((b) => b.elapsedMs >= 30)).toBe(true);
		// The --no-tui line of a heartbeat (the --json view prints the event itself).
		expect(lines([withPhase!])).toEqual([
			expect.stringMatching(/^ {2}│ {3}jobs\/q\d: still creating… 0s \(creating queue acme-queues-default-q\d\)$/),
		]);
	});

	it('says the stop the moment it comes, with its cause, while the steps in flight still run', async () => {
		const stop = new AbortController();
		const {events, run} = await start(3, {parallelism: 1, stop: stop.signal, abort: new AbortController().signal});
		await until(() => gate.waiting.length === 1, types(events));
		stop.abort('SIGHUP');
		await until(() => events.some((e) => e.type === 'apply.interrupted'), types(events));
		expect(events.find((e) => e.type === 'apply.interrupted')).toMatchObject({mode: 'stop', cause: 'SIGHUP'});
		expect(gate.waiting).toHaveLength(1); // still in flight
		expect(lines(events.filter((e) => e.type === 'apply.interrupted'))).toEqual([
			'Interrupted (SIGHUP): starting nothing new; waiting for the steps in flight to finish (a second interrupt aborts them)…',
		]);
		gate.next();
		await run;
		const summary = events.at(-1) as Extract<EngineEvent, {type: 'summary'}>;
		expect(summary.outcome).toMatchObject({kind: 'interrupted', changes: {applied: 1, notStarted: 2}});
		expect(lines([summary]).at(-1)).toBe('⚠ Deploy interrupted (SIGHUP): 1 done, 0 failed, 2 not started. Run it again to finish.');
	});

	it('a run part of whose plan the user skipped ends partial by choice, and its last line says what is left', async () => {
		const {events, run} = await start(6, {skip: ['jobs/q2', 'jobs/q3', 'jobs/q4', 'jobs/q5']});
		await until(() => gate.waiting.length === 2, types(events));
		gate.next();
		gate.next();
		await run;
		const summary = events.at(-1) as Extract<EngineEvent, {type: 'summary'}>;
		expect(summary.outcome.kind).toBe('partial-by-choice');
		expect(lines([summary]).at(-1)).toBe(
			'⚠ Applied 2 of 6 changes; 4 skipped: the stack is not fully deployed; panka plan shows what is left',
		);
	});
});
