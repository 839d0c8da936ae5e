/**
 * CloudWatch metrics for health readers: the facts AWS gives only as metrics (Lambda invocations,
 * errors and throttles; SQS oldest message age; SNS failed deliveries; RDS free storage).
 *
 * Invariants:
 * - One GetMetricData call per component, through awsCall, over one window: the
 *   `metricWindowMinutes` before the read started (`HealthContext.now`, rounded up to the minute),
 *   so every reader of one read looks at the same minutes.
 * - A metric with no datapoint in the window is `undefined`, never 0: AWS publishes nothing for a
 *   function never invoked, and the fact must say "no datapoints", not claim a count.
 * - A metric read that fails is a fact without a verdict ("not read: …"): the resource's own status
 *   still decides, as it does when pending maintenance cannot be read (docs/status.md).
 */
import {GetMetricDataCommand, type MetricDataQuery} from '@aws-sdk/client-cloudwatch';
import {awsCall} from '../aws/call.js';
import type {HealthContext, HealthFact} from './health.js';

export const metricWindowMinutes = 15;

/** Datapoints are aggregated over this many seconds (AWS publishes these metrics at 1 or 5 minutes). */
const periodSeconds = 300;

export interface MetricQuery {
	/** Names the result: lower-case letter first, letters and digits (GetMetricData's rule). */
	id: string;
	namespace: string;
	metric: string;
	dimensions: Readonly<Record<string, string>>;
	/** `Sum` for counts over the window; `Maximum`/`Minimum` for the latest level of a gauge. */
	stat: 'Sum' | 'Maximum' | 'Minimum';
}

/** Each query's datapoints over the window, newest first (empty: none published). */
export type MetricValues = Record<string, number[]>;

/** The window as GetMetricData takes it: the minutes before `now`, rounded up to the minute. */
export function metricWindow(now: Date): {start: Date; end: Date} {
	const end = new Date(Math.ceil(now.getTime() / 60_000) * 60_000);
	return {start: new Date(end.getTime() - metricWindowMinutes * 60_000), end};
}

/** The queries' datapoints (one GetMetricData call), or the error that kept them from being read. */
export async function readMetrics(context: HealthContext, queries: readonly MetricQuery[]): Promise<MetricValues | Error> {
	const {start, end} = metricWindow(context.now);
	const metricDataQueries: MetricDataQuery[] = queries.map((q) => ({
		Id: q.id,
		MetricStat: {
			Metric: {
				Namespace: q.namespace,
				MetricName: q.metric,
				Dimensions: Object.entries(q.dimensions).map(([Name, Value]) => ({Name, Value})),
			},
			Period: periodSeconds,
			Stat: q.stat,
		},
	}));
	try {
		const values: MetricValues = Object.fromEntries(queries.map((q) => [q.id, []]));
		let nextToken: string | undefined;
		do {
			const page = await awsCall(context, `CloudWatch GetMetricData ${context.address}`, (options) =>
				context.clients.cloudWatch().send(
					new GetMetricDataCommand({
						StartTime: start,
						EndTime: end,
						MetricDataQueries: metricDataQueries,
						ScanBy: 'TimestampDescending',
						NextToken: nextToken,
					}),
					options,
				),
			);
			for (const result of page.MetricDataResults ?? []) if (result.Id) values[result.Id]?.push(...(result.Values ?? []));
			nextToken = page.NextToken;
		} while (nextToken);
		return values;
	} catch (error) {
		return error instanceof Error ? error : new Error(String(error));
	}
}

/** A count over the window: the sum of its datapoints; undefined when none was published. */
export function totalOf(values: readonly number[] | undefined): number | undefined {
	return values && values.length > 0 ? values.reduce((sum, v) => sum + v, 0) : undefined;
}

/** A gauge's latest level: its newest datapoint; undefined when none was published. */
export function latestOf(values: readonly number[] | undefined): number | undefined {
	return values?.[0];
}

/** `in the last 15 min`: how a fact over the window says so. */
export const inWindow = `in the last ${metricWindowMinutes} min`;

/** The fact for metrics that could not be read: information, the resource's status still decides. */
export function metricsNotRead(error: Error): HealthFact {
	return {name: 'metrics', value: `not read: ${error.message}`};
}

/** `3 (30%)` of a whole; just the count when it or the whole is 0. */
export function countWithShare(count: number, whole: number): string {
	return count > 0 && whole > 0 ? `${count} (${percent(count / whole)})` : String(count);
}

/** `30%`, `0.5%`: a share as people read it (one decimal below 10%). */
export function percent(share: number): string {
	const value = share * 100;
	return `${value < 10 && value > 0 ? Math.round(value * 10) / 10 : Math.round(value)}%`;
}
