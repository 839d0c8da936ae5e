/**
 * The apply dashboard pane, a pure function of a DashboardState and the clock:
 *
 *     ╭─ Apply · shop · test ─────────────────────────────── 12.3s · up to 10 at once ╮
 *     │ ████████████████░░░░░░░░░░░░░░░░  12 of 40 steps · 30%                         │
 *     │ ✓ 10 done  ✗ 1 failed  ⊘ 1 skipped  ⠋ 2 running  · 26 pending                  │
 *     │▌⠋ create   data/orders-queue   SQS  creating queue…                       3.2s │
 *     │ ✗ create   data/uploads        S3   failed                                0.4s │
 *     │       BucketAlreadyExists: The requested bucket name is not available…         │
 *     │ ⊘ create   data/events         SNS  skipped: skipped because data/uploads failed │
 *     │ …  (only the rows of the window are drawn: ListView)                            │
 *     │ ⚠ Stop after in-flight operations? … (Ctrl-C again aborts them)                 │
 *     ╰─────────────────────────────────────────────────────────────────────────────────╯
 *
 * Exactly `width` × `height` whatever the number of steps: the list gets the rows the progress,
 * the counts and the notice leave (dashboardGeometry), so the live region never grows past the
 * terminal. `now` drives the spinners and the elapsed times; LiveDashboardScreen ticks it (one
 * clock for every spinner, ~12 frames/s) only while the apply runs.
 */
import {environmentLabel} from '../../engine/index.js';
import {Box} from 'ink';
import {LineText} from '../LineText.js';
import {ListView} from '../ListView.js';
import {seg} from '../model/line.js';
import {useNow} from '../hooks/use-now.js';
import {Pane} from '../Pane.js';
import {countsLine, formatElapsed, noticeLines, progressLine, spinnerIntervalMs, windowLines} from './dashboard-lines.js';
import {type DashboardState, dashboardGeometry, modelFor, stepCounts} from './dashboard-state.js';

export interface DashboardScreenProps {
	run: DashboardState;
	width: number;
	height: number;
	now: number;
}

export function DashboardScreen({run, width, height, now}: DashboardScreenProps) {
	const viewport = {width, height};
	const {listRows, textWidth} = dashboardGeometry(viewport, run);
	const model = modelFor(run, viewport);
	const counts = stepCounts(run.rows);
	const inner = width - 2;
	const {cursor} = run;
	const lines = windowLines(model, cursor.offset, listRows, textWidth, now);
	const elapsed = run.summary ? run.summary.durationMs : run.startedAt !== undefined ? now - run.startedAt : 0;
	const right = [
		formatElapsed(elapsed),
		...(run.parallelism ? [`up to ${run.parallelism} at once`] : []),
		...(model.entries.length > listRows
			? [`${cursor.offset + 1}–${Math.min(cursor.offset + listRows, model.entries.length)} of ${model.entries.length}`]
			: []),
	].join(' · ');
	const title = `${run.operation === 'destroy' ? 'Destroy' : 'Apply'} · ${run.stack} · ${environmentLabel(run.environment, run.protectedEnvironment)}`;
	return (
		// Every row is fitted to the pane, so it needs no clipping (see Pane): cheaper frames.
		<Pane title={title} right={right} focused width={width} height={height} clip={false}>
			<Box flexDirection="column" width={inner} height={height - 2}>
				<LineText line={[seg(' '), ...progressLine(counts, inner - 1)]} width={inner} />
				<LineText line={[seg(' '), ...countsLine(counts, now)]} width={inner} />
				<ListView lines={lines} offset={0} height={listRows} width={inner} selected={cursor.index - cursor.offset} focused={false} />
				{noticeLines(run, counts).map((line, i) => (
					// biome-ignore lint/suspicious/noArrayIndexKey: the notice's lines are positional
					<LineText key={i} line={[seg(' '), ...line]} width={inner} />
				))}
			</Box>
		</Pane>
	);
}

/** The dashboard with its clock: ticking while the apply runs, still once it has ended. */
export function LiveDashboardScreen(props: Omit<DashboardScreenProps, 'now'>) {
	const now = useNow(spinnerIntervalMs, Date.now, !props.run.ended);
	return <DashboardScreen {...props} now={now} />;
}
