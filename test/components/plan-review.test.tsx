/**
 * The plan review on its own (`panka plan` in a terminal), driven with keys over real plans made by
 * the engine: changes grouped by action with counts, the field diff on enter, approve/skip with
 * the engine's Selection and its explanations, the partial-apply warning, the filter, confirming
 * (saving through the caller's savePlan), cancelling, and a 2,000-change plan drawn a window at a
 * time.
 */
import {cleanup, render} from 'ink-testing-library';
import {afterEach, describe, expect, test, vi} from 'vitest';
import {PlanReview} from '../../components/review/PlanReview.js';
import type {PlanReviewResult} from '../../components/review/run-plan-review.js';
import type {SavePlanService} from '../../components/services.js';
import {makePlanFile, savedSelection} from '../../engine/plan/plan-file.js';
import type {Plan} from '../../engine/plan/plan.js';
import {KEYS, press, type} from './keys.js';
import {changedDemoPlan, freshDemoPlan, generatedPlan, secretToken, nothingWidens} from './plan-fixture.js';
import {removeTempDirs} from './stack-fixture.js';

/** The demo and a generated stack as planned, but with nothing that widens access: these specs are the review's general behaviour; the section of changes that widen access has its own (below). */
const plainFreshPlan = async () => nothingWidens(await freshDemoPlan());
const plainGeneratedPlan = async (components: number) => nothingWidens(await generatedPlan(components));

afterEach(() => {
	cleanup();
	removeTempDirs();
});

const KEY_HOME = '\u001B[H';
const KEY_END = '\u001B[F';

function renderReview(plan: Plan, savePlan?: SavePlanService) {
	const onDone = vi.fn<(result: PlanReviewResult) => void>();
	const rendered = render(<PlanReview plan={plan} onDone={onDone} {...(savePlan ? {savePlan} : {})} />);
	const frame = () => rendered.lastFrame() ?? '';
	const lines = () => frame().split('\n');
	/** The list row carrying the cursor bar. */
	const cursorRow = () => lines().find((line) => line.startsWith('│▌')) ?? '';
	/** The list row of a change (its check state, symbol, address, kind and reason). */
	const row = (address: string) =>
		lines().find((line) => new RegExp(`^│[▌ ][✓○] +[-+~/]+ ${address.replace('/', '\\/')} `).test(line)) ?? '';
	const listed = () => lines().flatMap((line) => /^│[▌ ][✓○] +[-+~/]+ (\S+)/.exec(line)?.[1] ?? []);
	/** Moves the cursor down (from wherever it is) onto the row of `address`. */
	const moveTo = async (address: string) => {
		await press(rendered.stdin, KEY_HOME);
		for (let i = 0; i < 60 && !cursorRow().includes(` ${address} `); i++) await press(rendered.stdin, KEYS.down);
		expect(cursorRow()).toContain(` ${address} `);
	};
	const notice = () => lines().at(-4) ?? '';
	const status = () => lines().at(-3) ?? '';
	return {...rendered, onDone, frame, cursorRow, row, listed, moveTo, notice, status};
}

describe('what a kind warns about', () => {
	test('a change with notes shows the first on its row and all of them in its details', async () => {
		const plan = await plainFreshPlan();
		const db = plan.changes.find((c) => c.address === 'api/api-db')!;
		expect(db.notes).toEqual([expect.stringMatching(/^will generate secret \S+ if missing/)]);
		const {stdin, row, moveTo, frame} = renderReview(plan);
		expect(row('api/api-db')).toContain('⚠ will generate secret');
		expect(row('api/notification-queue')).not.toContain('⚠');
		await moveTo('api/api-db');
		await press(stdin, KEYS.enter);
		// Wrapped to the pane, never cut: the whole warning is there.
		const note = frame()
			.split('\n')
			.filter((l) => /^│ {7}[⚠ ] \S/.test(l) && !/ name /.test(l))
			.map((l) => l.slice(10, -1).trim());
		expect(note.join(' ')).toBe(
			'will generate secret panka/notifications-team/production/api/db-password if missing (a random password, never shown)',
		);
	});
});

describe('the plan, grouped', () => {
	test('deletes and replaces first, then creates and updates, each group with its count; no-ops only counted', async () => {
		const plan = await changedDemoPlan();
		const {frame, listed, row, cursorRow} = renderReview(plan);
		expect(frame()).toContain('Plan review · notification-platform · production');
		expect(frame()).toContain('state serial 4');
		expect(frame()).toContain('Plan: 1 to add, 2 to change, 1 to replace, 1 to destroy · 6 unchanged');
		const headings = ['Delete (1)', 'Replace (1)', 'Create (1)', 'Update in place (2)'].map((h) => frame().indexOf(h));
		expect(headings.every((at) => at > 0)).toBe(true);
		expect([...headings].sort((a, b) => a - b)).toEqual(headings);
		expect(listed()).toEqual(['scheduler/daily-digest', 'worker/sessions', 'api/audit-queue', 'api/api-server', 'worker/processor']);
		expect(row('scheduler/daily-digest')).toMatch(/✓ +- scheduler\/daily-digest +EventBridge +no longer in the stack folder/);
		expect(row('worker/sessions')).toMatch(/✓ -\/\+ worker\/sessions +DynamoDB +replaced because hashKey\.name cannot change in place/);
		expect(row('api/audit-queue')).toMatch(/✓ +\+ api\/audit-queue +SQS +standard queue, visibility 60s/);
		expect(row('api/api-server')).toMatch(/✓ +~ api\/api-server +MicroService +replicas: 3 → 4/);
		expect(row('worker/processor')).toMatch(/✓ +~ worker\/processor +Lambda +reads worker\/sessions, which is replaced/);
		expect(frame()).not.toContain('api/api-db'); // unchanged
		expect(frame()).toContain('⚠ worker/processor: environment.API_TOKEN looks secret');
		expect(frame()).not.toContain(secretToken);
		expect(cursorRow()).toContain('scheduler/daily-digest');
		expect(frame()).toContain('✓ all 5 changes approved');
	});

	test('shows targeting warnings from the plan', async () => {
		const plan = await plainFreshPlan();
		const targeted: Plan = {...plan, warnings: ['resource targeting is in effect: the plan covers only the targeted resources']};
		const {frame} = renderReview(targeted);
		expect(frame()).toContain('⚠ resource targeting is in effect: the plan covers only the targeted resources');
	});

	test('no changes: says so, and confirming ends with an empty selection', async () => {
		const plan = await plainFreshPlan();
		const empty: Plan = {...plan, changes: [], summary: {create: 0, update: 0, replace: 0, delete: 0, noop: 10}};
		const {frame, stdin, onDone} = renderReview(empty);
		expect(frame()).toContain('No changes. Your infrastructure matches the configuration.');
		expect(frame()).toContain('nothing to apply');
		await press(stdin, 's');
		expect(onDone).toHaveBeenCalledWith({selection: expect.objectContaining({partial: false})});
	});
});

describe('changes that widen access', () => {
	const section = 'Widens access: needs its own approval (space or B; a does not) (5)';
	const widening = ['stack#security-group', 'api/api-server', 'worker/processor', 'scheduler/cron-job', 'scheduler/daily-digest'];

	test('form their own section, first, start skipped and say what widens', async () => {
		const {frame, row, listed, status} = renderReview(await freshDemoPlan());
		expect(frame()).toContain(section);
		expect(frame().indexOf(section)).toBeLessThan(frame().indexOf('Create (6)'));
		expect(listed().slice(0, 5)).toEqual(widening);
		expect(row('stack#security-group')).toMatch(
			/○ +\+ stack#security-group +SecurityGroup +⚠ ingress 443\/tcp from 0\.0\.0\.0\/0 \(the internet\)/,
		);
		expect(row('scheduler/daily-digest')).toMatch(
			/○ +\+ scheduler\/daily-digest +EventBridge +⚠ new permission: rule scheduler\/daily-digest/,
		);
		// What runs in the VPC waits for the security group; what does not is approved.
		expect(row('api/api-db')).toMatch(/○ .*skipped because it depends on stack#security-group/);
		expect(row('api/notification-queue')).toMatch(/│[▌ ]✓/);
		expect(status()).toContain('⚠ partial apply: 6 changes skipped');
	});

	test('a approves everything else and leaves them skipped; B approves them', async () => {
		const {stdin, row, notice, status, moveTo} = renderReview(await freshDemoPlan());
		await moveTo('worker/sessions');
		await press(stdin, KEYS.space);
		expect(row('worker/sessions')).toMatch(/│[▌ ]○/);
		await press(stdin, 'a');
		expect(notice()).toContain('✓ approved 5 of 11 changes; 6 that widen access or need them stay skipped (B approves those)');
		expect(row('worker/sessions')).toMatch(/│[▌ ]✓/);
		for (const address of widening) expect(row(address)).toMatch(/│[▌ ]○/);
		await press(stdin, 'B');
		expect(notice()).toContain('✓ approved 5 changes that widen access');
		for (const address of widening) expect(row(address)).toMatch(/│[▌ ]✓/);
		expect(status()).toContain('✓ all 11 changes approved');
		// Once approved, a keeps them approved.
		await press(stdin, 'a');
		expect(status()).toContain('✓ all 11 changes approved');
	});

	test('space approves one on its own, with what it needs', async () => {
		const {stdin, row, moveTo, notice} = renderReview(await freshDemoPlan());
		await moveTo('scheduler/daily-digest');
		await press(stdin, KEYS.space);
		expect(row('scheduler/daily-digest')).toMatch(/│[▌ ]✓/);
		expect(notice()).toContain('✓ approved scheduler/daily-digest');
		expect(row('api/api-server')).toMatch(/│[▌ ]○/);
	});

	test('enter shows everything the change widens, whole', async () => {
		const {stdin, frame, moveTo} = renderReview(await freshDemoPlan());
		await moveTo('api/api-server');
		await press(stdin, KEYS.enter);
		expect(frame()).toContain('⚠ widens access: secret production/api/db-password becomes readable by the tasks of');
		expect(frame()).toContain('⚠ widens access: a new internet-facing load balancer for api/api-server: ingress');
	});

	test('confirming as opened saves them skipped', async () => {
		const plan = await freshDemoPlan();
		const savePlan = vi.fn<SavePlanService>(async () => ({path: '/tmp/reviewed.plan.json'}));
		const {stdin, onDone} = renderReview(plan, savePlan);
		await press(stdin, 's');
		await vi.waitFor(() => expect(onDone).toHaveBeenCalled(), {interval: 1});
		const [, selection] = savePlan.mock.calls[0]!;
		expect([...selection.requestedSkips.keys()]).toEqual(widening);
		expect(selection.skipped.get('stack#security-group')).toBe('widens access: approve it on its own (space, or B for all of them)');
	});
});

describe('the field diff', () => {
	test('enter expands a change in place: before → after, (sensitive), known after apply, forces replacement', async () => {
		const {stdin, frame, moveTo, cursorRow} = renderReview(await changedDemoPlan());
		await moveTo('worker/processor');
		await press(stdin, KEYS.enter);
		expect(frame()).toContain('# reads worker/sessions, which is replaced: the value is known only after apply');
		expect(frame()).toContain('+ environment.API_TOKEN: (sensitive)');
		expect(frame()).toContain('~ environment.SESSIONS_TABLE: (known after apply: sessions.tableName)  # worker/sessions i');
		expect(frame()).not.toContain(secretToken);
		expect(cursorRow()).toContain('worker/processor');

		await moveTo('worker/sessions');
		await press(stdin, KEYS.enter);
		expect(frame()).toContain('~ hashKey.name: "sessionId" → "userId"  # forces replacement');
		expect(frame()).toContain('# the old one is deleted first: the new one reuses its name');
		await moveTo('api/api-server');
		await press(stdin, KEYS.enter);
		expect(frame()).toContain('~ replicas: 3 → 4');

		// enter on a line of a diff folds that change and puts the cursor back on it.
		await moveTo('worker/sessions');
		await press(stdin, KEYS.down, KEYS.enter);
		expect(frame()).not.toContain('~ hashKey.name');
		expect(cursorRow()).toContain('worker/sessions');
		expect(frame()).toContain('~ replicas: 3 → 4');
	});

	test('a create shows what will be created, secrets as (sensitive)', async () => {
		const {stdin, frame, moveTo} = renderReview(await plainFreshPlan());
		await moveTo('api/api-db');
		await press(stdin, KEYS.enter);
		expect(frame()).toContain('postgres 15 db.t3.medium, 100 GB gp3 (up to 500 GB), multi-AZ, backups 7 days');
		expect(frame()).toContain('+ engine.type: "postgres"');
		expect(frame()).toContain('+ database.passwordSecret.ref: "production/api/db-password"');
		expect(frame()).toMatch(/\+ physicalNames.primary: "notifications-team-notification-platform-production-ap-[0-9a-f]{8}"/);
	});
});

describe('approving and skipping', () => {
	test('space skips a change and everything that depends on it, says why, and warns of a partial apply', async () => {
		const {stdin, moveTo, row, notice, status, frame} = renderReview(await plainFreshPlan());
		await moveTo('api/api-db');
		await press(stdin, KEYS.space);
		expect(row('api/api-db')).toMatch(/○ +\+ api\/api-db +RDS +skipped · postgres 15/);
		expect(row('api/api-server')).toMatch(/○ +\+ api\/api-server +MicroService +skipped because it depends on api\/api-db, which/);
		expect(notice()).toContain('○ skipped api/api-db · also skipped: api/api-server (depends on api/api-db)');
		expect(status()).toContain('⚠ partial apply: 2 changes skipped');
		expect(frame()).toContain('Create (11)  2 skipped');
		expect(row('worker/sessions')).toMatch(/✓/);

		await moveTo('worker/sessions');
		await press(stdin, KEYS.space);
		// As many as the line holds (with reasons when they fit), then how many more.
		expect(notice()).toContain('○ skipped worker/sessions · also skipped: worker/processor, scheduler/cron-job and 1 more');
		expect(row('scheduler/cron-job')).toContain('skipped because it depends on worker/sessions');
		expect(status()).toContain('⚠ partial apply: 6 changes skipped');
	});

	test('approving a skipped change pulls in what it depends on; the warning goes once nothing is skipped', async () => {
		const {stdin, moveTo, row, notice, status} = renderReview(await plainFreshPlan());
		await moveTo('api/api-db');
		await press(stdin, KEYS.space);
		await moveTo('api/api-server');
		await press(stdin, KEYS.space);
		expect(notice()).toContain('✓ approved api/api-server · also approved: api/api-db (needed by api/api-server)');
		expect(row('api/api-db')).toMatch(/│[▌ ]✓/);
		expect(status()).toContain('✓ all 11 changes approved');
		expect(status()).not.toContain('partial apply');
	});

	test('a approves every change', async () => {
		const {stdin, moveTo, notice, status, row} = renderReview(await plainFreshPlan());
		await moveTo('worker/sessions');
		await press(stdin, KEYS.space);
		expect(status()).toContain('partial apply: 4 changes skipped');
		await press(stdin, 'a');
		expect(notice()).toContain('✓ approved all 11 changes (4 were skipped)');
		expect(status()).toContain('✓ all 11 changes approved');
		expect(row('worker/processor')).toMatch(/│[▌ ]✓/);
	});
});

describe('the filter', () => {
	test('/ narrows the list by address, kind or action as you type; enter keeps it; esc clears it', async () => {
		const {stdin, frame, listed, notice} = renderReview(await changedDemoPlan());
		await press(stdin, '/');
		await type(stdin, 'api');
		expect(listed()).toEqual(['api/audit-queue', 'api/api-server']);
		expect(frame()).toContain('filter “api” · 2 of 5');
		expect(notice()).toContain('/api█');
		await press(stdin, KEYS.enter);
		expect(listed()).toEqual(['api/audit-queue', 'api/api-server']);
		expect(frame()).toContain('esc clear filter');
		expect(frame()).not.toContain('esc/q cancel'); // esc clears first; q still cancels
		await press(stdin, KEYS.escape);
		expect(listed()).toHaveLength(5);
		expect(frame()).toContain('state serial 4');

		// Kinds, actions in plain words, several words at once; typed letters are never commands.
		await press(stdin, '/');
		await type(stdin, 'dynamodb');
		expect(listed()).toEqual(['worker/sessions']);
		await press(stdin, KEYS.ctrlU);
		await type(stdin, 'destroy');
		expect(listed()).toEqual(['scheduler/daily-digest']);
		await press(stdin, KEYS.ctrlU);
		await type(stdin, 'update lambda');
		expect(listed()).toEqual(['worker/processor']);
		await press(stdin, KEYS.ctrlU);
		await type(stdin, 'qa');
		expect(frame()).toContain('no change matches “qa”');
		await press(stdin, KEYS.backspace, KEYS.backspace);
		expect(listed()).toHaveLength(5);
		await press(stdin, KEYS.escape);
		expect(frame()).not.toContain('█');
	});
});

describe('confirming and leaving', () => {
	test('s saves the plan with the Selection through savePlan, and ends with it', async () => {
		const plan = await plainFreshPlan();
		const savePlan = vi.fn<SavePlanService>(async () => ({path: '/tmp/reviewed.plan.json'}));
		const {stdin, moveTo, onDone, frame} = renderReview(plan, savePlan);
		await moveTo('api/api-db');
		await press(stdin, KEYS.space, 's');
		await vi.waitFor(() => expect(onDone).toHaveBeenCalled(), {interval: 1});
		expect(savePlan).toHaveBeenCalledTimes(1);
		const [savedPlan, selection] = savePlan.mock.calls[0]!;
		expect(savedPlan).toBe(plan);
		expect([...selection.skipped.keys()]).toEqual(['api/api-db', 'api/api-server']);
		expect([...selection.requestedSkips.keys()]).toEqual(['api/api-db']);
		expect(selection.approved.size).toBe(9);
		expect(onDone).toHaveBeenCalledWith({selection, saved: '/tmp/reviewed.plan.json'});
		expect(frame()).toBe(''); // the review clears its frame when it ends
		// What the CLI writes with it restores to the same selection.
		expect(savedSelection(makePlanFile(plan, {stackFolder: '/stacks/demo', selection}))?.skipped).toEqual(selection.skipped);
	});

	test('without savePlan, s ends with the selection; a failed save is shown and the review stays', async () => {
		const plan = await plainFreshPlan();
		const plain = renderReview(plan);
		await press(plain.stdin, 's');
		expect(plain.onDone).toHaveBeenCalledWith({selection: expect.objectContaining({partial: false})});
		cleanup();

		const failing = renderReview(plan, async () => ({error: 'disk full'}));
		await press(failing.stdin, 's');
		await vi.waitFor(() => expect(failing.notice()).toContain('the plan was not saved: disk full'), {interval: 1});
		expect(failing.onDone).not.toHaveBeenCalled();
	});

	test('esc and q cancel (undefined); ctrl+c ends with {interrupted: true}', async () => {
		const plan = await plainFreshPlan();
		for (const key of [KEYS.escape, 'q']) {
			const {stdin, onDone} = renderReview(plan);
			await press(stdin, key);
			expect(onDone).toHaveBeenCalledWith(undefined);
			cleanup();
		}
		const {stdin, onDone} = renderReview(plan);
		await press(stdin, KEYS.ctrlC);
		expect(onDone).toHaveBeenCalledWith({interrupted: true});
	});
});

describe('2,000 changes', () => {
	test('only a window is drawn; the cursor reaches the end and stays visible through pages and diffs', async () => {
		const plan = await plainGeneratedPlan(2_000);
		expect(plan.summary.create).toBe(2_000);
		const addresses = plan.changes.map((c) => c.address);
		const {stdin, frame, listed, cursorRow} = renderReview(plan);
		expect(frame().split('\n')).toHaveLength(39); // one row less than the 40-row terminal
		expect(listed()).toEqual(addresses.slice(0, listed().length));
		expect(listed().length).toBeLessThan(40);
		expect(frame()).toContain('Create (2000)');

		// A page is the window less one row: 32 rows (the list has 33 of the 39: footer, borders, summary, notice and status take 6).
		await press(stdin, KEYS.pageDown);
		expect(cursorRow()).toContain(` ${addresses[32]} `);
		expect(listed().at(-1)).toBe(addresses[32]);
		await press(stdin, KEYS.pageDown, KEYS.pageUp);
		expect(cursorRow()).toContain(` ${addresses[32]} `);

		await press(stdin, KEY_END);
		expect(cursorRow()).toContain(addresses.at(-1)!);
		expect(listed().at(-1)).toBe(addresses.at(-1));
		expect(frame().split('\n')).toHaveLength(39);

		await press(stdin, KEYS.enter);
		expect(cursorRow()).toContain(addresses.at(-1)!);
		expect(frame()).toContain('# after ');
		expect(frame().split('\n')).toHaveLength(39);

		await press(stdin, KEYS.space);
		expect(frame()).toContain('⚠ partial apply: 1 change skipped');

		await press(stdin, KEY_HOME);
		expect(cursorRow()).toContain(addresses[0]!);
		expect(frame()).toContain('Create (2000)  1 skipped');
	});
});
