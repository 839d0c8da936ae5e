/**
 * The sweep after a destroy decides ownership itself, for every kind's candidates: only what
 * carries the stack's identity tags is a leftover, and a leftover is deleted only when its tags,
 * read again, still say so. Deleting an SQS queue that is already gone succeeds whichever
 * not-found code SQS answers with (NonExistentQueue included). Against a fake AWS that answers
 * every listing with nothing but SQS's.
 */
import {DeleteQueueCommand, ListQueuesCommand, ListQueueTagsCommand} from '@aws-sdk/client-sqs';
import {describe, expect, it} from 'vitest';
import {findLeftovers, stackIdentityTags} from '../../../engine/apply/stack-sweep.js';
import type {AwsClients} from '../../../engine/aws/aws-clients.js';
import type {StateKey} from '../../../engine/state/state-document.js';

const key: StateKey = {tenant: 'acme', stack: 'shop', environment: 'prod'};
const prefix = 'acme-shop-prod-';
const url = (name: string) => `http://127.0.0.1/123456789012/${name}`;

/** An AWS whose only resources are SQS queues (by name, with tags); `deleteAnswers` is what DeleteQueue throws, if anything. */
function fakeAws(queues: Record<string, Record<string, string>>, deleteAnswers?: Error) {
	const deleted: string[] = [];
	const client = {
		async send(command: object) {
			if (command instanceof ListQueuesCommand)
				return {
					QueueUrls: Object.keys(queues)
						.filter((name) => name.startsWith(command.input.QueueNamePrefix ?? ''))
						.map(url),
				};
			if (command instanceof ListQueueTagsCommand) return {Tags: queues[command.input.QueueUrl!.split('/').pop()!]};
			if (command instanceof DeleteQueueCommand) {
				if (deleteAnswers) throw deleteAnswers;
				deleted.push(command.input.QueueUrl!.split('/').pop()!);
				return {};
			}
			// Every other service lists nothing.
			return {};
		},
	};
	return {clients: {get: () => client, s3: () => client} as unknown as AwsClients, deleted, queues};
}

const ours = {...stackIdentityTags(key), 'panka:service': 'data', 'panka:component': 'orders'};
const anotherStack = {...ours, 'panka:stack': 'shopx'};

describe('the sweep after a destroy', () => {
	it('names only what carries the stack identity tags, with the component its tags name', async () => {
		const aws = fakeAws({[`${prefix}orders`]: ours, [`${prefix}stranger`]: anotherStack, [`${prefix}untagged`]: {}});
		const leftovers = await findLeftovers(aws.clients, key);
		expect(leftovers.map(({what, component}) => ({what, component}))).toEqual([
			{what: `SQS queue ${prefix}orders`, component: 'data/orders'},
		]);
	});

	it('deletes a leftover only when its tags, read again, still say it is the stack’s', async () => {
		const aws = fakeAws({[`${prefix}orders`]: ours});
		const [queue] = await findLeftovers(aws.clients, key);
		aws.queues[`${prefix}orders`] = anotherStack;
		await expect(queue!.remove()).rejects.toMatchObject({code: 'OwnedElsewhere'});
		expect(aws.deleted).toEqual([]);
		aws.queues[`${prefix}orders`] = ours;
		await queue!.remove();
		expect(aws.deleted).toEqual([`${prefix}orders`]);
	});

	it.each(['NonExistentQueue', 'AWS.SimpleQueueService.NonExistentQueue', 'QueueDoesNotExist'])(
		'takes an SQS queue that answers %s to DeleteQueue as already gone',
		async (code) => {
			const aws = fakeAws({[`${prefix}orders`]: ours}, Object.assign(new Error('The specified queue does not exist.'), {name: code}));
			const [queue] = await findLeftovers(aws.clients, key);
			await expect(queue!.remove()).resolves.toBeUndefined();
		},
	);

	it('reports any other refusal of DeleteQueue, named after the call', async () => {
		const aws = fakeAws({[`${prefix}orders`]: ours}, Object.assign(new Error('no'), {name: 'AccessDenied'}));
		const [queue] = await findLeftovers(aws.clients, key);
		await expect(queue!.remove()).rejects.toThrow(`SQS DeleteQueue ${prefix}orders`);
	});
});
