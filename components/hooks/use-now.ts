/**
 * A clock for "reloaded 4s ago": the current time, refreshed every `intervalMs`. Only the header
 * uses it (so only the header's row changes between reloads); the timer stops on unmount.
 */
import {useEffect, useState} from 'react';

export function useNow(intervalMs = 1000, now: () => number = Date.now): number {
	const [time, setTime] = useState(now);
	useEffect(() => {
		const timer = setInterval(() => setTime(now()), intervalMs);
		return () => clearInterval(timer);
	}, [intervalMs, now]);
	return time;
}
