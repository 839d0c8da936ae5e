/**
 * Everything that can change the workbench's state. Keys arrive raw (`key`) and are resolved by
 * the reducer against the keymap with the state it is given, never a stale copy: two keys that
 * arrive in one chunk (a fast typist, tmux send-keys) are applied in order to the right screen.
 */
import type {Workspace} from '../../engine/workspace.js';
import type {BindingId, KeyPress} from '../keymap.js';
import type {TerminalSize} from './layout.js';

export interface WizardResult {
	base: string;
	written: string[];
}

export type WorkbenchAction =
	| {type: 'key'; press: KeyPress}
	| {type: 'command'; command: BindingId}
	| {type: 'workspace.reloading'}
	| {type: 'workspace.loaded'; workspace: Workspace}
	| {type: 'workspace.failed'; message: string}
	| {type: 'resize'; size: TerminalSize}
	| {type: 'wizard.finished'; result: WizardResult | undefined};
