/**
 * A plan as text, Terraform style: a header, the legend of the symbols used, then the changes —
 * deletes and replaces first (the destructive ones are read first), then creates and updates,
 * each group in the plan's apply order — then warnings and one summary line.
 *
 *     + create    ~ update in place    -/+ replace, delete first    +/- replace, create first    - delete
 *
 * Each change shows its address, kind and primary physical name, why it happens (`# …`), and its
 * field diff indented below (`~ runtime.memory: 512 → 1024`, `+ environment[FOO]: "bar"`), with
 * `# forces replacement` on the fields that force one. Values read with valueFrom show as
 * `(known after apply: api-db.endpoint)`; secrets as `(sensitive)` (the plan holds no secret
 * values to begin with). No-ops are counted, never listed. Pure: a string from a plan and a Paint.
 */
import type {Change, FieldChange, Plan, PlanCost, Selection} from '../../engine/index.js';
import {
	budgetText,
	changeCostText,
	broadeningChanges,
	changeSymbol,
	changeSymbols,
	deepEqual,
	describePromotion,
	describeRollback,
	environmentLabel,
	formatPlanValue,
	noChanges,
	planCounts,
	pricesSource,
	plural,
	printable,
	replaceReason,
	stackTotalText,
	symbolTone,
	type Tone,
} from '../../engine/index.js';
import type {Paint, Style} from '../context.js';

export interface PlanTextOptions {
	/** Marks skipped changes with their reason. */
	selection?: Selection;
}

const toneStyle: Record<Tone, Style> = {ok: 'green', warning: 'yellow', error: 'red'};

const detailIndent = '      ';

export function renderPlanText(plan: Plan, paint: Paint, options: PlanTextOptions = {}): string {
	const lines: string[] = [];
	lines.push(
		paint(
			`Plan for stack ${plan.stack} · tenant ${plan.tenant} · environment ${environmentLabel(plan.environment, plan.protectedEnvironment)}`,
			'bold',
		),
	);
	if (plan.promotion) lines.push(paint(`Promoting ${describePromotion(plan.promotion)}`, 'cyan'));
	if (plan.rollback) lines.push(paint(`Rolling back to ${describeRollback(plan.rollback)}`, 'cyan'));
	lines.push(
		plan.stateLineage === null
			? paint('No state yet: every resource is new.', 'gray')
			: paint(`Compared with state serial ${plan.stateSerial} (lineage ${plan.stateLineage}).`, 'gray'),
	);

	const destructive = plan.changes.filter((c) => c.action === 'delete' || c.action === 'replace');
	const constructive = plan.changes.filter((c) => c.action === 'create' || c.action === 'update');
	if (destructive.length + constructive.length > 0) {
		const used = new Set([...destructive, ...constructive].map(changeSymbol));
		lines.push('');
		lines.push(
			`Symbols: ${changeSymbols
				.filter(({symbol}) => used.has(symbol))
				.map(({symbol, meaning, tone}) => `${paint(symbol, toneStyle[tone])} ${meaning}`)
				.join('   ')}`,
		);
		lines.push('');
		lines.push('panka will perform the following actions:');
		for (const change of [...destructive, ...constructive]) {
			lines.push('');
			lines.push(...renderChange(change, paint, options.selection));
		}
	}

	const widening = broadeningChanges(plan);
	if (widening.length > 0) {
		lines.push('');
		lines.push(
			paint(
				`${plural(widening.length, 'change')} ${widening.length === 1 ? 'widens' : 'widen'} access and ${widening.length === 1 ? 'needs its' : 'need their'} own approval (in the review, or --approve-broadening with --yes):`,
				'yellow',
				'bold',
			),
		);
		lines.push(`  ${widening.map((change) => change.address).join(', ')}`);
	}
	for (const warning of plan.warnings) {
		lines.push('');
		lines.push(`${paint('Warning:', 'yellow', 'bold')} ${warning}`);
	}
	if (plan.cost) lines.push('', ...renderCost(plan.cost, paint));
	lines.push('');
	lines.push(summaryLine(plan, paint));
	return lines.join('\n');
}

/** `Plan: 3 to add, 1 to change, 1 to replace, 2 to destroy.`, or the no-changes sentence. */
export function summaryLine(plan: Plan, paint: Paint): string {
	const counts = planCounts(plan.summary);
	if (!counts) return `${paint(noChanges.head, 'green', 'bold')} ${noChanges.rest}`;
	return `${paint('Plan:', 'bold')} ${counts}.`;
}

/** One change: its headline, why, its notes and its field diff (also what `panka history show` prints per resource). */
export function renderChange(change: Change, paint: Paint, selection?: Selection): string[] {
	const symbol = changeSymbol(change);
	const kind = change.previousKind ? `${change.previousKind} → ${change.kind}` : change.kind;
	const name = change.previousPhysicalName ? `${change.previousPhysicalName} → ${change.physicalName}` : change.physicalName;
	const lines = [
		`${paint(symbol.padStart(3), toneStyle[symbolTone[symbol]], 'bold')} ${paint(change.address, 'bold')}  ${paint(kind, 'cyan')}  ${name}`,
	];
	const comment = (text: string) => lines.push(`${detailIndent}${paint(`# ${text}`, 'gray')}`);
	const skipped = selection?.skipped.get(change.address);
	if (skipped !== undefined) lines.push(`${detailIndent}${paint(`# ${skipped}`, 'yellow')}`);
	if (change.action === 'replace') comment(replaceReason(change.reasons));
	else for (const reason of change.reasons) comment(reason);
	for (const widening of change.broadening ?? [])
		lines.push(`${detailIndent}${paint(`⚠ widens access: ${widening.what}`, 'yellow', 'bold')}`);
	for (const note of change.notes ?? []) lines.push(`${detailIndent}${paint(`! ${note}`, 'yellow')}`);
	if (change.action === 'create' && change.summary) lines.push(`${detailIndent}${paint(change.summary, 'gray')}`);
	for (const entry of change.diff) lines.push(detailIndent + renderField(entry, paint));
	const cost = changeCostText(change.cost);
	if (cost) lines.push(`${detailIndent}${paint(printable(['cost: ' + cost, ...(change.cost?.notes ?? [])].join(' · ')), 'gray')}`);
	return lines;
}

/** The plan's cost: the stack's monthly total before → after, the prices used, what is not in the figures, the budget. */
function renderCost(cost: PlanCost, paint: Paint): string[] {
	const lines = [`${paint('Cost:', 'bold')} ${stackTotalText(cost)}  ${paint(`(${printable(pricesSource(cost))})`, 'gray')}`];
	if (cost.unavailable) lines.push(`  ${printable(cost.unavailable)}`);
	if (cost.usageBased.length > 0)
		lines.push(`  usage-based, fixed part only: ${cost.usageBased.join(', ')}${cost.usageFile ? '' : ' (--usage FILE prices them)'}`);
	for (const part of cost.unpriced) lines.push(`  not priced: ${printable(part)}`);
	const budget = budgetText(cost.budget);
	if (budget)
		lines.push(
			paint(
				`  ${cost.budget!.status === 'within' ? '' : '⚠ '}${budget}`,
				cost.budget!.status === 'within' ? 'gray' : cost.budget!.status === 'over' ? 'red' : 'yellow',
			),
		);
	return lines;
}

export function renderField(entry: FieldChange, paint: Paint): string {
	const show = (value: unknown) => formatPlanValue(value, entry.sensitive);
	let text: string;
	const path = printable(entry.path);
	if (entry.action === 'add') text = `${paint('+', 'green')} ${path}: ${show(entry.after)}`;
	else if (entry.action === 'remove') text = `${paint('-', 'red')} ${path}: ${show(entry.before)}`;
	else if (entry.knownAfterApply && deepEqual(entry.before, entry.after)) text = `${paint('~', 'yellow')} ${path}: ${show(entry.after)}`;
	else text = `${paint('~', 'yellow')} ${path}: ${show(entry.before)} → ${show(entry.after)}`;
	if (entry.forcesReplace) text += `  ${paint('# forces replacement', 'red')}`;
	if (entry.environment) text += `  ${paint(`# from environment ${printable(entry.environment)}`, 'gray')}`;
	if (entry.knownAfterApply)
		text += `  ${paint(`# ${entry.knownAfterApply.address} is ${entry.knownAfterApply.action === 'create' ? 'created' : 'replaced'}`, 'gray')}`;
	return text;
}
