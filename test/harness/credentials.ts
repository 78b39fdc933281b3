/**
 * The pieces of the n8n runtime the tests and the benchmarks share: a start node that outputs given
 * items, and the credential store/resolver that does what n8n's server-side CredentialsHelper does
 * (generic `authenticate` through the expression engine, `preAuthentication` for credentials with a
 * hidden `expirable` field, the fresh token persisted). No side effects: the caller decides which
 * n8n-core / n8n-workflow copy these resolve to (the benchmarks load n8n's own, runtime/n8n1).
 */
import { Credentials } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IWorkflowExecuteAdditionalData,
	Workflow,
} from 'n8n-workflow';
import { ICredentialsHelper, NodeHelpers } from 'n8n-workflow';

/** A test-only node that outputs the items it is given (the workflow's start). */
export class InputNode implements INodeType {
	description = {
		displayName: 'Test Input',
		name: 'testInput',
		group: ['input'],
		version: 1,
		description: 'Outputs the items in its "items" parameter',
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

interface StoredCredential {
	id: string;
	name: string;
	type: string;
	data: ICredentialDataDecryptedObject;
}

/** The credential store and resolver, doing what n8n's server-side CredentialsHelper does. */
export class TestCredentialsHelper extends ICredentialsHelper {
	readonly store = new Map<string, StoredCredential>();
	/** Every preAuthentication run (login), for assertions. */
	readonly logins: Array<{ type: string; expired: boolean }> = [];

	constructor(private readonly types: Map<string, ICredentialType>) {
		super();
	}

	private type(name: string): ICredentialType {
		const t = this.types.get(name);
		if (!t) throw new Error(`Unknown credential type ${name}`);
		return t;
	}

	add(type: string, data: IDataObject, id = `${type}-${this.store.size + 1}`): INodeCredentialsDetails {
		const name = `${type} test`;
		this.store.set(id, { id, name, type, data: { ...data } as ICredentialDataDecryptedObject });
		return { id, name };
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
		// As n8n: a credential test (the temporary No Operation node of CredentialsTester) always logs in.
		const isTestingCredentials = node?.parameters?.temp === '' && node?.type === 'n8n-nodes-base.noOp';
		if (credentials[expirable.name] !== '' && credentials[expirable.name] !== undefined && !credentialsExpired && !isTestingCredentials) return undefined;
		this.logins.push({ type: typeName, expired: credentialsExpired });
		const output = await type.preAuthentication.call({ helpers: { httpRequest: helpers.helpers.httpRequest } } as IHttpRequestHelper, credentials);
		if (output[expirable.name] === undefined) return undefined;
		const details = node.credentials?.[typeName];
		if (details?.id && this.store.has(details.id)) {
			const stored = this.store.get(details.id)!;
			stored.data = { ...stored.data, ...output } as ICredentialDataDecryptedObject;
		}
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(helpers: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject, typeName: string) {
		const type = this.type(typeName);
		if (typeof type.preAuthentication !== 'function') return undefined;
		return (await type.preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject;
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string): Promise<Credentials> {
		const stored = this.find(nodeCredentials, type);
		const credentials = new Credentials({ id: stored.id, name: stored.name }, type);
		credentials.setData(stored.data);
		return credentials;
	}

	private find(nodeCredentials: INodeCredentialsDetails, type: string): StoredCredential {
		const stored = nodeCredentials.id ? this.store.get(nodeCredentials.id) : undefined;
		if (!stored || stored.type !== type) throw new Error(`No credential ${nodeCredentials.id} of type ${type}`);
		return stored;
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const stored = this.find(nodeCredentials, type);
		// Defaults of properties the stored data leaves out, as n8n applies them.
		const props = this.getCredentialsProperties(type);
		const withDefaults = NodeHelpers.getNodeParameters(props, stored.data as INodeParameters, true, false, null, null) as IDataObject;
		return { ...withDefaults, ...stored.data } as ICredentialDataDecryptedObject;
	}

	async updateCredentials(nodeCredentials: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject) {
		this.find(nodeCredentials, type).data = { ...data };
	}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties(type: string) {
		return this.type(type).properties;
	}
}
