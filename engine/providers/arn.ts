/** ARN parts providers build themselves (S3 bucket ARNs, SNS topic ARNs before the topic exists). */

/** The AWS partition of a region: `aws`, `aws-cn` or `aws-us-gov`. */
export function partitionOf(region: string): string {
	if (region.startsWith('cn-')) return 'aws-cn';
	if (region.startsWith('us-gov-')) return 'aws-us-gov';
	return 'aws';
}

export interface ParsedArn {
	partition: string;
	service: string;
	region: string;
	accountId: string;
	resource: string;
}

/** `arn:partition:service:region:account:resource`, or undefined when `text` is not an ARN. */
export function parseArn(text: string): ParsedArn | undefined {
	const parts = text.split(':');
	if (parts.length < 6 || parts[0] !== 'arn') return undefined;
	const [, partition = '', service = '', region = '', accountId = ''] = parts;
	return {partition, service, region, accountId, resource: parts.slice(5).join(':')};
}
