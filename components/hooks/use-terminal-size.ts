/**
 * The terminal's size, following resizes. Falls back to 120×40 where the stream does not know
 * (tests, pipes), so layouts always have numbers to work with.
 */
import {useStdout} from 'ink';
import {useEffect, useState} from 'react';
import {sizeOrDefault, type TerminalSize} from '../state/layout.js';

export function useTerminalSize(): TerminalSize {
	const {stdout} = useStdout();
	const [size, setSize] = useState(() => sizeOrDefault(stdout.columns, stdout.rows));
	useEffect(() => {
		const onResize = () =>
			setSize((previous) => {
				const next = sizeOrDefault(stdout.columns, stdout.rows);
				return next.columns === previous.columns && next.rows === previous.rows ? previous : next;
			});
		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout]);
	return size;
}
