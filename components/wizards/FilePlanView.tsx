/**
 * The confirm step: every file the plan will write (path and size), then previews of the files
 * that fit in the rows left, smallest budget first in plan order. Never taller than `maxRows`.
 */
import {Box, Text} from 'ink';
import type {ScaffoldFile} from '../../engine/index.js';
import {plural, printable} from '../../engine/index.js';
import {column} from '../model/line.js';
import {theme} from '../theme.js';

export interface FilePlanViewProps {
	base: string;
	files: readonly ScaffoldFile[];
	maxRows: number;
	width: number;
}

const maxPreviewLines = 40;

function linesOf(content: string): string[] {
	if (content === '') return [];
	const lines = content.split('\n');
	if (lines.at(-1) === '') lines.pop();
	return lines;
}

/** Which files get a preview, within `rows` rows (each preview costs its lines plus a heading). */
export function previewPlan(files: readonly ScaffoldFile[], rows: number): Set<string> {
	const chosen = new Set<string>();
	let left = rows;
	for (const file of files) {
		const count = linesOf(file.content).length;
		if (count === 0 || count > maxPreviewLines || count + 1 > left) continue;
		chosen.add(file.path);
		left -= count + 1;
	}
	return chosen;
}

export function FilePlanView({base, files, maxRows, width}: FilePlanViewProps) {
	const listRows = Math.min(files.length, Math.max(1, maxRows - 2));
	const listed = files.slice(0, files.length > listRows ? listRows - 1 : listRows);
	const hidden = files.length - listed.length;
	const pathWidth = Math.min(width - 16, Math.max(...files.map((f) => f.path.length)));
	const previews = previewPlan(files, maxRows - 2 - listRows);
	return (
		<Box flexDirection="column" width={width}>
			<Text bold wrap="truncate-end">{`Write ${plural(files.length, 'file')} in ${base}/ ?`}</Text>
			{listed.map((f) => (
				<Text key={f.path} wrap="truncate-end">
					<Text color={theme.ok}>{'  + '}</Text>
					{column(f.path, pathWidth)}
					<Text dimColor>{`  ${linesOf(f.content).length} lines`}</Text>
				</Text>
			))}
			{hidden > 0 ? <Text dimColor>{`  … and ${hidden} more`}</Text> : null}
			{files
				.filter((f) => previews.has(f.path))
				.map((f) => (
					<Box key={`preview:${f.path}`} flexDirection="column">
						<Text dimColor wrap="truncate-end">{`── ${f.path} ${'─'.repeat(Math.max(0, width - f.path.length - 4))}`}</Text>
						{linesOf(f.content).map((line, i) => (
							// biome-ignore lint/suspicious/noArrayIndexKey: file lines are positional
							<Text key={i} dimColor wrap="truncate-end">
								{`  ${printable(line)}`}
							</Text>
						))}
					</Box>
				))}
		</Box>
	);
}
