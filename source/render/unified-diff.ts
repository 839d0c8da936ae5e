/**
 * A unified diff of two texts (`diff -u` style, 3 lines of context), for `panka migrate` to show
 * what it would rewrite. Lines are compared whole; the longest common subsequence is computed
 * with a cap, past which the whole file shows as replaced (stack files are small).
 */
const context = 3;
const maxCells = 4_000_000;

type Op = {kind: ' ' | '-' | '+'; text: string};

function lineOps(before: string[], after: string[]): Op[] {
	const n = before.length;
	const m = after.length;
	if (n * m > maxCells)
		return [...before.map((text) => ({kind: '-' as const, text})), ...after.map((text) => ({kind: '+' as const, text}))];
	// lcs[i][j]: the common subsequence length of before[i..] and after[j..].
	const lcs = Array.from({length: n + 1}, () => new Uint32Array(m + 1));
	for (let i = n - 1; i >= 0; i--)
		for (let j = m - 1; j >= 0; j--)
			lcs[i]![j] = before[i] === after[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
	const ops: Op[] = [];
	let i = 0;
	let j = 0;
	while (i < n || j < m) {
		if (i < n && j < m && before[i] === after[j]) {
			ops.push({kind: ' ', text: before[i]!});
			i++;
			j++;
		} else if (i < n && (j === m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) ops.push({kind: '-', text: before[i++]!});
		else ops.push({kind: '+', text: after[j++]!});
	}
	return ops;
}

function splitLines(text: string): string[] {
	if (text === '') return [];
	const lines = text.split('\n');
	if (lines.at(-1) === '') lines.pop();
	return lines;
}

/** `--- a/file`, `+++ b/file` and the hunks; empty when the texts are equal. */
export function unifiedDiff(file: string, before: string, after: string, options: {created?: boolean} = {}): string[] {
	if (before === after) return [];
	const ops = lineOps(splitLines(before), splitLines(after));
	const out = [options.created ? '--- /dev/null' : `--- a/${file}`, `+++ b/${file}`];
	const changed = ops.map((op, index) => (op.kind === ' ' ? -1 : index)).filter((index) => index >= 0);
	let k = 0;
	while (k < changed.length) {
		let start = Math.max(0, changed[k]! - context);
		let end = Math.min(ops.length, changed[k]! + context + 1);
		while (k + 1 < changed.length && changed[k + 1]! - context <= end) end = Math.min(ops.length, changed[++k]! + context + 1);
		k++;
		const beforeStart = ops.slice(0, start).filter((op) => op.kind !== '+').length;
		const afterStart = ops.slice(0, start).filter((op) => op.kind !== '-').length;
		const hunk = ops.slice(start, end);
		const beforeCount = hunk.filter((op) => op.kind !== '+').length;
		const afterCount = hunk.filter((op) => op.kind !== '-').length;
		out.push(`@@ -${beforeStart + (beforeCount ? 1 : 0)},${beforeCount} +${afterStart + (afterCount ? 1 : 0)},${afterCount} @@`);
		for (const op of hunk) out.push(`${op.kind}${op.text}`);
		start = end;
	}
	return out;
}
