/**
 * Lambda runtimes: the AWS SDK's `Runtime` enum, kept here as a list so validating a stack loads
 * no AWS SDK module at all (a test checks that startup). A test checks that the list equals the
 * installed SDK's enum, so an SDK upgrade that knows a new runtime fails it until the runtime is
 * added here; the type-only import makes each entry a runtime the SDK knows.
 *
 * The rest is what the SDK does not carry: the end-of-support ("deprecation") dates AWS publishes
 * in its Lambda runtime table. A runtime past its date still validates (AWS keeps running such
 * functions for a while) but warns with the date and the current runtime of the same language; a
 * runtime without a published date never warns.
 */
import type {Runtime} from '@aws-sdk/client-lambda';

/** Every runtime the SDK knows, sorted. */
export const lambdaRuntimes = [
	'dotnet10',
	'dotnet6',
	'dotnet8',
	'dotnetcore1.0',
	'dotnetcore2.0',
	'dotnetcore2.1',
	'dotnetcore3.1',
	'go1.x',
	'java11',
	'java11.al2023',
	'java17',
	'java17.al2023',
	'java21',
	'java25',
	'java8',
	'java8.al2',
	'java8.al2023',
	'nodejs',
	'nodejs10.x',
	'nodejs12.x',
	'nodejs14.x',
	'nodejs16.x',
	'nodejs18.x',
	'nodejs20.x',
	'nodejs22.x',
	'nodejs24.x',
	'nodejs26.x',
	'nodejs4.3',
	'nodejs4.3-edge',
	'nodejs6.10',
	'nodejs8.10',
	'provided',
	'provided.al2',
	'provided.al2023',
	'python2.7',
	'python3.10',
	'python3.11',
	'python3.12',
	'python3.13',
	'python3.14',
	'python3.15',
	'python3.6',
	'python3.7',
	'python3.8',
	'python3.9',
	'ruby2.5',
	'ruby2.7',
	'ruby3.2',
	'ruby3.3',
	'ruby3.4',
	'ruby4.0',
] as const satisfies readonly [Runtime, ...Runtime[]];

export type LambdaRuntime = (typeof lambdaRuntimes)[number];

/** AWS's published end-of-support dates (YYYY-MM-DD), from the Lambda runtimes page. */
export const runtimeEndOfSupport: Readonly<Partial<Record<LambdaRuntime, string>>> = {
	nodejs: '2016-10-31',
	'nodejs4.3': '2020-03-05',
	'nodejs4.3-edge': '2019-04-30',
	'nodejs6.10': '2019-08-12',
	'nodejs8.10': '2020-03-06',
	'nodejs10.x': '2021-07-30',
	'nodejs12.x': '2023-03-31',
	'nodejs14.x': '2023-12-04',
	'nodejs16.x': '2024-06-12',
	'nodejs18.x': '2025-09-01',
	'nodejs20.x': '2026-04-30',
	'nodejs22.x': '2027-04-30',
	'nodejs24.x': '2028-04-30',
	'python2.7': '2021-07-15',
	'python3.6': '2022-07-18',
	'python3.7': '2023-12-04',
	'python3.8': '2024-10-14',
	'python3.9': '2025-12-15',
	'python3.10': '2026-06-30',
	'python3.11': '2026-06-30',
	'python3.12': '2028-10-31',
	'python3.13': '2029-06-30',
	java8: '2024-01-08',
	'java8.al2': '2026-06-30',
	java11: '2026-06-30',
	java17: '2026-06-30',
	java21: '2029-06-30',
	'dotnetcore1.0': '2019-07-30',
	'dotnetcore2.0': '2019-05-30',
	'dotnetcore2.1': '2022-01-05',
	'dotnetcore3.1': '2023-04-03',
	dotnet6: '2024-12-20',
	dotnet8: '2026-11-10',
	'go1.x': '2024-01-08',
	'ruby2.5': '2021-07-30',
	'ruby2.7': '2023-12-07',
	'ruby3.2': '2026-03-31',
	'ruby3.3': '2026-03-31',
	'ruby3.4': '2028-03-31',
	provided: '2024-01-08',
	'provided.al2': '2026-06-30',
	'provided.al2023': '2029-06-30',
};

/** `nodejs20.x` → `nodejs`, `provided.al2` → `provided`, `java17.al2023` → `java`. */
function family(runtime: string): string {
	return /^[a-z]+/.exec(runtime)?.[0] ?? runtime;
}

/** The same language's runtime with the latest published end of support still ahead of `today`. */
function currentRuntimeLike(runtime: string, today: string): LambdaRuntime | undefined {
	let best: {runtime: LambdaRuntime; end: string} | undefined;
	for (const candidate of lambdaRuntimes) {
		const end = runtimeEndOfSupport[candidate];
		if (end === undefined || end <= today || family(candidate) !== family(runtime)) continue;
		if (!best || end > best.end) best = {runtime: candidate, end};
	}
	return best?.runtime;
}

export interface RuntimeSupport {
	/** The end-of-support date AWS publishes, when it has passed on `today`. */
	endedOn: string;
	/** The newest supported runtime of the same language. */
	replacement?: LambdaRuntime;
}

/** Why `runtime` should be replaced on `today`, or undefined while AWS supports it. */
export function runtimeSupportEnded(runtime: string, today: Date): RuntimeSupport | undefined {
	const day = today.toISOString().slice(0, 10);
	const end = runtimeEndOfSupport[runtime as LambdaRuntime];
	if (end === undefined || end > day) return undefined;
	const replacement = currentRuntimeLike(runtime, day);
	return {endedOn: end, ...(replacement ? {replacement} : {})};
}
