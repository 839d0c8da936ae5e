/**
 * SNS topics the sweep after a destroy may find: listed whole (SNS lists no prefix) and kept by
 * the stack's name prefix, deleted with the provider's not-found codes (engine/kinds/leftovers.ts).
 */
import {DeleteTopicCommand, ListTagsForResourceCommand, ListTopicsCommand, SNSClient} from '@aws-sdk/client-sns';
import {awsCall, awsCallUnlessMissing} from '../aws/call.js';
import {fromTagList} from '../providers/resource-tags.js';
import {allPages, candidates, continuing, type LeftoverSweep, lastPart} from './leftovers.js';
import {topicMissing} from '../aws/missing-codes.js';

export const snsLeftovers: LeftoverSweep = async (scope) => {
	const sns = scope.clients.get(SNSClient);
	const name = (arn: string) => lastPart(arn, ':');
	const arns = await allPages(async (token) => {
		const page = await awsCall(scope, 'SNS ListTopics', (o) => sns.send(new ListTopicsCommand(continuing(token, 'NextToken')), o));
		return {
			items: (page.Topics ?? []).map((t) => t.TopicArn ?? '').filter((arn) => name(arn).startsWith(scope.prefix)),
			next: page.NextToken,
		};
	});
	return candidates(
		'holders',
		arns,
		(arn) => `SNS topic ${name(arn)}`,
		async (arn) =>
			fromTagList(
				(
					await awsCall(scope, `SNS ListTagsForResource ${name(arn)}`, (o) =>
						sns.send(new ListTagsForResourceCommand({ResourceArn: arn}), o),
					)
				).Tags,
			),
		(arn) =>
			awsCallUnlessMissing(scope, `SNS DeleteTopic ${name(arn)}`, topicMissing, (o) =>
				sns.send(new DeleteTopicCommand({TopicArn: arn}), o),
			),
	);
};
