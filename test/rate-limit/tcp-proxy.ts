import { createServer, type Server, Socket } from 'node:net';

/**
 * A TCP proxy on loopback in front of a Redis: it can delay every chunk each way (Redis "20 ms
 * away") and cut every connection (a partition: new ones are closed at once until `restore()`).
 * For the limiter's tests and bench/rate-limit.ts.
 */
export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private cutOff = false;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  /** Starts a proxy to `targetPort` on 127.0.0.1, delaying each chunk by `delayMs` each way. */
  static async start(targetPort: number, delayMs = 0): Promise<TcpProxy> {
    let proxy: TcpProxy | undefined;
    const server = createServer((client) => proxy?.accept(client, targetPort, delayMs));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    proxy = new TcpProxy(server, typeof address === 'object' && address ? address.port : 0);
    return proxy;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Drops every connection, and closes new ones at once, until `restore()`. */
  cut(): void {
    this.cutOff = true;
    for (const socket of this.sockets) socket.destroy();
  }

  restore(): void {
    this.cutOff = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket, targetPort: number, delayMs: number): void {
    if (this.cutOff) {
      client.destroy();
      return;
    }
    const upstream = new Socket();
    upstream.connect(targetPort, '127.0.0.1');
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      this.sockets.add(from);
      from.setNoDelay(true);
      from.on('data', (chunk: Buffer) => {
        if (delayMs <= 0) to.write(chunk);
        else setTimeout(() => to.writable && to.write(chunk), delayMs);
      });
      from.on('error', () => to.destroy());
      from.on('close', () => {
        this.sockets.delete(from);
        // after the chunks still on their way (delayed) have been written
        if (delayMs <= 0 || this.cutOff) to.destroy();
        else setTimeout(() => to.end(), delayMs + 1);
      });
    }
  }
}
