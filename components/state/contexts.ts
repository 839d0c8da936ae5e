/**
 * Which keymap contexts are active, most specific first: what the footer shows and where the
 * reducer looks a key up.
 */
import type {KeyContext} from '../keymap.js';
import {dashboardContexts} from '../dashboard/dashboard-state.js';
import {historyContexts} from '../history/history-state.js';
import {logsContexts} from '../logs/logs-state.js';
import {reviewContexts} from '../review/review-state.js';
import type {WorkbenchState} from './workbench-state.js';

export function activeContexts(state: Pick<WorkbenchState, 'screen' | 'focus'> & {canPlan?: boolean}): KeyContext[] {
	switch (state.screen.type) {
		case 'overview':
			// p and a are offered (hinted) only where planning is possible; elsewhere they say why not.
			return [state.focus, ...(state.canPlan ? (['overview-deploy'] as const) : []), 'overview', 'main', 'global'];
		case 'graph':
			// While a component name is typed after /, every printable key is text: no q, no ?.
			if (state.screen.jump !== undefined) return ['graph-jump', 'global'];
			return [state.screen.drawn ? 'graph-drawn' : 'graph-list', 'graph', 'main', 'global'];
		case 'diagnostic':
			return ['diagnostic', 'global'];
		case 'help':
			// ctrl+c over a running apply still stops it: the help must not end the workbench mid-apply.
			return state.screen.under.type === 'dashboard' && !state.screen.under.run.ended
				? ['help', 'dashboard-running', 'global']
				: ['help', 'global'];
		case 'wizard':
			return ['global'];
		case 'planning':
			return ['planning', 'global'];
		case 'plan-failed':
			return ['plan-failed', 'global'];
		case 'review':
			// While the filter is typed, every printable key is text: no q, no ?.
			if (state.screen.review.typing || state.screen.review.confirmingEnvironment !== undefined)
				return [...reviewContexts(state.screen.review), 'global'];
			// y (apply) and s (save) both work; the intent says which the footer keeps when it is short of room.
			if (state.screen.intent === 'apply')
				return [...reviewContexts(state.screen.review), 'review-apply', 'review-workbench', 'main', 'global'];
			return [...reviewContexts(state.screen.review), 'review-workbench', 'review-apply', 'main', 'global'];
		case 'dashboard':
			return [...dashboardContexts(state.screen.run), 'dashboard-workbench', 'global'];
		case 'status':
			return ['status', 'main', 'global'];
		case 'logs':
			// While the filter is typed, every printable key is text: no q, no ?.
			if (state.screen.logs.typing) return [...logsContexts(state.screen.logs), 'global'];
			return [...logsContexts(state.screen.logs), 'main', 'global'];
		case 'history':
			return [...historyContexts(), 'main', 'global'];
	}
}
