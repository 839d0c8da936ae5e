/**
 * Service templates: real, valid components wired with valueFrom, written as commented YAML a
 * person would write. Component names are prefixed with the service name, so adding the same
 * template twice to one stack never collides.
 *
 *   http-api   MicroService behind a load balancer + RDS + SQS, wired with valueFrom
 *   worker     Lambda triggered by an SQS queue, writing to a DynamoDB table
 *   scheduled  Lambda on an EventBridge schedule
 *   empty      service.yaml only
 */

export const templateNames = ['http-api', 'worker', 'scheduled', 'empty'] as const;
export type TemplateName = (typeof templateNames)[number];

export const templateSummaries: Readonly<Record<TemplateName, string>> = {
	'http-api': 'MicroService (ECS Fargate, HTTP) + RDS Postgres + SQS queue, wired with valueFrom',
	worker: 'Lambda triggered by an SQS queue, writing to a DynamoDB table',
	scheduled: 'Lambda run on an EventBridge schedule',
	empty: 'just service.yaml',
};

export interface TemplateFile {
	/** Relative to the service folder. */
	path: string;
	content: string;
}

export interface TemplateInput {
	stack: string;
	service: string;
}

export function serviceFile({stack, service}: TemplateInput, template: TemplateName): string {
	const variables =
		template === 'http-api'
			? '\n  variables:\n    PORT: "80"\n    REPLICAS: "2"\n    CPU: "256"\n    MEMORY: "512Mi"\n'
			: template === 'worker'
				? '\n  variables:\n    BATCH_SIZE: "10"\n'
				: '\n  variables: {}\n';
	return `apiVersion: core.panka.io/v1
kind: Service
metadata:
  name: ${service}
  stack: ${stack}
  description: "${describeTemplate(template)}"

spec:${variables}`;
}

function describeTemplate(template: TemplateName): string {
	return template === 'empty' ? 'a service of this stack' : templateSummaries[template];
}

/** Lambda runtime of the templates: a current Node.js runtime (see engine/kinds/lambda-runtimes.ts). */
export const templateLambdaRuntime = 'nodejs24.x';

/**
 * The handler file's name: `.mjs`, because the Node.js Lambda runtime loads a `.js` file as
 * CommonJS unless a package.json beside it says `"type": "module"`, and this is an ES module.
 */
const handlerFile = 'index.mjs';

// The generated handler's source: text written to the user's folder, not code panka runs.
const handlerSource = `// Lambda handler (an ES module: .mjs). panka zips this folder at apply time (code.path).
export const handler = async (event) => {
	console.log(JSON.stringify({level: 'info', msg: 'invoked', records: event?.Records?.length ?? 0}));
	return {ok: true};
};
`;

export function templateFiles(input: TemplateInput, template: TemplateName): TemplateFile[] {
	const {stack, service} = input;
	const header = (kind: string, name: string) => `apiVersion: components.panka.io/v1
kind: ${kind}
metadata:
  name: ${name}
  service: ${service}
  stack: ${stack}
`;
	switch (template) {
		case 'empty':
			return [];
		case 'http-api':
			return [
				{
					path: 'ecs.yaml',
					content: `${header('MicroService', `${service}-server`)}
spec:
  # A placeholder until your own image: nginx answers GET / on port 80 (PORT in service.yaml),
  # which the load balancer's health check uses. Change image, PORT and healthCheck.path together.
  image:
    repository: public.ecr.aws/nginx/nginx
    tag: "\${VERSION:-stable}"
  runtime:
    cpu: "\${CPU}"
    memory: "\${MEMORY}"
  replicas: "\${REPLICAS}"
  ports:
    - name: http
      port: "\${PORT}"
      protocol: http
  healthCheck:
    path: /
    port: "\${PORT}"
  environment:
    - name: PORT
      value: "\${PORT}"
    - name: DB_HOST
      valueFrom:
        component: ${service}-db
        output: endpoint
    - name: DB_PORT
      valueFrom:
        component: ${service}-db
        output: port
    - name: QUEUE_URL
      valueFrom:
        component: ${service}-queue
        output: queueUrl
  secrets:
    - name: DB_PASSWORD
      secretRef: "${stack}/${service}/db-password"
`,
				},
				{
					path: 'resources.yaml',
					content: `---
${header('RDS', `${service}-db`)}
spec:
  engine:
    type: postgres
    version: "16"
  instance:
    class: db.t3.micro
    storage:
      allocatedGB: 20
  database:
    name: app
    username: app
    passwordSecret:
      ref: "${stack}/${service}/db-password"
---
${header('SQS', `${service}-queue`)}
spec:
  type: standard
  visibilityTimeout: 60
  deadLetterQueue:
    enabled: true
    maxReceiveCount: 5
`,
				},
			];
		case 'worker':
			return [
				{
					path: 'lambda.yaml',
					content: `---
${header('Lambda', `${service}-function`)}
spec:
  runtime: ${templateLambdaRuntime}
  handler: index.handler
  code:
    path: ./src/${service}-function
  memory: 256
  timeout: 30
  environment:
    TABLE_NAME:
      valueFrom:
        component: ${service}-table
        output: tableName
  triggers:
    - type: sqs
      source:
        component: ${service}-queue
      batchSize: "\${BATCH_SIZE}"
---
${header('SQS', `${service}-queue`)}
spec:
  type: standard
  visibilityTimeout: 180   # at least 6x the function timeout
  deadLetterQueue:
    enabled: true
    maxReceiveCount: 3
---
${header('DynamoDB', `${service}-table`)}
spec:
  billingMode: PAY_PER_REQUEST
  hashKey:
    name: id
    type: S
  pointInTimeRecovery:
    enabled: true
`,
				},
				{path: `src/${service}-function/${handlerFile}`, content: handlerSource},
			];
		case 'scheduled':
			return [
				{
					path: 'lambda.yaml',
					content: `${header('Lambda', `${service}-job`)}
spec:
  runtime: ${templateLambdaRuntime}
  handler: index.handler
  code:
    path: ./src/${service}-job
  memory: 256
  timeout: 60
  triggers:
    - type: eventbridge
      schedule: "rate(1 hour)"
      description: "Run ${service}-job every hour"
`,
				},
				{path: `src/${service}-job/${handlerFile}`, content: handlerSource},
			];
	}
}

/** Component names a template creates, to check for collisions before writing. */
export function templateComponentNames(service: string, template: TemplateName): string[] {
	switch (template) {
		case 'http-api':
			return [`${service}-server`, `${service}-db`, `${service}-queue`];
		case 'worker':
			return [`${service}-function`, `${service}-queue`, `${service}-table`];
		case 'scheduled':
			return [`${service}-job`];
		case 'empty':
			return [];
	}
}

/** stack.yaml of a new stack: deployable as written (no placeholders), one entry per environment. */
export function stackFile(input: {name: string; tenant?: string; environments: readonly string[]; description?: string}): string {
	const tenant = input.tenant ? `\n  tenant: ${input.tenant}` : '';
	const description = input.description ? `\n  description: ${JSON.stringify(input.description)}` : '';
	const environments = input.environments.map((environment) => `\n    ${environment}: {}`).join('');
	return `apiVersion: core.panka.io/v1
kind: Stack
metadata:
  name: ${input.name}${tenant}${description}

spec:
  # Variables every service can use as \${NAME}; --var NAME=value and PANKA_VAR_NAME override them.
  variables:
    LOG_LEVEL: info

  # Where this stack deploys (panka plan --env NAME); each may set its own variables, tags and protected: true.
  environments:${environments}
`;
}
