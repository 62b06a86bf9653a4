#!/usr/bin/env node
// Real Yjs clients (y-websocket 3.1.0 WebsocketProvider, @hocuspocus/provider 4.8.0) driven by the
// collab-server Java tests. One scenario per run:
//   node clients.mjs <scenario> --url http://127.0.0.1:PORT [--doc NAME] [--clients N] [--ops N] ...
// Progress goes to stderr; the last stdout line is one JSON object {ok: true, ...} or
// {ok: false, error}. Interactive scenarios print "WAITING <what>" on stdout and wait for a line on
// stdin before they go on. Exit code 0 only when ok.
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider'
import WebSocket from 'ws'
import readline from 'node:readline'
import { createHmac } from 'node:crypto'

// Node 20 has no global WebSocket without a flag: every provider gets `ws` explicitly.
const args = process.argv.slice(2)
const scenario = args[0]
const opt = (name, dflt) => {
  const i = args.indexOf('--' + name)
  return i >= 0 ? args[i + 1] : dflt
}
const base = opt('url', 'http://127.0.0.1:1234')
const wsBase = base.replace(/^http/, 'ws')
// --token: used by every client and REST call that is not given one (servers with auth on)
const defaultToken = opt('token')
const authHeaders = (token) => token ? { Authorization: `Bearer ${token}` } : {}
const log = (...a) => console.error(`[${scenario} ${new Date().toISOString().slice(11, 23)}]`, ...a)
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const stdin = readline.createInterface({ input: process.stdin })
const stdinLines = []
const stdinWaiters = []
stdin.on('line', (l) => (stdinWaiters.length ? stdinWaiters.shift()(l) : stdinLines.push(l)))
const waitStdin = (what) => {
  console.log('WAITING ' + what)
  return new Promise((resolve) => (stdinLines.length ? resolve(stdinLines.shift()) : stdinWaiters.push(resolve)))
}

let seed = Number(opt('seed', '42'))
const rand = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff
  return seed / 0x7fffffff
}
const pick = (n) => Math.floor(rand() * n)

async function waitFor (what, cond, timeoutMs = 30000, everyMs = 50) {
  const end = Date.now() + timeoutMs
  let last
  while (Date.now() < end) {
    try {
      last = await cond()
      if (last === true) return
    } catch (e) {
      last = e
    }
    await sleep(everyMs)
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}` + (last && last !== false ? `: ${last}` : ''))
}

// ---------------------------------------------------------------------------- clients

let nextName = 0
function yws (doc, { name, token = defaultToken } = {}) {
  const ydoc = new Y.Doc()
  const provider = new WebsocketProvider(wsBase + '/ws', doc, ydoc, {
    WebSocketPolyfill: WebSocket,
    disableBc: true, // clients of one process must talk through the server only
    params: token ? { token } : {}
  })
  const c = { kind: 'yws', name: name || `yws${nextName++}`, doc, ydoc, provider, awareness: provider.awareness }
  c.synced = () => provider.synced
  c.acked = () => true // y-websocket has no acknowledgements
  c.destroy = () => provider.destroy()
  c.disconnect = () => provider.disconnect()
  c.connect = () => provider.connect()
  c.vanish = () => { // the tab dies: no close frame, no awareness removal from the client
    provider.shouldConnect = false
    provider.ws && provider.ws.terminate()
  }
  return c
}

function hp (doc, { name, socket, sessionAwareness, token = defaultToken } = {}) {
  const ydoc = new Y.Doc()
  const conf = { name: doc, document: ydoc, token: token || 'any-token', sessionAwareness: !!sessionAwareness }
  if (socket) conf.websocketProvider = socket
  else Object.assign(conf, { url: wsBase + '/hocuspocus', WebSocketPolyfill: WebSocket })
  const provider = new HocuspocusProvider(conf)
  if (socket) provider.attach()
  const c = { kind: 'hp', name: name || `hp${nextName++}`, doc, ydoc, provider, awareness: provider.awareness }
  c.authenticated = false
  c.stateless = []
  provider.on('authenticated', () => { c.authenticated = true })
  provider.on('stateless', ({ payload }) => c.stateless.push(payload))
  c.synced = () => provider.isSynced
  c.acked = () => !provider.hasUnsyncedChanges
  c.destroy = () => provider.destroy()
  c.disconnect = () => provider.configuration.websocketProvider.disconnect()
  c.connect = () => provider.configuration.websocketProvider.connect()
  c.vanish = () => {
    const s = provider.configuration.websocketProvider
    s.shouldConnect = false
    s.webSocket && s.webSocket.terminate()
  }
  return c
}

// Y.Map iteration order depends on insertion history, so maps are compared with sorted keys.
const sorted = (v) => Array.isArray(v) ? v.map(sorted)
  : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])])) : v
const contentOf = (ydoc) => JSON.stringify(sorted({
  text: ydoc.getText('text').toString(),
  map: ydoc.getMap('map').toJSON(),
  array: ydoc.getArray('array').toJSON(),
  xml: ydoc.getXmlFragment('xml').toString()
}))

// GET /api/documents/{doc} (JSON of the shared types), or null for 404.
async function restJson (doc, { url = base, format } = {}) {
  const r = await fetch(`${url}/api/documents/${encodeURIComponent(doc)}` + (format ? `?format=${format}` : ''), { headers: authHeaders(defaultToken) })
  if (r.status === 404) return null
  if (r.status !== 200) throw new Error(`GET ${doc}: HTTP ${r.status} ${await r.text()}`)
  return r.json()
}

// The server's JSON equals JSON.stringify(ydoc.toJSON()) of a client, except that the server
// cannot know the type of a root without content, so it leaves such roots out.
const isEmpty = (v) => v === '' || (Array.isArray(v) && v.length === 0) || (v && typeof v === 'object' && Object.keys(v).length === 0)
function jsonMismatch (clientDoc, server) {
  if (server === null) return 'server has no document'
  const client = JSON.parse(JSON.stringify(clientDoc.toJSON()))
  for (const k of new Set([...Object.keys(client), ...Object.keys(server)])) {
    if (!(k in server)) {
      if (!isEmpty(client[k])) return `server JSON lacks root ${k}`
    } else if (JSON.stringify(sorted(server[k])) !== JSON.stringify(sorted(client[k]))) {
      return `root ${k}: server ${JSON.stringify(server[k]).slice(0, 300)} vs client ${JSON.stringify(client[k]).slice(0, 300)}`
    }
  }
  return null
}

// the document's update over REST (a Bearer token when the server checks them), or null for 404
async function restDoc (doc, { url = base, token = defaultToken } = {}) {
  const headers = authHeaders(token)
  const r = await fetch(`${url}/api/documents/${encodeURIComponent(doc)}/update`, { headers })
  if (r.status === 404) return null
  if (r.status !== 200) throw new Error(`GET update ${doc}: HTTP ${r.status} ${await r.text()}`)
  const ydoc = new Y.Doc()
  Y.applyUpdate(ydoc, new Uint8Array(await r.arrayBuffer()))
  return ydoc
}

function edit (c, i) {
  const d = c.ydoc
  const what = pick(8)
  d.transact(() => {
    if (what <= 2) {
      const t = d.getText('text')
      if (t.length > 10 && pick(4) === 0) t.delete(pick(t.length - 3), 1 + pick(3))
      else t.insert(pick(t.length + 1), `${c.name}.${i} `)
    } else if (what <= 3) {
      d.getMap('map').set(`k${pick(8)}`, { by: c.name, i })
    } else if (what <= 5) {
      const a = d.getArray('array')
      if (a.length > 5 && pick(3) === 0) a.delete(pick(a.length), 1)
      else a.insert(pick(a.length + 1), [`${c.name}:${i}`])
    } else {
      const x = d.getXmlFragment('xml')
      const r = pick(6)
      if (x.length > 4 && r === 0) x.delete(pick(x.length), 1)
      else if (x.length > 0 && r <= 2) { // concurrent edits inside existing paragraphs, with marks
        const el = x.get(pick(x.length))
        const t = el.length > 0 ? el.get(0) : null
        if (t instanceof Y.XmlText) t.insert(pick(t.length + 1), `${c.name}${i}`, pick(2) ? { bold: true } : {})
        else el.setAttribute('level', String(i))
      } else {
        const el = new Y.XmlElement(pick(2) ? 'paragraph' : 'heading')
        el.setAttribute('by', c.name)
        el.insert(0, [new Y.XmlText(`${c.name}.${i}`)])
        x.insert(pick(x.length + 1), [el])
      }
    }
  })
}

async function converged (clients, doc, { rest = true } = {}) {
  const want = contentOf(clients[0].ydoc)
  for (const c of clients) {
    if (contentOf(c.ydoc) !== want) return `${c.name} differs from ${clients[0].name}: ${contentOf(c.ydoc).slice(0, 400)} vs ${want.slice(0, 400)}`
    if (!c.acked()) return `${c.name} has unacknowledged changes`
  }
  if (rest) {
    const bad = await serverMismatch(clients[0].ydoc, doc, base)
    if (bad) return bad
  }
  return true
}

// Logs (stderr, shown when a scenario fails) every connect, sync, disconnect and close (code and
// reason) of the clients, and a Close message the server sent for a Hocuspocus document.
function traceConnections (clients) {
  for (const c of clients) {
    if (c.kind === 'yws') {
      c.provider.on('status', ({ status }) => log(c.name, status))
      c.provider.on('sync', (s) => log(c.name, 'sync', s))
      c.provider.on('connection-close', (e) => log(c.name, 'close', e && e.code, e && e.reason))
      c.provider.on('connection-error', (e) => log(c.name, 'error', e && (e.message || e.type)))
    } else {
      const s = c.provider.configuration.websocketProvider
      s.on('status', ({ status }) => log(c.name, status))
      s.on('close', ({ event }) => log(c.name, 'socket close', event && event.code, event && event.reason))
      c.provider.on('synced', () => log(c.name, 'synced'))
      c.provider.on('close', ({ event }) => log(c.name, 'close', event && event.code, event && event.reason))
    }
  }
}

// Clients that are not synced (for waitFor: true when all are).
const unsynced = (clients) => {
  const names = clients.filter((c) => !c.synced()).map((c) => c.name)
  return names.length === 0 || `not synced: ${names.join(', ')}`
}

// Whether the server at url serves the client's state: as a binary update and as JSON.
async function serverMismatch (ydoc, doc, url) {
  const want = contentOf(ydoc)
  const server = await restDoc(doc, { url })
  const got = server ? contentOf(server) : null
  if (got !== want) return `server state (${url}) differs: ${got && got.slice(0, 200)} vs ${want.slice(0, 200)}`
  const bad = jsonMismatch(ydoc, await restJson(doc, { url }))
  if (bad) return `REST JSON (${url}) differs: ${bad}`
  return null
}

// ---------------------------------------------------------------------------- scenarios

const scenarios = {}

// N y-websocket and N Hocuspocus clients per document edit text, map and array concurrently.
scenarios.converge = async () => {
  const docs = opt('docs', 'conv-a,conv-b').split(',')
  const n = Number(opt('clients', '3'))
  const ops = Number(opt('ops', '40'))
  const all = []
  const byDoc = {}
  for (const doc of docs) {
    byDoc[doc] = []
    for (let i = 0; i < n; i++) byDoc[doc].push(yws(doc), hp(doc))
    all.push(...byDoc[doc])
  }
  await waitFor('all clients synced', () => all.every((c) => c.synced()))
  log(`${all.length} clients synced; editing`)
  for (let i = 0; i < ops; i++) {
    for (const c of all) edit(c, i)
    if (i % 5 === 0) await sleep(5)
  }
  for (const doc of docs) {
    await waitFor(`convergence of ${doc}`, () => converged(byDoc[doc], doc))
    const d = byDoc[doc][0].ydoc
    if (opt('verify-url')) { // another server, loading the document from Redis only now: no retry
      // an update that brings nothing new is acknowledged once every earlier append is stored
      const flush = await fetch(`${base}/api/documents/${encodeURIComponent(doc)}/update`, { method: 'POST', body: new Uint8Array([0, 0]) })
      if (flush.status !== 204) throw new Error(`flush POST: HTTP ${flush.status}`)
      const bad = await serverMismatch(d, doc, opt('verify-url'))
      if (bad) throw new Error(`${doc} as loaded from Redis: ${bad}`)
    }
    const delta = await restJson(doc, { format: 'delta' })
    if (JSON.stringify(delta.text) !== JSON.stringify(d.getText('text').toDelta())) throw new Error(`delta of ${doc} differs`)
    if (JSON.stringify(sorted(delta.map)) !== JSON.stringify(sorted(d.getMap('map').toJSON()))) throw new Error(`map of ${doc} differs in delta format`)
    const pm = await restJson(doc, { format: 'prosemirror' })
    const xml = d.getXmlFragment('xml')
    if (pm.xml.type !== 'doc' || pm.xml.content.length !== xml.length) throw new Error(`prosemirror JSON of ${doc}: ${JSON.stringify(pm.xml).slice(0, 300)}`)
    xml.toArray().forEach((el, i) => {
      const node = pm.xml.content[i]
      if (node.type !== el.nodeName || node.attrs.by !== el.getAttribute('by')) throw new Error(`prosemirror node ${i} of ${doc}: ${JSON.stringify(node)}`)
      const text = (node.content || []).map((t) => t.text).join('')
      if (text !== el.get(0).toString().replace(/<\/?bold>/g, '')) throw new Error(`prosemirror text ${i} of ${doc}: ${text} vs ${el.get(0).toString()}`)
    })
  }
  const sizes = docs.map((d) => contentOf(byDoc[d][0].ydoc).length)
  all.forEach((c) => c.destroy())
  return { docs, clients: all.length, contentChars: sizes }
}

// A client edits while disconnected; after reconnecting its edits reach everyone and the server.
scenarios.offline = async () => {
  const doc = opt('doc', 'offline')
  const a = yws(doc, { name: 'A' })
  const b = hp(doc, { name: 'B' })
  const c = hp(doc, { name: 'C' })
  await waitFor('synced', () => a.synced() && b.synced() && c.synced())
  a.ydoc.getText('text').insert(0, 'online ')
  await waitFor('first edit everywhere', () => converged([a, b, c], doc))
  a.disconnect()
  c.disconnect()
  await sleep(200)
  a.ydoc.getText('text').insert(0, 'A-offline ')
  a.ydoc.getMap('map').set('offline', 'A')
  c.ydoc.getArray('array').push(['C-offline'])
  b.ydoc.getText('text').insert(0, 'B-online ')
  await sleep(300)
  if (b.ydoc.getText('text').toString().includes('A-offline')) throw new Error('offline edit leaked before reconnect')
  a.connect()
  c.connect()
  await waitFor('convergence after reconnect', () => converged([a, b, c], doc))
  const text = b.ydoc.getText('text').toString()
  for (const s of ['A-offline', 'B-online', 'online']) if (!text.includes(s)) throw new Error(`missing ${s} in ${text}`)
  if (JSON.stringify(b.ydoc.getArray('array').toJSON()) !== '["C-offline"]') throw new Error('array edit lost')
  ;[a, b, c].forEach((x) => x.destroy())
  return { text }
}

// Writes a large document in many updates (the Java test then restarts the server / waits for
// eviction), then late joiners of both protocols must get it whole at their first sync.
scenarios['large-write'] = async () => {
  const doc = opt('doc', 'large')
  const chunks = Number(opt('chunks', '400'))
  const chunkSize = Number(opt('chunk-size', '2000'))
  const w = hp(doc, { name: 'W' })
  await waitFor('writer synced', () => w.synced())
  for (let i = 0; i < chunks; i++) {
    const t = w.ydoc.getText('text')
    t.insert(t.length, String(i % 10).repeat(chunkSize - 1) + '\n')
    if (i % 20 === 0) w.ydoc.getArray('array').push([i])
    if (i % 50 === 0) await sleep(1)
  }
  await waitFor('all acknowledged', () => w.acked(), 60000)
  w.destroy()
  return { length: w.ydoc.getText('text').length }
}

scenarios['large-read'] = async () => {
  const doc = opt('doc', 'large')
  const expectLength = Number(opt('expect-length'))
  const joiners = [yws(doc, { name: 'late-yws' }), hp(doc, { name: 'late-hp' })]
  const firstSync = {}
  for (const j of joiners) {
    const record = () => { if (!(j.name in firstSync)) firstSync[j.name] = j.ydoc.getText('text').length }
    if (j.kind === 'yws') j.provider.on('sync', (s) => s && record())
    else j.provider.on('synced', record)
  }
  await waitFor('late joiners synced', () => joiners.every((j) => j.name in firstSync), 60000)
  for (const [name, len] of Object.entries(firstSync)) {
    if (len !== expectLength) throw new Error(`${name} saw ${len} characters at its first sync, expected ${expectLength}`)
  }
  const same = contentOf(joiners[0].ydoc) === contentOf(joiners[1].ydoc)
  if (!same) throw new Error('late joiners differ')
  joiners.forEach((j) => j.destroy())
  return { firstSync }
}

// Awareness appears at the other clients and disappears when a client's socket dies.
scenarios.awareness = async () => {
  const doc = opt('doc', 'aw')
  const a = yws(doc, { name: 'A' })
  const b = hp(doc, { name: 'B' })
  const c = yws(doc, { name: 'C' })
  const d = hp(doc, { name: 'D' })
  const all = [a, b, c, d]
  await waitFor('synced', () => all.every((x) => x.synced()))
  for (const x of all) x.awareness.setLocalStateField('user', { name: x.name })
  const sees = (x, y) => { const s = x.awareness.getStates().get(y.ydoc.clientID); return !!(s && s.user && s.user.name === y.name) }
  await waitFor('everyone sees everyone', () => all.every((x) => all.every((y) => sees(x, y))), 15000)
  // A late joiner gets the current states on connect.
  const late = hp(doc, { name: 'late' })
  await waitFor('late joiner sees everyone', () => all.every((y) => sees(late, y)), 15000)
  const t0 = Date.now()
  a.vanish() // y-websocket socket dies without a word
  b.vanish() // Hocuspocus socket dies without a word
  const rest = [c, d, late]
  await waitFor('A and B disappear', () => rest.every((x) => !x.awareness.getStates().has(a.ydoc.clientID) && !x.awareness.getStates().has(b.ydoc.clientID)), 10000)
  const gone = Date.now() - t0
  if (!rest.every((x) => sees(x, c) && sees(x, d))) throw new Error('remaining clients lost each other')
  ;[...all, late].forEach((x) => x.destroy())
  return { goneAfterMs: gone }
}

// Several Hocuspocus documents over one socket (also the name\0sessionId key form), Stateless relay.
scenarios.multiplex = async () => {
  const socket = new HocuspocusProviderWebsocket({ url: wsBase + '/hocuspocus', WebSocketPolyfill: WebSocket })
  const p1 = hp('mux-1', { name: 'p1', socket })
  const p2 = hp('mux-2', { name: 'p2', socket, sessionAwareness: true })
  const p3 = hp('mux-2', { name: 'p3', socket, sessionAwareness: true }) // same document twice on one socket
  const other = hp('mux-2', { name: 'other' })
  const all = [p1, p2, p3, other]
  await waitFor('synced', () => all.every((x) => x.synced()))
  p1.ydoc.getText('text').insert(0, 'one')
  p2.ydoc.getText('text').insert(0, 'two')
  await waitFor('mux-1', () => converged([p1], 'mux-1'))
  await waitFor('mux-2', () => converged([p2, p3, other], 'mux-2'))
  if (p1.ydoc.getText('text').toString() !== 'one') throw new Error('documents leaked into each other')
  p2.provider.sendStateless('hello from p2')
  await waitFor('stateless relayed', () => other.stateless.includes('hello from p2') && p3.stateless.includes('hello from p2'), 5000)
  if (p2.stateless.length) throw new Error('stateless echoed to its sender')
  all.forEach((x) => x.destroy())
  socket.destroy()
  return { ok: true }
}

// Writes, waits for acknowledgements, lets the Java side restart the server, checks every
// acknowledged change is served and clients converge again after reconnecting.
scenarios.restart = async () => {
  const doc = opt('doc', 'restart')
  const a = hp(doc, { name: 'A' })
  const b = yws(doc, { name: 'B' })
  const c = hp(doc, { name: 'C' })
  await waitFor('synced', () => [a, b, c].every((x) => x.synced()))
  traceConnections([a, b, c])
  for (let i = 0; i < 50; i++) { edit(a, i); edit(c, i) }
  await waitFor('acknowledged', () => a.acked() && c.acked(), 30000)
  const acked = contentOf(a.ydoc) // a has seen c's edits? not necessarily: compare per-client content below
  const ackedA = Y.encodeStateVector(a.ydoc)
  const ackedC = Y.encodeStateVector(c.ydoc)
  log('acknowledged; the server restarts')
  await waitStdin('restart')
  log('restarted')
  // every acknowledged change of A and C is on the server
  const server = await restDoc(doc)
  if (!server) throw new Error('document gone after restart')
  const sv = Y.decodeStateVector(Y.encodeStateVector(server))
  for (const [who, svb] of [['A', ackedA], ['C', ackedC]]) {
    for (const [client, clock] of Y.decodeStateVector(svb)) {
      if ((sv.get(client) || 0) < clock) throw new Error(`${who}'s acknowledged changes of client ${client} up to ${clock} missing (server has ${sv.get(client) || 0})`)
    }
  }
  edit(b, 1000)
  edit(a, 1000)
  await waitFor('reconnected and converged', async () => {
    const s = unsynced([a, b, c])
    return s === true ? converged([a, b, c], doc) : s
  }, 30000)
  ;[a, b, c].forEach((x) => x.destroy())
  return { ackedChars: acked.length }
}

// Redis outage in the middle of concurrent editing (the Java side kills and restarts Redis):
// live relay keeps working, acknowledgements wait, documents that are not loaded yet fail with
// 1013, and after Redis returns every client converges, every change is acknowledged, and what
// Redis holds (handed over by the Java side, read from Redis directly) equals the clients' state.
scenarios.outage = async () => {
  const docs = opt('docs', 'out-1,out-2,out-3').split(',')
  const ops = Number(opt('ops', '20'))
  const fresh = opt('fresh-doc', 'out-fresh')
  const byDoc = {}
  const all = []
  for (const doc of docs) {
    byDoc[doc] = [yws(doc), hp(doc), hp(doc)]
    all.push(...byDoc[doc])
  }
  await waitFor('all clients synced', () => all.every((c) => c.synced()))
  const editRound = async (from, to) => {
    for (let i = from; i < to; i++) {
      for (const c of all) edit(c, i)
      await sleep(10)
    }
  }
  await editRound(0, ops)
  for (const doc of docs) await waitFor(`convergence of ${doc} before the outage`, () => converged(byDoc[doc], doc))
  log('converged and acknowledged; Redis goes down')

  await waitStdin('kill')
  await editRound(ops, 2 * ops)
  // live relay without Redis: the clients of each document meet in memory
  const same = (clients) => {
    const want = contentOf(clients[0].ydoc)
    return clients.every((c) => contentOf(c.ydoc) === want) || 'differs'
  }
  for (const doc of docs) await waitFor(`live convergence of ${doc} while Redis is down`, () => same(byDoc[doc]), 15000)
  await sleep(300)
  const hps = all.filter((c) => c.kind === 'hp')
  const unacked = hps.filter((c) => !c.acked()).length
  if (unacked !== hps.length) throw new Error(`only ${unacked} of ${hps.length} Hocuspocus clients wait for acknowledgements while Redis is down`)
  // a document that is not loaded cannot be served from Redis: clear refusal, not an empty document
  const fy = yws(fresh, { name: 'fresh-yws' })
  const closeCodes = []
  fy.provider.on('connection-close', (event) => event && closeCodes.push(event.code))
  await waitFor('fresh y-websocket client refused with 1013', () => closeCodes.includes(1013) || closeCodes.join(','), 10000)
  fy.destroy()
  // the Hocuspocus client of a fresh document: alone on its socket, so the socket is closed with
  // 1013 and the provider keeps reconnecting until Redis is back (checked after the restart)
  const fh = hp(fresh, { name: 'fresh-hp' })
  const hpClose = []
  fh.provider.configuration.websocketProvider.on('close', ({ event }) => hpClose.push({ code: event.code, reason: event.reason }))
  await waitFor('fresh Hocuspocus socket closed with 1013', () => hpClose.some((e) => e.code === 1013 && /storage unavailable/.test(e.reason)) ||
    JSON.stringify(hpClose), 10000)
  if (fh.synced()) throw new Error('a document was served while Redis is down')
  fh.ydoc.getText('text').insert(0, 'fresh while Redis was down')

  await waitStdin('restart')
  await editRound(2 * ops, 2 * ops + 5)
  for (const doc of docs) await waitFor(`convergence of ${doc} after Redis returned`, () => converged(byDoc[doc], doc), 30000)
  await waitFor('the fresh Hocuspocus client got in by itself', () => fh.synced() && fh.acked(), 30000)
  const freshServer = await restDoc(fresh)
  if (!freshServer || freshServer.getText('text').toString() !== 'fresh while Redis was down') throw new Error(`${fresh} on the server: ${freshServer && freshServer.getText('text').toString()}`)
  fh.destroy()
  const stored = JSON.parse(await waitStdin('stored ' + docs.join(',')))
  const result = {}
  for (const doc of docs) {
    const d = new Y.Doc()
    Y.applyUpdate(d, Buffer.from(stored[doc], 'base64'))
    const want = contentOf(byDoc[doc][0].ydoc)
    if (contentOf(d) !== want) throw new Error(`Redis holds a different ${doc}: ${contentOf(d).slice(0, 300)} vs ${want.slice(0, 300)}`)
    const sv = (x) => JSON.stringify([...Y.decodeStateVector(Y.encodeStateVector(x))].sort())
    if (sv(d) !== sv(byDoc[doc][0].ydoc)) throw new Error(`state vectors of ${doc} differ: ${sv(d)} vs ${sv(byDoc[doc][0].ydoc)}`)
    result[doc] = want.length
  }
  all.forEach((c) => c.destroy())
  return { contentChars: result, closeCodes, freshHocuspocusCloses: hpClose.length }
}

// A Hocuspocus document refused for a temporary reason (the node at guards.max-documents, which the
// Java side sets to 2) is retried by the provider on its own once the condition clears: alone on its
// socket, the socket is closed with 1013 and the provider reconnects. On a socket that carries
// another document only the key gets a Close message (the other document goes on); provider 4.8.0
// does not ask for it again on that socket, so the application retries it (detach + attach).
scenarios.retry = async () => {
  const holder = yws('retry-holder', { name: 'holder' }) // takes one of the two document slots
  const socket = new HocuspocusProviderWebsocket({ url: wsBase + '/hocuspocus', WebSocketPolyfill: WebSocket })
  const live = hp('retry-live', { name: 'live', socket }) // the second slot
  await waitFor('holder and live synced', () => holder.synced() && live.synced())
  const closes = (c) => { // socket closes (code, reason) and Close messages (reason) one provider sees
    c.socketCloses = []
    c.keyCloses = []
    const s = c.provider.configuration.websocketProvider
    s.on('close', ({ event }) => c.socketCloses.push({ code: event.code, reason: event.reason }))
    c.provider.on('close', ({ event }) => { if (event.code === 1000) c.keyCloses.push(event.reason) })
  }
  // a second document on the shared socket: refused, and only its key is closed
  const muxed = hp('retry-muxed', { name: 'muxed', socket })
  closes(muxed)
  await waitFor('muxed refused', () => muxed.keyCloses.some((r) => /document limit/.test(r)) || muxed.keyCloses.join())
  muxed.ydoc.getText('text').insert(0, 'typed while refused ')
  live.ydoc.getText('text').insert(0, 'live goes on')
  await waitFor('live acknowledged', () => live.acked())
  if (muxed.socketCloses.length) throw new Error('the shared socket was closed: ' + JSON.stringify(muxed.socketCloses))
  // a document alone on its socket: the socket is closed with 1013, and retried by the provider
  const solo = hp('retry-solo', { name: 'solo' })
  closes(solo)
  solo.ydoc.getText('text').insert(0, 'solo was refused first')
  await waitFor('solo refused with 1013', () => solo.socketCloses.some((e) => e.code === 1013 && /document limit/.test(e.reason)) ||
    JSON.stringify(solo.socketCloses))
  if (solo.synced()) throw new Error('solo synced while the node was at its document limit')
  const refusals = solo.socketCloses.length
  log('solo refused', refusals, 'time(s); the holder leaves')
  holder.destroy() // its document is evicted after session.eviction-grace: a slot frees up
  await waitFor('solo got in by itself', () => solo.synced() && solo.acked(), 20000)
  const server = await restDoc('retry-solo')
  if (!server || server.getText('text').toString() !== 'solo was refused first') throw new Error('server has ' + (server && server.getText('text').toString()))
  if (muxed.synced()) throw new Error('muxed synced without being asked again (the limitation is documented: update docs/protocol.md)')
  // the application retries the refused key on the live socket once there is room again (the key
  // has frames queued on the server meanwhile: what muxed typed while refused)
  solo.destroy()
  await waitFor('solo evicted', async () => {
    const r = await fetch(`${base}/api/system/health`)
    const n = (await r.json()).documents
    return n === 1 || `${n} documents loaded`
  }, 10000)
  muxed.provider.detach()
  muxed.provider.attach()
  await waitFor('muxed in after detach + attach', () => muxed.synced() && muxed.acked(), 10000)
  muxed.ydoc.getText('text').insert(0, 'then attached, ') // the key must stay attached on the server
  await waitFor('muxed acknowledged after the retry', () => muxed.acked(), 10000)
  const mux = await restDoc('retry-muxed')
  if (!mux || mux.getText('text').toString() !== 'then attached, typed while refused ') throw new Error('server has ' + (mux && mux.getText('text').toString()))
  if (muxed.socketCloses.length) throw new Error('the shared socket was closed: ' + JSON.stringify(muxed.socketCloses))
  ;[live, muxed].forEach((c) => c.destroy())
  socket.destroy()
  return { soloRefusals: refusals, soloCloses: solo.socketCloses, muxedCloses: muxed.keyCloses }
}

// Clients of both protocols edit continuously; the Java side kills the server process with
// SIGKILL mid-editing. Every update a Hocuspocus client had been acknowledged (SyncStatus) must be
// served by the restarted server before any client reconnects; then everybody converges.
scenarios.sigkill = async () => {
  const doc = opt('doc', 'sigkill')
  const hps = [hp(doc, { name: 'H1' }), hp(doc, { name: 'H2' })]
  const all = [...hps, yws(doc, { name: 'Y1' }), yws(doc, { name: 'Y2' })]
  await waitFor('synced', () => all.every((c) => c.synced() && c.acked()))
  traceConnections(all)
  for (const c of hps) { // local updates in the order the provider sends them (its handler runs first)
    c.sent = []
    c.ydoc.on('update', (u, origin) => { if (origin !== c.provider) c.sent.push(u) })
  }
  let editing = true
  let i = 0
  const loop = (async () => {
    while (editing) {
      for (const c of all) edit(c, i)
      i++
      await sleep(15)
    }
  })()
  await waitFor('some acknowledgements', () => hps.every((c) => c.sent.length - c.provider.unsyncedChanges >= 20), 30000)
  await waitStdin('kill')
  const connected = (c) => c.kind === 'hp' ? c.provider.configuration.websocketProvider.status === 'connected' : c.provider.wsconnected
  await waitFor('all clients see the server gone', () => all.every((c) => !connected(c)), 15000)
  // Acknowledgements arrive in send order (the server acknowledges in append order): the first
  // sent - unsynced updates of a client are acknowledged.
  const acked = hps.map((c) => ({ name: c.name, n: c.sent.length - c.provider.unsyncedChanges, of: c.sent.length }))
  const ackedUpdates = hps.map((c, k) => Y.mergeUpdates(c.sent.slice(0, acked[k].n)))
  log('acknowledged before the kill', JSON.stringify(acked))
  all.forEach((c) => c.disconnect()) // keep them away until the stored state was checked
  await sleep(200) // more offline edits
  await waitStdin('restart')
  const server = await restDoc(doc)
  if (!server) throw new Error('document gone after restart')
  const before = Y.encodeStateAsUpdate(server)
  for (let k = 0; k < hps.length; k++) {
    const probe = new Y.Doc()
    Y.applyUpdate(probe, before)
    Y.applyUpdate(probe, ackedUpdates[k])
    if (Buffer.compare(Buffer.from(Y.encodeStateAsUpdate(probe)), Buffer.from(before)) !== 0) {
      throw new Error(`${acked[k].name}: acknowledged updates are missing after the restart (${acked[k].n} acknowledged)`)
    }
  }
  all.forEach((c) => c.connect())
  await waitFor('reconnected', () => all.every((c) => connected(c) && c.synced()), 30000)
  await sleep(300) // edits after the reconnect
  editing = false
  await loop
  await waitFor('converged after the restart', () => converged(all, doc), 30000)
  all.forEach((c) => c.destroy())
  return { acked, unacknowledgedAtKill: acked.reduce((s, a) => s + a.of - a.n, 0), edits: i }
}

// Graceful drain: clients of both protocols edit continuously; the Java side sends SIGTERM to the
// server process. Every socket must be closed by the server with 1012, spread over the stagger
// window; every update a Hocuspocus client had acknowledged must be served by the restarted server
// before any client is back; then everybody reconnects and converges.
scenarios.drain = async () => {
  const docs = opt('docs', 'drain-a,drain-b').split(',')
  const per = Number(opt('clients', '2'))
  const all = []
  for (const doc of docs) {
    for (let k = 0; k < per; k++) all.push(hp(doc, { name: `H${doc}.${k}` }), yws(doc, { name: `Y${doc}.${k}` }))
  }
  const hps = all.filter((c) => c.kind === 'hp')
  const closes = []
  for (const c of all) {
    if (c.kind === 'yws') {
      c.provider.on('connection-close', (ev) => { if (ev) closes.push({ name: c.name, code: ev.code, reason: ev.reason, t: Date.now() }) })
    } else {
      c.provider.configuration.websocketProvider.on('close', ({ event }) => closes.push({ name: c.name, code: event.code, reason: event.reason, t: Date.now() }))
    }
  }
  await waitFor('synced', () => all.every((c) => c.synced() && c.acked()))
  traceConnections(all)
  for (const c of hps) {
    c.sent = []
    c.ydoc.on('update', (u, origin) => { if (origin !== c.provider) c.sent.push(u) })
  }
  let editing = true
  let i = 0
  const loop = (async () => {
    while (editing) {
      for (const c of all) edit(c, i)
      i++
      await sleep(20)
    }
  })()
  await waitFor('some acknowledgements', () => hps.every((c) => c.sent.length - c.provider.unsyncedChanges >= 10), 30000)
  const closedBefore = closes.length
  await waitStdin('sigterm')
  // every client's first close after the SIGTERM
  const firsts = () => {
    const m = new Map()
    for (const e of closes.slice(closedBefore)) if (!m.has(e.name)) m.set(e.name, e)
    return m
  }
  await waitFor('every socket closed by the server', () => firsts().size === all.length || `${firsts().size} of ${all.length}`, 30000)
  const first = [...firsts().values()]
  const acked = hps.map((c) => ({ name: c.name, doc: c.doc, n: c.sent.length - c.provider.unsyncedChanges, of: c.sent.length }))
  const ackedUpdates = hps.map((c, k) => Y.mergeUpdates(c.sent.slice(0, acked[k].n)))
  all.forEach((c) => c.disconnect()) // keep them away until the stored state was checked
  log('closes', JSON.stringify(first.map((e) => [e.name, e.code, e.t - first[0].t])))
  await waitStdin('restart')
  for (const doc of docs) {
    const server = await restDoc(doc)
    if (!server) throw new Error(`document ${doc} gone after restart`)
    const before = Y.encodeStateAsUpdate(server)
    hps.forEach((c, k) => {
      if (c.doc !== doc) return
      const probe = new Y.Doc()
      Y.applyUpdate(probe, before)
      Y.applyUpdate(probe, ackedUpdates[k])
      if (Buffer.compare(Buffer.from(Y.encodeStateAsUpdate(probe)), Buffer.from(before)) !== 0) {
        throw new Error(`${acked[k].name}: acknowledged updates are missing after the drain (${acked[k].n} acknowledged)`)
      }
    })
  }
  all.forEach((c) => c.connect())
  const connected = (c) => c.kind === 'hp' ? c.provider.configuration.websocketProvider.status === 'connected' : c.provider.wsconnected
  await waitFor('reconnected', () => all.every((c) => connected(c) && c.synced()), 30000)
  await sleep(300)
  editing = false
  await loop
  for (const doc of docs) await waitFor(`convergence of ${doc} after the restart`, () => converged(all.filter((c) => c.doc === doc), doc), 30000)
  all.forEach((c) => c.destroy())
  const times = first.map((e) => e.t)
  return {
    closes: first.map((e) => ({ name: e.name, code: e.code, reason: e.reason })),
    spreadMs: Math.max(...times) - Math.min(...times),
    acked,
    edits: i
  }
}

// Authentication (server with JWT auth; the Java test mints the tokens): read-write and read-only
// providers of both kinds, one refused, and one that refreshes its short-lived token when asked.
scenarios.auth = async () => {
  const doc = opt('doc', 'auth')
  const [rw, ro, other] = ['token-rw', 'token-ro', 'token-other'].map((k) => opt(k))
  // the refresh tokens are minted when used (HS256 with the test's secret), so a slow start of this
  // process cannot eat the short one's lifetime
  const secret = opt('secret')
  const b64u = (b) => Buffer.from(b).toString('base64url')
  const mint = (claims) => {
    const body = b64u(JSON.stringify({ alg: 'HS256', typ: 'JWT' })) + '.' + b64u(JSON.stringify(claims))
    return body + '.' + createHmac('sha256', secret).update(body).digest('base64url')
  }
  const tokenFor = (seconds) => mint({ sub: 'n-refresher', exp: Math.floor(Date.now() / 1000) + seconds, docs: { [doc]: 'rw' } })
  const w = hp(doc, { name: 'writer', token: rw })
  const r = hp(doc, { name: 'reader', token: ro })
  const yw = yws(doc, { name: 'ywriter', token: rw })
  const yr = yws(doc, { name: 'yreader', token: ro })
  const denied = hp(doc, { name: 'denied', token: other })
  let deniedReason = null
  denied.provider.on('authenticationFailed', ({ reason }) => { deniedReason = reason })
  await waitFor('the refused provider is told why', () => deniedReason !== null)
  if (!/forbidden/.test(deniedReason)) throw new Error('unexpected reason ' + deniedReason)
  await waitFor('synced', () => [w, r, yw, yr].every((c) => c.synced()))
  if (w.provider.authorizedScope !== 'read-write') throw new Error('writer scope ' + w.provider.authorizedScope)
  if (r.provider.authorizedScope !== 'readonly') throw new Error('reader scope ' + r.provider.authorizedScope)
  const text = (c) => c.ydoc.getText('text').toString()
  w.ydoc.getText('text').insert(0, 'from-writer ')
  await waitFor('everyone sees the writer', () => [r, yw, yr].every((c) => text(c).includes('from-writer')))
  await waitFor('writer acknowledged', () => w.acked())
  r.ydoc.getText('text').insert(0, 'from-reader ')
  yr.ydoc.getText('text').insert(0, 'from-reader-yws ')
  yw.ydoc.getText('text').insert(text(yw).length, 'tail-from-ywriter')
  await waitFor('the y-websocket writer reaches the Hocuspocus writer', () => text(w).includes('tail-from-ywriter'))
  await sleep(500)
  if (r.acked()) throw new Error("the read-only provider's change was acknowledged")
  for (const c of [w, yw]) if (text(c).includes('from-reader')) throw new Error(`${c.name} got a read-only change: ${text(c)}`)
  const server = await restDoc(doc, { token: rw })
  if (!server || text({ ydoc: server }).includes('from-reader')) throw new Error('server state: ' + (server && text({ ydoc: server })))
  // Token refresh: the first token lives 3 s; the server asks for a new one before it expires and
  // the provider's token function hands out the long-lived one: no disconnect, still writing.
  let calls = 0
  let disconnects = 0
  const f = hp(doc, { name: 'refresher', token: () => tokenFor(calls++ === 0 ? 3 : 600) })
  f.provider.configuration.websocketProvider.on('disconnect', () => disconnects++)
  await waitFor('refresher synced', () => f.synced())
  await sleep(4500)
  if (calls < 2) throw new Error('the server did not ask for a fresh token')
  if (disconnects) throw new Error('the refreshing provider was disconnected')
  f.ydoc.getText('text').insert(0, 'after-refresh ')
  await waitFor('refresher acknowledged after its first token expired', () => f.acked() && text(w).includes('after-refresh'))
  ;[w, r, yw, yr, denied, f].forEach((c) => c.destroy())
  return { text: text(w), deniedReason, tokenCalls: calls }
}

// ---------------------------------------------------------------------------- main

const timeout = setTimeout(() => {
  console.log(JSON.stringify({ ok: false, error: 'scenario timed out (120 s)' }))
  process.exit(3)
}, Number(opt('timeout-ms', '120000')))

try {
  if (!scenarios[scenario]) throw new Error('unknown scenario ' + scenario)
  const result = await scenarios[scenario]()
  clearTimeout(timeout)
  // stdout to a pipe is asynchronous: exit only once the result line is flushed
  process.stdout.write(JSON.stringify({ ok: true, ...result }) + '\n', () => process.exit(0))
} catch (e) {
  process.stdout.write(JSON.stringify({ ok: false, error: String(e && e.stack || e) }) + '\n', () => process.exit(1))
}
