/**
 * Which keymap contexts are active, most specific first: what the footer shows and where the
 * reducer looks a key up.
 */
import type {KeyContext} from '../keymap.js';
import {reviewContexts} from '../review/review-state.js';
import type {WorkbenchState} from './workbench-state.js';

export function activeContexts(state: Pick<WorkbenchState, 'screen' | 'focus'>): KeyContext[] {
	switch (state.screen.type) {
		case 'overview':
			return [state.focus, 'overview', 'main', 'global'];
		case 'graph':
			return ['graph', 'main', 'global'];
		case 'diagnostic':
			return ['diagnostic', 'global'];
		case 'help':
			return ['help', 'global'];
		case 'wizard':
			return ['global'];
		case 'planning':
			return ['planning', 'global'];
		case 'plan-failed':
			return ['plan-failed', 'global'];
		case 'review':
			// While the filter is typed, every printable key is text: no q, no ?.
			if (state.screen.review.typing) return [...reviewContexts(state.screen.review), 'global'];
			return [...reviewContexts(state.screen.review), 'review-workbench', 'main', 'global'];
	}
}
