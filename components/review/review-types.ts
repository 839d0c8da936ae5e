/**
 * The plan review's rows and model: the types review-rows.ts builds and review-lines.ts draws,
 * apart so the two never import each other.
 */
import type {Change, ChangeAction} from '../../engine/index.js';
import type {Line} from '../model/line.js';

export type GroupAction = Exclude<ChangeAction, 'no-op'>;
/** The review's sections: the changes that widen access first (whatever their action), then by action. */
export type GroupKey = GroupAction | 'broadening';

export type ReviewRow =
	| {type: 'warning'; key: string; text: string; first: boolean}
	| {type: 'group'; key: string; action: GroupKey; shown: number; total: number; changes: readonly Change[]}
	| {type: 'change'; key: string; change: Change}
	| {type: 'detail'; key: string; change: Change; line: Line}
	| {type: 'empty'; key: string; text: string};

export interface ReviewModel {
	rows: ReviewRow[];
	indexByKey: ReadonlyMap<string, number>;
	/** Changes listed (after the filter), and all actionable changes. */
	shown: number;
	total: number;
	/** Column widths over the whole plan, so filtering never shifts the columns. */
	addressWidth: number;
	kindWidth: number;
	/** The monthly cost column (`+$9.01`, `usage`); 0 when the plan was not priced. */
	costWidth: number;
}
