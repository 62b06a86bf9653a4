#!/usr/bin/env node
// Runs `npm ci --no-audit --no-fund` in DIR (a Node project with a package-lock.json) unless its
// node_modules was installed from exactly the current package-lock.json (a stamp file written
// after a successful install records its hash). Uses only Node built-ins, so it works before
// anything is installed. The Maven builds call it for crdt/oracle and collab-server/src/test/node.
//   node tools/npm-install-deps.mjs DIR [--npm <npm executable>]
import fs from 'node:fs'
import path from 'node:path'
import crypto from 'node:crypto'
import { spawnSync } from 'node:child_process'

const args = process.argv.slice(2)
const npmIdx = args.indexOf('--npm')
const npm = npmIdx >= 0 ? args[npmIdx + 1] : 'npm'
const dirArg = args.find((a, i) => !a.startsWith('--') && (npmIdx < 0 || i !== npmIdx + 1))
if (!dirArg) {
  console.error('usage: node tools/npm-install-deps.mjs DIR [--npm <npm executable>]')
  process.exit(2)
}
const here = path.resolve(dirArg)
const tag = `[npm-install-deps ${path.basename(here)}]`

const hash = crypto.createHash('sha256')
  .update(fs.readFileSync(path.join(here, 'package.json')))
  .update(fs.readFileSync(path.join(here, 'package-lock.json')))
  .update(process.versions.node)
  .digest('hex')
const stamp = path.join(here, 'node_modules', '.tandem-install-stamp')

const current = () => {
  try {
    if (fs.readFileSync(stamp, 'utf8').trim() !== hash) return false
    const lock = JSON.parse(fs.readFileSync(path.join(here, 'package-lock.json'), 'utf8'))
    // every locked package must still be on disk at the locked version
    for (const [p, info] of Object.entries(lock.packages || {})) {
      if (!p.startsWith('node_modules/')) continue
      const pj = JSON.parse(fs.readFileSync(path.join(here, p, 'package.json'), 'utf8'))
      if (pj.version !== info.version) return false
    }
    return true
  } catch (e) {
    return false
  }
}

if (current()) {
  console.log(`${tag} node_modules matches package-lock.json; skipping npm ci`)
} else {
  console.log(`${tag} npm ci --no-audit --no-fund`)
  const r = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: here, stdio: 'inherit', shell: process.platform === 'win32' })
  if (r.error) {
    console.error(`${tag} could not run ${npm}: ${r.error.message}`)
    process.exit(1)
  }
  if (r.status !== 0) process.exit(r.status ?? 1)
  fs.writeFileSync(stamp, hash + '\n')
}
