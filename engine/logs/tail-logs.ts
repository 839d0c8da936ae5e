/**
 * tailLogs: the CloudWatch log groups of several components as one stream of lines, interleaved
 * by timestamp (`panka logs`, the workbench's logs pane).
 *
 * Invariants:
 * - Every event is delivered once: events are de-duplicated by event id across polls, pages and
 *   reconnects.
 * - Per group a cursor (the newest timestamp delivered, plus the ids seen at the end of the window)
 *   survives failed requests: a poll that fails is retried from the same cursor with backoff, and
 *   reported as a `log.status`, never as lost or repeated lines.
 * - Each poll re-reads a short look-back window before the cursor, so an event CloudWatch ingests
 *   late (with an older timestamp) is still delivered; within one poll, lines of all groups come
 *   out sorted by timestamp.
 * - FilterLogEvents is paged to the end (nextToken) before anything is yielded.
 * - With `follow`, StartLiveTail is tried first where the endpoint supports it; any failure to
 *   start it (emulators such as moto do not implement it) falls back to polling, said once.
 * - Stops promptly when `signal` aborts; the engine never prints: it yields values.
 * - Requests go through engine/aws/call.ts; a failure keeps the SDK's own words, which the
 *   `log.status` lines quote.
 */
import {CloudWatchLogsClient, FilterLogEventsCommand, type FilteredLogEvent, StartLiveTailCommand} from '@aws-sdk/client-cloudwatch-logs';
import type {AwsClients} from '../aws/aws-clients.js';
import {awsCall, type CallScope, keepSdkError} from '../aws/call.js';
import {backoffDelay} from '../retry.js';

export interface LogSource {
	component: string;
	address: string;
	logGroup: string;
	/** The group's ARN, for StartLiveTail (which takes ARNs); polling uses the name. */
	logGroupArn?: string;
}

export type LogEvent =
	| {type: 'log.line'; component: string; address: string; timestamp: number; message: string; eventId: string; logStream?: string}
	| {type: 'log.status'; message: string; level: 'info' | 'warning'};

export interface TailOptions {
	clients: AwsClients;
	/** Epoch ms of the oldest line wanted. */
	since: number;
	follow: boolean;
	/** Only lines containing this text (case-sensitive). */
	filter?: string;
	signal?: AbortSignal;
	pollMs?: number;
	/** Re-read this much before each cursor (late ingestion). */
	lookBackMs?: number;
	now?: () => number;
	sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
	/** Try StartLiveTail before polling (default: true when following). */
	liveTail?: boolean;
	/** FilterLogEvents page size (default: the service's). */
	pageSize?: number;
	/** Upper bound on remembered event ids per group (older ones are outside the look-back window anyway). */
	maxRememberedIds?: number;
}

interface Cursor {
	startTime: number;
	seen: Map<string, number>;
	failures: number;
}

export async function* tailLogs(sources: readonly LogSource[], options: TailOptions): AsyncGenerator<LogEvent> {
	if (sources.length === 0) return;
	const sleep = options.sleep ?? abortableSleep;
	const pollMs = options.pollMs ?? 1_000;
	const lookBackMs = options.lookBackMs ?? 5_000;
	const cursors = new Map(
		sources.map((s) => [s.logGroup, {startTime: options.since, seen: new Map<string, number>(), failures: 0} satisfies Cursor]),
	);
	const logs = options.clients.get(CloudWatchLogsClient);
	const scope: CallScope = {signal: options.signal ?? new AbortController().signal};

	if (options.follow && options.liveTail !== false) {
		const live = yield* liveTail(logs, scope, sources, options);
		if (live === 'ended') return;
	}

	for (;;) {
		if (options.signal?.aborted) return;
		const batch: Extract<LogEvent, {type: 'log.line'}>[] = [];
		for (const source of sources) {
			const cursor = cursors.get(source.logGroup)!;
			try {
				const events = await readWindow(
					logs,
					scope,
					source.logGroup,
					Math.max(options.since, cursor.startTime - lookBackMs),
					options.pageSize,
				);
				cursor.failures = 0;
				for (const event of events) {
					const id = event.eventId ?? `${event.logStreamName}:${event.timestamp}:${event.message}`;
					if (cursor.seen.has(id)) continue;
					cursor.seen.set(id, event.timestamp ?? 0);
					const message = (event.message ?? '').replace(/\n$/, '');
					if (options.filter && !message.includes(options.filter)) continue;
					batch.push({
						type: 'log.line',
						component: source.component,
						address: source.address,
						timestamp: event.timestamp ?? 0,
						message,
						eventId: id,
						...(event.logStreamName ? {logStream: event.logStreamName} : {}),
					});
				}
				const newest = Math.max(cursor.startTime, ...events.map((e) => e.timestamp ?? 0));
				cursor.startTime = newest;
				forgetOld(cursor, newest - lookBackMs, options.maxRememberedIds ?? 50_000);
			} catch (error) {
				if (options.signal?.aborted) return;
				cursor.failures++;
				yield {
					type: 'log.status',
					level: 'warning',
					message: `${source.logGroup}: ${(error as Error).message}; retrying from the same position`,
				};
			}
		}
		batch.sort((a, b) => a.timestamp - b.timestamp || (a.eventId < b.eventId ? -1 : 1));
		yield* batch;
		if (!options.follow) return;
		const failures = Math.max(0, ...[...cursors.values()].map((c) => c.failures));
		await sleep(backoffDelay({firstMs: pollMs, maxMs: 30_000}, failures), options.signal);
	}
}

/** Every event of one group from `startTime`, all pages. */
async function readWindow(
	logs: CloudWatchLogsClient,
	scope: CallScope,
	logGroupName: string,
	startTime: number,
	pageSize: number | undefined,
): Promise<FilteredLogEvent[]> {
	const events: FilteredLogEvent[] = [];
	let nextToken: string | undefined;
	do {
		const token = nextToken;
		const page = await awsCall(
			scope,
			`CloudWatch Logs FilterLogEvents ${logGroupName}`,
			(options) =>
				logs.send(
					new FilterLogEventsCommand({
						logGroupName,
						startTime,
						...(pageSize ? {limit: pageSize} : {}),
						...(token ? {nextToken: token} : {}),
					}),
					options,
				),
			{failure: keepSdkError},
		);
		events.push(...(page.events ?? []));
		nextToken = page.nextToken;
	} while (nextToken && !scope.signal.aborted);
	return events;
}

function forgetOld(cursor: Cursor, before: number, max: number): void {
	for (const [id, timestamp] of cursor.seen) if (timestamp < before) cursor.seen.delete(id);
	while (cursor.seen.size > max) cursor.seen.delete(cursor.seen.keys().next().value!);
}

/**
 * StartLiveTail: stream until aborted ('ended'), or 'unavailable' when it cannot start or breaks
 * (then the caller polls from the cursors it has).
 */
async function* liveTail(
	logs: CloudWatchLogsClient,
	scope: CallScope,
	sources: readonly LogSource[],
	options: TailOptions,
): AsyncGenerator<LogEvent, 'ended' | 'unavailable'> {
	const byGroup = new Map(sources.map((s) => [s.logGroup, s]));
	let stream: AsyncIterable<Record<string, unknown>> | undefined;
	try {
		const response = await awsCall(
			scope,
			'CloudWatch Logs StartLiveTail',
			(sendOptions) =>
				logs.send(
					new StartLiveTailCommand({
						logGroupIdentifiers: sources.map((s) => s.logGroupArn ?? s.logGroup),
						...(options.filter ? {logEventFilterPattern: `"${options.filter}"`} : {}),
					}),
					sendOptions,
				),
			{failure: keepSdkError},
		);
		stream = response.responseStream as AsyncIterable<Record<string, unknown>> | undefined;
	} catch (error) {
		if (options.signal?.aborted) return 'ended';
		yield {
			type: 'log.status',
			level: 'info',
			message: `live tail is not available here (${liveTailRefusal(error)}); polling every ${Math.round((options.pollMs ?? 1_000) / 1000)}s`,
		};
		return 'unavailable';
	}
	try {
		for await (const message of stream ?? []) {
			const update = message.sessionUpdate as
				| {
						sessionResults?: Array<{
							logGroupIdentifier?: string;
							logStreamName?: string;
							timestamp?: number;
							message?: string;
							ingestionTime?: number;
						}>;
				  }
				| undefined;
			for (const result of update?.sessionResults ?? []) {
				const group = result.logGroupIdentifier?.replace(/^arn:[^:]*:logs:[^:]*:[^:]*:log-group:/, '') ?? '';
				const source = byGroup.get(group) ?? sources[0]!;
				yield {
					type: 'log.line',
					component: source.component,
					address: source.address,
					timestamp: result.timestamp ?? 0,
					message: (result.message ?? '').replace(/\n$/, ''),
					eventId: `${result.logStreamName}:${result.timestamp}:${result.ingestionTime}`,
					...(result.logStreamName ? {logStream: result.logStreamName} : {}),
				};
			}
		}
	} catch (error) {
		if (!options.signal?.aborted)
			yield {type: 'log.status', level: 'warning', message: `live tail stopped: ${(error as Error).message}; polling instead`};
		else return 'ended';
		return 'unavailable';
	}
	return 'ended';
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve) => {
		if (signal?.aborted) return resolve();
		const timer = setTimeout(resolve, ms);
		signal?.addEventListener(
			'abort',
			() => {
				clearTimeout(timer);
				resolve();
			},
			{once: true},
		);
	});
}

/** Why StartLiveTail was refused, in a few words: the service's error code, else the first clause of its message, else the HTTP status. */
function liveTailRefusal(error: unknown): string {
	const {name, message, $metadata} = error as {name?: string; message?: string; $metadata?: {httpStatusCode?: number}};
	if (name && name !== 'Error') return name;
	const clause = message?.split(/[:\n]/)[0]?.trim();
	if (clause) return clause.length > 80 ? `${clause.slice(0, 79)}…` : clause;
	return $metadata?.httpStatusCode ? `HTTP ${$metadata.httpStatusCode}` : 'the endpoint does not support it';
}
