/**
 * The view of `panka status`: the stack's verdict, then each component with the facts and events
 * behind its verdict (a failing one names how to see its logs); or one Status document per read
 * (one per line with --watch). With --watch on a terminal each read replaces the last.
 */
import type {StateKey} from '../../engine/index.js';
import {printable} from '../../engine/index.js';
import type {StackStatus} from '../../engine/observe.js';
import type {Paint} from '../context.js';
import {jsonDocument, jsonLine} from '../render/json.js';
import type {Views} from './view.js';

export interface StatusView {
	status(
		key: StateKey,
		status: StackStatus,
		notDeployed: readonly string[],
		options: {watching: boolean; logsCommand: (component: string) => string},
	): void;
}

const marks = {healthy: ['✓', 'green'], unknown: ['?', 'gray'], degraded: ['⚠', 'yellow'], failing: ['✗', 'red']} as const;

export const statusViews: Views<StatusView> = {
	human: (out) => ({
		status(key, status, notDeployed, {watching, logsCommand}) {
			// Clearing the screen is panka's own control sequence, never user text: written past writeLine on purpose.
			if (watching && out.context.stdout.isTTY) out.context.stdout.write('\x1b[2J\x1b[H');
			out.lines(renderStatus(key, status, notDeployed, logsCommand, out.paint));
		},
	}),
	json: (out) => ({
		status(key, status, notDeployed, {watching}) {
			const body = {stack: key, ...status, notDeployed};
			out.line(watching ? jsonLine('Status', body) : jsonDocument('Status', body));
		},
	}),
};

/** The human view of a read: the stack's verdict, then each component with its facts and events; `logsCommand` names how to see a failing component's logs. */
export function renderStatus(
	key: {stack: string; environment: string},
	status: StackStatus,
	notDeployed: readonly string[],
	logsCommand: (component: string) => string,
	paint: Paint,
): string[] {
	const {stack, environment} = key;
	const counts = (['healthy', 'degraded', 'failing', 'unknown'] as const)
		.map((verdict) => [verdict, status.components.filter((c) => c.verdict === verdict).length] as const)
		.filter(([, n]) => n > 0)
		.map(([verdict, n]) => `${n} ${verdict}`);
	const [mark, colour] = marks[status.verdict];
	const lines = [
		`${paint(mark, colour)} ${paint(`${stack} (${environment})`, 'bold')}: ${paint(status.verdict, colour, 'bold')}${counts.length ? ` — ${counts.join(', ')}` : ''}  ${paint(`read ${status.readAt.slice(11, 19)} UTC`, 'gray')}`,
	];
	if (status.components.length === 0 && notDeployed.length === 0) lines.push('Nothing deployed: panka apply deploys the stack.');
	const width = Math.max(0, ...status.components.map((c) => c.address.length));
	for (const component of status.components) {
		const [m, c] = marks[component.verdict];
		lines.push(
			`${paint(m, c)} ${paint(component.address.padEnd(width), 'bold')}  ${paint(component.kind, 'cyan')}  ${paint(component.verdict, c)}`,
		);
		for (const fact of component.facts) {
			const text = `${fact.name}: ${printable(fact.value)}`;
			lines.push(`    ${fact.verdict ? paint(text, marks[fact.verdict][1]) : text}`);
		}
		for (const event of component.events) lines.push(paint(`    ${event.at.slice(11, 19)} ${printable(event.message)}`, 'gray'));
		if (component.verdict === 'failing' && component.hasLogs) lines.push(`    ${paint('→', 'gray')} ${logsCommand(component.component)}`);
	}
	for (const address of notDeployed) lines.push(`${paint('○', 'gray')} ${paint(address, 'bold')}  not deployed`);
	return lines;
}
