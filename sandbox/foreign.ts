/**
 * A foreign host for the security suite: a listener on another loopback address (127.0.0.2) or
 * another port that records every request it receives. Redirects from the sandbox point here; a
 * node that keeps the credential in scope never reaches it.
 */
import http from 'http';
import type { AddressInfo } from 'net';

export interface ForeignRequest {
	method: string;
	url: string;
	headers: http.IncomingHttpHeaders;
	body: string;
}

export class ForeignHost {
	readonly received: ForeignRequest[] = [];
	private server?: http.Server;
	port = 0;

	constructor(readonly address = '127.0.0.2') {}

	async start(): Promise<this> {
		this.server = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				this.received.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
				res.writeHead(200, { 'Content-Type': 'application/json' });
				res.end('{"data":[{"id":"foreign"}],"token":"foreign"}');
			});
		});
		await new Promise<void>((resolve, reject) => {
			this.server!.once('error', reject);
			this.server!.listen(0, this.address, () => resolve());
		});
		this.port = (this.server.address() as AddressInfo).port;
		return this;
	}

	/** Base URL, e.g. http://127.0.0.2:PORT */
	get origin(): string {
		return `http://${this.address}:${this.port}`;
	}

	async stop(): Promise<void> {
		if (!this.server) return;
		this.server.closeAllConnections?.();
		await new Promise<void>((resolve) => this.server!.close(() => resolve()));
		this.server = undefined;
	}
}
