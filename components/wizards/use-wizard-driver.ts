/**
 * Everything a scaffold wizard does besides drawing: feeds key presses into its reducer (all but
 * those a text step's input owns, `textInputOwns`; what that input reports comes back through the
 * returned `onTyped`), performs
 * its only effect (writing the confirmed plan with the engine's writeScaffold, the same call the
 * flag path makes, once, when the state says `writing`), and reports the outcome once through
 * `onDone`: the written files, or undefined when cancelled.
 *
 * Invariants: a write result arriving after unmount is dropped; keys are ignored where raw mode
 * is unavailable (a piped stdin), so Ink never throws on a non-TTY.
 */
import {useInput, useStdin} from 'ink';
import {type Dispatch, useCallback, useEffect, useRef} from 'react';
import {writeScaffold} from '../../engine/index.js';
import {keyPressesFromInk} from '../keymap.js';
import {type ScaffoldWizardAction, type ScaffoldWizardState, type StepKind, textInputOwns} from './wizard-core.js';

export interface WizardOutcome {
	base: string;
	written: string[];
}

export function useWizardDriver(
	state: ScaffoldWizardState,
	kind: StepKind,
	dispatch: Dispatch<ScaffoldWizardAction>,
	onDone: (outcome: WizardOutcome | undefined) => void,
): {onTyped: (text: string) => void} {
	const {isRawModeSupported} = useStdin();
	// The step a key arrives on decides whose it is: a chunk that starts on a choice step and runs
	// on into a text step is all the reducer's (the text input is not there yet to see it).
	const arrivedOn = useRef(kind);
	arrivedOn.current = kind;
	const onKey = useCallback(
		(input: string, key: Parameters<typeof keyPressesFromInk>[1]) => {
			for (const press of keyPressesFromInk(input, key)) if (!textInputOwns(press, arrivedOn.current)) dispatch({type: 'key', press});
		},
		[dispatch],
	);
	useInput(onKey, {isActive: isRawModeSupported === true});
	const onTyped = useCallback((text: string) => dispatch({type: 'typed', text}), [dispatch]);

	const {plan, step, written} = state;
	useEffect(() => {
		if (step !== 'writing' || !plan) return;
		let live = true;
		writeScaffold(plan).then(
			(files) => {
				if (live) dispatch({type: 'written', written: files});
			},
			(error: unknown) => {
				if (live) dispatch({type: 'write-failed', message: error instanceof Error ? error.message : String(error)});
			},
		);
		return () => {
			live = false;
		};
	}, [plan, step, dispatch]);

	useEffect(() => {
		if (step === 'done' && plan) onDone({base: plan.base, written: written ?? []});
		if (step === 'cancelled') onDone(undefined);
	}, [step, plan, written, onDone]);

	return {onTyped};
}
