/**
 * The plan review pane, a pure function of a ReviewState:
 *
 *     ╭─ Plan review · notification-platform · production ──────── state serial 4 ╮
 *     │ Plan: 1 to add, 2 to change, 1 to replace, 1 to destroy · 5 unchanged  ✓ 3  ○ 2 │
 *     │▌✓   - scheduler/daily-digest  EventBridge  no longer in the stack folder          │
 *     │ …  (only the rows of the window are drawn: ListView)                              │
 *     │ ○ skipped worker/sessions · also skipped: worker/processor (depends on …)         │
 *     │ ⚠ partial apply: 2 changes skipped                                                │
 *     ╰───────────────────────────────────────────────────────────────────────────────────╯
 *
 * Exactly `width` × `height` whatever the plan: the list gets the rows the summary, the notice and
 * the status line leave (reviewGeometry), so the frame never grows with the number of changes.
 */
import {describePromotion, describeRollback, environmentLabel, plural} from '../../engine/index.js';
import {Box} from 'ink';
import {LineText} from '../LineText.js';
import {ListView} from '../ListView.js';
import {type Line, lineWidth, seg, spread} from '../model/line.js';
import {Pane} from '../Pane.js';
import {theme} from '../theme.js';
import {isSelectable} from './review-rows.js';
import {budgetBadge, costSummaryLine, summaryText, windowLines} from './review-lines.js';
import {modelOf, type ReviewNotice, type ReviewState, reviewGeometry} from './review-state.js';

export interface ReviewScreenProps {
	review: ReviewState;
	width: number;
	height: number;
	/** The stack folder changed since the plan was made (workbench only). */
	stale?: boolean;
}

const toneColor = (tone: ReviewNotice['tone']) => (tone === 'error' ? theme.error : tone === 'ok' ? theme.ok : theme.accent);

/**
 * `label: a (why), b (why) and 12 more`: as many items as fit in `room` columns with their reasons,
 * else as many addresses, else the first one (cut by the line).
 */
export function alsoText(also: NonNullable<ReviewNotice['also']>, room: number): string {
	const {label, items} = also;
	// A line never holds more than a few dozen: skipping the head of a long chain must not cost O(n).
	const considered = items.slice(0, 40);
	for (const withWhy of [true, false]) {
		const texts = considered.map((item) => (withWhy && item.why ? `${item.address} (${item.why})` : item.address));
		let length = label.length + 1;
		let fits = 0;
		for (const [i, text] of texts.entries()) {
			length += (i > 0 ? 2 : 1) + text.length;
			const rest = items.length - i - 1;
			if (length + (rest > 0 ? ` and ${rest} more`.length : 0) > room) break;
			fits = i + 1;
		}
		if (fits > 0) return `${label}: ${texts.slice(0, fits).join(', ')}${fits < items.length ? ` and ${items.length - fits} more` : ''}`;
	}
	return `${label}: ${considered.map((item) => item.address).join(', ')}`;
}

function noticeLine(review: ReviewState, shown: number, total: number, width: number): Line {
	if (review.confirmingEnvironment !== undefined)
		return [
			seg(`Type ${review.plan.environment} to apply it: `, {color: theme.warning, bold: true}),
			seg(review.confirmingEnvironment),
			seg('█', {color: theme.accent}),
			seg('  enter applies · esc cancels', {dim: true}),
		];
	if (review.typing)
		return [
			seg('/', {color: theme.accent, bold: true}),
			seg(review.filter),
			seg('█', {color: theme.accent}),
			seg(`  ${shown} of ${total} · enter keeps the filter · esc clears it`, {dim: true}),
		];
	const notice = review.notice;
	if (notice) {
		const head: Line = [seg(notice.text, {color: toneColor(notice.tone), bold: notice.tone !== 'info'})];
		if (!notice.also) return head;
		const room = width - lineWidth(head) - 3;
		return [...head, seg(' · ', {dim: true}), seg(alsoText(notice.also, room))];
	}
	// Every estimate names its price table: the legend says which one the cost column used.
	const table = review.plan.cost?.prices;
	const prices = table ? ` · prices ${table.name}${table.name.includes(table.date) ? '' : ` (${table.date})`}` : '';
	return [seg(`✓ approved  ○ skipped   + create  ~ update  -/+ +/- replace  - delete${prices}`, {dim: true})];
}

function statusLine(review: ReviewState, total: number, stale: boolean): Line {
	const out: Line = [];
	const skipped = review.selection.skipped.size;
	if (skipped > 0) out.push(seg(`⚠ partial apply: ${plural(skipped, 'change')} skipped`, {color: theme.warning, bold: true}));
	else if (total === 0) out.push(seg('nothing to apply', {color: theme.ok}));
	else out.push(seg(`✓ all ${plural(total, 'change')} approved`, {color: theme.ok}));
	if (stale) out.push(seg('  ⚠ the folder changed since this plan (esc, p: plan again)', {color: theme.warning}));
	if (review.status === 'saving') out.push(seg('  saving…', {dim: true}));
	else if (review.saved) out.push(seg(`  saved to ${review.saved}`, {dim: true}));
	return out;
}

export function ReviewScreen({review, width, height, stale = false}: ReviewScreenProps) {
	const {plan, selection, cursor} = review;
	const {listRows, textWidth} = reviewGeometry({width, height});
	const model = modelOf(review, {width, height});
	const inner = width - 2;
	const lines = windowLines(model, selection, cursor.offset, listRows, textWidth);
	// -1: keep the gutter (and the columns) when no row can be selected (an empty or filtered-out plan).
	const onRow = isSelectable(model.rows[cursor.index]) ? cursor.index - cursor.offset : -1;
	const unchanged = plan.summary.noop > 0 ? ` · ${plan.summary.noop} unchanged` : '';
	const summary = spread(
		[seg(' '), seg(summaryText(plan), {bold: true}), seg(unchanged, {dim: true}), ...costSummaryLine(plan)],
		[
			seg(`✓ ${selection.approved.size}`, {color: theme.ok}),
			seg('  '),
			seg(`○ ${selection.skipped.size}`, {
				color: selection.skipped.size > 0 ? theme.warning : undefined,
				dim: selection.skipped.size === 0,
			}),
		],
		inner,
	);
	const filter = review.filter.trim();
	const where = filter
		? `filter “${filter}” · ${model.shown} of ${model.total}`
		: plan.stateLineage === null
			? 'no state yet'
			: `state serial ${plan.stateSerial}`;
	const budget = budgetBadge(plan);
	const right = budget ? `${budget} · ${where}` : where;
	return (
		// Every row is fitted to the pane, so it needs no clipping (see Pane): cheaper frames.
		<Pane
			title={`Plan review · ${plan.stack} · ${environmentLabel(plan.environment, plan.protectedEnvironment)}${plan.promotion ? ` · promoting ${describePromotion(plan.promotion)}` : ''}${plan.rollback ? ` · rolling back to ${describeRollback(plan.rollback)}` : ''}`}
			right={right}
			focused
			width={width}
			height={height}
			clip={false}
		>
			<Box flexDirection="column" width={inner} height={height - 2}>
				<LineText line={summary} width={inner} />
				<ListView lines={lines} offset={0} height={listRows} width={inner} selected={onRow} focused />
				<LineText line={[seg(' '), ...noticeLine(review, model.shown, model.total, inner - 1)]} width={inner} />
				<LineText line={[seg(' '), ...statusLine(review, model.total, stale)]} width={inner} />
			</Box>
		</Pane>
	);
}
