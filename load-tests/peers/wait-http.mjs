// Waits until http://127.0.0.1:PORT/ answers (any status), at most SECONDS (default 30).
// Usage: node wait-http.mjs PORT [SECONDS]; exit code 0 when it answered, 1 when not.
import http from 'node:http'

const port = Number(process.argv[2])
const deadline = Date.now() + 1000 * Number(process.argv[3] ?? 30)
const probe = () => new Promise(resolve => {
  const req = http.get({ host: '127.0.0.1', port, path: '/', timeout: 1000 }, res => { res.resume(); resolve(true) })
  req.on('error', () => resolve(false))
  req.on('timeout', () => { req.destroy(); resolve(false) })
})
while (Date.now() < deadline) {
  if (await probe()) process.exit(0)
  await new Promise(r => setTimeout(r, 100))
}
console.error(`nothing answered on 127.0.0.1:${port}`)
process.exit(1)
