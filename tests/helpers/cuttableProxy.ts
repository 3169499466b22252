import { createServer, connect, type Server, type Socket } from 'node:net'

/**
 * A TCP relay in front of the database server whose line a test can cut
 * (every connection broken, new ones refused) and mend (accepting again on
 * the same port): the desk sees exactly what a pulled cable or a stopped
 * server looks like from its side.
 */
export interface CuttableProxy {
  port: number
  /** The URL with the relay in place of the server's host and port. */
  via(url: string): string
  cut(): Promise<void>
  mend(): Promise<void>
  close(): Promise<void>
}

export async function cuttableProxy(target: { host: string; port: number }): Promise<CuttableProxy> {
  const sockets = new Set<Socket>()
  let server: Server | null = null
  let port = 0
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const next = createServer((client) => {
        const upstream = connect(target.port, target.host)
        for (const [a, b] of [
          [client, upstream],
          [upstream, client],
        ] as const) {
          sockets.add(a)
          a.pipe(b)
          a.on('error', () => b.destroy())
          a.on('close', () => {
            sockets.delete(a)
            b.destroy()
          })
        }
      })
      next.once('error', reject)
      next.listen(port, '127.0.0.1', () => {
        port = (next.address() as { port: number }).port
        server = next
        resolve()
      })
    })
  const stop = async () => {
    const closing = server
    server = null
    for (const socket of sockets) socket.destroy()
    sockets.clear()
    if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()))
  }
  await listen()
  return {
    get port() {
      return port
    },
    via(url) {
      const u = new URL(url)
      u.hostname = '127.0.0.1'
      u.port = String(port)
      return u.toString()
    },
    cut: stop,
    mend: listen,
    close: stop,
  }
}
