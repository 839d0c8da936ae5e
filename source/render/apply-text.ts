/**
 * The `--no-tui` view of an apply or destroy: the contract's deployment output (the stack, its
 * services, the resources to change, one line per step as it happens, the outputs at the end),
 * plus a heartbeat every 10 s for long steps ("api/api-db: still creating… 40s").
 *
 * Invariants: one line per event, written as the event arrives (CI logs stream); no cursor
 * movement or colour unless the caller's Paint adds colour; secrets cannot appear (events carry
 * only redacted values).
 */
import type {ApplyAction, EngineEvent} from '../../engine/apply/events.js';
import type {Plan} from '../../engine/plan/plan.js';
import type {Workspace} from '../../engine/workspace.js';
import type {Paint} from '../context.js';

const verbs: Record<ApplyAction, [string, string]> = {
	create: ['Creating', 'created'],
	update: ['Updating', 'updated'],
	replace: ['Replacing', 'replaced'],
	delete: ['Deleting', 'deleted'],
	'replace-create': ['Creating replacement for', 'replacement created'],
	'replace-delete': ['Deleting the replaced', 'old resource deleted'],
};

export function applyHeader(plan: Plan, workspace: Workspace, operation: 'apply' | 'destroy', paint: Paint): string[] {
	const lines = [
		`📦 ${operation === 'destroy' ? 'Destroying' : 'Deploying'} Stack: ${paint(plan.stack, 'bold')}`,
		`   Tenant: ${plan.tenant}`,
		`   Environment: ${plan.environment}`,
	];
	const vpc = workspace.tenant?.config.spec.networking.vpc.cidrBlock;
	if (vpc) lines.push(`   VPC: ${vpc} (from tenant)`);
	lines.push('', '🔍 Analyzing changes...', '');
	const services = workspace.services;
	if (services.length > 0 && operation === 'apply') {
		lines.push(`Services: ${services.length}`);
		for (const [i, service] of services.entries())
			lines.push(
				`  ${i === services.length - 1 ? '└──' : '├──'} ${service.name} (${service.components.length} component${service.components.length === 1 ? '' : 's'})`,
			);
		lines.push('');
	}
	const groups: Array<[string, Plan['changes']]> = [
		['Resources to delete', plan.changes.filter((c) => c.action === 'delete')],
		['Resources to replace', plan.changes.filter((c) => c.action === 'replace')],
		['Resources to create', plan.changes.filter((c) => c.action === 'create')],
		['Resources to update', plan.changes.filter((c) => c.action === 'update')],
	];
	for (const [title, changes] of groups) {
		if (changes.length === 0) continue;
		lines.push(`${title}: ${changes.length}`);
		for (const [i, change] of changes.entries())
			lines.push(`  ${i === changes.length - 1 ? '└──' : '├──'} ${change.address} (${change.kind})`);
		lines.push('');
	}
	return lines;
}

export class ApplyLineRenderer {
	readonly #running = new Map<string, {action: ApplyAction; since: number; phase?: string}>();

	constructor(readonly paint: Paint) {}

	/** The line(s) for one event. */
	event(event: EngineEvent, now = Date.now()): string[] {
		const {paint} = this;
		switch (event.type) {
			case 'apply.start':
				return [
					event.changes.length === 0
						? 'Nothing to do.'
						: `🚀 ${event.operation === 'destroy' ? 'Destroying' : 'Deploying'}... (${event.changes.length} step${event.changes.length === 1 ? '' : 's'}, up to ${event.parallelism} at once)`,
				];
			case 'resource.start':
				this.#running.set(`${event.address}:${event.action}`, {action: event.action, since: now});
				return [`  ├── ${verbs[event.action][0]} ${event.address}...`];
			case 'resource.progress': {
				const running = this.#running.get(`${event.address}:${event.action}`);
				if (running) running.phase = event.phase;
				return [`  │   ${paint(`${event.address}: ${event.phase}`, 'gray')}`];
			}
			case 'resource.done':
				this.#running.delete(`${event.address}:${event.action}`);
				return [
					`  ├── ${verbs[event.action][0]} ${event.address}... ${paint('✓', 'green')}${event.unchanged ? ' nothing to change' : ''} ${paint(`(${seconds(event.elapsedMs)})`, 'gray')}`,
				];
			case 'resource.failed':
				this.#running.delete(`${event.address}:${event.action}`);
				return [`  ├── ${verbs[event.action][0]} ${event.address}... ${paint('✗', 'red', 'bold')} ${event.code}: ${event.message}`];
			case 'resource.skipped':
				return [`  ├── ${event.address} ${paint('⊘ skipped', 'yellow')}: ${event.reason}`];
			case 'resource.not-started':
				return [`  ├── ${event.address} ${paint('not started', 'yellow')} (stopped before it began)`];
			case 'state.saved':
				return [];
			case 'state.save-failed':
				return [`${paint('✗ the state could not be saved:', 'red', 'bold')} ${event.message}`, `  ${event.instructions}`];
			case 'apply.interrupted':
				return [
					event.mode === 'stop'
						? paint('Interrupted: starting nothing new; waiting for the steps in flight to finish (Ctrl-C again to abort them)…', 'yellow')
						: paint('Aborting the steps in flight; they stay recorded as pending and the next run resolves them.', 'red'),
				];
			case 'summary':
				return this.#summary(event);
		}
	}

	/** Lines for steps running longer than 10 s, every 10 s: "api/api-db: still creating… 40s". */
	heartbeat(now = Date.now()): string[] {
		const lines: string[] = [];
		for (const [key, running] of this.#running) {
			const elapsed = now - running.since;
			if (elapsed < 10_000) continue;
			const address = key.slice(0, key.lastIndexOf(':'));
			lines.push(
				this.paint(
					`  │   ${address}: still ${verbs[running.action][0].toLowerCase().replace(/ .*$/, '')}… ${Math.floor(elapsed / 1000)}s${running.phase ? ` (${running.phase})` : ''}`,
					'gray',
				),
			);
		}
		return lines;
	}

	#summary(event: Extract<EngineEvent, {type: 'summary'}>): string[] {
		const {paint} = this;
		const lines = [''];
		const problems = event.failed.length + event.skipped.length + event.notStarted.length;
		if (event.interrupted)
			lines.push(
				paint(
					`⚠ ${event.operation === 'destroy' ? 'Destroy' : 'Deploy'} interrupted: ${event.done.length} done, ${event.failed.length} failed, ${event.notStarted.length} not started. Run it again to finish.`,
					'yellow',
					'bold',
				),
			);
		else if (problems === 0)
			lines.push(
				paint(
					event.operation === 'destroy'
						? '✓ Stack destroyed successfully!'
						: event.done.length === 0
							? '✓ No changes: the stack matches the configuration.'
							: '✓ Stack deployed successfully!',
					'green',
					'bold',
				),
			);
		else
			lines.push(
				paint(
					`✗ ${event.done.length} done, ${event.failed.length} failed, ${event.skipped.length} skipped${event.notStarted.length ? `, ${event.notStarted.length} not started` : ''}`,
					'red',
					'bold',
				),
			);
		for (const address of event.failed) lines.push(`  ✗ ${address}`);
		for (const address of event.skipped) lines.push(`  ⊘ ${address}`);
		const outputs = Object.entries(event.outputs).filter(([key]) => isUserOutput(key));
		if (outputs.length > 0 && event.operation === 'apply') {
			lines.push('', 'Outputs:');
			for (const [key, value] of outputs.sort(([a], [b]) => a.localeCompare(b)))
				lines.push(`  ${key} = ${typeof value === 'string' ? value : JSON.stringify(value)}`);
		}
		lines.push(paint(`(${seconds(event.durationMs)}, state serial ${event.stateSerial})`, 'gray'));
		return lines;
	}
}

/** Outputs providers keep for themselves start with `_`. */
function isUserOutput(key: string): boolean {
	return !key.split('.').pop()?.startsWith('_');
}

function seconds(ms: number): string {
	return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}
