/**
 * Runs workflows through n8n's real execution engine (n8n-core WorkflowExecute), with this
 * package's nodes and credentials loaded from the built package (package.json "n8n" section,
 * through n8n-core's PackageDirectoryLoader), and credentials resolved the way n8n's server does:
 * generic `authenticate` blocks through the expression engine, `preAuthentication` for credentials
 * with a hidden `expirable` field (token persisted to the credential store, refreshed once after a
 * 401 by n8n-core's httpRequestWithAuthentication).
 */
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import path from 'path';

// n8n-core writes its config and encryption key under N8N_USER_FOLDER: never the real home.
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS ??= 'false';
if (!process.env.N8N_USER_FOLDER) process.env.N8N_USER_FOLDER = mkdtempSync(path.join(tmpdir(), 'n8n-test-'));

import { Container } from '@n8n/di';
// Not re-exported by n8n-core's index (1.122.48): its own module.
import { SSHClientsManager } from 'n8n-core/dist/execution-engine/ssh-clients-manager';
import {
	ExecutionLifecycleHooks,
	PackageDirectoryLoader,
	PollContext,
	WorkflowExecute,
} from 'n8n-core';
import type {
	ICredentialType,
	IDataObject,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypeData,
	INodeTypes,
	IRun,
	IRunExecutionData,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	IConnections,
	IPollFunctions,
	ILoadOptionsFunctions,
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	INodeCredentialTestResult,
	INodeListSearchResult,
	IExecuteFunctions,
} from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';
// lodash ships no types in this tree: typed by hand.
const get = require('lodash/get') as (object: unknown, path: string) => unknown;

import { InputNode, TestCredentialsHelper } from './credentials';

export { InputNode, TestCredentialsHelper };

export const ROOT = path.resolve(__dirname, '..', '..');
export const PACKAGE_NAME: string = require(path.join(ROOT, 'package.json')).name;

export interface LoadedPackage {
	nodeTypes: INodeTypes;
	credentialTypes: Map<string, ICredentialType>;
	/** Full type names, e.g. n8n-nodes-rumarket.iqmTech. */
	nodeNames: string[];
	credentialNames: string[];
	loader: PackageDirectoryLoader;
}

let loaded: Promise<LoadedPackage> | undefined;

/** Load the built package the way n8n loads a community package. */
export async function loadPackage(): Promise<LoadedPackage> {
	loaded ??= (async () => {
		const loader = new PackageDirectoryLoader(ROOT);
		await loader.loadAll();
		// The loader keys nodes by their short name; n8n registers them as <package>.<name>.
		const data: INodeTypeData = {};
		for (const [name, entry] of Object.entries(loader.nodeTypes)) data[`${loader.packageName}.${name}`] = entry;
		data['test.input'] = { type: new InputNode(), sourcePath: __filename };
		const nodeTypes: INodeTypes = {
			getByName: (name: string) => {
				const entry = data[name];
				if (!entry) throw new Error(`Unknown node type ${name}`);
				return entry.type;
			},
			getByNameAndVersion: (name: string, version?: number) => {
				const entry = data[name];
				if (!entry) throw new Error(`Unknown node type ${name}`);
				return NodeHelpers.getVersionedNodeType(entry.type as INodeType | IVersionedNodeType, version);
			},
			getKnownTypes: () => ({}),
		} as INodeTypes;
		const credentialTypes = new Map<string, ICredentialType>();
		for (const [name, entry] of Object.entries(loader.credentialTypes)) credentialTypes.set(name, entry.type);
		return {
			nodeTypes,
			credentialTypes,
			nodeNames: Object.keys(loader.nodeTypes).map((n) => `${loader.packageName}.${n}`),
			credentialNames: [...credentialTypes.keys()],
			loader,
		};
	})();
	return await loaded;
}

/** A module of the built package, the same instance the loaded nodes use. */
export function fromDist<T>(relative: string): T {
	return require(path.join(ROOT, 'dist', relative)) as T;
}

export function nodeType(shortName: string): string {
	return `${PACKAGE_NAME}.${shortName}`;
}

export interface RunNodeOptions {
	/** Short node name, e.g. `iqmTech`. */
	node: string;
	parameters: INodeParameters;
	/** Credential type → stored credential. */
	credentials?: Record<string, INodeCredentialsDetails>;
	input?: IDataObject[];
	continueOnFail?: boolean;
	timezone?: string;
}

export interface RunResult {
	items: INodeExecutionData[];
	/** The node's error, when it failed. */
	error?: Error & { description?: string; httpCode?: string; context?: IDataObject };
	run: IRun;
}

let executionCounter = 0;

export class Harness {
	readonly credentials: TestCredentialsHelper;

	constructor(readonly pkg: LoadedPackage) {
		this.credentials = new TestCredentialsHelper(pkg.credentialTypes);
	}

	static async create(): Promise<Harness> {
		return new Harness(await loadPackage());
	}

	additionalData(): IWorkflowExecuteAdditionalData {
		return {
			credentialsHelper: this.credentials,
			executeWorkflow: async () => {
				throw new Error('not supported in tests');
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
				throw new Error('not supported in tests');
			},
		} as unknown as IWorkflowExecuteAdditionalData;
	}

	workflow(nodes: INode[], connections: IConnections, timezone = 'Europe/Moscow', staticData?: IDataObject): Workflow {
		return new Workflow({
			id: 'test-workflow',
			name: 'Test',
			nodes,
			connections,
			active: false,
			nodeTypes: this.pkg.nodeTypes,
			staticData,
			settings: { timezone },
		});
	}

	/** Run a workflow Input → node and return the node's output items (or its error). */
	async runNode(options: RunNodeOptions): Promise<RunResult> {
		const input: INode = {
			id: 'input',
			name: 'Input',
			type: 'test.input',
			typeVersion: 1,
			position: [0, 0],
			parameters: { items: JSON.stringify(options.input ?? [{}]) },
		};
		const node: INode = {
			id: 'node',
			name: 'Node',
			type: nodeType(options.node),
			typeVersion: 1,
			position: [200, 0],
			parameters: options.parameters,
			credentials: options.credentials,
			...(options.continueOnFail ? { continueOnFail: true, onError: 'continueRegularOutput' as const } : {}),
		};
		const connections: IConnections = { Input: { main: [[{ node: 'Node', type: 'main' as never, index: 0 }]] } };
		const workflow = this.workflow([input, node], connections, options.timezone);
		const run = await this.execute(workflow, input);
		const task = run.data.resultData.runData.Node?.[0];
		const items = task?.data?.main?.[0] ?? [];
		const error = (task?.error ?? run.data.resultData.error) as RunResult['error'];
		return { items, error, run };
	}

	async execute(workflow: Workflow, startNode: INode): Promise<IRun> {
		const executionId = `exec-${++executionCounter}`;
		const additionalData = this.additionalData();
		const workflowData: IWorkflowBase = {
			id: workflow.id,
			name: workflow.name ?? 'Test',
			active: false,
			nodes: Object.values(workflow.nodes),
			connections: workflow.connectionsBySourceNode,
			createdAt: new Date(),
			updatedAt: new Date(),
			settings: workflow.settings,
		} as unknown as IWorkflowBase;
		const hooks = new ExecutionLifecycleHooks('manual', executionId, workflowData);
		(additionalData as unknown as { hooks: ExecutionLifecycleHooks }).hooks = hooks;
		additionalData.executionId = executionId;
		const executor = new WorkflowExecute(additionalData, 'manual');
		return await executor.run(workflow, startNode);
	}

	/** A PollContext for a trigger node, as n8n's poller creates it. */
	pollContext(workflow: Workflow, node: INode, mode: 'manual' | 'trigger' = 'trigger'): IPollFunctions {
		return new PollContext(workflow, node, this.additionalData(), mode, 'activate') as unknown as IPollFunctions;
	}

	/** Load-options context (listSearch / loadOptions methods). */
	async loadOptionsContext(node: INode): Promise<ILoadOptionsFunctions> {
		const { LoadOptionsContext } = require('n8n-core') as { LoadOptionsContext: new (...args: unknown[]) => ILoadOptionsFunctions };
		const workflow = this.workflow([node], {});
		return new LoadOptionsContext(workflow, node, this.additionalData(), '');
	}

	async listSearch(shortNode: string, method: string, credentials: Record<string, INodeCredentialsDetails>, filter?: string, paginationToken?: string, parameters: INodeParameters = {}): Promise<INodeListSearchResult> {
		const type = this.pkg.nodeTypes.getByNameAndVersion(nodeType(shortNode)) as INodeType;
		const node: INode = { id: 'n', name: 'Node', type: nodeType(shortNode), typeVersion: 1, position: [0, 0], parameters, credentials };
		const ctx = await this.loadOptionsContext(node);
		const fn = type.methods?.listSearch?.[method];
		if (!fn) throw new Error(`No listSearch method ${method}`);
		return await fn.call(ctx, filter, paginationToken);
	}

	/**
	 * Run a credential's Test the way n8n's server does (CredentialsTester, packages/cli): the
	 * credential's own declarative `test` request first (through n8n-core's RoutingNode on a
	 * temporary No Operation node, with n8n's rules and messages), else the node's `testedBy` method.
	 */
	async testCredential(shortNode: string, credentialType: string, data: IDataObject): Promise<INodeCredentialTestResult> {
		const credType = this.pkg.credentialTypes.get(credentialType);
		if (credType?.test) return await this.runCredentialTestRequest(credentialType, credType, data);
		const type = this.pkg.nodeTypes.getByNameAndVersion(nodeType(shortNode)) as INodeType;
		const ref = type.description.credentials?.find((c) => c.name === credentialType);
		const method = typeof ref?.testedBy === 'string' ? type.methods?.credentialTest?.[ref.testedBy] : undefined;
		if (!method) throw new Error(`No credential test for ${credentialType}`);
		const { CredentialTestContext } = require('n8n-core') as { CredentialTestContext: new () => ICredentialTestFunctions };
		const ctx = new CredentialTestContext();
		const decrypted = { id: 'test', name: 'test', type: credentialType, data } as unknown as ICredentialsDecrypted;
		return await method.call(ctx, decrypted);
	}

	/** A copy of CredentialsTester.testCredentials' request branch (n8n 1.123 / 2.41 alike). */
	private async runCredentialTestRequest(credentialType: string, credType: ICredentialType, data: IDataObject): Promise<INodeCredentialTestResult> {
		const { ExecuteContext, RoutingNode } = require('n8n-core') as {
			ExecuteContext: new (...args: unknown[]) => IExecuteFunctions;
			RoutingNode: new (...args: unknown[]) => { runNode(): Promise<INodeExecutionData[][] | undefined> };
		};
		const testRequest = credType.test!;
		// applyDefaultsAndOverwrites: the credential's defaults fill what the data leaves out.
		const filled = NodeHelpers.getNodeParameters(credType.properties, data as INodeParameters, true, false, null, null) as IDataObject;
		const credentialsDecrypted = { id: 'test', name: 'test', type: credentialType, data: filled } as unknown as ICredentialsDecrypted;
		const node: INode = {
			id: 'temp',
			parameters: {},
			name: 'Temp-Node',
			type: 'n8n-nodes-base.noOp',
			typeVersion: 1,
			position: [0, 0],
			credentials: { [credentialType]: { id: 'test', name: 'test' } },
		};
		const nodeTypeCopy = {
			description: {
				displayName: 'No Operation, do nothing',
				name: 'n8n-nodes-base.noOp',
				group: ['organization'],
				version: 1,
				description: 'No Operation',
				defaults: { name: 'No Operation, do nothing' },
				inputs: ['main'],
				outputs: ['main'],
				credentials: [{ name: credentialType, required: true }],
				properties: [{ displayName: 'Temp', name: 'temp', type: 'string', routing: { request: testRequest.request }, default: '' }],
			},
		} as unknown as INodeType;
		const mockTypes = {
			getKnownTypes: () => ({}),
			getByName: () => nodeTypeCopy,
			getByNameAndVersion: () => nodeTypeCopy,
		} as unknown as INodeTypes;
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: mockTypes });
		const { createEmptyRunExecutionData } = require('n8n-workflow') as { createEmptyRunExecutionData: () => IRunExecutionData };
		const inputData = { main: [[{ json: {} }]] };
		const executeData = { node, data: {}, source: null };
		const context = new ExecuteContext(workflow, node, this.additionalData(), 'internal', createEmptyRunExecutionData(), 0, [], inputData, executeData, []);
		const routingNode = new RoutingNode(context, nodeTypeCopy, credentialsDecrypted);
		type TestError = Error & { cause?: { response?: { status?: number; statusText?: string }; code?: string } };
		let response: INodeExecutionData[][] | undefined;
		const expression = workflow.expression as unknown as { acquireIsolate?: () => Promise<unknown>; releaseIsolate?: () => Promise<unknown> };
		try {
			await expression.acquireIsolate?.();
			response = await routingNode.runNode();
		} catch (caught) {
			const error = caught as TestError;
			if (error.cause?.response) {
				const statusCode = error.cause.response.status as number;
				for (const rule of testRequest.rules ?? []) {
					if (rule.type === 'responseCode' && statusCode === rule.properties.value) return { status: 'Error', message: rule.properties.message };
				}
				if (statusCode < 199 || statusCode > 299) {
					return { status: 'Error', message: error.cause.response.statusText || `Received HTTP status code: ${statusCode}` };
				}
			} else if (error.cause?.code) {
				return { status: 'Error', message: error.cause.code };
			}
			return { status: 'Error', message: String(error.message) };
		} finally {
			await expression.releaseIsolate?.();
		}
		for (const rule of testRequest.rules ?? []) {
			if (rule.type === 'responseSuccessBody') {
				const json = response?.[0]?.[0]?.json;
				if (get(json, rule.properties.key) === rule.properties.value) return { status: 'Error', message: rule.properties.message };
			}
		}
		return { status: 'OK', message: 'Connection successful!' };
	}
}

/** n8n-core keeps an SSH cleanup timer: stop it so jest can exit. */
export function shutdownN8n(): void {
	try {
		Container.get(SSHClientsManager).onShutdown();
	} catch (error) {
		void error;
	}
}

export type { IRunExecutionData };
