// Preloaded into the panka binary (node --import) by tests that bound its memory: when the process
// exits, its peak resident memory in KiB goes to the file named by PANKA_TEST_PEAK_MEMORY_FILE.
import {writeFileSync} from 'node:fs';

const file = process.env.PANKA_TEST_PEAK_MEMORY_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
