/**
 * The whole frame as a pure function of the state: header, the current screen, footer. Exactly
 * `layout.height` rows (one less than the terminal), whatever the screen or the workspace.
 * Renders nothing once the app is exiting, so the terminal is left clean.
 */
import {Box} from 'ink';
import {LiveDashboardScreen} from './dashboard/DashboardScreen.js';
import {DiagnosticView} from './DiagnosticView.js';
import {Footer} from './Footer.js';
import {GraphView} from './GraphView.js';
import {Header} from './Header.js';
import {logsView} from './logs/log-lines.js';
import {LogsScreen} from './logs/LogsScreen.js';
import {logRows} from './logs/logs-state.js';
import {HelpOverlay} from './HelpOverlay.js';
import {HistoryScreen} from './history/HistoryScreen.js';
import {Overview} from './Overview.js';
import {Pane} from './Pane.js';
import {PlanStatusView} from './review/PlanStatusView.js';
import {ReviewScreen} from './review/ReviewScreen.js';
import type {WizardResult} from './state/actions.js';
import {activeContexts} from './state/contexts.js';
import {StatusScreen} from './status/StatusScreen.js';
import {statusPaneView} from './status/status-lines.js';
import {type Layout, layoutFor} from './state/layout.js';
import type {BaseScreen} from './state/screens.js';
import type {WorkbenchState} from './state/workbench-state.js';
import {TooSmall} from './TooSmall.js';
import {ServiceAddWizard} from './wizards/ServiceAddWizard.js';

export interface WorkbenchViewProps {
	state: WorkbenchState;
	onWizardDone: (result: WizardResult | undefined) => void;
}

function ScreenBody({
	state,
	screen,
	layout,
	onWizardDone,
}: {
	state: WorkbenchState;
	screen: BaseScreen;
	layout: Layout;
	onWizardDone: WorkbenchViewProps['onWizardDone'];
}) {
	switch (screen.type) {
		case 'overview':
			return <Overview state={state} layout={layout} />;
		case 'graph':
			return (
				<GraphView
					workspace={state.workspace}
					screen={screen}
					layout={layout}
					{...(state.deployed ? {deployed: state.deployed} : {})}
					noColor={state.noColor}
				/>
			);
		case 'diagnostic':
			return <DiagnosticView workspace={state.workspace} diagnostic={screen.diagnostic} width={layout.width} height={layout.fullHeight} />;
		case 'wizard':
			return state.workspace ? (
				<Pane
					title={`New service in ${state.workspace.stack.name}`}
					right="esc cancel"
					focused
					width={layout.width}
					height={layout.fullHeight}
				>
					<ServiceAddWizard workspace={state.workspace} onDone={onWizardDone} width={layout.width - 4} height={layout.fullRows} framed />
				</Pane>
			) : null;
		case 'planning':
			return (
				<PlanStatusView
					status="planning"
					stack={screen.workspace.stack.name}
					environment={screen.workspace.environment}
					width={layout.width}
					height={layout.fullHeight}
				/>
			);
		case 'plan-failed':
			return (
				<PlanStatusView
					status="failed"
					message={screen.message}
					{...(screen.hint ? {hint: screen.hint} : {})}
					width={layout.width}
					height={layout.fullHeight}
				/>
			);
		case 'review':
			return (
				<ReviewScreen review={screen.review} stale={state.workspace !== screen.workspace} width={layout.width} height={layout.fullHeight} />
			);
		case 'dashboard':
			return <LiveDashboardScreen run={screen.run} width={layout.width} height={layout.fullHeight} />;
		case 'logs':
			return <LogsScreen view={logsView(screen.logs, logRows(layout.fullHeight))} width={layout.width} height={layout.fullHeight} />;
		case 'status':
			return <StatusScreen view={statusPaneView(state, screen)} offset={screen.offset} width={layout.width} height={layout.fullHeight} />;
		case 'history':
			return (
				<HistoryScreen
					history={screen.history}
					stack={screen.workspace.stack.name}
					environment={screen.workspace.environment}
					width={layout.width}
					height={layout.fullHeight}
				/>
			);
	}
}

export function WorkbenchView({state, onWizardDone}: WorkbenchViewProps) {
	if (state.exit) return null;
	const layout = layoutFor(state.size);
	if (layout.tooSmall) return <TooSmall size={state.size} />;
	const screen = state.screen;
	return (
		<Box flexDirection="column" width={layout.width} height={layout.height}>
			<Header
				workspace={state.workspace}
				root={state.root}
				reloading={state.reloading}
				loads={state.loads}
				{...(state.failure ? {failure: state.failure} : {})}
				{...(state.condition ? {condition: state.condition} : {})}
				width={layout.width}
			/>
			<Box height={layout.fullHeight} flexDirection="column">
				{screen.type === 'help' ? (
					<HelpOverlay offset={screen.offset} width={layout.width} height={layout.fullHeight} />
				) : (
					<ScreenBody state={state} screen={screen} layout={layout} onWizardDone={onWizardDone} />
				)}
			</Box>
			<Footer contexts={activeContexts(state)} {...(state.notice ? {notice: state.notice} : {})} width={layout.width} />
		</Box>
	);
}
