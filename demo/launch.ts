/**
 * `npm run demo`: the workbench on the demo stack (demo/notification-platform) with the demo
 * tenant (demo/tenant.yaml), exactly as a user would open it with
 *
 *   panka demo/notification-platform --tenant-config demo/tenant.yaml
 *
 * Without an interactive terminal (CI, pipes) the same command prints the stack summary instead.
 */
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {main} from '../source/main.js';
import {processContext} from '../source/context.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const context = {...processContext(), cwd: repo};
process.exitCode = await main([path.join('demo', 'notification-platform'), '--tenant-config', path.join('demo', 'tenant.yaml'), ...process.argv.slice(2)], context);
