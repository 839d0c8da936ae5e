/**
 * Key helpers for Ink component tests (docs/ARCHITECTURE.md §8: frames after keystrokes): after every
 * key, let the event loop turn a few times so React renders and useInput re-subscribes. Never
 * sleep: turns are deterministic, sleeps are not.
 */
import {setImmediate as immediate} from 'node:timers/promises';

export const KEYS = {
	up: '\u001B[A',
	down: '\u001B[B',
	right: '\u001B[C',
	left: '\u001B[D',
	enter: '\r',
	space: ' ',
	tab: '\t',
	shiftTab: '\u001B[Z',
	escape: '\u001B',
	backspace: '\u007F',
	ctrlC: '\u0003',
	ctrlU: '\u0015',
	pageDown: '\u001B[6~',
	pageUp: '\u001B[5~',
} as const;

/** Let React render and effects re-bind (3 turns measured as the minimum; 5 for margin). */
export async function flush(turns = 5): Promise<void> {
	for (let i = 0; i < turns; i++) await immediate();
}

/** One key per write, flushing after every write. */
export async function press(stdin: {write(data: string): void}, ...keys: string[]): Promise<void> {
	for (const key of keys) {
		stdin.write(key);
		await flush();
	}
}

/** Type text one character at a time (as a person would), flushing after each. */
export async function type(stdin: {write(data: string): void}, text: string): Promise<void> {
	for (const ch of text) {
		stdin.write(ch);
		await flush();
	}
}
