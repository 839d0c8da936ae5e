/**
 * zod as panka uses it. Every engine module takes `z` from here, never from 'zod' itself
 * (`npm run layers` checks it), so this setting comes before any schema is built:
 * - jitless: zod does not compile a fast path for each object schema with `new Function` on its
 *   first parse. For panka's schemas that compiling costs more than it saves: validate on the demo
 *   starts faster and validating 5,000 components is faster too (measured with `npm run bench`).
 */
import {z} from 'zod';

z.config({jitless: true});

export {z};
