/**
 * Runs workflows inside n8n's real execution engine (n8n-core WorkflowExecute) for the benchmarks:
 * this package's nodes loaded from the built package (dist/, through package.json's "n8n" section,
 * by n8n-core's PackageDirectoryLoader, as n8n loads a community package) next to n8n's own HTTP
 * Request and Split Out nodes (n8n-nodes-base), all in ONE n8n-core / n8n-workflow (see runtime.ts).
 * Credentials are resolved by the tests' TestCredentialsHelper (test/harness/credentials.ts), here
 * loaded against runtime/n8n1's n8n-core / n8n-workflow through the hook in runtime.ts.
 */
import './runtime';

import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import path from 'path';

process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS ??= 'false';
if (!process.env.N8N_USER_FOLDER) process.env.N8N_USER_FOLDER = mkdtempSync(path.join(tmpdir(), 'n8n-bench-'));

import { ExecutionLifecycleHooks, PackageDirectoryLoader, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialType,
	IConnections,
	IDataObject,
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
import { NodeHelpers, Workflow } from 'n8n-workflow';

import { InputNode, TestCredentialsHelper } from '../test/harness/credentials';
import { N8N_MODULES, ROOT } from './runtime';

/** n8n-nodes-base nodes and credentials the baselines use. */
const BASE_NODES: Record<string, [string, string]> = {
	'n8n-nodes-base.httpRequest': ['dist/nodes/HttpRequest/HttpRequest.node.js', 'HttpRequest'],
	'n8n-nodes-base.splitOut': ['dist/nodes/Transform/SplitOut/SplitOut.node.js', 'SplitOut'],
	'n8n-nodes-base.set': ['dist/nodes/Set/Set.node.js', 'Set'],
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
	/** n8n's node setting "On Error: Continue": failed items come out with an `error` field. */
	continueOnFail?: boolean;
}

export class BenchN8n {
	readonly credentials: TestCredentialsHelper;
	private counter = 0;

	private constructor(
		private readonly nodeTypes: INodeTypes,
		credentialTypes: Map<string, ICredentialType>,
		readonly packageName: string,
	) {
		this.credentials = new TestCredentialsHelper(credentialTypes);
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
				...(n.continueOnFail ? { continueOnFail: true, onError: 'continueRegularOutput' as const } : {}),
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
