import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, ILoadOptionsFunctions, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { CredentialInfo } from './spec';

type AnyFunctions = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

export interface CredentialShape {
	type: string;
	/** Field holding the base URL, and its default. */
	baseUrlField?: string;
	defaultBaseUrl: string;
	/** Fields whose values must never appear in a message. */
	secretFields: string[];
	/** Normalise the base URL (e.g. drop a documented `/api/v1` suffix). */
	normaliseBaseUrl?: (url: string) => string;
	/**
	 * The credential never logs in (no preAuthentication, no session token): the data read once per
	 * execution are handed back to n8n with every request (CredentialInfo.decrypted).
	 */
	noLogin?: boolean;
}

/** Check a base URL: an http(s) URL with a host; returned without a trailing slash. */
export function checkBaseUrl(fn: AnyFunctions, raw: unknown, credentialName: string): string {
	const text = typeof raw === 'string' ? raw.trim() : '';
	let url: URL | undefined;
	try {
		url = new URL(text);
	} catch (error) {
		url = undefined;
		void error;
	}
	if (!url || !/^https?:$/.test(url.protocol) || !url.hostname) {
		throw new NodeOperationError(
			fn.getNode(),
			`The Base URL of the ${credentialName} credential must be an http(s) URL such as https://example.com, got "${text.slice(0, 80)}"`,
		);
	}
	return text.replace(/\/+$/, '');
}

/** Read a credential into what the transport needs: base URL, secrets, limiter key. */
export async function readCredential(fn: AnyFunctions, shape: CredentialShape, displayName: string): Promise<CredentialInfo> {
	const data = (await fn.getCredentials(shape.type)) as IDataObject;
	let baseUrl = checkBaseUrl(fn, data[shape.baseUrlField ?? 'baseUrl'] ?? shape.defaultBaseUrl, displayName);
	if (shape.normaliseBaseUrl) baseUrl = shape.normaliseBaseUrl(baseUrl);
	const secrets = shape.secretFields.map((f) => data[f]).filter((v): v is string => typeof v === 'string' && v !== '');
	const details = fn.getNode().credentials?.[shape.type];
	const id = details?.id;
	const info: CredentialInfo = { baseUrl, secrets, limiterKey: id ? `id:${id}` : `url:${baseUrl}`, data, onNode: !!details };
	// The very object n8n returned (not a normalised copy): n8n authenticates with it as it would have read it.
	if (shape.noLogin && id) info.decrypted = { id, name: details.name, type: shape.type, data: data as ICredentialDataDecryptedObject };
	return info;
}
