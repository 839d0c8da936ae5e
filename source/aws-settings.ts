/**
 * The environment → AwsSettings for the engine's AWS clients. The SDK reads the standard chain
 * itself (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL, credentials); panka adds two things:
 * path-style S3 when an endpoint is configured (moto, LocalStack), and PANKA_ALLOWED_AWS_HOSTS,
 * a comma-separated host allow-list the tests and the demo set to 127.0.0.1.
 */
import type {AwsSettings} from '../engine/aws/aws-clients.js';

export function awsSettingsFromEnv(env: Readonly<Record<string, string | undefined>>, region?: string): AwsSettings {
	const allowed = env.PANKA_ALLOWED_AWS_HOSTS?.split(',')
		.map((h) => h.trim())
		.filter(Boolean);
	const endpointConfigured = Boolean(env.AWS_ENDPOINT_URL || env.AWS_ENDPOINT_URL_S3);
	const resolvedRegion = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? region;
	return {
		...(resolvedRegion ? {region: resolvedRegion} : {}),
		...(allowed?.length ? {allowedHosts: allowed} : {}),
		...(endpointConfigured ? {forcePathStyle: true} : {}),
	};
}
