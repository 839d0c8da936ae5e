/**
 * The part every wizard shares: one step at a time (type an answer, choose from a list, confirm
 * the files), keys resolved through the keymap registry, answers checked by the engine.
 *
 * Invariants:
 * - Pure: a wizard's reducer is `wizardKey(state, press, steps)` plus its own events; the
 *   component only performs the write (writeScaffold) when the state says `writing`.
 * - Keys are applied to the state they arrive in: a pasted `name\r` types the name and submits it;
 *   `name\rapi\r` answers two steps.
 * - On a text step the answer is edited by the prompt's TextInput (@inkjs/ui: typing, backspace,
 *   the cursor keys, enter), which reports it whole (`typed`); the keymap keeps the rest (esc,
 *   ctrl+c, ctrl+u). Which keys are whose is `textInputOwns`, so no key is handled twice.
 * - Nothing is written before the confirm step's `enter`; `esc` and ctrl+c cancel from any step
 *   before that (and are ignored while the files are being written).
 */
import type {ScaffoldPlan} from '../../engine/index.js';
import {type KeyContext, type KeyPress, resolveBinding} from '../keymap.js';

export type StepKind = 'text' | 'choice' | 'confirm' | 'busy' | 'finished';

export interface PromptState {
	/** The answer being typed (text steps). */
	text: string;
	/** The highlighted choice (choice steps). */
	choice: number;
	/** The engine's objection to the last answer, shown under the prompt. */
	error?: string;
}

export interface WizardSteps<S extends PromptState> {
	kind(state: S): StepKind;
	choiceCount(state: S): number;
	submitText(state: S, text: string): S;
	submitChoice(state: S, index: number): S;
	confirm(state: S): S;
	cancel(state: S): S;
}

export function stepContexts(kind: StepKind): KeyContext[] {
	switch (kind) {
		case 'text':
			return ['wizard-text', 'wizard', 'global'];
		case 'choice':
			return ['wizard-choice', 'wizard', 'global'];
		case 'confirm':
			return ['wizard-confirm', 'wizard', 'global'];
		default:
			return [];
	}
}

const control = /[\u0000-\u001f\u007f]/g;

export function wizardKey<S extends PromptState>(state: S, press: KeyPress, steps: WizardSteps<S>): S {
	const kind = steps.kind(state);
	if (kind === 'busy' || kind === 'finished') return state;
	// A chunk with embedded newlines (a paste, or tmux send-keys 'name' Enter): type, submit, go on.
	if (!press.enter && !press.ctrl && !press.escape && /[\r\n]/.test(press.input)) {
		const parts = press.input.split(/\r\n|\r|\n/);
		let next = state;
		parts.forEach((part, i) => {
			if (part) next = wizardKey(next, {input: part}, steps);
			if (i < parts.length - 1) next = wizardKey(next, {input: '\r', enter: true}, steps);
		});
		return next;
	}
	const binding = resolveBinding(press, stepContexts(kind));
	switch (binding?.id) {
		case 'interrupt':
		case 'wizard-cancel':
			return steps.cancel(state);
		case 'wizard-submit':
			return kind === 'text' ? steps.submitText(state, state.text.trim()) : steps.submitChoice(state, state.choice);
		case 'wizard-write':
			return steps.confirm(state);
		case 'wizard-erase':
			return {...state, text: state.text.slice(0, -1)};
		case 'wizard-clear':
			return {...state, text: ''};
		case 'wizard-up':
		case 'wizard-down': {
			const count = steps.choiceCount(state);
			if (count === 0) return state;
			const delta = binding.id === 'wizard-up' ? -1 : 1;
			return {...state, choice: (state.choice + delta + count) % count};
		}
		case undefined:
			break;
		default:
			return state;
	}
	if (kind !== 'text' || press.ctrl || press.meta || press.escape) return state;
	const typed = press.input.replace(control, '');
	return typed ? {...state, text: state.text + typed} : state;
}

/**
 * Whether a key pressed on a step of `kind` is the text input's (TextPrompt) rather than the
 * keymap's: on a text step, every key the keymap does not bind there, and the editing keys it
 * documents (enter submits, backspace erases, ←/→ move the cursor), which the input does itself.
 */
export function textInputOwns(press: KeyPress, kind: StepKind): boolean {
	if (kind !== 'text') return false;
	const id = resolveBinding(press, stepContexts(kind))?.id;
	return id === undefined || id === 'wizard-submit' || id === 'wizard-erase' || id === 'wizard-cursor';
}

/**
 * A text step's answer as its input reports it: the whole text typed so far, then `\r` when enter
 * submits it. A newline inside (a paste, or tmux send-keys 'name' Enter arriving as one chunk)
 * submits the text before it, and what follows goes on as keys, answering the next steps.
 */
export function typedAnswer<S extends PromptState>(state: S, value: string, steps: WizardSteps<S>): S {
	if (steps.kind(state) !== 'text') return state;
	const cut = value.search(/[\r\n]/);
	let next: S = {...state, text: (cut === -1 ? value : value.slice(0, cut)).replace(control, '')};
	if (cut === -1) return next;
	for (const ch of value.slice(cut).replace(/\r\n/g, '\r'))
		next = wizardKey(next, ch === '\r' || ch === '\n' ? {input: '\r', enter: true} : {input: ch}, steps);
	return next;
}

/** The steps every scaffold wizard ends with, and what it carries into them. */
export interface ScaffoldWizardState extends PromptState {
	step: string | 'writing' | 'failed' | 'done' | 'cancelled';
	plan?: Extract<ScaffoldPlan, {ok: true}>;
	written?: string[];
}

export type ScaffoldWizardAction =
	| {type: 'key'; press: KeyPress}
	| {type: 'typed'; text: string}
	| {type: 'written'; written: string[]}
	| {type: 'write-failed'; message: string};

/** The step kind of a scaffold wizard step: its own text and choice steps, then the shared tail. */
export function scaffoldStepKind(
	step: ScaffoldWizardState['step'],
	textSteps: readonly string[],
	choiceSteps: readonly string[],
): StepKind {
	if (textSteps.includes(step)) return 'text';
	if (choiceSteps.includes(step)) return 'choice';
	if (step === 'confirm' || step === 'failed') return 'confirm';
	return step === 'writing' ? 'busy' : 'finished';
}

/** A wizard's reducer: keys and typed answers go through its steps; the write's outcome ends it. */
export function scaffoldWizardReducer<S extends ScaffoldWizardState>(steps: WizardSteps<S>): (state: S, action: ScaffoldWizardAction) => S {
	return (state, action) => {
		switch (action.type) {
			case 'key':
				return wizardKey(state, action.press, steps);
			case 'typed':
				return typedAnswer(state, action.text, steps);
			case 'written':
				return {...state, step: 'done', written: action.written};
			case 'write-failed':
				return {...state, step: 'failed', error: action.message};
		}
	};
}

/** "a, b ,c," → ["a", "b", "c"]. */
export function splitServices(text: string): string[] {
	return text
		.split(',')
		.map((s) => s.trim())
		.filter((s) => s.length > 0);
}
