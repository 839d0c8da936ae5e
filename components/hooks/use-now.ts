/**
 * A clock: the current time, refreshed every `intervalMs` while `active`. The header uses it for
 * "reloaded 4s ago" (so only the header's row changes between reloads), the apply dashboard for
 * its spinners and elapsed times while the apply runs. The timer stops on unmount, and while
 * inactive (no renders for a clock nobody reads).
 */
import {useEffect, useState} from 'react';

export function useNow(intervalMs = 1000, now: () => number = Date.now, active = true): number {
	const [time, setTime] = useState(now);
	useEffect(() => {
		if (!active) return;
		const timer = setInterval(() => setTime(now()), intervalMs);
		return () => clearInterval(timer);
	}, [intervalMs, now, active]);
	return time;
}
