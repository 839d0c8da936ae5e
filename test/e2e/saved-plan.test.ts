/**
 * A saved plan carries what it was planned with: `panka plan --out plan.json --var LABEL=blue`,
 * then `panka apply plan.json` applies it exactly, with no flag repeated (checked in AWS); a --var
 * given to the apply of a saved plan is refused, naming what to do instead.
 */
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {GetTopicAttributesCommand, SNSClient} from '@aws-sdk/client-sns';
import {expect, it} from 'vitest';
import {convergenceWorld} from '../helpers/convergence.js';
import {describeAws, useMoto} from '../helpers/moto.js';

const announcements = 'apiVersion: components.panka.io/v1\nkind: SNS\nmetadata:\n  name: announcements\nspec:\n  displayName: "${LABEL}"\n';

describeAws('a saved plan', () => {
	const moto = useMoto();

	it('applies with the variables it was planned with, and refuses --var on apply', async () => {
		const cw = convergenceWorld(moto, 'local');
		cw.writeStack({queues: 0});
		writeFileSync(path.join(cw.dir, 'services', 'data', 'announcements.yaml'), announcements);
		const file = path.join(cw.world.root, 'plan.json');
		const planned = await cw.run(['plan', cw.dir, '--out', file, '--var', 'LABEL=blue', '--no-tui']);
		expect(planned.code, planned.stderr).toBe(0);

		const refused = await cw.run(['apply', file, '--var', 'LABEL=red', '--no-tui']);
		expect(refused.code).toBe(2);
		expect(refused.stderr).toMatch(/--var cannot change a saved plan: it carries the variables it was planned with/);

		const applied = await cw.run(['apply', file, '--no-tui']);
		expect(applied.claimedSuccess, `${applied.stdout}\n${applied.stderr}`).toBe(true);
		const topicArn = (await cw.audit()).state!.resources['data/announcements']!.physicalId;
		const {Attributes} = await moto
			.clients()
			.get(SNSClient)
			.send(new GetTopicAttributesCommand({TopicArn: topicArn}));
		expect(Attributes?.DisplayName).toBe('blue');
	}, 60_000);
});
