/**
 * The review's pure state, on real plans: the cursor stays on a selectable row inside its window
 * whatever the keys, rows are rebuilt only when the filter or the expanded changes do (never for a
 * toggle or a move), and the Selection is always the engine's.
 */
import {describe, expect, test} from 'vitest';
import type {BindingId} from '../../components/keymap.js';
import {isSelectable} from '../../components/review/review-rows.js';
import {
	modelOf,
	openReview,
	type ReviewState,
	refitReview,
	reviewCommand,
	reviewGeometry,
	reviewTyped,
} from '../../components/review/review-state.js';
import {approveAll, toggle} from '../../engine/plan/selection.js';
import {changedDemoPlan, freshDemoPlan, generatedPlan, nothingWidens} from './plan-fixture.js';

/** The demo and a generated stack as planned, but with nothing that widens access: these specs are the review's general behaviour; the section of changes that widen access has its own specs (plan-review.test.tsx). */
const plainFreshPlan = async () => nothingWidens(await freshDemoPlan());
const plainGeneratedPlan = async (components: number) => nothingWidens(await generatedPlan(components));

const viewport = {width: 100, height: 20};
const options = {canSave: false, endsOnConfirm: true};

function expectCursorInWindow(review: ReviewState, at = viewport) {
	const {listRows} = reviewGeometry(at);
	const {rows} = modelOf(review, at);
	const {index, offset, key} = review.cursor;
	expect(index).toBeGreaterThanOrEqual(offset);
	expect(index).toBeLessThan(offset + listRows);
	expect(offset).toBeLessThanOrEqual(Math.max(0, rows.length - listRows));
	expect(isSelectable(rows[index])).toBe(true);
	expect(key).toBe(rows[index]!.key);
}

describe('the cursor', () => {
	test('stays on a selectable row inside the window through any sequence of keys', async () => {
		let review = openReview(await plainGeneratedPlan(300), viewport, options);
		const commands: BindingId[] = ['move-down', 'move-up', 'page-down', 'page-up', 'first', 'last', 'review-expand', 'review-toggle'];
		let seed = 7;
		const random = () => {
			seed = (seed * 1103515245 + 12345) % 2 ** 31;
			return seed / 2 ** 31;
		};
		for (let i = 0; i < 400; i++) {
			review = reviewCommand(review, commands[Math.floor(random() * commands.length)]!, viewport);
			expectCursorInWindow(review);
		}
	});

	test('opens on the first change with the warnings and its heading above it; home comes back there', async () => {
		const review = openReview(await changedDemoPlan(), viewport, options);
		const {rows} = modelOf(review, viewport);
		expect(review.cursor.offset).toBe(0);
		expect(rows.slice(0, review.cursor.index).map((r) => r.type)).toEqual(['warning', 'warning', 'group']);
		const back = reviewCommand(reviewCommand(review, 'last', viewport), 'first', viewport);
		expect(back.cursor).toEqual(review.cursor);
	});

	test('expanding at the bottom scrolls the diff into view without losing the change', async () => {
		let review = openReview(await changedDemoPlan(), {width: 100, height: 12}, options);
		const small = {width: 100, height: 12};
		review = reviewCommand(review, 'last', small);
		const key = review.cursor.key;
		review = reviewCommand(review, 'review-expand', small);
		expect(review.cursor.key).toBe(key);
		expectCursorInWindow(review, small);
		const {rows} = modelOf(review, small);
		expect(review.cursor.offset + reviewGeometry(small).listRows).toBeGreaterThan(review.cursor.index + 1); // diff lines below it are visible
		expect(rows[review.cursor.index + 1]?.type).toBe('detail');
	});

	test('a smaller terminal keeps the cursor on its row', async () => {
		let review = openReview(await plainGeneratedPlan(300), viewport, options);
		for (let i = 0; i < 3; i++) review = reviewCommand(review, 'page-down', viewport);
		const key = review.cursor.key;
		const small = {width: 70, height: 10};
		const refitted = refitReview(review, small);
		expect(refitted.cursor.key).toBe(key);
		expectCursorInWindow(refitted, small);
	});
});

describe('rows and the selection', () => {
	test('a toggle or a move reuses the rows; a filter or an expansion rebuilds them', async () => {
		const plan = await plainFreshPlan();
		const review = openReview(plan, viewport, options);
		const rows = modelOf(review, viewport);
		const toggled = reviewCommand(review, 'review-toggle', viewport);
		expect(modelOf(toggled, viewport)).toBe(rows);
		expect(modelOf(reviewCommand(toggled, 'move-down', viewport), viewport)).toBe(rows);
		expect(modelOf(reviewCommand(review, 'review-expand', viewport), viewport)).not.toBe(rows);
		const filtering = reviewTyped(reviewCommand(review, 'review-filter', viewport), {input: 'w'}, viewport);
		expect(modelOf(filtering, viewport)).not.toBe(rows);
	});

	test('the selection is the engine’s: toggle on open is approveAll then toggle', async () => {
		const plan = await plainFreshPlan();
		const review = reviewCommand(openReview(plan, viewport, options), 'review-toggle', viewport);
		const expected = toggle(approveAll(plan), plan, plan.changes[0]!.address);
		expect([...review.selection.skipped]).toEqual([...expected.skipped]);
		expect(review.notice?.also?.items).toEqual(expected.explanations.map((e) => ({address: e.address, why: `depends on ${e.because[0]}`})));
	});

	test('nothing changes the selection while a save is in flight', async () => {
		const plan = await plainFreshPlan();
		const saving = reviewCommand(openReview(plan, viewport, {canSave: true, endsOnConfirm: false}), 'review-save', viewport);
		expect(saving.status).toBe('saving');
		expect(reviewCommand(saving, 'review-toggle', viewport).selection).toBe(saving.selection);
		expect(reviewCommand(saving, 'review-approve-all', viewport)).toBe(saving);
	});
});
