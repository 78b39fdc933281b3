/**
 * Runs workflows inside n8n's real execution engine (n8n-core WorkflowExecute) for the benchmarks:
 * this package's nodes loaded from the built package (dist/, through package.json's "n8n" section,
 * by n8n-core's PackageDirectoryLoader, as n8n loads a community package) next to n8n's own HTTP
 * Request and Split Out nodes (n8n-nodes-base), all in ONE n8n-core / n8n-workflow (see runtime.ts).
 * Credentials are resolved the way n8n's server does (same logic as test/harness/n8n.ts, which the
 * benchmarks cannot import because it pins its own n8n copy and its package root).
 */
import './runtime';

import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import path from 'path';

process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS ??= 'false';
if (!process.env.N8N_USER_FOLDER) process.env.N8N_USER_FOLDER = mkdtempSync(path.join(tmpdir(), 'n8n-bench-'));

import { Credentials, ExecutionLifecycleHooks, PackageDirectoryLoader, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IConnections,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypeData,
	INodeTypes,
	IRun,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { ICredentialsHelper, NodeHelpers, Workflow } from 'n8n-workflow';

import { N8N_MODULES, ROOT } from './runtime';

/** Outputs the items in its `items` parameter (the workflow's start). */
class InputNode implements INodeType {
	description = {
		displayName: 'Bench Input',
		name: 'benchInput',
		group: ['input'],
		version: 1,
		description: 'Outputs the given items',
		defaults: { name: 'Input' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as string | IDataObject[];
		const list = typeof raw === 'string' ? (JSON.parse(raw) as IDataObject[]) : raw;
		return [list.map((json) => ({ json }))];
	}
}

interface Stored {
	id: string;
	name: string;
	type: string;
	data: ICredentialDataDecryptedObject;
}

class BenchCredentialsHelper extends ICredentialsHelper {
	readonly store = new Map<string, Stored>();
	logins = 0;

	constructor(private readonly types: Map<string, ICredentialType>) {
		super();
	}

	private type(name: string): ICredentialType {
		const t = this.types.get(name);
		if (!t) throw new Error(`Unknown credential type ${name}`);
		return t;
	}

	add(type: string, data: IDataObject): INodeCredentialsDetails {
		const id = `${type}-${this.store.size + 1}`;
		this.store.set(id, { id, name: `${type} bench`, type, data: { ...data } as ICredentialDataDecryptedObject });
		return { id, name: `${type} bench` };
	}

	getParentTypes(name: string): string[] {
		const ext = this.type(name).extends ?? [];
		return [...ext, ...ext.flatMap((e) => (this.types.has(e) ? this.getParentTypes(e) : []))];
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow: Workflow,
		node: INode,
	): Promise<IHttpRequestOptions> {
		const type = this.type(typeName);
		if (typeof type.authenticate === 'function') return await type.authenticate(credentials, requestOptions);
		if (type.authenticate && type.authenticate.type === 'generic') {
			const resolve = (v: string) => {
				if (typeof v !== 'string' || !v.startsWith('=')) return v;
				const r = workflow.expression.getSimpleParameterValue(node, v, 'internal', { $credentials: credentials } as never, undefined, '');
				return r === undefined || r === null ? '' : String(r);
			};
			for (const [outer, inner] of Object.entries(type.authenticate.properties)) {
				const target = ((requestOptions as unknown as IDataObject)[outer] ??= {}) as IDataObject;
				for (const [key, value] of Object.entries(inner as IDataObject)) target[resolve(key)] = resolve(value as string);
			}
		}
		return requestOptions;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.type(typeName);
		const expirable = type.properties.find((p) => p.type === 'hidden' && p.typeOptions?.expirable === true);
		if (!expirable || typeof type.preAuthentication !== 'function') return undefined;
		if (credentials[expirable.name] !== '' && credentials[expirable.name] !== undefined && !credentialsExpired) return undefined;
		this.logins++;
		const output = await type.preAuthentication.call({ helpers: { httpRequest: helpers.helpers.httpRequest } } as IHttpRequestHelper, credentials);
		if (output[expirable.name] === undefined) return undefined;
		const details = node.credentials?.[typeName];
		if (details?.id && this.store.has(details.id)) {
			const stored = this.store.get(details.id)!;
			stored.data = { ...stored.data, ...output } as ICredentialDataDecryptedObject;
		}
		return Object.assign(credentials, output);
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	private find(details: INodeCredentialsDetails, type: string): Stored {
		const stored = details.id ? this.store.get(details.id) : undefined;
		if (!stored || stored.type !== type) throw new Error(`No credential ${details.id} of type ${type}`);
		return stored;
	}

	async getCredentials(details: INodeCredentialsDetails, type: string): Promise<Credentials> {
		const stored = this.find(details, type);
		const credentials = new Credentials({ id: stored.id, name: stored.name }, type);
		credentials.setData(stored.data);
		return credentials;
	}

	async getDecrypted(_a: IWorkflowExecuteAdditionalData, details: INodeCredentialsDetails, type: string): Promise<ICredentialDataDecryptedObject> {
		const stored = this.find(details, type);
		const props = this.getCredentialsProperties(type);
		const withDefaults = NodeHelpers.getNodeParameters(props, stored.data as INodeParameters, true, false, null, null) as IDataObject;
		return { ...withDefaults, ...stored.data } as unknown as ICredentialDataDecryptedObject;
	}

	async updateCredentials(details: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject) {
		this.find(details, type).data = { ...data };
	}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties(type: string) {
		return this.type(type).properties;
	}
}

/** n8n-nodes-base nodes and credentials the baselines use. */
const BASE_NODES: Record<string, [string, string]> = {
	'n8n-nodes-base.httpRequest': ['dist/nodes/HttpRequest/HttpRequest.node.js', 'HttpRequest'],
	'n8n-nodes-base.splitOut': ['dist/nodes/Transform/SplitOut/SplitOut.node.js', 'SplitOut'],
};
const BASE_CREDENTIALS: Record<string, [string, string]> = {
	httpHeaderAuth: ['dist/credentials/HttpHeaderAuth.credentials.js', 'HttpHeaderAuth'],
};

export interface BenchNode {
	name: string;
	type: string;
	typeVersion?: number;
	parameters: INodeParameters;
	credentials?: Record<string, INodeCredentialsDetails>;
}

export class BenchN8n {
	readonly credentials: BenchCredentialsHelper;
	private counter = 0;

	private constructor(
		private readonly nodeTypes: INodeTypes,
		credentialTypes: Map<string, ICredentialType>,
		readonly packageName: string,
	) {
		this.credentials = new BenchCredentialsHelper(credentialTypes);
	}

	static async create(): Promise<BenchN8n> {
		const loader = new PackageDirectoryLoader(ROOT);
		await loader.loadAll();
		const data: INodeTypeData = {};
		for (const [name, entry] of Object.entries(loader.nodeTypes)) data[`${loader.packageName}.${name}`] = entry;
		data['bench.input'] = { type: new InputNode(), sourcePath: __filename };
		const base = path.join(N8N_MODULES, 'n8n-nodes-base');
		for (const [name, [file, cls]] of Object.entries(BASE_NODES)) {
			const Type = (require(path.join(base, file)) as Record<string, new () => INodeType | IVersionedNodeType>)[cls];
			data[name] = { type: new Type(), sourcePath: file };
		}
		const nodeTypes = {
			getByName: (name: string) => {
				if (!data[name]) throw new Error(`Unknown node type ${name}`);
				return data[name].type;
			},
			getByNameAndVersion: (name: string, version?: number) => {
				if (!data[name]) throw new Error(`Unknown node type ${name}`);
				return NodeHelpers.getVersionedNodeType(data[name].type, version);
			},
			getKnownTypes: () => ({}),
		} as INodeTypes;
		const credentialTypes = new Map<string, ICredentialType>();
		for (const [name, entry] of Object.entries(loader.credentialTypes)) credentialTypes.set(name, entry.type);
		for (const [name, [file, cls]] of Object.entries(BASE_CREDENTIALS)) {
			const Type = (require(path.join(base, file)) as Record<string, new () => ICredentialType>)[cls];
			credentialTypes.set(name, new Type());
		}
		return new BenchN8n(nodeTypes, credentialTypes, loader.packageName);
	}

	/** Full type name of one of this package's nodes. */
	ours(shortName: string): string {
		return `${this.packageName}.${shortName}`;
	}

	private additionalData(): IWorkflowExecuteAdditionalData {
		return {
			credentialsHelper: this.credentials,
			executeWorkflow: async () => {
				throw new Error('not supported');
			},
			getRunExecutionData: async () => undefined,
			currentNodeExecutionIndex: 0,
			restApiUrl: 'http://127.0.0.1:5678/rest',
			instanceBaseUrl: 'http://127.0.0.1:5678/',
			formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
			webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
			webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
			webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
			variables: {},
			logAiEvent: () => undefined,
			startRunnerTask: async () => {
				throw new Error('not supported');
			},
		} as unknown as IWorkflowExecuteAdditionalData;
	}

	/**
	 * Run Input → nodes[0] → nodes[1] … and return the last node's output items and the run.
	 * Throws the first node error.
	 */
	async runChain(input: IDataObject[], chain: BenchNode[]): Promise<{ items: INodeExecutionData[]; run: IRun }> {
		const nodes: INode[] = [
			{ id: 'input', name: 'Input', type: 'bench.input', typeVersion: 1, position: [0, 0], parameters: { items: JSON.stringify(input) } },
			...chain.map((n, i) => ({
				id: `n${i}`,
				name: n.name,
				type: n.type,
				typeVersion: n.typeVersion ?? 1,
				position: [200 * (i + 1), 0] as [number, number],
				parameters: n.parameters,
				credentials: n.credentials,
			})),
		];
		const connections: IConnections = {};
		for (let i = 0; i < nodes.length - 1; i++) connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main' as never, index: 0 }]] };
		const workflow = new Workflow({
			id: 'bench',
			name: 'Bench',
			nodes,
			connections,
			active: false,
			nodeTypes: this.nodeTypes,
			settings: { timezone: 'Europe/Moscow' },
		});
		const executionId = `bench-${++this.counter}`;
		const additionalData = this.additionalData();
		const workflowData = {
			id: workflow.id,
			name: workflow.name,
			active: false,
			nodes,
			connections,
			createdAt: new Date(),
			updatedAt: new Date(),
			settings: workflow.settings,
		} as unknown as IWorkflowBase;
		(additionalData as unknown as { hooks: ExecutionLifecycleHooks }).hooks = new ExecutionLifecycleHooks('manual', executionId, workflowData);
		additionalData.executionId = executionId;
		const run = await new WorkflowExecute(additionalData, 'manual').run(workflow, nodes[0]);
		const runData = run.data.resultData.runData;
		for (const node of nodes) {
			const err = runData[node.name]?.[0]?.error;
			if (err) throw Object.assign(new Error(`${node.name}: ${err.message} ${(err as { description?: string }).description ?? ''}`), { cause: err });
		}
		if (run.data.resultData.error) throw run.data.resultData.error;
		const last = nodes[nodes.length - 1].name;
		return { items: runData[last]?.[0]?.data?.main?.[0] ?? [], run };
	}
}
