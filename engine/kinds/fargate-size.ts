/**
 * Fargate task sizes: CPU units and memory MiB, parsed from the spellings users write, checked
 * against the Fargate size table.
 *
 * Invariants:
 * - CPU is normalised to CPU units (1 vCPU = 1024 units) and memory to MiB; both are integers.
 * - A bare number is CPU units when it is a Fargate unit value (256, 512, …) and vCPU when it is
 *   at most 16 (`0.5`, `"2"`), so the two readings never overlap.
 * - `"Xm"` is X units when X is a Fargate unit value (`"256m"`, the seed's spelling, is 256 units)
 *   and otherwise Kubernetes millicores, X/1000 vCPU (`"500m"` → 512 units).
 * - Memory `G`, `GB`, `Gi`, `GiB` all mean 1024 MiB and `M`, `MB`, `Mi`, `MiB` mean 1 MiB, as in
 *   ECS task definitions ("1GB" is 1024).
 * - Errors name the value as written and list the valid choices.
 * - Pure: no I/O, no clock.
 */
import {z} from '../zod.js';

export type Parsed<Value> = {ok: true; value: Value} | {ok: false; error: string};

function range(from: number, to: number, step: number): number[] {
	const values: number[] = [];
	for (let value = from; value <= to; value += step) values.push(value);
	return values;
}

/** Valid memory sizes (MiB) for each Fargate CPU size (units). */
export const fargateSizes: ReadonlyMap<number, readonly number[]> = new Map([
	[256, [512, 1024, 2048]],
	[512, range(1024, 4096, 1024)],
	[1024, range(2048, 8192, 1024)],
	[2048, range(4096, 16384, 1024)],
	[4096, range(8192, 30720, 1024)],
	[8192, range(16384, 61440, 4096)],
	[16384, range(32768, 122880, 8192)],
]);

export const fargateCpuUnits: readonly number[] = [...fargateSizes.keys()];

const maxVcpu = Math.max(...fargateCpuUnits) / 1024;

/** `0.25 vCPU` for 256 units. */
export function formatVcpu(units: number): string {
	return `${units / 1024} vCPU`;
}

function shown(input: number | string): string {
	return typeof input === 'string' ? `"${input}"` : String(input);
}

const validCpuList = fargateCpuUnits.map((units) => `${units} (${formatVcpu(units)})`).join(', ');

function notACpuSize(input: number | string, vcpu?: number): Parsed<number> {
	const reading = vcpu === undefined ? '' : ` (${vcpu} vCPU)`;
	return {ok: false, error: `cpu ${shown(input)}${reading} is not a Fargate CPU size; valid: ${validCpuList}`};
}

/** The units of `vcpu` when they are a Fargate CPU size. */
function fromVcpu(input: number | string, vcpu: number): Parsed<number> {
	const units = vcpu * 1024;
	return fargateSizes.has(units) ? {ok: true, value: units} : notACpuSize(input, vcpu);
}

const plainNumber = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*$/;
const millicores = /^\s*(\d+)\s*m\s*$/i;
const vcpuText = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*vcpus?\s*$/i;

/** CPU units from `256`, `"256"`, `"256m"`, `"500m"`, `0.5`, `"0.5"`, `"1vCPU"`, `"2 vcpu"`. */
export function parseFargateCpu(input: number | string): Parsed<number> {
	const text = typeof input === 'string' ? input : String(input);
	const plain = typeof input === 'number' ? input : Number(plainNumber.exec(text)?.[1] ?? Number.NaN);
	if (!Number.isNaN(plain)) {
		if (fargateSizes.has(plain)) return {ok: true, value: plain};
		return plain > 0 && plain <= maxVcpu ? fromVcpu(input, plain) : notACpuSize(input);
	}
	const milli = millicores.exec(text)?.[1];
	if (milli !== undefined) {
		const amount = Number(milli);
		return fargateSizes.has(amount) ? {ok: true, value: amount} : fromVcpu(input, amount / 1000);
	}
	const vcpu = vcpuText.exec(text)?.[1];
	if (vcpu !== undefined) return fromVcpu(input, Number(vcpu));
	return {
		ok: false,
		error: `cpu ${shown(input)} is not a CPU size; write CPU units (256), vCPU ("0.5", "1vCPU") or millicores ("500m")`,
	};
}

const memoryText = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(mi|mib|m|mb|gi|gib|g|gb)?\s*$/i;

/** Memory in MiB from `512`, `"512"`, `"512Mi"`, `"512MiB"`, `"512MB"`, `"1GB"`, `"1Gi"`, `"2G"`, `"1.5Gi"`. */
export function parseMemoryMiB(input: number | string): Parsed<number> {
	let mib: number;
	if (typeof input === 'number') mib = input;
	else {
		const match = memoryText.exec(input);
		if (!match)
			return {
				ok: false,
				error: `memory ${shown(input)} is not a size; write MiB (512, "512Mi", "512MiB") or GiB ("1Gi", "1GB", "2G")`,
			};
		const gib = (match[2] ?? '').toLowerCase().startsWith('g');
		mib = Number(match[1]) * (gib ? 1024 : 1);
	}
	if (!Number.isInteger(mib) || mib <= 0) return {ok: false, error: `memory ${shown(input)} is not a positive whole number of MiB`};
	return {ok: true, value: mib};
}

/** Valid memory sizes for a CPU size; empty when `cpu` is not a Fargate CPU size. */
export function validFargateMemory(cpu: number): readonly number[] {
	return fargateSizes.get(cpu) ?? [];
}

/** Why (cpu units, memory MiB) is not a Fargate size, or undefined when it is. */
export function fargateSizeProblem(cpu: number, memoryMiB: number): string | undefined {
	const valid = fargateSizes.get(cpu);
	if (!valid) return `cpu ${cpu} is not a Fargate CPU size; valid: ${validCpuList}`;
	if (valid.includes(memoryMiB)) return undefined;
	return `memory ${memoryMiB} MiB is not valid with cpu ${cpu} (${formatVcpu(cpu)}); valid: ${valid.join(', ')} MiB`;
}

export interface FargateSize {
	/** CPU units: 256 = 0.25 vCPU. */
	cpu: number;
	/** Memory in MiB. */
	memory: number;
}

/** A valid Fargate size from any accepted spellings; memory defaults to the smallest for the CPU. */
export function normaliseFargateSize(cpu: number | string, memory?: number | string): Parsed<FargateSize> {
	const units = parseFargateCpu(cpu);
	if (!units.ok) return units;
	if (memory === undefined) return {ok: true, value: {cpu: units.value, memory: validFargateMemory(units.value)[0]!}};
	const mib = parseMemoryMiB(memory);
	if (!mib.ok) return mib;
	const problem = fargateSizeProblem(units.value, mib.value);
	return problem ? {ok: false, error: problem} : {ok: true, value: {cpu: units.value, memory: mib.value}};
}

function sizeField(what: string, examples: string, parse: (input: number | string) => Parsed<number>) {
	return z.union([z.number(), z.string()], {error: `${what} must be a number or a string such as ${examples}`}).transform((input, ctx) => {
		const parsed = parse(input);
		if (parsed.ok) return parsed.value;
		ctx.addIssue({code: 'custom', message: parsed.error, input});
		return z.NEVER;
	});
}

/** A CPU field whose output is Fargate CPU units. */
export const fargateCpuField = () => sizeField('cpu', '"0.5 vCPU" or "512m"', parseFargateCpu);

/** A memory field whose output is MiB. */
export const memoryMiBField = () => sizeField('memory', '"512Mi" or "1GB"', parseMemoryMiB);
