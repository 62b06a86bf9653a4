// Hocuspocus 3.4.4 with its defaults (no extensions: documents live in memory only), for the
// side-by-side load run (load-tests/run-side-by-side.sh). Usage: node hocuspocus-server.mjs PORT
import { Server } from '@hocuspocus/server'

const port = Number(process.argv[2])
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: node hocuspocus-server.mjs PORT')
  process.exit(2)
}
const server = new Server({ port, address: '127.0.0.1', quiet: true, stopOnSignals: true })
await server.listen()
console.log(`hocuspocus 3.4.4 listening on 127.0.0.1:${port}`)
