/** The version from package.json, read once, found relative to this file in src and dist alike. */
import {readFileSync} from 'node:fs';

let cached: string | undefined;

export function packageVersion(): string {
	if (cached) return cached;
	for (const candidate of ['../package.json', '../../package.json']) {
		try {
			const parsed = JSON.parse(readFileSync(new URL(candidate, import.meta.url), 'utf8')) as {name?: string; version?: string};
			if (parsed.name === 'panka' && parsed.version) {
				cached = parsed.version;
				return cached;
			}
		} catch {
			// try the next candidate
		}
	}
	cached = '0.0.0-unknown';
	return cached;
}
