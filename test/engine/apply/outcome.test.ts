/**
 * runOutcome: the one verdict on a run that every view prints and the CLI turns into an exit code.
 * Each kind from what happened, the most serious winning; counts by change, as the plan counts.
 */
import {describe, expect, it} from 'vitest';
import {noChangesSummary} from '../../../engine/apply/events.js';
import {runOutcome, type StepResult, unrecordedChanges} from '../../../engine/apply/outcome.js';
import {emptyState, type StateDocument, type StateResource} from '../../../engine/state/state-document.js';
import {outcomeExitCode} from '../../../source/errors.js';

const step = (address: string, outcome: StepResult['outcome']): StepResult => ({address, outcome});
const applied = ['a/one', 'a/two'].map((address) => step(address, 'done'));

describe('runOutcome', () => {
	it('success: every change asked for was applied and saved', () => {
		const outcome = runOutcome({operation: 'apply', steps: applied, unselected: []});
		expect(outcome).toMatchObject({kind: 'success', tone: 'ok', headline: '✓ Stack deployed successfully!', details: []});
		expect(outcome.changes).toEqual({total: 2, applied: 2, failed: 0, skipped: 0, notStarted: 0, unselected: 0});
		expect(runOutcome({operation: 'destroy', steps: applied, unselected: []}).headline).toBe('✓ Stack destroyed successfully!');
	});

	it('no changes: nothing to do', () => {
		expect(runOutcome({operation: 'apply', steps: [], unselected: []})).toMatchObject({
			kind: 'no-changes',
			headline: '✓ No changes: the stack matches the configuration.',
		});
		expect(noChangesSummary('apply', undefined, 'now')).toMatchObject({type: 'summary', done: [], outcome: {kind: 'no-changes'}});
	});

	it('partial by choice: what was approved was applied, the rest of the plan was left out by the user', () => {
		const outcome = runOutcome({operation: 'apply', steps: applied, unselected: ['b/three', 'b/four', 'b/five', 'b/six']});
		expect(outcome).toMatchObject({kind: 'partial-by-choice', tone: 'warning'});
		expect(outcome.headline).toBe('⚠ Applied 2 of 6 changes; 4 skipped: the stack is not fully deployed; panka plan shows what is left');
	});

	it('awaiting approval: changes that widen access were held back, so the run says so and fails the step (exit 1)', () => {
		const outcome = runOutcome({
			operation: 'apply',
			steps: applied,
			unselected: ['b/sg', 'b/api'],
			awaitingApproval: new Map([
				[
					'b/sg',
					'widens access (ingress 22/tcp from 0.0.0.0/0 (the internet) on the stack security group); pass --approve-broadening to apply it',
				],
			]),
		});
		expect(outcome).toMatchObject({kind: 'awaiting-approval', tone: 'warning'});
		expect(outcome.headline).toBe(
			'⚠ Applied 2 of 4 changes; 2 skipped: the stack is not fully deployed: 1 change that widens access waits for its own approval',
		);
		expect(outcome.details).toEqual([
			'b/sg: widens access (ingress 22/tcp from 0.0.0.0/0 (the internet) on the stack security group); pass --approve-broadening to apply it',
		]);
		expect(outcomeExitCode(outcome)).toBe(1);
	});

	it('a failure outranks changes awaiting approval', () => {
		const outcome = runOutcome({
			operation: 'apply',
			steps: [...applied, step('b/db', 'failed')],
			unselected: ['b/sg'],
			awaitingApproval: new Map([['b/sg', 'widens access']]),
		});
		expect(outcome.kind).toBe('partial-by-failure');
	});

	it('partial by failure: a failure, what it took with it, and what the user left out are told apart', () => {
		const outcome = runOutcome({
			operation: 'apply',
			steps: [...applied, step('b/db', 'failed'), step('b/api', 'skipped'), step('b/web', 'skipped')],
			unselected: ['c/extra'],
		});
		expect(outcome).toMatchObject({kind: 'partial-by-failure', tone: 'error'});
		expect(outcome.headline).toBe(
			'✗ Applied 2 of 6 changes; 1 failed, 2 skipped because of it, 1 skipped by choice: the stack is not fully deployed; panka plan shows what is left',
		);
		const destroy = runOutcome({operation: 'destroy', steps: [step('a/one', 'done'), step('a/two', 'failed')], unselected: []});
		expect(destroy.headline).toBe(
			'✗ Deleted 1 of 2 resources; 1 failed: the stack is not fully destroyed; panka destroy again deletes what is left',
		);
	});

	it('held back: a destroy that ran every step but left damaged entries in the state is not a success, and names each with its repair', () => {
		const heldBack = [
			{
				address: 'data/orders-queue',
				problem: 'its kind "Teleporter" is unknown to this panka',
				repair: 'panka state remove data/orders-queue',
			},
		];
		const outcome = runOutcome({operation: 'destroy', steps: applied, unselected: [], heldBack});
		expect(outcome).toMatchObject({kind: 'held-back', tone: 'error'});
		expect(outcome.headline).toBe(
			'✗ Deleted 2 of 2 resources: the stack is not fully destroyed: the state still records data/orders-queue, damaged, so nothing was planned for it; repair it as said above, then run panka destroy again',
		);
		expect(outcome.details).toEqual([
			'data/orders-queue: the state entry is damaged: its kind "Teleporter" is unknown to this panka; to repair it: panka state remove data/orders-queue',
		]);
		expect(outcomeExitCode(outcome)).toBe(1);
		// A failure wins the headline; the damaged entry is still named.
		const failed = runOutcome({operation: 'destroy', steps: [step('a/one', 'failed')], unselected: [], heldBack});
		expect(failed.kind).toBe('partial-by-failure');
		expect(failed.details).toEqual(outcome.details);
		// A destroy with nothing left to run but a damaged entry is held back too, never "no changes".
		const onlyDamaged = stateWith({'a/q': {...resource('q'), kind: 'Teleporter'}});
		expect(noChangesSummary('destroy', onlyDamaged, 'now').outcome).toMatchObject({kind: 'held-back', tone: 'error'});
		expect(noChangesSummary('apply', onlyDamaged, 'now').outcome.kind).toBe('no-changes');
	});

	it('counts a replace (two steps) as one change, applied only when both steps are done', () => {
		const outcome = runOutcome({
			operation: 'apply',
			steps: [step('a/db', 'done'), step('a/db', 'failed'), step('a/queue', 'done')],
			unselected: [],
		});
		expect(outcome.changes).toMatchObject({total: 2, applied: 1, failed: 1});
	});

	it('interrupted: says what stopped it and what is left', () => {
		const outcome = runOutcome({
			operation: 'apply',
			steps: [step('a/one', 'done'), step('a/two', 'not-started')],
			unselected: [],
			interrupted: {cause: 'SIGHUP'},
		});
		expect(outcome).toMatchObject({kind: 'interrupted', tone: 'warning'});
		expect(outcome.headline).toBe('⚠ Deploy interrupted (SIGHUP): 1 done, 0 failed, 1 not started. Run it again to finish.');
		expect(runOutcome({operation: 'destroy', steps: [], unselected: [], interrupted: {}}).headline).toBe(
			'⚠ Destroy interrupted: 0 done, 0 failed, 0 not started. Run it again to finish.',
		);
	});

	it('state not saved: names what AWS has that the recorded state does not, and the one command that reconciles it', () => {
		const recorded = stateWith({'a/one': resource('q1')});
		const actual = stateWith({'a/one': resource('q1'), 'a/two': resource('q2')});
		const outcome = runOutcome({
			operation: 'apply',
			steps: applied,
			unselected: [],
			interrupted: {},
			stateNotSaved: {message: 'could not save the state to s3://b: SlowDown', savedTo: 'errored-state.json'},
			recorded,
			actual,
			commands: {statePush: (file) => `panka state push ${file} --stack shop --env prod`, rerun: 'panka apply shop --env prod'},
		});
		expect(outcome).toMatchObject({kind: 'state-not-saved', tone: 'error'});
		expect(outcome.headline).toBe(
			'✗ The state could not be saved (applied 2 of 2 changes): 1 change made in AWS is not in the recorded state; run: panka state push errored-state.json --stack shop --env prod',
		);
		expect(outcome.details).toEqual([
			'could not save the state to s3://b: SlowDown',
			'a/two: exists in AWS (arn:q2) but not in the recorded state',
		]);
		expect(outcome.reconcile).toBe('panka state push errored-state.json --stack shop --env prod');
		// Without a saved copy, the rerun resolves what the recorded intents left.
		const unsaved = runOutcome({
			operation: 'apply',
			steps: applied,
			unselected: [],
			stateNotSaved: {message: 'no'},
			recorded,
			actual,
		});
		expect(unsaved.reconcile).toBe('panka apply');
		expect(unsaved.headline).toMatch(/run panka apply once the backend takes writes again/);
	});

	it('lock lost: wins over everything else, and still says what ran', () => {
		const outcome = runOutcome({
			operation: 'apply',
			steps: [step('a/one', 'done'), step('a/two', 'not-started')],
			unselected: [],
			lockLost: {message: 'the lock 1 was broken and is now held by "destroy" by ci@runner'},
			stateNotSaved: {message: 'someone else wrote state serial 9'},
			recorded: stateWith({}),
			actual: stateWith({}),
		});
		expect(outcome).toMatchObject({kind: 'lock-lost', tone: 'error'});
		expect(outcome.headline).toBe(
			"✗ The stack's lock was lost while this run held it (nothing new was started once that was known; applied 1 of 2 changes; 1 not started); the recorded state still matches what this run did",
		);
		expect(outcome.details[0]).toMatch(/held by "destroy"/);
	});

	it('exit codes: 0 for what the user asked for, 1 for failures and state problems, the cause’s code for an interruption', () => {
		const kinds = {
			success: runOutcome({operation: 'apply', steps: applied, unselected: []}),
			choice: runOutcome({operation: 'apply', steps: applied, unselected: ['x/y']}),
			failure: runOutcome({operation: 'apply', steps: [step('a/b', 'failed')], unselected: []}),
			interrupted: runOutcome({operation: 'apply', steps: [], unselected: [], interrupted: {}}),
			lost: runOutcome({operation: 'apply', steps: [], unselected: [], lockLost: {message: 'gone'}}),
		};
		expect(outcomeExitCode(kinds.success)).toBe(0);
		expect(outcomeExitCode(kinds.choice)).toBe(0);
		expect(outcomeExitCode(kinds.failure)).toBe(1);
		expect(outcomeExitCode(kinds.lost)).toBe(1);
		expect(outcomeExitCode(kinds.interrupted)).toBe(130);
		expect(outcomeExitCode(kinds.interrupted, {exitCode: 129})).toBe(129);
	});
});

describe('unrecordedChanges', () => {
	it('lists creates, updates and deletes AWS has and the recorded state does not, the stack security group included', () => {
		const recorded = stateWith({'a/kept': resource('k'), 'a/changed': resource('c'), 'a/gone': resource('g')});
		const actual = stateWith({'a/kept': resource('k'), 'a/changed': {...resource('c'), inputs: {size: 2}}, 'a/new': resource('n')});
		actual.networking.stackSecurityGroupId = 'sg-1';
		expect(unrecordedChanges(recorded, actual)).toEqual([
			{address: 'a/changed', change: 'updated', physicalId: 'arn:c'},
			{address: 'a/gone', change: 'deleted', physicalId: 'arn:g'},
			{address: 'a/new', change: 'created', physicalId: 'arn:n'},
			{address: 'stack#security-group', change: 'created', physicalId: 'sg-1'},
		]);
	});
});

function stateWith(resources: Record<string, StateResource>): StateDocument {
	return {...emptyState({tenant: 't', stack: 's', environment: 'e'}), resources};
}

function resource(id: string): StateResource {
	return {
		kind: 'SQS',
		type: 'AWS::SQS::Queue',
		service: 'a',
		name: id,
		physicalId: `arn:${id}`,
		status: 'ready',
		inputs: {size: 1},
		outputs: {},
		physicalNames: {},
		dependsOn: [],
		createdAt: '',
		updatedAt: '',
	};
}
