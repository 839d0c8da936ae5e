/**
 * What stays on screen after a standalone wizard wrote files that the engine then found problems
 * in (a safety net: the templates are meant to load clean).
 */
import {Box, Text} from 'ink';
import {type Diagnostic, formatLocation, plural, printable} from '../../engine/index.js';
import {severityColor, severityIcon} from '../theme.js';

export function ProblemsNote({problems}: {problems: readonly Diagnostic[]}) {
	return (
		<Box flexDirection="column">
			<Text bold>{`The new files have ${plural(problems.length, 'problem')}:`}</Text>
			{problems.map((d) => (
				<Text key={`${formatLocation(d)}:${d.code}:${d.message}`}>
					<Text color={severityColor(d.severity)}>{`${severityIcon(d.severity)} `}</Text>
					{printable(`${formatLocation(d)} ${d.message}`)}
				</Text>
			))}
		</Box>
	);
}
