/**
 * One styled line on exactly one terminal row (fitted to `width`: cut or padded, never wrapped).
 */
import {Text} from 'ink';
import {fitLine, type Line} from './model/line.js';

export interface LineTextProps {
	line: Line;
	width: number;
	inverse?: boolean;
	bold?: boolean;
}

export function LineText({line, width, inverse = false, bold = false}: LineTextProps) {
	const fitted = fitLine(line, width);
	return (
		<Text wrap="truncate-end" inverse={inverse} bold={bold}>
			{fitted.map((s, i) => (
				// biome-ignore lint/suspicious/noArrayIndexKey: segments are positional and never reordered
				<Text key={i} color={s.color} dimColor={s.dim} bold={s.bold} italic={s.italic} inverse={s.inverse}>
					{s.text}
				</Text>
			))}
		</Text>
	);
}
