import {describe, expect, it} from 'vitest';
import {scheduleExpression, scheduleExpressionProblem} from '../../../engine/kinds/schedule-expression.js';

describe('rate expressions', () => {
	it.each(['rate(1 minute)', 'rate(5 minutes)', 'rate(1 hour)', 'rate(12 hours)', 'rate(1 day)', 'rate(7 days)'])('accepts %s', (text) => {
		expect(scheduleExpressionProblem(text)).toBeUndefined();
	});

	it('wants the singular unit for 1 and the plural above', () => {
		expect(scheduleExpressionProblem('rate(1 minutes)')).toBe('rate(1 minutes): use "minute" for a value of 1');
		expect(scheduleExpressionProblem('rate(5 minute)')).toBe('rate(5 minute): use "minutes" for a value greater than 1');
	});

	it('rejects zero, fractions and other units', () => {
		expect(scheduleExpressionProblem('rate(0 minutes)')).toBe('rate(0 minutes): the rate value must be a positive whole number');
		expect(scheduleExpressionProblem('rate(1.5 hours)')).toMatch(/positive whole number/);
		expect(scheduleExpressionProblem('rate(2 weeks)')).toBe(
			'rate(2 weeks): the rate unit must be minute(s), hour(s) or day(s), not "weeks"',
		);
	});
});

describe('cron expressions', () => {
	it.each([
		'cron(0 12 * * ? *)',
		'cron(0/15 9-17 ? * MON-FRI *)',
		'cron(0 10 L * ? *)',
		'cron(0 10 15W * ? *)',
		'cron(0 10 ? * 6#3 *)',
		'cron(0 10 ? * FRIL *)',
		'cron(30 8 1,15 JAN,JUL ? 2030)',
		'cron(*/5 * * * ? *)',
	])('accepts %s', (text) => {
		expect(scheduleExpressionProblem(text)).toBeUndefined();
	});

	it('explains the sixth field to crontab users', () => {
		expect(scheduleExpressionProblem('cron(0 12 * * *)')).toBe(
			'cron(0 12 * * *) has 5 fields; EventBridge cron has 6: minutes hours day-of-month month day-of-week year (a Unix crontab has 5: add the year field, e.g. *, and use ? in day-of-month or day-of-week)',
		);
	});

	it('needs ? in exactly one of day-of-month and day-of-week', () => {
		expect(scheduleExpressionProblem('cron(0 12 * * * *)')).toMatch(/cannot both be set; use \? in one of them/);
		expect(scheduleExpressionProblem('cron(0 12 ? * ? *)')).toMatch(/cannot both be \?/);
		expect(scheduleExpressionProblem('cron(0 12 ?5 * * *)')).toMatch(/\? must be the whole day-of-month field/);
	});

	it('names the field whose value is out of range', () => {
		expect(scheduleExpressionProblem('cron(60 10 * * ? *)')).toBe('cron(60 10 * * ? *): minutes "60" is out of range; minutes takes 0–59');
		expect(scheduleExpressionProblem('cron(0 24 * * ? *)')).toMatch(/hours "24" is out of range/);
		expect(scheduleExpressionProblem('cron(0 1 * 13 ? *)')).toMatch(/month "13" is out of range; month takes 1–12 or JAN–DEC/);
		expect(scheduleExpressionProblem('cron(0 1 ? * 8 *)')).toMatch(/day-of-week "8" is out of range/);
		expect(scheduleExpressionProblem('cron(0 1 * * ? 1969)')).toMatch(/year "1969" is out of range/);
		expect(scheduleExpressionProblem('cron(0/0 1 * * ? *)')).toMatch(/minutes "0\/0" has an invalid step/);
	});
});

describe('scheduleExpression field', () => {
	it('trims the text and reports the problem as the issue message', () => {
		expect(scheduleExpression().parse('  rate(5 minutes) ')).toBe('rate(5 minutes)');
		const result = scheduleExpression().safeParse('every 5 minutes');
		expect(result.success).toBe(false);
		expect(result.error?.issues[0]?.message).toMatch(/^schedule "every 5 minutes" must be rate\(value unit\)/);
	});
});
