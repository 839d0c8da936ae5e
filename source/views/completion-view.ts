/** The view of `panka completion bash|zsh|fish`: the script itself, or one Completion document holding it. */
import {jsonDocument} from '../render/json.js';
import type {Views} from './view.js';

export interface CompletionView {
	script(shell: string, script: string): void;
}

export const completionViews: Views<CompletionView> = {
	human: (out) => ({script: (_shell, script) => out.line(script)}),
	json: (out) => ({script: (shell, script) => out.line(jsonDocument('Completion', {shell, script}))}),
};
