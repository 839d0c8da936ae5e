/**
 * The view of `panka logs`: each line as `time component │ message`, a colour per component, status
 * notes on stderr; or the NDJSON events as they come.
 */
import {kindsWithLogs, listText, printable} from '../../engine/index.js';
import type {LogEvent, LogSource} from '../../engine/observe.js';
import type {Style} from '../context.js';
import {jsonEvent} from '../render/json.js';
import type {Views} from './view.js';

export interface LogsView {
	/** The stack has no component whose kind has logs (or none of those named). */
	noSources(): void;
	/** What will be tailed, before the first event. */
	sources(sources: readonly LogSource[]): void;
	event(event: LogEvent): void;
}

const palette: Style[] = ['cyan', 'magenta', 'yellow', 'green', 'blue'];

const noSourcesLine = () => `No ${listText(kindsWithLogs, 'or')} components to show logs of in this stack.`;

export const logsViews: Views<LogsView> = {
	human: (out) => {
		let colours = new Map<string, Style>();
		let width = 0;
		return {
			noSources: () => out.note(noSourcesLine()),
			sources(sources) {
				colours = new Map(sources.map((s, i) => [s.component, palette[i % palette.length]!]));
				width = Math.max(...sources.map((s) => s.component.length));
			},
			event(event) {
				const {paint} = out;
				if (event.type === 'log.status') {
					out.note(out.errPaint(event.message, event.level === 'warning' ? 'yellow' : 'gray'));
					return;
				}
				const time = new Date(event.timestamp).toISOString().slice(11, 23);
				out.line(
					`${paint(time, 'gray')} ${paint(event.component.padEnd(width), colours.get(event.component) ?? 'cyan')} ${paint('│', 'gray')} ${printable(event.message)}`,
				);
			},
		};
	},
	json: (out) => ({
		noSources: () => out.note(noSourcesLine()),
		sources() {},
		event: (event) => out.line(jsonEvent(event)),
	}),
};
