/**
 * Sample log lines for the demo. moto runs no code, so nothing would ever write to the demo's
 * CloudWatch log groups; this writes a few realistic lines every few seconds into each group of the
 * demo stack that exists (they appear once the stack is applied), so `l` in the workbench and
 * `panka logs` have something to show. Demo only: never part of panka itself.
 */
import {CloudWatchLogsClient, CreateLogStreamCommand, DescribeLogGroupsCommand, PutLogEventsCommand} from '@aws-sdk/client-cloudwatch-logs';

const lines: Record<string, string[]> = {
	'api-server': [
		'GET /health 200 2ms',
		'POST /notifications 202 14ms',
		'GET /notifications/42 200 6ms',
		'queued notification 42 for delivery',
	],
	processor: [
		'received batch of 3 notifications',
		'delivered notification 41 via email',
		'delivered notification 42 via sms',
		'recorded delivery status for 3 notifications',
	],
	'cron-job': ['scanning for notifications stuck in sending', 're-queued 0 stuck notifications'],
};

export function writeSampleLogs(endpoint: string, prefix: string, everyMs = 3_000): () => void {
	const logs = new CloudWatchLogsClient({
		endpoint,
		region: 'us-east-1',
		credentials: {accessKeyId: 'demo', secretAccessKey: 'demo'},
		maxAttempts: 1,
	});
	const streams = new Set<string>();
	let tick = 0;
	const write = async () => {
		const {logGroups = []} = await logs.send(new DescribeLogGroupsCommand({logGroupNamePrefix: prefix}));
		for (const group of logGroups) {
			const name = group.logGroupName ?? '';
			const component = name.split('/').at(-1) ?? '';
			const pool = lines[component] ?? ['working'];
			if (!streams.has(name)) {
				await logs.send(new CreateLogStreamCommand({logGroupName: name, logStreamName: 'demo'})).catch(() => undefined);
				streams.add(name);
			}
			const message = JSON.stringify({level: 'info', component, msg: pool[tick % pool.length]});
			// A group destroyed and created again (destroy, then apply) has lost its stream: make it anew next time.
			await logs
				.send(new PutLogEventsCommand({logGroupName: name, logStreamName: 'demo', logEvents: [{timestamp: Date.now(), message}]}))
				.catch(() => streams.delete(name));
		}
		tick++;
	};
	const timer = setInterval(() => void write().catch(() => undefined), everyMs);
	timer.unref();
	return () => {
		clearInterval(timer);
		logs.destroy();
	};
}
