/**
 * Tags of the instance and its parts: read, checked against the ownership rule (`requireOwned`)
 * before anything is adopted, changed or deleted, and made exactly the context's.
 */
import {AddTagsToResourceCommand, ListTagsForResourceCommand, RemoveTagsFromResourceCommand} from '@aws-sdk/client-rds';
import {awsCall} from '../../aws/call.js';
import type {ResourceContext} from '../../providers/provider.js';
import {fromTagList, type OwnershipAction, requireOwned, tagChanges, toTagList} from '../../providers/resource-tags.js';
import {rds} from './shared.js';

/** The tags of the instance or a part, `what` naming it in an error. */
export async function rdsTagsOf(
	context: Pick<ResourceContext, 'clients' | 'signal'>,
	arn: string,
	what: string,
): Promise<Record<string, string>> {
	const {TagList} = await awsCall(context, `RDS ListTagsForResource ${what}`, (options) =>
		rds(context).send(new ListTagsForResourceCommand({ResourceName: arn}), options),
	);
	return fromTagList(TagList);
}

/** Refuse a part owned by someone else (the ownership rule) before `action`; its tags. */
export async function requireOwnedPart(
	context: ResourceContext,
	arn: string,
	what: string,
	action: OwnershipAction,
	current?: Record<string, string>,
): Promise<Record<string, string>> {
	const tags = current ?? (await rdsTagsOf(context, arn, what));
	requireOwned(tags, context.tags, action, what);
	return tags;
}

/** Refuse a part owned by someone else; make its tags exactly the context's. */
export async function reconcileTags(context: ResourceContext, arn: string, what: string, current?: Record<string, string>): Promise<void> {
	const tags = await requireOwnedPart(context, arn, what, 'adopt', current);
	const changes = tagChanges(tags, context.tags);
	if (changes.remove.length > 0)
		await awsCall(context, `RDS RemoveTagsFromResource ${what}`, (options) =>
			rds(context).send(new RemoveTagsFromResourceCommand({ResourceName: arn, TagKeys: changes.remove}), options),
		);
	if (Object.keys(changes.set).length > 0)
		await awsCall(context, `RDS AddTagsToResource ${what}`, (options) =>
			rds(context).send(new AddTagsToResourceCommand({ResourceName: arn, Tags: toTagList(changes.set)}), options),
		);
}
