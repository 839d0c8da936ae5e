/**
 * What a command that takes a stack's lock (apply, destroy, promote, rollback, state edits) says
 * when it broke the lock of a panka that died on this host: one warning on stderr, in every view
 * kind, since what the dead run left in flight is resolved next.
 */
import type {LockInfo} from '../../engine/backends.js';
import type {Output} from './view.js';

export function noteBrokenLock(out: Output, broken: LockInfo): void {
	out.note(
		`${out.errPaint('warning:', 'yellow', 'bold')} broke the lock of "${broken.operation}" by ${broken.who} (pid ${broken.pid}), which is no longer running on this host; resolving what it left in flight`,
	);
}
