import type {
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeProperties,
	IPollFunctions,
} from 'n8n-workflow';

/**
 * The table types. A provider describes its API as data (resources → operations → fields) and the
 * engine turns that data into the n8n UI (properties.ts) and into requests (execute.ts).
 */

/** Where a field's value goes on the wire. */
export type FieldLocation =
	| 'path'
	| 'query'
	| 'body'
	| 'header'
	/** JSON:API `data.attributes.<key>` */
	| 'attribute'
	/** JSON:API `data.relationships.<key>.data = {type, id}` */
	| 'relationship'
	/** Not sent: read by an operation's own code (e.g. "Keep fields not given"). */
	| 'none';

export type FieldType =
	| 'string'
	| 'number'
	| 'boolean'
	| 'dateTime'
	| 'date'
	| 'options'
	| 'multiOptions'
	| 'json'
	| 'color'
	/** A list of name/value pairs, sent as an object `{name: value}` (custom fields, extra params). */
	| 'keyValue'
	/** A list of records, each with the sub-fields in `fields` (order lines, categories). */
	| 'list'
	/** An id picked from a list, typed, or taken from a record URL. */
	| 'locator';

/** The type of a name/value pair's value: as given, text, number, boolean or parsed JSON. */
export type PairType = 'auto' | 'string' | 'number' | 'boolean' | 'json';

export interface OptionSpec {
	name: string;
	value: string | number | boolean;
	description?: string;
}

export interface LocatorSpec {
	/** Name of the listSearch method in the node's `methods.listSearch`. */
	searchMethod: string;
	/** Whether the list method supports a server-side filter. */
	searchable?: boolean;
	/** A record URL in the provider's web app, e.g. `https://app.syncrm.ru/deals/(\d+)`. */
	urlRegex?: string;
	urlPlaceholder?: string;
	idPlaceholder?: string;
	/** A regex an ID must match (checked by n8n in the UI and by the engine before sending). */
	idRegex?: string;
}

export interface FieldSpec {
	/** n8n parameter name (camelCase). */
	name: string;
	/** UI label (Title Case). */
	label: string;
	type: FieldType;
	/** Wire name; defaults to `name`. Use dots for nested body paths (`customer.phone`). */
	key?: string;
	location: FieldLocation;
	description: string;
	required?: boolean;
	/**
	 * Where the field sits in the UI. Required fields are always top-level. Optional fields default
	 * to the operation's "Additional Fields" (create) / "Update Fields" (update) collection; another
	 * name puts them in a collection of that name (e.g. `workAddress`), `top` shows them top-level.
	 */
	group?: string;
	default?: string | number | boolean | IDataObject | string[];
	placeholder?: string;
	options?: OptionSpec[];
	/** For `options`: accept any other value given by an expression. */
	allowCustom?: boolean;
	/** String constraints. */
	maxLength?: number;
	minLength?: number;
	pattern?: { regex: string; hint: string };
	/** Number constraints. */
	min?: number;
	max?: number;
	integer?: boolean;
	/**
	 * How the value is encoded: `string` sends numbers as strings, `number` sends numeric strings
	 * as numbers; a date format (luxon tokens, e.g. `yyyy.MM.dd HH:mm`) for date/time fields.
	 */
	send?: 'string' | 'number' | 'auto';
	dateFormat?: string;
	/**
	 * `server`: the date is compared by the server with its own records (a `created-at-gte` filter),
	 * so it is written in the server's zone (the provider's `serverZone`), not the workflow's.
	 */
	dateZone?: 'server';
	/** Accept a number or a numeric string (sent as a string), e.g. IQM latitude. */
	numericString?: boolean;
	/** For `list`: the sub-fields of one entry (their `location` is ignored). */
	fields?: FieldSpec[];
	/** For `list`: the wire shape. `objects` (default) sends an array of objects. */
	listShape?: 'objects';
	/** For `keyValue`: merge pairs into the parent object (true) or send them under `key` (false). */
	spread?: boolean;
	/**
	 * For `keyValue`: a listSearch method offering the names (e.g. the custom field keys seen on
	 * the account's records). The name is then a resource locator: picked from that list or typed.
	 */
	nameSearch?: string;
	/** For `keyValue`: offer a Type per pair (pairs.ts); without it every value is sent as given. */
	pairTypes?: PairType[];
	/** For `locator`. */
	locator?: LocatorSpec;
	/** For `relationship`: the JSON:API type of the related record. */
	relationType?: string;
	/** For `multiOptions`/arrays in the query: how to join values. */
	join?: string;
	/** Extra n8n typeOptions (rows, loadOptionsMethod …). */
	typeOptions?: IDataObject;
	/** Extra displayOptions.show conditions, e.g. `{ mode: ['query'] }`. */
	showWhen?: IDataObject;
	/** Send empty values (empty string / null) instead of leaving the field out. */
	sendEmpty?: boolean;
}

/** How a list endpoint pages. */
/**
 * How a list is walked (nodes/shared/pagination.ts `walkPages`): `pageCount` (page numbers, the
 * count read from page 1, the rest in parallel), `untilShort` (page numbers until a short or empty
 * page), `nextLink` (the query of `links.next`), `newestFirst` (triggers: back from the newest until
 * a page ends before a time).
 */
export type PageStrategy = 'pageCount' | 'untilShort' | 'nextLink' | 'newestFirst';

export interface PaginationSpec {
	/** Page-number paging: `page`, `page[number]` … (with `offset`: the record offset, e.g. `offset`). */
	pageParam: string;
	/** Default `pageCount`. */
	strategy?: PageStrategy;
	/** `pageParam` carries the offset of the page's first record (first page 0) instead of a page number. */
	offset?: boolean;
	/**
	 * The size parameter is a guess (its name was lost from the docs): a page 1 shorter than asked,
	 * with nothing saying it is the last, is followed by page 2 (the server may use a smaller size).
	 */
	confirmShortPage?: boolean;
	/**
	 * The page count is read from a field whose meaning is a guess (e.g. a `total` "presumably" of
	 * records): a count of one page with that page full is followed by the next pages until a short
	 * or empty one.
	 */
	confirmCount?: boolean;
	/** Without a size parameter: every page has the server's one size (a larger later page is an error). */
	fixedPageSize?: boolean;
	/** Ceiling of pages in flight the concurrency may grow to (default: `concurrency`). */
	maxConcurrency?: number;
	/** The paging the credential chose (e.g. Loymax's Paging Style), from the credential's data. */
	forCredential?: (data: IDataObject) => PaginationSpec;
	/** Page size parameter, if the API takes one. */
	sizeParam?: string;
	/** Largest page size the API allows (used for Return All). */
	maxPageSize: number;
	/** Where the paging parameters go. */
	location?: 'query';
	/** First page number (1 unless said otherwise). */
	firstPage?: number;
	/**
	 * How many pages there are, read from the first response: `meta.page-count`, `last_page`,
	 * `ceil(total / size)`… Undefined when the response does not say (then pages are walked until a
	 * short or empty page, or a missing `links.next`).
	 */
	pageCount?: (body: unknown, pageSize: number) => number | undefined;
	/**
	 * Pages fetched at once once the page count is known (default 4). Still paced by the account's
	 * limiter; an API with no documented limit can take more.
	 */
	concurrency?: number;
	/** Whether a next page exists, when the API says so explicitly (JSON:API `links.next`). */
	hasNext?: (body: unknown) => boolean | undefined;
}

export interface RequestSpec {
	method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
	/** Path template, `{name}` filled from path fields (URL-encoded, never changing the path). */
	path: string;
	qs: IDataObject;
	body?: IDataObject | string | unknown[];
	headers: Record<string, string>;
	/** The POST is safe to repeat (an upsert by external id): retried on 5xx and lost connections. */
	idempotent?: boolean;
}

/** What the engine hands to an operation's own code. */
export interface OperationContext {
	fn: IExecuteFunctions;
	itemIndex: number;
	provider: ProviderSpec;
	resource: ResourceSpec;
	operation: OperationSpec;
	/** Validated, encoded values by field name (absent when not given). */
	values: IDataObject;
	/** The request the table describes for this item (path filled, qs/body/headers built). */
	request: RequestSpec;
	/** Send a request through the transport (pacing, retries, errors). Returns the parsed body. */
	send(request: RequestSpec): Promise<unknown>;
	/** Read a list through the operation's pagination (Return All / Limit). */
	paginate(request: RequestSpec, pagination: PaginationSpec, limit?: number): Promise<IDataObject[]>;
}

export interface OperationSpec {
	/** n8n operation value, e.g. `getAll`. */
	value: string;
	/** n8n words: Create, Create or Update, Delete, Get, Get Many, Update … */
	name: string;
	/** Sentence for AI tools and the actions panel, e.g. "Create a contact". */
	action: string;
	description: string;
	method: RequestSpec['method'];
	path: string;
	fields: FieldSpec[];
	/** POST safe to retry (an upsert by external id). */
	idempotent?: boolean;
	/** Body encoding. `json` (flat), `jsonapi` (data.type/attributes/relationships), `none`. */
	bodyStyle?: 'json' | 'jsonapi' | 'none';
	/** JSON:API type for `jsonapi` bodies. */
	jsonApiType?: string;
	/** Send the record id inside the JSON:API document (PATCH). Field name holding the id. */
	jsonApiIdField?: string;
	/** List endpoints: Return All / Limit over these pages. */
	pagination?: PaginationSpec;
	/** Items in a response body (list endpoints), default: the provider's `listItems`. */
	items?: (body: unknown) => IDataObject[];
	/** Output of a single-record response, default: the provider's `recordOf`. */
	record?: (body: unknown) => IDataObject | IDataObject[];
	/** Whether to offer "Simplify" (provider's `simplify` is used). */
	simplify?: boolean;
	/** Headers every request of this operation sends (besides the provider's). */
	headers?: Record<string, string>;
	/** The operation's own code (Create or Update, merge-before-PATCH …). Returns output records. */
	run?: (ctx: OperationContext) => Promise<IDataObject | IDataObject[]>;
	/** Adjust the built request before sending. */
	prepare?: (ctx: OperationContext) => void | Promise<void>;
	/** The request is RPC-style and its response tells nothing: output this instead. */
	emptyResponse?: IDataObject;
}

export interface ResourceSpec {
	value: string;
	/** Singular label: "Contact", "Deal Stage". */
	name: string;
	description?: string;
	operations: OperationSpec[];
}

export interface RateLimitSpec {
	/** Requests allowed per window, before the server says otherwise in headers. */
	requests: number;
	windowMs: number;
	/** How long to pause after a 429 that names no wait (Loymax documents one minute). */
	pauseAfter429Ms?: number;
}

export interface CredentialInfo {
	/** Base URL the paths are relative to (no trailing slash). */
	baseUrl: string;
	/** Values to hide from every message. */
	secrets: string[];
	/** Key for the shared pacing limiter: the same account shares one limiter. */
	limiterKey: string;
	/** Everything else (e.g. Tracking Bot's bot id). */
	data: IDataObject;
	/** The node has this credential set (read with the credential: n8n-core's getNode() deep-copies the node). */
	onNode?: boolean;
	/**
	 * The credential exactly as n8n decrypted it for this execution, for a credential without a
	 * login (no preAuthentication: its data cannot change while the execution runs). The transport
	 * hands it back to n8n with every request, which then does not read (and decrypt) the credential
	 * again for each one.
	 */
	decrypted?: ICredentialsDecrypted;
}

type CredentialReader = (
	fn: IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions,
) => Promise<CredentialInfo>;

export interface ProviderSpec {
	/** "Synergy CRM" — used in messages. */
	displayName: string;
	/** Credential type name, e.g. `synergyCrmApi`. */
	credentialType: string;
	/** Reads the credential: base URL, secrets, limiter key. */
	credential: CredentialReader;
	resources: ResourceSpec[];
	/** Headers sent with every request (Content-Type, Accept). */
	headers?: Record<string, string>;
	/** Headers the user may not override in Custom API Call (auth headers). */
	protectedHeaders?: string[];
	rateLimit?: RateLimitSpec;
	/** The provider's own words in an error body. */
	errorMessage?: (body: unknown) => string | undefined;
	/** Items of a list response. */
	listItems?: (body: unknown) => IDataObject[];
	/** The server's time zone (for `dateZone: 'server'` fields), e.g. from a credential setting. */
	serverZone?: (credential: CredentialInfo) => string | undefined;
	/** The record of a single-record response. */
	recordOf?: (body: unknown) => IDataObject | IDataObject[];
	/** Compact output for "Simplify". */
	simplify?: (record: IDataObject, body: unknown) => IDataObject;
	/**
	 * The credential logs in through preAuthentication: a 401 gets one re-login and retry. Also
	 * assumed when the credential has a `sessionToken` field (the hidden expirable token).
	 */
	login?: boolean;
	/** Offer the "Custom API Call" resource (default: yes). */
	customApiCall?: boolean;
	/** Defaults of the Custom API Call's page-number pagination (parameter names, page size). */
	customPagination?: Pick<PaginationSpec, 'pageParam' | 'sizeParam' | 'maxPageSize'>;
	/** Extra node-level properties (shown for every resource), appended after the table's. */
	extraProperties?: INodeProperties[];
}
