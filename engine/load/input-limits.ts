/**
 * The bounds on what panka reads from users' files and flags, in one place. Each is far above
 * anything a hand-written stack needs and far below what would hurt: reading a stack folder takes
 * bounded time and memory whatever is in it, and going over a bound is a diagnostic that names
 * the bound, never a hang, a crash or a silent cut.
 *
 * Who enforces what:
 * - read-text-file.ts: `maxFileBytes` (and the bigger `maxDataFileBytes` for state and plan files);
 * - yaml-source.ts: `maxParsedNesting` (what either parser may take), `maxFullParseNodes` and
 *   `maxFullParseBytes` (what the slower, positions-aware parser may take)
 *   and `maxProblemsPerFile`;
 * - plain-tree.ts: `maxScalarChars`, `maxNestingDepth`, `maxTreeNodes`, plus the reserved keys;
 * - interpolate.ts: `maxScalarChars` for an expanded value and `maxVariableDepth`;
 * - suggest.ts: `maxSuggestedWordChars`.
 */

const kibi = 1024;
const mebi = 1024 * 1024;

/** A stack file (`*.yaml`, `stack.yaml`, `config/*.env`, a tenant config): never read into memory above this. */
export const maxFileBytes = 4 * mebi;

/** A state document or a saved plan (`panka state push FILE`, `panka apply plan.json`): machine-written, larger. */
export const maxDataFileBytes = 64 * mebi;

/** A file panka keeps for itself (session.json, config.json). */
export const maxSettingsFileBytes = 64 * kibi;

/**
 * One scalar (a key or a value), and one value after `${VAR}` expansion, in characters. AWS's own
 * limits on what these become (a policy, a tag, an environment) are far smaller.
 */
export const maxScalarChars = 64 * kibi;

/** Mappings and lists inside mappings and lists: real documents nest fewer than 10 levels. */
export const maxNestingDepth = 64;

/**
 * Nesting a file may have at all to be handed to a YAML parser (both recurse per level and run
 * out of stack near a thousand): beyond it the file is refused unparsed.
 */
export const maxParsedNesting = 4 * maxNestingDepth;

/**
 * Nodes of one file's documents after aliases are expanded. A "billion laughs" file (aliases of
 * aliases) stops here, whichever parser read it.
 */
export const maxTreeNodes = 200_000;

/**
 * The positions-aware YAML parser is about 20 µs a node; a file (or one document, for positions)
 * whose node estimate is above this is read by the fast parser alone, and its diagnostics point at
 * the line the fast parser names (or the document's first line) instead…
 */
export const maxFullParseNodes = 100_000;

/** …and whose size is within this (the positions-aware parser also pays per character). */
export const maxFullParseBytes = 1024 * 1024;

/** Diagnostics of one file: a file with thousands of broken lines gets this many, and a count of the rest. */
export const maxProblemsPerFile = 50;

/** `${A}` whose value uses `${B}` whose value uses …: deeper than this is an error, as is a loop. */
export const maxVariableDepth = 32;

/** "Did you mean" compares words up to this length; a longer input gets no suggestion. */
export const maxSuggestedWordChars = 256;

/**
 * Keys that would change a JavaScript object's prototype or shadow its methods when used as a
 * property name. Refused in YAML mappings, `.env` files, `--var` and `PANKA_VAR_*`.
 */
export const reservedKeys: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function isReservedKey(key: string): boolean {
	return reservedKeys.has(key);
}

/** `4.0 MiB`, `64.0 KiB`, `12 B`. */
export function formatBytes(bytes: number): string {
	if (bytes >= mebi) return `${(bytes / mebi).toFixed(1)} MiB`;
	if (bytes >= kibi) return `${(bytes / kibi).toFixed(1)} KiB`;
	return `${bytes} B`;
}

/** `65,536 characters`: a count as the limit messages show it. */
export function formatCount(count: number, unit: string): string {
	return `${count.toLocaleString('en-US')} ${unit}`;
}
