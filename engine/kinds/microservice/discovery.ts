/**
 * Service discovery with AWS Cloud Map: a private DNS namespace in the tenant VPC (created or
 * reused by name) and one Cloud Map service per MicroService (A records, MULTIVALUE routing,
 * custom health status managed by ECS), registered on the ECS service as its service registry.
 * The component is then reachable inside the VPC as `{serviceDiscovery.name}.{namespace}`.
 *
 * Invariants:
 * - The namespace is `serviceDiscovery.namespace`, else `{stack}.{env}.local` (a tenant VPC may
 *   hold several stacks and environments). It is shared by the stack's services: it carries the
 *   stack's identity (not one service's), a same-named private namespace is reused only when its
 *   `panka:tenant` tag is this tenant's (the same name may exist in another tenant's VPC), and it
 *   is deleted only when no Cloud Map service is left in it, by a stack whose tags it carries.
 * - Namespace operations are asynchronous: their OperationId is polled with GetOperation within
 *   `context.wait` until SUCCESS (FAIL is an error naming Cloud Map's message).
 * - A Cloud Map service with another owner's panka tags is never adopted or deleted. Deleting a
 *   service is retried while Cloud Map answers ResourceInUse (AWS keeps instances until ECS has
 *   deregistered the stopped tasks).
 *
 * moto 5.2.1 gaps (the calls work; these checks are made client-side or cannot be tested):
 * ListNamespaces and ListServices ignore their Filters (results are filtered again:
 * aws/emulator-workarounds.ts);
 * CreatePrivateDnsNamespace refuses a second namespace of any name in the same VPC
 * (ConflictingDomainExists; AWS allows different names); DeleteService and DeleteNamespace never
 * answer ResourceInUse; ECS registers no instances (moto runs no tasks), so DNS resolution of the
 * name cannot be exercised.
 */
import {
	CreatePrivateDnsNamespaceCommand,
	CreateServiceCommand,
	DeleteNamespaceCommand,
	DeleteServiceCommand,
	GetNamespaceCommand,
	GetOperationCommand,
	ListTagsForResourceCommand,
	type NamespaceSummary,
	paginateListNamespaces,
	paginateListServices,
	ServiceDiscoveryClient,
	type ServiceSummary,
} from '@aws-sdk/client-servicediscovery';
import {awsCall, awsCallUnlessMissing, hasAwsErrorCode} from '../../aws/call.js';
import {privateNamespacesNamed, servicesInNamespace} from '../../aws/emulator-workarounds.js';
import {ProviderError, type ResourceContext} from '../../providers/provider.js';
import {fromTagList, isOwnedBy, requireOwned, toTagList} from '../../providers/resource-tags.js';
import {pollUntil} from '../../providers/wait.js';
import type {MicroServiceSpec} from '../microservice.js';
import {sharedStackTags} from './ecs-calls.js';

const namespaceRole = 'service-discovery-namespace';
/** Cloud Map's answers for a service, or a namespace, that is not there. */
export const discoveryServiceMissing = ['ServiceNotFound'];
export const namespaceMissing = ['NamespaceNotFound'];

export interface DiscoveryRegistration {
	namespaceId: string;
	namespaceName: string;
	serviceId: string;
	registryArn: string;
	/** `{name}.{namespace}`: the name tasks resolve inside the VPC. */
	dnsName: string;
}

function cloudMap(context: Pick<ResourceContext, 'clients'>): ServiceDiscoveryClient {
	return context.clients.get(ServiceDiscoveryClient);
}

/** The private DNS namespace the spec names, or the stack's default `{stack}.{env}.local`. */
export function discoveryNamespaceName(spec: Pick<MicroServiceSpec, 'serviceDiscovery'>, tags: Readonly<Record<string, string>>): string {
	return spec.serviceDiscovery?.namespace ?? `${tags['panka:stack'] ?? 'stack'}.${tags['panka:env'] ?? 'env'}.local`;
}

/** The tags of a Cloud Map service or namespace (none for no ARN). */
export async function cloudMapTagsOf(
	context: Pick<ResourceContext, 'clients' | 'signal'>,
	arn: string | undefined,
): Promise<Record<string, string>> {
	if (!arn) return {};
	const {Tags} = await awsCall(context, `CloudMap ListTagsForResource ${arn}`, (options) =>
		cloudMap(context).send(new ListTagsForResourceCommand({ResourceARN: arn}), options),
	);
	return fromTagList(Tags);
}

/** This tenant's private DNS namespace of that name. */
async function findNamespace(context: ResourceContext, name: string): Promise<NamespaceSummary | undefined> {
	const candidates: NamespaceSummary[] = [];
	await awsCall(context, `CloudMap ListNamespaces ${name}`, async (options) => {
		const filters = [
			{Name: 'TYPE' as const, Values: ['DNS_PRIVATE'], Condition: 'EQ' as const},
			{Name: 'NAME' as const, Values: [name], Condition: 'EQ' as const},
		];
		for await (const page of paginateListNamespaces({client: cloudMap(context)}, {Filters: filters}, options))
			candidates.push(...privateNamespacesNamed(page.Namespaces ?? [], name));
	});
	for (const candidate of candidates) {
		const tags = await cloudMapTagsOf(context, candidate.Arn);
		if (tags['panka:tenant'] !== undefined && tags['panka:tenant'] === context.tags['panka:tenant']) return candidate;
	}
	return undefined;
}

/** Wait for an asynchronous Cloud Map operation; the ID of the namespace it targeted. */
async function awaitOperation(context: ResourceContext, operationId: string, what: string): Promise<string | undefined> {
	return pollUntil(context, what, async () => {
		const {Operation} = await awsCall(context, `CloudMap GetOperation ${operationId}`, (options) =>
			cloudMap(context).send(new GetOperationCommand({OperationId: operationId}), options),
		);
		if (Operation?.Status === 'FAIL')
			throw new ProviderError(
				`Cloud Map ${what} failed: ${Operation.ErrorCode ?? ''} ${Operation.ErrorMessage ?? ''}`.trim(),
				Operation.ErrorCode ?? 'OperationFailed',
			);
		return Operation?.Status === 'SUCCESS' ? {namespace: Operation.Targets?.NAMESPACE} : undefined;
	}).then((done) => done.namespace);
}

async function ensureNamespace(context: ResourceContext, name: string, vpcId: string): Promise<string> {
	const found = await findNamespace(context, name);
	if (found?.Id) return found.Id;
	context.progress(`creating Cloud Map namespace ${name}`);
	const {OperationId} = await awsCall(context, `CloudMap CreatePrivateDnsNamespace ${name}`, (options) =>
		cloudMap(context).send(
			new CreatePrivateDnsNamespaceCommand({
				Name: name,
				Vpc: vpcId,
				CreatorRequestId: `${context.token}-namespace`,
				Description: `Service discovery of stack ${context.tags['panka:stack'] ?? ''} (panka)`,
				Tags: toTagList(sharedStackTags(context.tags, namespaceRole)),
			}),
			options,
		),
	);
	const namespaceId = OperationId ? await awaitOperation(context, OperationId, `namespace ${name} to be created`) : undefined;
	if (!namespaceId) throw new ProviderError(`CloudMap CreatePrivateDnsNamespace ${name}: no namespace ID in the operation`);
	return namespaceId;
}

async function servicesIn(context: ResourceContext, namespaceId: string): Promise<ServiceSummary[]> {
	const services: ServiceSummary[] = [];
	await awsCall(context, `CloudMap ListServices ${namespaceId}`, async (options) => {
		for await (const page of paginateListServices(
			{client: cloudMap(context)},
			{Filters: [{Name: 'NAMESPACE_ID', Values: [namespaceId], Condition: 'EQ'}]},
			options,
		))
			services.push(...(page.Services ?? []));
	});
	return servicesInNamespace(services, namespaceId);
}

/** Create or adopt the namespace and this component's Cloud Map service. */
export async function ensureDiscovery(context: ResourceContext, spec: MicroServiceSpec, vpcId: string): Promise<DiscoveryRegistration> {
	const namespaceName = discoveryNamespaceName(spec, context.tags);
	const name = context.names.serviceDiscovery!;
	const namespaceId = await ensureNamespace(context, namespaceName, vpcId);
	const existing = (await servicesIn(context, namespaceId)).find((s) => s.Name === name);
	let service: {Id?: string; Arn?: string} | undefined = existing;
	if (existing) {
		requireOwned(await cloudMapTagsOf(context, existing.Arn), context.tags, 'adopt', `Cloud Map service ${name}.${namespaceName}`);
	} else {
		context.progress(`creating Cloud Map service ${name}.${namespaceName}`);
		({Service: service} = await awsCall(context, `CloudMap CreateService ${name}`, (options) =>
			cloudMap(context).send(
				new CreateServiceCommand({
					Name: name,
					NamespaceId: namespaceId,
					CreatorRequestId: `${context.token}-service`,
					Description: `${context.address} (panka)`,
					DnsConfig: {RoutingPolicy: 'MULTIVALUE', DnsRecords: [{Type: 'A', TTL: 10}]},
					HealthCheckCustomConfig: {FailureThreshold: 1},
					Tags: toTagList(context.tags),
				}),
				options,
			),
		));
	}
	if (!service?.Id || !service.Arn) throw new ProviderError(`CloudMap CreateService ${name}: no service ID returned`);
	return {namespaceId, namespaceName, serviceId: service.Id, registryArn: service.Arn, dnsName: `${name}.${namespaceName}`};
}

/** The registration when both namespace and service exist and the service is this component's (find and read). */
export async function findDiscovery(
	context: ResourceContext,
	spec: Pick<MicroServiceSpec, 'serviceDiscovery'>,
): Promise<DiscoveryRegistration | undefined> {
	const name = context.names.serviceDiscovery;
	if (!name) return undefined;
	const namespaceName = discoveryNamespaceName(spec, context.tags);
	const namespace = await findNamespace(context, namespaceName);
	if (!namespace?.Id) return undefined;
	const service = (await servicesIn(context, namespace.Id)).find((s) => s.Name === name);
	if (!service?.Id || !service.Arn || !isOwnedBy(await cloudMapTagsOf(context, service.Arn), context.tags)) return undefined;
	return {namespaceId: namespace.Id, namespaceName, serviceId: service.Id, registryArn: service.Arn, dnsName: `${name}.${namespaceName}`};
}

/** Delete the Cloud Map service, then the namespace when it is empty; gone is success. */
export async function deleteDiscovery(
	context: ResourceContext,
	registration: Pick<DiscoveryRegistration, 'namespaceId' | 'serviceId'>,
): Promise<void> {
	const {serviceId, namespaceId} = registration;
	const owned = (await servicesIn(context, namespaceId)).find((s) => s.Id === serviceId);
	if (owned) {
		requireOwned(await cloudMapTagsOf(context, owned.Arn), context.tags, 'delete', `Cloud Map service ${owned.Name}`);
		context.progress(`deleting Cloud Map service ${owned.Name}`);
		await pollUntil(context, `Cloud Map service ${owned.Name} to release its instances`, async () => {
			try {
				await awsCall(context, `CloudMap DeleteService ${serviceId}`, (options) =>
					cloudMap(context).send(new DeleteServiceCommand({Id: serviceId}), options),
				);
			} catch (error) {
				if (hasAwsErrorCode(error, 'ResourceInUse')) return undefined;
				if (!hasAwsErrorCode(error, ...discoveryServiceMissing)) throw error;
			}
			return true;
		});
	}
	if ((await servicesIn(context, namespaceId)).length > 0) return;
	// A namespace another stack of the tenant made (a shared serviceDiscovery.namespace) is that stack's to delete.
	const namespace = await awsCallUnlessMissing(context, `CloudMap GetNamespace ${namespaceId}`, namespaceMissing, (options) =>
		cloudMap(context).send(new GetNamespaceCommand({Id: namespaceId}), options),
	);
	if (
		!namespace?.Namespace ||
		!isOwnedBy(await cloudMapTagsOf(context, namespace.Namespace.Arn), sharedStackTags(context.tags, namespaceRole))
	)
		return;
	context.progress(`deleting Cloud Map namespace ${namespaceId} (no services left)`);
	const deleted = await awsCallUnlessMissing(
		context,
		`CloudMap DeleteNamespace ${namespaceId}`,
		[...namespaceMissing, 'ResourceInUse'],
		(options) => cloudMap(context).send(new DeleteNamespaceCommand({Id: namespaceId}), options),
	);
	if (deleted?.OperationId) await awaitOperation(context, deleted.OperationId, `namespace ${namespaceId} to be deleted`);
}
