/**
 * The `--no-tui` view of an apply or destroy: the contract's deployment output (the stack, its
 * services, the resources to change, one line per step as it happens, the outputs at the end),
 * plus the engine's heartbeat for long steps ("api/api-db: still creating… 40s").
 *
 * Invariants: one line per event, written as the event arrives (CI logs stream); no cursor
 * movement or colour unless the caller's Paint adds colour; secrets cannot appear (events carry
 * only redacted values). The run ends with the engine's outcome headline as the very last line
 * (`panka apply … | tail -1` is the verdict); this view never judges the run itself.
 */
import type {ApplyAction, EngineEvent, Plan, Selection, Workspace} from '../../engine/index.js';
import {
	describePromotion,
	describeRollback,
	environmentLabel,
	haltTitle,
	plural,
	type RunOutcome,
	stepActionWords,
} from '../../engine/index.js';
import type {Paint} from '../context.js';

/** `Creating` for a create step: the step line's verb (engine/presentation.ts). */
function starting(action: ApplyAction): string {
	return stepActionWords[action].starting;
}

/** The run's header: the stack, then what it will change (the approved changes), then what it holds back and why. */
export function applyHeader(
	plan: Plan,
	selection: Selection,
	workspace: Workspace,
	operation: 'apply' | 'destroy',
	paint: Paint,
): string[] {
	const lines = [
		`📦 ${operation === 'destroy' ? 'Destroying' : 'Deploying'} Stack: ${paint(plan.stack, 'bold')}`,
		`   Tenant: ${plan.tenant}`,
		`   Environment: ${environmentLabel(plan.environment, plan.protectedEnvironment)}`,
		...(plan.promotion ? [`   Promoting: ${describePromotion(plan.promotion)}`] : []),
		...(plan.rollback ? [`   Rolling back to: ${describeRollback(plan.rollback)}`] : []),
	];
	const vpc = workspace.tenant?.config.spec.networking.vpc.cidrBlock;
	if (vpc) lines.push(`   VPC: ${vpc} (from tenant)`);
	lines.push('', '🔍 Analyzing changes...', '');
	const services = workspace.services;
	if (services.length > 0 && operation === 'apply') {
		lines.push(`Services: ${services.length}`);
		for (const [i, service] of services.entries())
			lines.push(`  ${i === services.length - 1 ? '└──' : '├──'} ${service.name} (${plural(service.components.length, 'component')})`);
		lines.push('');
	}
	const approved = plan.changes.filter((c) => selection.approved.has(c.address));
	const groups: Array<[string, Plan['changes']]> = [
		['Resources to delete', approved.filter((c) => c.action === 'delete')],
		['Resources to replace', approved.filter((c) => c.action === 'replace')],
		['Resources to create', approved.filter((c) => c.action === 'create')],
		['Resources to update', approved.filter((c) => c.action === 'update')],
	];
	const tree = (i: number, n: number) => (i === n - 1 ? '└──' : '├──');
	for (const [title, changes] of groups) {
		if (changes.length === 0) continue;
		lines.push(`${title}: ${changes.length}`);
		for (const [i, change] of changes.entries()) lines.push(`  ${tree(i, changes.length)} ${change.address} (${change.kind})`);
		lines.push('');
	}
	const held = plan.changes.filter((c) => c.action !== 'no-op' && selection.skipped.has(c.address));
	if (held.length > 0) {
		lines.push(paint(`Held back: ${held.length}`, 'yellow'));
		for (const [i, change] of held.entries())
			lines.push(`  ${tree(i, held.length)} ${change.address} (${change.kind}): ${selection.skipped.get(change.address)}`);
		lines.push('');
	}
	return lines;
}

export class ApplyLineRenderer {
	constructor(readonly paint: Paint) {}

	/** The line(s) for one event. */
	event(event: EngineEvent): string[] {
		const {paint} = this;
		switch (event.type) {
			case 'apply.start':
				return [
					event.changes.length === 0
						? 'Nothing to do.'
						: `🚀 ${event.operation === 'destroy' ? 'Destroying' : 'Deploying'}... (${plural(event.changes.length, 'step')}, up to ${event.parallelism} at once)`,
				];
			case 'resource.start':
				return [`  ├── ${starting(event.action)} ${event.address}...`];
			case 'resource.progress':
				return [`  │   ${paint(`${event.address}: ${event.phase}`, 'gray')}`];
			case 'resource.heartbeat':
				return [
					paint(
						`  │   ${event.address}: still ${starting(event.action).toLowerCase().replace(/ .*$/, '')}… ${Math.floor(event.elapsedMs / 1000)}s${event.phase ? ` (${event.phase})` : ''}`,
						'gray',
					),
				];
			case 'resource.done':
				return [
					`  ├── ${starting(event.action)} ${event.address}... ${paint('✓', 'green')}${event.unchanged ? ' nothing to change' : ''} ${paint(`(${seconds(event.elapsedMs)})`, 'gray')}`,
				];
			case 'resource.failed':
				return [`  ├── ${starting(event.action)} ${event.address}... ${paint('✗', 'red', 'bold')} ${event.code}: ${event.message}`];
			case 'resource.skipped':
				return [`  ├── ${event.address} ${paint('⊘ skipped', 'yellow')}: ${event.reason}`];
			case 'resource.not-started':
				return [`  ├── ${event.address} ${paint('not started', 'yellow')} (stopped before it began)`];
			case 'state.saved':
				return [];
			case 'state.save-failed':
				return [`${paint('✗ the state could not be saved:', 'red', 'bold')} ${event.message}`, `  ${event.instructions}`];
			case 'apply.interrupted':
				return [interruptionLine(event, paint)];
			case 'apply.halted':
				return [
					paint(
						`✗ ${haltTitle(event.reason)}: starting nothing new; waiting for the steps in flight to finish (${event.message})`,
						'red',
						'bold',
					),
				];
			case 'summary':
				return this.#summary(event);
		}
	}

	#summary(event: Extract<EngineEvent, {type: 'summary'}>): string[] {
		const {paint} = this;
		const lines: string[] = [];
		const outputs = Object.entries(event.outputs).filter(([key]) => isUserOutput(key));
		if (outputs.length > 0 && event.operation === 'apply') {
			lines.push('', 'Outputs:');
			for (const [key, value] of outputs.sort(([a], [b]) => a.localeCompare(b)))
				lines.push(`  ${key} = ${typeof value === 'string' ? value : JSON.stringify(value)}`);
		}
		const listed = [
			...event.failed.map((address) => `  ${paint('✗', 'red', 'bold')} ${address} failed`),
			...event.skipped.map((address) => `  ${paint('⊘', 'yellow')} ${address} skipped`),
			...event.outcome.details.map((detail) => `  ${detail}`),
		];
		if (listed.length > 0) lines.push('', ...listed);
		lines.push('', paint(`(${seconds(event.durationMs)}, state serial ${event.stateSerial})`, 'gray'));
		lines.push(paint(event.outcome.headline, toneStyle[event.outcome.tone], 'bold'));
		return lines;
	}
}

/** An outcome's tone as a colour. */
export const toneStyle: Record<RunOutcome['tone'], 'green' | 'yellow' | 'red'> = {ok: 'green', warning: 'yellow', error: 'red'};

/** What the first (stop) and second (abort) interruption do, said the moment they come. */
function interruptionLine(event: Extract<EngineEvent, {type: 'apply.interrupted'}>, paint: Paint): string {
	const by = event.cause ? ` (${event.cause})` : '';
	return event.mode === 'stop'
		? paint(
				`Interrupted${by}: starting nothing new; waiting for the steps in flight to finish (${event.cause ? 'a second interrupt aborts' : 'Ctrl-C again to abort'} them)…`,
				'yellow',
			)
		: paint(`Aborting the steps in flight${by}; they stay recorded as pending and the next run resolves them.`, 'red');
}

/** Outputs providers keep for themselves start with `_`. */
function isUserOutput(key: string): boolean {
	return !key.split('.').pop()?.startsWith('_');
}

function seconds(ms: number): string {
	return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}
