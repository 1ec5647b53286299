import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What every platform simulator does as an HTTP server: listen on a port of its own (tests,
 * `pnpm start`), or have `handle` mounted in another node:http server. Inside another program it
 * must not keep that program alive (a script or test that closed its app exits); a standalone
 * simulator (its main.ts) keeps itself alive with `keepAlive()`.
 */
export abstract class SimServer {
  /** Where it listens, once `listen` resolved. */
  url = '';
  private server: Server | null = null;

  abstract handle(req: IncomingMessage, res: ServerResponse): Promise<void>;

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => server.listen(port, host, resolve));
    this.server = server;
    server.unref();
    this.url = `http://${host}:${(server.address() as AddressInfo).port}`;
    return this.url;
  }

  /** For a process that is only this simulator: its listening socket keeps the process running. */
  keepAlive(): void {
    this.server?.ref();
  }

  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = null;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
