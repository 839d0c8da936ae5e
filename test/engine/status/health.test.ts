/**
 * The verdict rule: a component is as bad as the worst fact that says so (a fact without a verdict
 * is information), healthy < unknown < degraded < failing, and a stack is as bad as its worst
 * component; a stack with nothing deployed is unknown.
 */
import {describe, expect, test} from 'vitest';
import {stackVerdict, verdictOfFacts, worseVerdict} from '../../../engine/status/health.js';

describe('verdicts', () => {
	test('a component with only information is healthy', () => {
		expect(verdictOfFacts([{name: 'messages visible', value: '12'}])).toBe('healthy');
		expect(verdictOfFacts([])).toBe('healthy');
	});

	test('the worst fact decides', () => {
		const facts = [
			{name: 'tasks running', value: '2 of 3', verdict: 'degraded' as const},
			{name: 'rollout', value: 'failed', verdict: 'failing' as const},
			{name: 'events', value: 'none'},
		];
		expect(verdictOfFacts(facts)).toBe('failing');
	});

	test('unknown is worse than healthy and better than degraded', () => {
		expect(worseVerdict('healthy', 'unknown')).toBe('unknown');
		expect(worseVerdict('unknown', 'degraded')).toBe('degraded');
		expect(worseVerdict('failing', 'degraded')).toBe('failing');
	});

	test('a stack is its worst component; nothing deployed is unknown', () => {
		expect(stackVerdict([{verdict: 'healthy'}, {verdict: 'degraded'}, {verdict: 'unknown'}])).toBe('degraded');
		expect(stackVerdict([{verdict: 'healthy'}])).toBe('healthy');
		expect(stackVerdict([])).toBe('unknown');
	});
});
