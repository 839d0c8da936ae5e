/**
 * Which keymap contexts are active, most specific first: what the footer shows and where the
 * reducer looks a key up.
 */
import type {KeyContext} from '../keymap.js';
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
	}
}
