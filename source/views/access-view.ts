/**
 * How an AWS access check (tenant-access.ts) reads, for the views of `panka login` and `admin
 * tenant init`: success on stdout; a failure on stderr with its hint. Their documents carry the
 * check as it is (`awsAccess`: ok, message, hint).
 */
import type {AccessCheck} from '../../engine/admin.js';
import type {Output} from './view.js';

export function sayAccess(out: Output, access: AccessCheck): void {
	if (access.ok) {
		out.line(`${out.paint('✓', 'green', 'bold')} AWS access: ${access.message}`);
		return;
	}
	out.note(`${out.errPaint('✗ AWS access:', 'red', 'bold')} ${access.message}`);
	out.note(`${out.errPaint('hint:', 'cyan')} ${access.hint}`);
}
