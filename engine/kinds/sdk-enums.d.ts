// The AWS SDK's enums module, imported on its own so the kinds need not load a whole client
// bundle to validate (see lambda-runtimes.ts). Its types are the client's own.
declare module '@aws-sdk/client-lambda/dist-es/models/enums.js' {
	export {Runtime} from '@aws-sdk/client-lambda';
}
