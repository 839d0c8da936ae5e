/**
 * tailLogs on moto: events written with PutLogEvents come out in timestamp order, interleaved across
 * groups, none missing or doubled (paging included), and following picks up new ones.
 */
import {CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand} from '@aws-sdk/client-cloudwatch-logs';
import {expect, it} from 'vitest';
import {type LogEvent, tailLogs} from '../../../engine/logs/tail-logs.js';
import {describeAws, useMoto} from '../../helpers/moto.js';

describeAws('tailLogs', () => {
	const moto = useMoto();
	const base = Date.now() - 60_000;

	async function group(name: string, messages: Array<[offsetMs: number, text: string]>) {
		const logs = moto.clients().get(CloudWatchLogsClient);
		await logs.send(new CreateLogGroupCommand({logGroupName: name})).catch(() => undefined);
		const stream = `s-${Math.random().toString(36).slice(2)}`;
		await logs.send(new CreateLogStreamCommand({logGroupName: name, logStreamName: stream}));
		for (let i = 0; i < messages.length; i += 500)
			await logs.send(
				new PutLogEventsCommand({
					logGroupName: name,
					logStreamName: stream,
					logEvents: messages.slice(i, i + 500).map(([offset, message]) => ({timestamp: base + offset, message})),
				}),
			);
	}

	const lines = (events: LogEvent[]) => events.filter((e): e is Extract<LogEvent, {type: 'log.line'}> => e.type === 'log.line');

	it('interleaves several groups by timestamp, every event exactly once, across pages', async () => {
		const api = Array.from({length: 600}, (_, i): [number, string] => [i * 2, `api ${i}`]);
		const worker = Array.from({length: 600}, (_, i): [number, string] => [i * 2 + 1, `worker ${i}`]);
		await group('/panka/t/api', api);
		await group('/panka/t/worker', worker);
		const events: LogEvent[] = [];
		for await (const event of tailLogs(
			[
				{component: 'api-server', address: 'api/api-server', logGroup: '/panka/t/api'},
				{component: 'processor', address: 'worker/processor', logGroup: '/panka/t/worker'},
			],
			{clients: moto.clients(), since: base - 1, follow: false, pageSize: 100},
		))
			events.push(event);
		const got = lines(events);
		expect(got).toHaveLength(1200);
		expect(new Set(got.map((l) => l.eventId)).size).toBe(1200);
		expect(got.map((l) => l.timestamp)).toEqual([...got.map((l) => l.timestamp)].sort((a, b) => a - b));
		expect(got.slice(0, 3).map((l) => `${l.component}: ${l.message}`)).toEqual([
			'api-server: api 0',
			'processor: worker 0',
			'api-server: api 1',
		]);
	});

	it('filters by text, and follows new events without repeating old ones (polling where live tail is missing)', async () => {
		await group('/panka/t/follow', [
			[0, 'INFO started'],
			[1, 'ERROR boom'],
		]);
		const controller = new AbortController();
		const seen: LogEvent[] = [];
		const tail = tailLogs([{component: 'fn', address: 'svc/fn', logGroup: '/panka/t/follow'}], {
			clients: moto.clients(),
			since: base - 1,
			follow: true,
			filter: 'ERROR',
			signal: controller.signal,
			pollMs: 20,
			sleep: (ms, signal) => new Promise((r) => (signal?.aborted ? r(undefined) : setTimeout(r, ms))),
		});
		for await (const event of tail) {
			seen.push(event);
			if (lines(seen).length === 1)
				await group('/panka/t/follow', [
					[5, 'ERROR again'],
					[6, 'INFO fine'],
				]);
			if (lines(seen).length === 2) controller.abort();
		}
		expect(lines(seen).map((l) => l.message)).toEqual(['ERROR boom', 'ERROR again']);
		const status = seen.find((e) => e.type === 'log.status');
		expect(status).toMatchObject({message: expect.stringMatching(/live tail is not available here \(.+\); polling every 0s/)});
		// The reason names something a user can act on, never the bare class name "Error".
		expect(status?.type === 'log.status' && status.message).not.toContain('(Error)');
	});
});
