import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.{ts,tsx}'],
		environment: 'node',
		testTimeout: 20_000,
		hookTimeout: 60_000,
		// The AWS SDK's notice that its 2027 releases need Node 22 (panka documents its Node support).
		env: {AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true'},
	},
});
