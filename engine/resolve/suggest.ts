/**
 * "Did you mean …": the closest known word to a misspelt one. Case, `_` and `-` differences are
 * free (`max_replicas` → `maxReplicas`); otherwise the edit distance must be small for the word's
 * length, so unrelated words are never suggested.
 *
 * Bounded: an input longer than `maxSuggestedWordChars` gets no suggestion, and a candidate whose
 * length alone puts it out of reach is not compared, so a hostile 4 MB "kind" costs nothing.
 */
import {maxSuggestedWordChars} from '../load/input-limits.js';

export function closestMatch(input: string, candidates: Iterable<string>): string | undefined {
	if (input.length > maxSuggestedWordChars) return undefined;
	const folded = fold(input);
	let best: string | undefined;
	let bestScore = Number.POSITIVE_INFINITY;
	for (const candidate of candidates) {
		if (candidate === input) continue;
		const foldedCandidate = fold(candidate);
		if (foldedCandidate === folded) return candidate;
		const limit = Math.max(1, Math.floor(Math.max(folded.length, foldedCandidate.length) / 3));
		if (Math.abs(folded.length - foldedCandidate.length) > limit || foldedCandidate.length > maxSuggestedWordChars) continue;
		const distance = editDistance(folded, foldedCandidate);
		const prefixBonus = foldedCandidate.startsWith(folded) || folded.startsWith(foldedCandidate) ? 0.5 : 0;
		const score = distance - prefixBonus;
		if (distance <= limit && score < bestScore) {
			best = candidate;
			bestScore = score;
		}
	}
	return best;
}

/** ` — did you mean "x"?`, or nothing. */
export function didYouMean(input: string, candidates: Iterable<string>): string {
	const match = closestMatch(input, candidates);
	return match ? ` — did you mean "${match}"?` : '';
}

function fold(word: string): string {
	return word.toLowerCase().replace(/[_\-\s]/g, '');
}

/** Damerau-Levenshtein (optimal string alignment) distance. */
export function editDistance(a: string, b: string): number {
	const rows = a.length + 1;
	const cols = b.length + 1;
	const d: number[][] = Array.from({length: rows}, (_, i) => Array.from({length: cols}, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
	for (let i = 1; i < rows; i++) {
		for (let j = 1; j < cols; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			const row = d[i]!;
			const prev = d[i - 1]!;
			row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1);
		}
	}
	return d[a.length]![b.length]!;
}
