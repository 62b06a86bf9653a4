// The reference y-websocket server for yjs 13 (@y/websocket-server 0.1.1, no persistence), for
// the side-by-side load run. Usage: node y-websocket-server.mjs PORT
process.env.HOST = '127.0.0.1'
process.env.PORT = process.argv[2] ?? ''
if (!/^[0-9]+$/.test(process.env.PORT)) {
  console.error('usage: node y-websocket-server.mjs PORT')
  process.exit(2)
}
delete process.env.YPERSISTENCE
// the package exports no path to its bin; import the file itself
await import(new URL('./node_modules/@y/websocket-server/src/server.js', import.meta.url))
