import {describe, expect, it} from 'vitest';
import {
	fargateCpuUnits,
	fargateSizeProblem,
	fargateSizes,
	formatVcpu,
	normaliseFargateSize,
	parseFargateCpu,
	parseMemoryMiB,
	validFargateMemory,
} from '../../../engine/kinds/fargate-size.js';

describe('the Fargate size table', () => {
	it('lists the seven CPU sizes in units', () => {
		expect(fargateCpuUnits).toEqual([256, 512, 1024, 2048, 4096, 8192, 16384]);
	});

	it('holds the AWS memory choices for each CPU size', () => {
		expect(fargateSizes.get(256)).toEqual([512, 1024, 2048]);
		expect(fargateSizes.get(512)).toEqual([1024, 2048, 3072, 4096]);
		expect(fargateSizes.get(1024)).toEqual([2048, 3072, 4096, 5120, 6144, 7168, 8192]);
		expect(fargateSizes.get(2048)?.at(0)).toBe(4096);
		expect(fargateSizes.get(2048)?.at(-1)).toBe(16384);
		expect(fargateSizes.get(2048)).toHaveLength(13);
		expect(fargateSizes.get(4096)?.at(-1)).toBe(30720);
		expect(fargateSizes.get(8192)).toEqual([16384, 20480, 24576, 28672, 32768, 36864, 40960, 45056, 49152, 53248, 57344, 61440]);
		expect(fargateSizes.get(16384)?.at(0)).toBe(32768);
		expect(fargateSizes.get(16384)?.at(-1)).toBe(122880);
		expect(fargateSizes.get(16384)?.[1]).toBe(40960);
	});

	it('formats CPU units as vCPU', () => {
		expect(formatVcpu(256)).toBe('0.25 vCPU');
		expect(formatVcpu(1024)).toBe('1 vCPU');
	});
});

describe('parseFargateCpu', () => {
	it.each([
		[256, 256],
		['256', 256],
		['256m', 256],
		['512m', 512],
		['1024m', 1024],
		['250m', 256],
		['500m', 512],
		['1000m', 1024],
		['2000m', 2048],
		[0.25, 256],
		['0.5', 512],
		['1', 1024],
		[2, 2048],
		['16', 16384],
		['1vCPU', 1024],
		['0.25 vCPU', 256],
		['4 vcpus', 4096],
		[' 512 ', 512],
		[16384, 16384],
	] as const)('reads %j as %i CPU units', (input, units) => {
		expect(parseFargateCpu(input)).toEqual({ok: true, value: units});
	});

	it('rejects a number that is neither a unit size nor a vCPU size, listing the sizes', () => {
		expect(parseFargateCpu(300)).toEqual({
			ok: false,
			error:
				'cpu 300 is not a Fargate CPU size; valid: 256 (0.25 vCPU), 512 (0.5 vCPU), 1024 (1 vCPU), 2048 (2 vCPU), 4096 (4 vCPU), 8192 (8 vCPU), 16384 (16 vCPU)',
		});
	});

	it('names the vCPU reading of millicores and vCPU counts that Fargate does not offer', () => {
		const millicores = parseFargateCpu('100m');
		expect(millicores.ok).toBe(false);
		if (!millicores.ok) expect(millicores.error).toMatch(/^cpu "100m" \(0\.1 vCPU\) is not a Fargate CPU size; valid: 256 \(0\.25 vCPU\)/);
		const three = parseFargateCpu('3');
		if (!three.ok) expect(three.error).toMatch(/^cpu "3" \(3 vCPU\) is not a Fargate CPU size/);
		else expect.unreachable('3 vCPU is not a Fargate size');
	});

	it('explains the accepted spellings for text that is not a CPU size', () => {
		const result = parseFargateCpu('a lot');
		expect(result).toEqual({
			ok: false,
			error: 'cpu "a lot" is not a CPU size; write CPU units (256), vCPU ("0.5", "1vCPU") or millicores ("500m")',
		});
	});
});

describe('parseMemoryMiB', () => {
	it.each([
		[512, 512],
		['512', 512],
		['512Mi', 512],
		['512MiB', 512],
		['512M', 512],
		['512MB', 512],
		['1GB', 1024],
		['1Gi', 1024],
		['1GiB', 1024],
		['2G', 2048],
		['1.5Gi', 1536],
		['0.5GB', 512],
		['8 gb', 8192],
	] as const)('reads %j as %i MiB', (input, mib) => {
		expect(parseMemoryMiB(input)).toEqual({ok: true, value: mib});
	});

	it('rejects unknown units and fractions of a MiB', () => {
		expect(parseMemoryMiB('512Ki')).toEqual({
			ok: false,
			error: 'memory "512Ki" is not a size; write MiB (512, "512Mi", "512MiB") or GiB ("1Gi", "1GB", "2G")',
		});
		expect(parseMemoryMiB('0.3GB')).toEqual({ok: false, error: 'memory "0.3GB" is not a positive whole number of MiB'});
		expect(parseMemoryMiB(0)).toEqual({ok: false, error: 'memory 0 is not a positive whole number of MiB'});
	});
});

describe('fargateSizeProblem', () => {
	it('accepts every pair of the table', () => {
		for (const [cpu, memories] of fargateSizes) for (const memory of memories) expect(fargateSizeProblem(cpu, memory)).toBeUndefined();
	});

	it('lists the valid memory sizes for the CPU when the pair is impossible', () => {
		expect(fargateSizeProblem(256, 256)).toBe('memory 256 MiB is not valid with cpu 256 (0.25 vCPU); valid: 512, 1024, 2048 MiB');
		expect(fargateSizeProblem(512, 512)).toBe('memory 512 MiB is not valid with cpu 512 (0.5 vCPU); valid: 1024, 2048, 3072, 4096 MiB');
		expect(fargateSizeProblem(8192, 20000)).toContain('valid: 16384, 20480, 24576');
	});

	it('rejects a CPU that is not a Fargate size', () => {
		expect(fargateSizeProblem(300, 512)).toMatch(/^cpu 300 is not a Fargate CPU size/);
		expect(validFargateMemory(300)).toEqual([]);
	});
});

describe('normaliseFargateSize', () => {
	it('turns any spellings into CPU units and MiB', () => {
		expect(normaliseFargateSize('256m', '512Mi')).toEqual({ok: true, value: {cpu: 256, memory: 512}});
		expect(normaliseFargateSize('0.5', '1GB')).toEqual({ok: true, value: {cpu: 512, memory: 1024}});
		expect(normaliseFargateSize('1vCPU', '2Gi')).toEqual({ok: true, value: {cpu: 1024, memory: 2048}});
	});

	it('picks the smallest memory for the CPU when memory is not given', () => {
		expect(normaliseFargateSize('2 vCPU')).toEqual({ok: true, value: {cpu: 2048, memory: 4096}});
	});

	it('reports the first problem: cpu, then memory, then the pair', () => {
		expect(normaliseFargateSize('3', 512)).toMatchObject({ok: false});
		expect(normaliseFargateSize(256, 'big')).toMatchObject({ok: false, error: expect.stringMatching(/^memory "big"/)});
		expect(normaliseFargateSize(1024, '1GB')).toEqual({
			ok: false,
			error: 'memory 1024 MiB is not valid with cpu 1024 (1 vCPU); valid: 2048, 3072, 4096, 5120, 6144, 7168, 8192 MiB',
		});
	});
});
