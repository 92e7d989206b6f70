import { createServer, Server, Socket, connect } from 'node:net';
import { once } from 'node:events';

/** A TCP proxy to the database that a test can cut and restore, to play a network outage. */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async open(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.targetPort, this.targetHost);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    this.server.listen(this.port, '127.0.0.1');
    await once(this.server, 'listening');
    this.port = (this.server.address() as { port: number }).port;
  }

  /** Drops every open connection and refuses new ones. */
  async cut(): Promise<void> {
    const closed = this.server ? once(this.server, 'close') : Promise.resolve();
    this.server?.close();
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  /** Accepts connections again, on the same port. */
  restore(): Promise<void> {
    return this.open();
  }
}
