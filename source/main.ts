export async function main(argv: string[]): Promise<number> {
	process.stderr.write(`not yet: ${argv.join(' ')}\n`);
	return 2;
}
