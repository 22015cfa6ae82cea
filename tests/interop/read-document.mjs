// Usage: node read-document.mjs <server-url> <linking-code>
//
// Proves that a standard JavaScript automerge-repo client can read a document from our sync
// server the way a browser does: trade a linking code for a device credential, trade that for a
// single-use sync ticket, and sync over `ws://…/sync?ticket=…`. Prints one JSON line with the
// programme document's top-level fields and exits 0; on any failure prints why on stderr and
// exits 1. Gives up after 20 s.
import { randomBytes } from "node:crypto"
import { Repo, isImmutableString } from "@automerge/automerge-repo"
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket"

const TIMEOUT_MS = 20_000

function fail(message) {
  process.stderr.write(`read-document: ${message}\n`)
  process.exit(1)
}
// The websocket adapter throws from its error listener (e.g. on a 401 at the upgrade).
const reason = e => `${e?.message ?? e}${e?.cause ? ` (${e.cause.message ?? e.cause})` : ""}`
process.on("uncaughtException", e => fail(reason(e)))
process.on("unhandledRejection", e => fail(reason(e)))
setTimeout(() => fail(`timed out after ${TIMEOUT_MS / 1000} s`), TIMEOUT_MS).unref()

const [serverUrl, linkingCode] = process.argv.slice(2)
if (!serverUrl || !linkingCode) fail("usage: node read-document.mjs <server-url> <linking-code>")
const base = serverUrl.replace(/\/+$/, "")

// One API call; a non-2xx answer fails with the server's error code and message.
async function api(method, path, credential, body) {
  const headers = { "content-type": "application/json" }
  if (credential) headers.authorization = `Bearer ${credential}`
  const response = await fetch(base + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  if (!response.ok) fail(`${method} ${path} answered ${response.status}: ${text}`)
  return text ? JSON.parse(text) : null
}

// 1. Become a new device of the person who made the linking code.
const peerId = `device-js-${randomBytes(8).toString("hex")}`
const { credential } = await api("POST", "/api/devices/join", null, {
  code: linkingCode,
  peer: peerId,
  label: "automerge-repo interop test",
  attempt: randomBytes(16).toString("hex"),
})

// 2. The documents she may read; take the programme document.
const directory = await api("GET", "/api/directory", credential)
const programme = directory.documents.find(d => d.entry?.kind === "programme")
if (!programme) fail(`no programme document in the directory: ${JSON.stringify(directory)}`)

// 3. A single-use ticket for the sync socket (a browser cannot set headers on a WebSocket).
const { ticket } = await api("POST", "/api/sync-tickets", credential, {})

// 4. A standard Repo, connected with the ticket, as the device the credential belongs to. The
//    ticket is good once, so a reconnect with the same URL would be refused: report the close.
class TicketAdapter extends WebSocketClientAdapter {
  constructor(url) {
    super(url, 60_000) // no retries within this run
    const onClose = this.onClose
    this.onClose = event => {
      if (!done) fail(`socket closed: ${event.code} ${event.reason || "(no reason)"}`)
      onClose(event)
    }
  }
}
let done = false
const wsUrl = `${base.replace(/^http/, "ws")}/sync?ticket=${encodeURIComponent(ticket)}`
const repo = new Repo({ network: [new TicketAdapter(wsUrl)], peerId })

// 5. Fetch the document; find() resolves once it is there (and throws if it is unavailable).
const handle = await repo.find(programme.id)
let doc = handle.doc()
while (!doc?.name) {
  await new Promise(resolve => handle.once("change", resolve))
  doc = handle.doc()
}

// 6. Its top-level fields: scalars as they are (a Rust-written string is an ImmutableString),
//    maps and lists by size.
const summary = { id: programme.id, access: programme.access }
for (const [key, value] of Object.entries(doc)) {
  if (isImmutableString(value)) summary[key] = value.toString()
  else if (value !== null && typeof value === "object")
    summary[key] = `<${Object.keys(value).length} entries>`
  else summary[key] = value
}
// Rust writes its integers as unsigned, which reach JavaScript as BigInt.
const json = JSON.stringify(summary, (_, v) => (typeof v === "bigint" ? Number(v) : v))
process.stdout.write(json + "\n")
done = true
await repo.shutdown().catch(() => {})
process.exit(0)
