/**
 * The environment → AwsSettings for the engine's AWS clients. The SDK reads the standard chain
 * itself (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL, credentials); panka adds three things:
 * - path-style S3 when an endpoint is configured (moto, LocalStack);
 * - PANKA_ALLOWED_AWS_HOSTS, a comma-separated host allow-list the tests and the demo set to
 *   127.0.0.1;
 * - the proxy: with HTTPS_PROXY, HTTP_PROXY or ALL_PROXY set (either case), every AWS request goes
 *   through proxy-agent's ProxyAgent, which picks the proxy per request from those variables and
 *   NO_PROXY (so `NO_PROXY=.internal,169.254.169.254` works as for curl). The SDK for Node has no
 *   proxy support of its own. proxy-agent reads the variables from process.env: panka's context
 *   environment is process.env outside tests, and the tests run panka as a process.
 */
import type {AwsSettings} from '../engine/backends.js';

const proxyVariables = ['HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY'];

/** True when the environment names a proxy for AWS requests. */
export function proxyConfigured(env: Readonly<Record<string, string | undefined>>): boolean {
	return proxyVariables.some((name) => Boolean(env[name] || env[name.toLowerCase()]));
}

export async function awsSettingsFromEnv(env: Readonly<Record<string, string | undefined>>, region?: string): Promise<AwsSettings> {
	const allowed = env.PANKA_ALLOWED_AWS_HOSTS?.split(',')
		.map((h) => h.trim())
		.filter(Boolean);
	const endpointConfigured = Boolean(env.AWS_ENDPOINT_URL || env.AWS_ENDPOINT_URL_S3);
	const resolvedRegion = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? region;
	const agent = proxyConfigured(env) ? new (await import('proxy-agent')).ProxyAgent() : undefined;
	return {
		...(resolvedRegion ? {region: resolvedRegion} : {}),
		...(allowed?.length ? {allowedHosts: allowed} : {}),
		...(endpointConfigured ? {forcePathStyle: true} : {}),
		...(agent ? {agent} : {}),
	};
}
