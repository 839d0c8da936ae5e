/** "Did you mean": close words only, and bounded work whatever the input's length. */
import {describe, expect, it} from 'vitest';
import {closestMatch, didYouMean} from '../../../engine/resolve/suggest.js';

describe('closestMatch', () => {
	it('suggests the close word, ignoring case, _ and -; never an unrelated one', () => {
		expect(closestMatch('Sqs', ['SQS', 'SNS'])).toBe('SQS');
		expect(closestMatch('max_replicas', ['maxReplicas', 'minReplicas'])).toBe('maxReplicas');
		expect(closestMatch('maxRecieveCount', ['maxReceiveCount', 'enabled'])).toBe('maxReceiveCount');
		expect(didYouMean('database', ['SQS', 'SNS'])).toBe('');
	});

	it('gives up at once on a hostile input: a 4 MB word against every kind (it used to take 30 s and 1.2 GB)', () => {
		const huge = 'S'.repeat(4 * 1024 * 1024);
		const started = performance.now();
		expect(closestMatch(huge, ['SQS', 'SNS', 'DynamoDB', 'MicroService'])).toBeUndefined();
		expect(closestMatch('SQS', [huge, 'SNS'])).toBe('SNS');
		expect(performance.now() - started).toBeLessThan(1_000);
	});
});
