#!/usr/bin/env node
// tlsdoctor benchmark: scans the same local TLS servers with tlsdoctor and its peers (sslscan,
// nmap ssl-enum-ciphers, optionally testssl.sh), directly on loopback and through a latency proxy,
// and reports wall times, ratios to tlsdoctor and whether the per-protocol suite sets agree.
// Plain Node ESM, no build step (it imports the cipher registry from dist/, built by `npm ci`).
// Run `node bench/run.mjs --help` for the flags.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// ../shared/bench/latency-proxy.mjs beside the repo; a worktree (/work/wt/NAME) finds it one level further up.
const PROXY = [resolve(REPO, '..', 'shared'), resolve(REPO, '..', '..', 'shared')]
  .map((d) => join(d, 'bench', 'latency-proxy.mjs')).find((f) => existsSync(f)) ?? resolve(REPO, '..', 'shared', 'bench', 'latency-proxy.mjs');
const PROTOCOLS = ['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];
const SERVER_NAMES = ['modern', 'legacy', '3des'];
// Our own proxy for the "+ TCP handshake" rows (--tcp-handshake).
const TCP_PROXY = join(REPO, 'bench', 'tcp-rtt-proxy.mjs');
const TOOL_NAMES = ['tlsdoctor', 'sslscan', 'nmap', 'testssl'];

const USAGE = `Usage: node bench/run.mjs [options]      (npm run bench -- [options])

Starts local TLS servers on 127.0.0.1 (certificates made now with the openssl CLI):
  modern  nginx, TLS 1.2+1.3, ECDHE+DHE AEAD suites, server order on
  legacy  nginx, TLS 1.0-1.3, 'ALL:@SECLEVEL=0', server order on
  3des    gnutls-serv, TLS 1.0-1.2, 3DES + CBC + GCM, %SERVER_PRECEDENCE
then scans each with tlsdoctor, sslscan and nmap --script ssl-enum-ciphers (and testssl.sh with
--testssl), on loopback and through ../shared/bench/latency-proxy.mjs, and prints wall times (median
of --runs), each tool's time divided by tlsdoctor's, and whether each tool's per-protocol suite sets
equal tlsdoctor's. Writes the table and the conditions of the run to --out.

Options:
  --rtt MS            round trip added by the latency proxy (default 50; 0 = loopback rows only)
  --tcp-handshake     also rows through bench/tcp-rtt-proxy.mjs at the same RTT, which makes each
                      connection's TCP handshake cost a round trip too, as a real network does (the
                      shared latency proxy delays only data); not the issue's goal rows
  --runs N            runs per tool, server and path; the median is reported (default 3)
  --testssl           also run testssl.sh -E (slow: minutes per scan at 50 ms RTT)
  --testssl-runs N    runs of testssl.sh (default 1)
  --only NAME[,NAME]  only these servers (${SERVER_NAMES.join(', ')}) and/or peer tools (sslscan, nmap,
                      testssl); tlsdoctor always runs, it is the reference
  --out FILE          results file, overwritten (default bench/RESULTS.md)
  --timeout S         deadline of one tool run in seconds (default 300; testssl gets 4x)
  --keep-extra-ca-certs
                      keep NODE_EXTRA_CA_CERTS in the tools' environment (by default it is removed:
                      Node 20 reads that file at every start, before any of tlsdoctor's code runs;
                      the results record what it costs here)
  -h, --help          this text

A missing peer tool is reported and skipped. Servers and proxies are stopped at the end, also on
errors and Ctrl-C. The 1-minute load average is recorded; above 1.5 the results carry a WARN.`;

// ---------------------------------------------------------------- options

function parseArgs(argv) {
  const o = { rtt: 50, runs: 3, tcpHandshake: false, keepExtraCa: false, testssl: false, testsslRuns: 1, only: null, out: join(REPO, 'bench', 'RESULTS.md'), timeoutS: 300 };
  const num = (flag, v, min) => {
    const n = Number(v);
    if (v === undefined || !Number.isInteger(n) || n < min) fail(`${flag} needs an integer >= ${min}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    switch (a) {
      case '-h': case '--help': process.stdout.write(USAGE + '\n'); process.exit(0); break;
      case '--rtt': o.rtt = num(a, v, 0); i++; break;
      case '--runs': o.runs = num(a, v, 1); i++; break;
      case '--testssl': o.testssl = true; break;
      case '--tcp-handshake': o.tcpHandshake = true; break;
      case '--keep-extra-ca-certs': o.keepExtraCa = true; break;
      case '--testssl-runs': o.testsslRuns = num(a, v, 1); i++; break;
      case '--timeout': o.timeoutS = num(a, v, 1); i++; break;
      case '--out': if (!v) fail('--out needs a file'); o.out = resolve(v); i++; break;
      case '--only': {
        if (!v) fail('--only needs a name');
        o.only = v.split(',').map((s) => s.trim()).filter(Boolean);
        for (const n of o.only) if (!SERVER_NAMES.includes(n) && !TOOL_NAMES.includes(n)) fail(`--only: unknown name ${n} (servers: ${SERVER_NAMES.join(', ')}; tools: ${TOOL_NAMES.join(', ')})`);
        i++;
        break;
      }
      default: fail(`unknown argument ${a} (see --help)`);
    }
  }
  return o;
}

function fail(msg) {
  process.stderr.write(`bench: ${msg}\n`);
  process.exit(2);
}

// ---------------------------------------------------------------- processes (always cleaned up)

const live = new Set();
let tmp = null;

function killGroup(child, sig) {
  try { process.kill(-child.pid, sig); } catch { try { child.kill(sig); } catch { /* gone */ } }
}

function cleanupSync() {
  for (const c of live) killGroup(c, 'SIGKILL');
  live.clear();
  if (tmp) { try { rmSync(tmp, { recursive: true, force: true }); } catch { /* best effort */ } tmp = null; }
}

process.on('exit', cleanupSync);
for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.on(sig, () => { process.stderr.write(`\nbench: ${sig}, stopping servers and proxies\n`); cleanupSync(); process.exit(code); });
}
process.on('uncaughtException', (e) => { process.stderr.write(`bench: ${e?.stack ?? e}\n`); cleanupSync(); process.exit(1); });
process.on('unhandledRejection', (e) => { process.stderr.write(`bench: ${e?.stack ?? e}\n`); cleanupSync(); process.exit(1); });

/**
 * The tools' environment. NODE_EXTRA_CA_CERTS is removed unless --keep-extra-ca-certs: Node 20
 * parses that file at every process start, before a line of the program runs (nodejs/node#40524;
 * with this machine's 144-certificate bundle, `node -e 0` took 137 ms instead of 85, medians of 21).
 * A sandbox sets it; a default install does not. Only Node reads it: sslscan, nmap and testssl.sh
 * run the same either way. startupCost() measures it again on each run, for the results.
 */
let toolEnv = { ...process.env, NO_COLOR: '1' };
function setToolEnv(keepExtraCa) {
  toolEnv = { ...process.env, NO_COLOR: '1' };
  if (!keepExtraCa) delete toolEnv.NODE_EXTRA_CA_CERTS;
}

/** Runs a command to its end (or its deadline), in its own process group; wall time around the whole process. */
function run(cmd, args, { timeoutMs = 300_000, cwd = REPO, maxBytes = 64 << 20, env = toolEnv } = {}) {
  return new Promise((resolveRun) => {
    const t0 = process.hrtime.bigint();
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let child;
    try {
      child = spawn(cmd, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
    } catch (e) {
      resolveRun({ code: null, signal: null, stdout, stderr: String(e), ms: 0, timedOut, error: String(e) });
      return;
    }
    live.add(child);
    child.stdout.on('data', (d) => { if (stdout.length < maxBytes) stdout += d; });
    child.stderr.on('data', (d) => { if (stderr.length < maxBytes) stderr += d; });
    const timer = setTimeout(() => { timedOut = true; killGroup(child, 'SIGKILL'); }, timeoutMs);
    let spawnError = null;
    child.on('error', (e) => { spawnError = String(e); });
    child.on('close', (code, signal) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      clearTimeout(timer);
      live.delete(child);
      resolveRun({ code, signal, stdout, stderr, ms, timedOut, error: spawnError });
    });
  });
}

/** A long-running process (server, proxy): resolves once `port` accepts TCP. */
async function startDaemon(label, cmd, args, port, { cwd = REPO } = {}) {
  let out = '';
  const child = spawn(cmd, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  child.stdout.on('data', (d) => { if (out.length < 1 << 16) out += d; });
  child.stderr.on('data', (d) => { if (out.length < 1 << 16) out += d; });
  let exited = null;
  child.on('error', (e) => { exited = String(e); });
  child.on('exit', (code, sig) => { exited = exited ?? `exited with ${code ?? sig}`; live.delete(child); });
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (exited) throw new Error(`${label} did not start (${exited}): ${out.trim().slice(0, 2000)}`);
    if (await portOpen(port)) break;
    if (Date.now() > deadline) { killGroup(child, 'SIGKILL'); throw new Error(`${label} did not listen on ${port} within 15 s: ${out.trim().slice(0, 2000)}`); }
    await sleep(50);
  }
  return {
    label, port, child, log: () => out,
    stop: () => new Promise((res) => {
      if (exited) return res();
      const k = setTimeout(() => killGroup(child, 'SIGKILL'), 2000);
      child.once('exit', () => { clearTimeout(k); res(); });
      killGroup(child, 'SIGTERM');
    }),
  };
}

/** Runs a tool once against a counting relay in front of `port`; resolves to the connections it opened. */
async function countConnections(port, argvFor, timeoutMs) {
  let n = 0;
  const socks = new Set();
  const relay = net.createServer((c) => {
    n++;
    const u = net.connect(port, '127.0.0.1');
    for (const x of [c, u]) { socks.add(x); x.on('close', () => socks.delete(x)); }
    c.on('error', () => u.destroy());
    u.on('error', () => c.destroy());
    c.pipe(u);
    u.pipe(c);
  });
  await new Promise((res, rej) => { relay.once('error', rej); relay.listen(0, '127.0.0.1', res); });
  try {
    const [cmd, args] = argvFor(relay.address().port);
    const r = await run(cmd, args, { timeoutMs });
    if (r.timedOut || r.error) throw new Error(r.error ?? 'timed out');
    return n;
  } finally {
    for (const x of socks) x.destroy();
    await new Promise((res) => relay.close(() => res()));
  }
}

function portOpen(port) {
  return new Promise((res) => {
    const s = net.connect({ port, host: '127.0.0.1' });
    const t = setTimeout(() => { s.destroy(); res(false); }, 1000);
    s.once('connect', () => { clearTimeout(t); s.destroy(); res(true); });
    s.once('error', () => { clearTimeout(t); res(false); });
  });
}

function freePort() {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function hasCommand(cmd) {
  try { execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }); return true; } catch { return false; }
}

/** A version string: stdout and stderr together (nginx -v writes to stderr). */
function firstLine(cmd, args, pick = (s) => s.split('\n').find((l) => l.trim()) ?? '') {
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 });
  const s = stripAnsi(`${r.stdout ?? ''}${r.stderr ?? ''}`);
  return s.trim() ? pick(s).trim() : '?';
}

// eslint-disable-next-line no-control-regex
const stripAnsi = (s) => s.replace(/\u001b\[[0-9;]*m/g, '');

// ---------------------------------------------------------------- certificates and servers

function openssl(args) {
  execFileSync('openssl', args, { cwd: tmp, stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 });
}

function makeMaterial() {
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '7',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1']);
  openssl(['genpkey', '-genparam', '-algorithm', 'DH', '-pkeyopt', 'group:ffdhe2048', '-out', 'dhparam.pem']);
  return { cert: join(tmp, 'cert.pem'), key: join(tmp, 'key.pem'), dh: join(tmp, 'dhparam.pem') };
}

const MODERN_CIPHERS = 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305:' +
  'DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305';
const GNUTLS_3DES_PRIORITY = 'NONE:+VERS-TLS1.2:+VERS-TLS1.1:+VERS-TLS1.0:+ECDHE-RSA:+RSA:+AES-128-CBC:+AES-256-CBC:+3DES-CBC:' +
  '+AES-128-GCM:+SHA1:+SHA256:+AEAD:+COMP-NULL:+SIGN-ALL:+GROUP-ALL:%SERVER_PRECEDENCE';

const SERVERS = {
  modern: {
    describe: 'nginx: TLS 1.2+1.3; ECDHE and DHE (ffdhe2048) AEAD suites; server order on',
    expected: () => expectedOpenSSL(MODERN_CIPHERS, ['TLSv1.2', 'TLSv1.3']),
    start: (m) => startNginx('modern', m, [
      'ssl_protocols TLSv1.2 TLSv1.3;',
      `ssl_ciphers '${MODERN_CIPHERS}';`,
      'ssl_prefer_server_ciphers on;',
      `ssl_dhparam ${m.dh};`,
    ]),
  },
  legacy: {
    describe: "nginx: TLS 1.0-1.3; ssl_ciphers 'ALL:@SECLEVEL=0' (many suites); server order on",
    expected: () => expectedOpenSSL('ALL:@SECLEVEL=0', ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']),
    start: (m) => startNginx('legacy', m, [
      'ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;',
      "ssl_ciphers 'ALL:@SECLEVEL=0';",
      'ssl_prefer_server_ciphers on;',
      `ssl_dhparam ${m.dh};`,
    ]),
  },
  '3des': {
    describe: `gnutls-serv: TLS 1.0-1.2; 3DES, AES-CBC and AES-GCM with RSA and ECDHE-RSA; %SERVER_PRECEDENCE`,
    expected: () => expectedGnuTLS(GNUTLS_3DES_PRIORITY),
    start: async (m) => {
      const port = await freePort();
      const args = ['--port', String(port), '--x509certfile', m.cert, '--x509keyfile', m.key, '--http', '--quiet',
        '--priority', GNUTLS_3DES_PRIORITY];
      const d = await startDaemon('gnutls-serv 3des', 'gnutls-serv', args, port, { cwd: tmp });
      d.command = `gnutls-serv ${args.map(shellQuote).join(' ')}`;
      return d;
    },
  },
};

// What a server is configured to accept, per protocol, in its preference order, from the server's own
// library: `openssl ciphers -V -s -<version> STRING` (nginx; suites an RSA certificate can serve: RSA or
// anonymous authentication, no PSK/SRP, which need callbacks nginx does not set) and `gnutls-cli -l
// --priority P` (gnutls-serv; each suite at every enabled version from its minimum up).
const OPENSSL_VERSION_FLAG = { 'TLSv1.0': '-tls1', 'TLSv1.1': '-tls1_1', 'TLSv1.2': '-tls1_2', 'TLSv1.3': '-tls1_3' };
function expectedOpenSSL(cipherString, versions) {
  const sets = emptySets();
  const order = new Map();
  for (const v of versions) {
    const r = spawnSync('openssl', ['ciphers', '-V', '-s', OPENSSL_VERSION_FLAG[v], cipherString], { encoding: 'utf8', timeout: 20_000 });
    if (r.status !== 0) throw new Error(`openssl ciphers ${v}: ${r.stderr}`);
    const list = [];
    for (const m of r.stdout.matchAll(/0x([0-9A-F]{2}),0x([0-9A-F]{2}) - \S+\s+(\S+)\s+Kx=(\S+)\s+Au=(\S+)/gi)) {
      const [, hi, lo, proto, kx, au] = m;
      if ((v === 'TLSv1.3') !== (proto === 'TLSv1.3')) continue;
      if (!['RSA', 'None', 'any'].includes(au) || /PSK|SRP/.test(kx)) continue;
      list.push(parseInt(hi + lo, 16));
    }
    for (const c of list) sets.get(v).add(c);
    order.set(v, list);
  }
  return { sets, order };
}

function expectedGnuTLS(priority) {
  const r = spawnSync('gnutls-cli', ['-l', '--priority', priority], { encoding: 'utf8', timeout: 20_000 });
  if (r.status !== 0) throw new Error(`gnutls-cli -l: ${r.stderr}`);
  const rank = { 'SSL3.0': 1, 'TLS1.0': 2, 'TLS1.1': 3, 'TLS1.2': 4, 'TLS1.3': 5 };
  const names = { 'VERS-SSL3.0': 'SSLv3', 'VERS-TLS1.0': 'TLSv1.0', 'VERS-TLS1.1': 'TLSv1.1', 'VERS-TLS1.2': 'TLSv1.2', 'VERS-TLS1.3': 'TLSv1.3' };
  const enabled = (/^Protocols: (.*)$/m.exec(r.stdout)?.[1] ?? '').split(',').map((x) => names[x.trim()]).filter(Boolean);
  const sets = emptySets();
  const order = new Map(enabled.map((v) => [v, []]));
  for (const m of r.stdout.matchAll(/^TLS_\S+\s+0x([0-9a-f]{2}), 0x([0-9a-f]{2})\s+(SSL3\.0|TLS1\.[0-3])/gim)) {
    const code = parseInt(m[1] + m[2], 16);
    for (const v of enabled) {
      if (rank[v.replace('TLSv', 'TLS').replace('SSLv3', 'SSL3.0')] >= rank[m[3]]) { sets.get(v).add(code); order.get(v).push(code); }
    }
  }
  return { sets, order };
}

async function startNginx(name, m, directives) {
  // The same nginx.conf as the tests' nginx (tests/support/nginx-conf.ts, built by `npm run build`).
  const { nginxConf } = await import(pathToFileURL(join(REPO, 'dist', 'tests', 'support', 'nginx-conf.js')).href);
  const port = await freePort();
  const dir = join(tmp, `nginx-${name}`);
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, nginxConf({ dir, port, cert: m.cert, key: m.key, directives, workerConnections: 4096 }));
  const d = await startDaemon(`nginx ${name}`, 'nginx', ['-p', dir, '-c', conf], port, { cwd: dir });
  d.command = `nginx (daemon off; master_process off; worker_connections 4096) with: ${directives.map((x) => x.replace(tmp, '$TMP')).join(' ')}`;
  return d;
}

function shellQuote(s) {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

// ---------------------------------------------------------------- tools and their parsers
// Each parser returns Map<protocol, Set<code>> or throws with a short reason.

function emptySets() {
  return new Map(PROTOCOLS.map((p) => [p, new Set()]));
}

function makeTools(reg, o) {
  const codeOf = (name) => {
    // nmap 7.93 labels the TLS 1.3 suites TLS_AKE_WITH_<cipher>_<hash> (draft naming); IANA drops "AKE_WITH_".
    const n = name.replace(/^TLS_AKE_WITH_/, 'TLS_');
    return reg.suiteByName(n)?.code;
  };
  const tools = {
    tlsdoctor: {
      available: true,
      version: () => `tlsdoctor ${JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version} (git ${firstLine('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD'])})`,
      // --no-clients --no-http: what the peers do (protocols, suites, order, groups, certificate); the
      // client simulation (36 runtime profiles) and the HTTPS request for HSTS are extra work no peer
      // does (testssl.sh makes the request, and runs only when asked).
      argv: (port) => ['node', ['bin/tlsdoctor.js', 'scan', '--json', '--no-clients', '--no-http', `127.0.0.1:${port}`]],
      parse: (r) => {
        const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
        if (!line) throw new Error('no JSON line');
        const j = JSON.parse(line);
        const sets = emptySets();
        for (const p of j.protocols ?? []) for (const s of p.cipherSuites ?? []) sets.get(p.version)?.add(s.id);
        const errs = (j.errors ?? []).map((e) => `${e.stage}: ${e.message}`);
        // Server order per protocol, where tlsdoctor says the server imposes one.
        const order = new Map((j.protocols ?? []).filter((p) => p.serverPreference === true).map((p) => [p.version, p.cipherSuites.map((x) => x.id)]));
        return { sets, order, extra: { durationMs: j.durationMs, errors: errs, protocols: j.protocols, groups: j.groups } };
      },
    },
    sslscan: {
      available: hasCommand('sslscan'),
      version: () => `sslscan ${firstLine('sslscan', ['--version'], (s) => s.split('\n').map((l) => l.trim()).filter(Boolean).join(', '))}`,
      argv: (port) => ['sslscan', ['--no-colour', '--xml=-', `127.0.0.1:${port}`]],
      parse: (r) => {
        const sets = emptySets();
        const top = new Map(); // the suite the server picked from sslscan's full offer ("preferred")
        const unknown = [];
        let n = 0;
        for (const m of r.stdout.matchAll(/<cipher\s([^>]*)\/?>/g)) {
          const attr = Object.fromEntries([...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((a) => [a[1], a[2]]));
          if (attr.status !== 'accepted' && attr.status !== 'preferred') continue;
          n++;
          const code = attr.id ? parseInt(attr.id, 16) : codeOf(attr.cipher);
          if (!Number.isInteger(code)) { unknown.push(attr.cipher); continue; }
          if (!sets.has(attr.sslversion)) { unknown.push(`${attr.sslversion}:${attr.cipher}`); continue; }
          sets.get(attr.sslversion).add(code);
          if (attr.status === 'preferred') top.set(attr.sslversion, code);
        }
        if (n === 0 && !/<ssltest/.test(r.stdout)) throw new Error('no sslscan XML');
        return { sets, top, extra: { unknown } };
      },
    },
    nmap: {
      available: hasCommand('nmap'),
      version: () => firstLine('nmap', ['--version']),
      argv: (port) => ['nmap', ['-Pn', '-p', String(port), '--script', 'ssl-enum-ciphers', '127.0.0.1']],
      parse: (r) => {
        const sets = emptySets();
        const unknown = [];
        const listed = new Map(PROTOCOLS.map((p) => [p, []]));
        const pref = new Map(); // "server" | "client" | "indeterminate"
        let version = null;
        let inCiphers = false;
        let seen = false;
        for (const raw of r.stdout.split('\n')) {
          if (!raw.startsWith('|')) continue;
          const line = raw.replace(/^\|_?/, '');
          let m;
          // "|   TLSv1.2: " / "|     ciphers: " / "|       TLS_..._SHA256 (secp256r1) - A" / "|_  least strength: A"
          if ((m = /^ {3}(SSLv2|SSLv3|TLSv1\.[0-3]):\s*$/.exec(line))) { version = m[1]; inCiphers = false; seen = true; continue; }
          if (/^ {5}ciphers:\s*$/.test(line)) { inCiphers = true; continue; }
          if (version && (m = /^ {5}cipher preference: (\w+)/.exec(line))) { pref.set(version, m[1]); inCiphers = false; continue; }
          if (/^ {1,5}\S/.test(line)) { inCiphers = false; continue; }
          if (inCiphers && version && (m = /^ {7}(\S+)/.exec(line))) {
            const code = codeOf(m[1]);
            if (code === undefined) unknown.push(m[1]); else { sets.get(version).add(code); listed.get(version).push(code); }
            continue;
          }
        }
        if (!seen && !/ssl-enum-ciphers/.test(r.stdout)) throw new Error('no ssl-enum-ciphers output');
        // With "cipher preference: server", ssl-enum-ciphers lists the suites in the server's order.
        const order = new Map([...pref].filter(([, v]) => v === 'server').map(([p]) => [p, listed.get(p)]));
        return { sets, order, extra: { unknown, pref: Object.fromEntries(pref) } };
      },
    },
    testssl: {
      available: hasCommand('testssl.sh') || hasCommand('testssl'),
      bin: hasCommand('testssl.sh') ? 'testssl.sh' : 'testssl',
      version: () => `testssl.sh ${firstLine(tools.testssl.bin, ['--version'], (s) => (/testssl(?:\.sh)?\s+(\S+)/.exec(s)?.[1] ?? '?'))}`,
      argv: (port, ctx) => {
        const file = join(tmp, `testssl-${port}-${ctx.seq}.json`);
        ctx.file = file;
        return [tools.testssl.bin, ['--quiet', '--color', '0', '--warnings', 'off', '--jsonfile', file, '-E', `127.0.0.1:${port}`]];
      },
      parse: (r, ctx) => {
        if (!ctx.file || !existsSync(ctx.file)) throw new Error('no JSON file');
        const j = JSON.parse(readFileSync(ctx.file, 'utf8'));
        const sets = emptySets();
        const vmap = { ssl2: 'SSLv2', ssl3: 'SSLv3', tls1: 'TLSv1.0', tls1_1: 'TLSv1.1', tls1_2: 'TLSv1.2', tls1_3: 'TLSv1.3' };
        for (const e of Array.isArray(j) ? j : j.scanResult ?? []) {
          const m = /^cipher-(ssl2|ssl3|tls1|tls1_1|tls1_2|tls1_3)_x([0-9a-f]+)$/i.exec(e.id ?? '');
          if (!m) continue;
          const code = parseInt(m[2], 16);
          if (code > 0xffff) continue; // SSLv2 3-byte kinds: none of these servers speak SSLv2
          sets.get(vmap[m[1].toLowerCase()]).add(code);
        }
        return { sets, extra: {} };
      },
    },
  };
  return tools;
}

// ---------------------------------------------------------------- comparison and formatting

function compareSets(reg, ref, other) {
  const diffs = [];
  for (const p of PROTOCOLS) {
    const a = ref.get(p), b = other.get(p);
    const onlyRef = [...a].filter((c) => !b.has(c)).sort((x, y) => x - y);
    const onlyOther = [...b].filter((c) => !a.has(c)).sort((x, y) => x - y);
    if (onlyRef.length || onlyOther.length) diffs.push({ protocol: p, onlyRef, onlyOther });
  }
  return diffs;
}

/**
 * Server order: nmap lists every suite in the server's order when it finds "cipher preference: server";
 * sslscan only marks the suite the server picked from its full offer ("preferred"), i.e. the top one.
 */
function compareOrder(reg, ref, other, tool, onDiff, refName = 'tlsdoctor') {
  const out = [];
  if (other.order) {
    for (const p of PROTOCOLS) {
      const a = ref.order?.get(p), b = other.order.get(p);
      if (!a && !b) continue;
      if (!a || !b) {
        const says = (x) => (x ? 'server order' : 'no server order');
        out.push(`${p}: ${refName} ${says(a)}, ${tool} ${says(b) === 'no server order' ? `cipher preference: ${other.extra.pref?.[p] ?? 'none'}` : says(b)}`);
        onDiff({ protocol: p, text: `${refName}: ${says(a)}; ${tool}: ${b ? 'server order' : `cipher preference: ${other.extra.pref?.[p] ?? 'none'}`}` });
        continue;
      }
      const common = new Set(a.filter((c) => b.includes(c)));
      const a2 = a.filter((c) => common.has(c)), b2 = b.filter((c) => common.has(c));
      const k = a2.findIndex((c, i) => c !== b2[i]);
      if (k >= 0) {
        out.push(`${p}: differs from position ${k + 1}`);
        onDiff({ protocol: p, text: `first difference at position ${k + 1} of ${a2.length} (common suites)\n    ${refName}: ${a2.map((c) => reg.suiteLabel(c)).join(' > ')}\n    ${tool}: ${b2.map((c) => reg.suiteLabel(c)).join(' > ')}` });
      }
    }
    return out.length ? out.join('; ') : (ref.order?.size ? `same (full order, ${[...ref.order.keys()].join(' ')})` : 'n/a (no server order)');
  }
  if (other.top) {
    let n = 0;
    for (const p of PROTOCOLS) {
      const a = ref.order?.get(p), t = other.top.get(p);
      if (!a || t === undefined) continue;
      n++;
      if (a[0] !== t) {
        out.push(`${p}: top ${reg.suiteLabel(a[0])} vs ${reg.suiteLabel(t)}`);
        onDiff({ protocol: p, text: `server's pick from a full offer: ${refName}'s first ${reg.suiteLabel(a[0])}, ${tool}'s preferred ${reg.suiteLabel(t)}` });
      }
    }
    return out.length ? out.join('; ') : n ? `top suite same (${n} versions)` : 'n/a';
  }
  return '';
}

function setsEqual(a, b) {
  return PROTOCOLS.every((p) => a.get(p).size === b.get(p).size && [...a.get(p)].every((c) => b.get(p).has(c)));
}

function hex(c) { return `0x${c.toString(16).toUpperCase().padStart(4, '0')}`; }

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function mdTable(head, rows) {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) => `| ${r.map((c, i) => String(c).padEnd(w[i])).join(' | ')} |`;
  return [line(head), `|${w.map((n) => '-'.repeat(n + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/**
 * Node's own start in the tools' environment (median `node -e 0` of 9 runs: the floor of any tool
 * written for Node), and the environment line: what NODE_EXTRA_CA_CERTS costs a start here, when
 * set (9 runs each way, interleaved; the tools' figure is the one of the way they run).
 */
async function nodeStart(kept) {
  const file = process.env.NODE_EXTRA_CA_CERTS;
  const starts = async (env) => (await run(process.execPath, ['-e', '0'], { env })).ms;
  if (!file) {
    const ms = [];
    for (let i = 0; i < 9; i++) ms.push(await starts(toolEnv));
    return { bareMs: median(ms), envLine: 'NODE_EXTRA_CA_CERTS not set' };
  }
  const without = { ...toolEnv };
  delete without.NODE_EXTRA_CA_CERTS;
  const withIt = { ...toolEnv, NODE_EXTRA_CA_CERTS: file };
  const a = [], b = [];
  for (let i = 0; i < 9; i++) {
    a.push(await starts(withIt));
    b.push(await starts(without));
  }
  const cost = `\`node -e 0\` took ${Math.round(median(a))} ms with it and ${Math.round(median(b))} ms without (medians of 9, interleaved)`;
  return {
    bareMs: median(kept ? a : b),
    envLine: kept
      ? `NODE_EXTRA_CA_CERTS=${file} kept (--keep-extra-ca-certs): ${cost}`
      : `NODE_EXTRA_CA_CERTS=${file} is set here and was removed from every tool's environment: Node 20 parses that file at each start (nodejs/node#40524), before any of tlsdoctor's code; a default install does not set it, and only Node reads it; ${cost}; \`--keep-extra-ca-certs\` keeps it`,
  };
}

/**
 * What an unmet goal leaves tlsdoctor, from this run's medians: the wall time
 * the goal allows, how much of tlsdoctor's wall time is spent outside its
 * engine (Node's start-up, loading the CLI, and after the last probe the
 * rest of the trust analysis, the report and exit: wall minus the scan's
 * durationMs), and what that leaves the engine,
 * in round trips when there is a latency.
 */
function goalBudget(td, peer, need, rttMs, bareNodeMs) {
  if (!td?.ms || td.engineMs == null || !peer?.ms) return '';
  const s = (ms) => `${(ms / 1000).toFixed(3)} s`;
  const allowed = peer.ms / need;
  const outside = td.ms - td.engineMs;
  const left = allowed - outside;
  const trips = rttMs > 0 ? ` = ${(left / rttMs).toFixed(2)} round trips of ${rttMs} ms` : '';
  return ` (it allows tlsdoctor ${s(allowed)}; tlsdoctor's wall time outside its engine is ${s(outside)} here (a bare \`node -e 0\`: ${s(bareNodeMs)}), `
    + (left > 0 ? `which leaves the engine ${s(left)}${trips}; it took ${s(td.engineMs)}` : `more than all of that: the engine would have to take no time`) + ')';
}

// ---------------------------------------------------------------- main

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const startLoad = os.loadavg();
  const startedAt = new Date();
  setToolEnv(o.keepExtraCa);
  const { envLine, bareMs: bareNodeMs } = await nodeStart(o.keepExtraCa);

  const regPath = join(REPO, 'dist', 'src', 'registry', 'ciphers.js');
  if (!existsSync(regPath) || !existsSync(join(REPO, 'dist', 'src', 'cli', 'main.js'))) fail('dist/ is missing: run `npm ci` (or `npm run build`) first');
  const reg = await import(pathToFileURL(regPath).href);
  const tools = makeTools(reg, o);

  const wantServers = SERVER_NAMES.filter((n) => !o.only || !o.only.some((x) => SERVER_NAMES.includes(x)) || o.only.includes(n));
  const peerFilter = o.only?.filter((x) => TOOL_NAMES.includes(x) && x !== 'tlsdoctor') ?? [];
  const wantTools = ['tlsdoctor', 'sslscan', 'nmap', ...(o.testssl ? ['testssl'] : [])]
    .filter((t) => t === 'tlsdoctor' || peerFilter.length === 0 || peerFilter.includes(t));
  const notes = [];
  const missingTools = wantTools.filter((t) => !tools[t].available);
  for (const t of missingTools) notes.push(`${t}: not installed, skipped`);
  const activeTools = wantTools.filter((t) => tools[t].available);
  if (!o.testssl) notes.push('testssl.sh not run (pass --testssl; it takes minutes per scan)');

  const needCmds = { modern: 'nginx', legacy: 'nginx', '3des': 'gnutls-serv' };
  if (!hasCommand('openssl')) fail('the openssl CLI is needed to make certificates');
  const servers = wantServers.filter((s) => {
    if (hasCommand(needCmds[s])) return true;
    notes.push(`server ${s}: ${needCmds[s]} not installed, skipped`);
    return false;
  });

  let paths = ['loopback'];
  if (o.rtt > 0) {
    if (existsSync(PROXY)) paths.push('rtt');
    else notes.push(`latency proxy ${relative(REPO, PROXY)} is missing: the ${o.rtt} ms RTT rows are skipped`);
    if (o.tcpHandshake) paths.push('tcp');
  }
  const pathLabel = (p) => (p === 'loopback' ? 'loopback' : p === 'tcp' ? `${o.rtt} ms RTT + TCP handshake` : `${o.rtt} ms RTT`);
  for (const n of notes) process.stderr.write(`bench: ${n}\n`);

  tmp = mkdtempSync(join(os.tmpdir(), 'tlsdoctor-bench-'));
  process.stderr.write('bench: making certificate and DH parameters\n');
  const material = makeMaterial();

  const versions = { node: process.version };
  for (const t of activeTools) versions[t] = tools[t].version();
  versions.nginx = hasCommand('nginx') ? firstLine('nginx', ['-v']) : '-';
  versions['gnutls-serv'] = hasCommand('gnutls-serv') ? firstLine('gnutls-serv', ['--version']) : '-';
  versions.openssl = firstLine('openssl', ['version']);

  const rows = [];
  const details = [];
  const orderDetails = [];
  const found = [];
  const commands = [];
  const probes = {};
  const connections = {};
  const toolTimeout = (t) => (t === 'testssl' ? 4 : 1) * o.timeoutS * 1000;
  let seq = 0;

  for (const sname of servers) {
    const spec = SERVERS[sname];
    process.stderr.write(`bench: starting ${sname} (${spec.describe})\n`);
    let server;
    let proxy = null;
    let tcpProxy = null;
    try {
      server = await spec.start(material);
    } catch (e) {
      notes.push(`server ${sname} failed to start: ${String(e.message).split('\n')[0]}`);
      process.stderr.write(`bench: ${e.message}\n`);
      continue;
    }
    try {
      const ports = { loopback: server.port };
      let expected = null;
      try { expected = spec.expected?.() ?? null; } catch (e) { notes.push(`${sname}: configured suites unknown (${e.message.split('\n')[0]})`); }
      if (paths.includes('rtt')) {
        const pport = await freePort();
        proxy = await startDaemon(`latency proxy for ${sname}`, process.execPath,
          [PROXY, '--listen', String(pport), '--target', `127.0.0.1:${server.port}`, '--rtt', String(o.rtt)], pport);
        ports.rtt = pport;
      }
      if (paths.includes('tcp')) {
        const tport = await freePort();
        tcpProxy = await startDaemon(`TCP handshake proxy for ${sname}`, process.execPath,
          [TCP_PROXY, '--listen', String(tport), '--target', `127.0.0.1:${server.port}`, '--rtt', String(o.rtt)], tport);
        ports.tcp = tport;
      }
      commands.push(`# ${sname}: ${spec.describe}\n${server.command.replace(tmp, '$TMP')}` +
        (proxy ? `\nnode ${relative(REPO, PROXY)} --listen ${ports.rtt} --target 127.0.0.1:${server.port} --rtt ${o.rtt}` : '') +
        (tcpProxy ? `\nnode ${relative(REPO, TCP_PROXY)} --listen ${ports.tcp} --target 127.0.0.1:${server.port} --rtt ${o.rtt}` : ''));

      // Probe counts: one untimed in-process scan with the engine's own counter (not in the JSON).
      try {
        const { scanTarget } = await import(pathToFileURL(join(REPO, 'dist', 'src', 'scan', 'run.js')).href);
        const { parseTarget } = await import(pathToFileURL(join(REPO, 'dist', 'src', 'net', 'target.js')).href);
        let by = null;
        await scanTarget(parseTarget(`127.0.0.1:${server.port}`), { onStats: (s) => { by = { ...s }; } });
        if (by) probes[sname] = by;
      } catch (e) {
        process.stderr.write(`bench: probe count for ${sname} unavailable: ${e.message}\n`);
      }

      // Connections per scan: one more untimed run of each tool (not testssl.sh: too slow) through a
      // counting TCP relay on loopback.
      for (const t of activeTools.filter((x) => x !== 'testssl')) {
        try {
          const n = await countConnections(server.port, (relayPort) => tools[t].argv(relayPort, { seq: ++seq }), toolTimeout(t));
          connections[`${sname}/${t}`] = n;
        } catch (e) {
          process.stderr.write(`bench: connection count for ${t} on ${sname} unavailable: ${e.message}\n`);
        }
      }

      for (const path of paths) {
        const port = ports[path];
        const results = Object.fromEntries(activeTools.map((t) => [t, []]));
        for (const t of activeTools) {
          const [cmd, args] = tools[t].argv(port, { seq: 0 });
          commands.push(`${cmd} ${args.map((a) => shellQuote(a.replace(tmp, '$TMP'))).join(' ')}    # ${sname}, ${pathLabel(path)}`);
        }
        const maxRuns = Math.max(o.runs, activeTools.includes('testssl') ? o.testsslRuns : 0);
        for (let i = 0; i < maxRuns; i++) {
          // Tools take turns within a run, so a burst of load on the machine hits them alike.
          for (const t of activeTools) {
            const runsFor = t === 'testssl' ? o.testsslRuns : o.runs;
            if (i >= runsFor) continue;
            const ctx = { seq: ++seq };
            const [cmd, args] = tools[t].argv(port, ctx);
            process.stderr.write(`bench: ${sname} ${pathLabel(path)} ${t} run ${i + 1}/${runsFor} ... `);
            const r = await run(cmd, args, { timeoutMs: toolTimeout(t) });
            let parsed = null;
            let error = null;
            if (r.error) error = r.error;
            else if (r.timedOut) error = `timed out after ${toolTimeout(t) / 1000} s`;
            else {
              try { parsed = tools[t].parse(r, ctx); } catch (e) { error = `${e.message}; exit ${r.code ?? r.signal}; ${r.stderr.trim().split('\n').slice(-1)[0] ?? ''}`; }
            }
            results[t].push({ ms: r.ms, parsed, error, code: r.code });
            process.stderr.write(error ? `error: ${error}\n` : `${(r.ms / 1000).toFixed(2)} s\n`);
          }
        }

        const ok = (t) => results[t].filter((x) => x.parsed);
        const med = (t) => (ok(t).length ? median(ok(t).map((x) => x.ms)) : null);
        const refRun = ok('tlsdoctor')[0];
        const refMs = med('tlsdoctor');
        if (refRun) {
          found.push({ server: sname, path, protocols: refRun.parsed.extra.protocols, groups: refRun.parsed.extra.groups, durationMs: median(ok('tlsdoctor').map((x) => x.parsed.extra.durationMs)) });
          for (const e of refRun.parsed.extra.errors) notes.push(`tlsdoctor ${sname} ${pathLabel(path)} reported: ${e}`);
        }
        for (const t of activeTools) {
          const good = ok(t);
          const m = med(t);
          const errs = results[t].filter((x) => x.error).map((x) => x.error);
          let agree;
          let orderAgree = '';
          const stable = good.every((x) => setsEqual(x.parsed.sets, good[0].parsed.sets));
          if (!good.length) agree = `error: ${errs[0] ?? 'no result'}`;
          else if (t === 'tlsdoctor') {
            const lo = path !== 'loopback' ? found.find((f) => f.server === sname && f.path === 'loopback') : null;
            agree = '(reference)';
            if (lo) {
              const loSets = emptySets();
              for (const p of lo.protocols ?? []) for (const s of p.cipherSuites ?? []) loSets.get(p.version).add(s.id);
              agree = setsEqual(loSets, good[0].parsed.sets) ? '(reference; = loopback)' : '(reference; DIFFERS from loopback)';
              if (!setsEqual(loSets, good[0].parsed.sets)) details.push({ server: sname, path, tool: 'tlsdoctor vs its loopback scan', diffs: compareSets(reg, loSets, good[0].parsed.sets), refName: 'loopback', otherName: pathLabel(path) });
            }
            if (expected) {
              // The configuration is the ground truth: tlsdoctor's sets and order against it.
              const diffs = compareSets(reg, expected.sets, good[0].parsed.sets);
              agree += diffs.length ? `; DIFFERS from config (${diffs.map((d) => d.protocol).join(', ')})` : '; = config';
              if (diffs.length) details.push({ server: sname, path, tool: 'tlsdoctor vs the configuration', diffs, refName: 'config', otherName: 'tlsdoctor' });
              orderAgree = 'vs config: ' + compareOrder(reg, { order: expected.order }, { order: good[0].parsed.order, extra: {} }, 'tlsdoctor',
                (d) => orderDetails.push({ server: sname, path, tool: 'config vs tlsdoctor', ...d }), 'config');
            }
          } else if (!refRun) agree = 'n/a (no tlsdoctor result)';
          else {
            const diffs = compareSets(reg, refRun.parsed.sets, good[0].parsed.sets);
            agree = diffs.length ? `DIFFERS (${diffs.map((d) => `${d.protocol} ${d.onlyRef.length ? `-${d.onlyRef.length}` : ''}${d.onlyOther.length ? `+${d.onlyOther.length}` : ''}`).join(', ')})` : 'same';
            if (diffs.length) details.push({ server: sname, path, tool: t, diffs, refName: 'tlsdoctor', otherName: t });
            orderAgree = compareOrder(reg, refRun.parsed, good[0].parsed, t, (d) => orderDetails.push({ server: sname, path, tool: t, ...d }));
            if (good[0].parsed.extra.unknown?.length) notes.push(`${t} ${sname} ${pathLabel(path)}: names not in the registry: ${[...new Set(good[0].parsed.extra.unknown)].join(', ')}`);
          }
          if (!stable) agree += '; varies between runs';
          if (errs.length && good.length) agree += `; ${errs.length} run(s) failed`;
          const range = good.length > 1 ? `${(Math.min(...good.map((x) => x.ms)) / 1000).toFixed(2)}-${(Math.max(...good.map((x) => x.ms)) / 1000).toFixed(2)}` : '';
          rows.push({
            server: sname, path, tool: t, ms: m, runs: `${good.length}/${results[t].length}`, range,
            ratio: m !== null && refMs ? m / refMs : null, agree, orderAgree,
            conns: connections[`${sname}/${t}`] ?? null,
            engineMs: t === 'tlsdoctor' && good.length ? median(good.map((x) => x.parsed.extra.durationMs)) : null,
            count: good.length ? PROTOCOLS.reduce((n, p) => n + good[0].parsed.sets.get(p).size, 0) : null,
          });
        }
      }
    } finally {
      if (proxy) await proxy.stop();
      if (tcpProxy) await tcpProxy.stop();
      await server.stop();
    }
  }

  // ------------------------------------------------ output
  const head = ['server', 'path', 'tool', 'wall s (median)', 'min-max s', 'runs ok', 'tool/tlsdoctor', 'connections', 'suites (all versions)', 'suites agree', 'server order agrees', 'tlsdoctor engine s'];
  const tableRows = rows.map((r) => [r.server, pathLabel(r.path), r.tool, r.ms === null ? '-' : (r.ms / 1000).toFixed(2), r.range || '-', r.runs,
    r.ratio === null ? '-' : r.tool === 'tlsdoctor' ? '1.0' : `${r.ratio.toFixed(1)}`, r.conns ?? '-', r.count ?? '-', r.agree, r.orderAgree || '',
    r.engineMs == null ? '' : (r.engineMs / 1000).toFixed(2)]);
  const table = mdTable(head, tableRows);

  const diffText = details.length ? details.map((d) => {
    const lines = d.diffs.map((x) => {
      const parts = [];
      if (x.onlyOther.length) parts.push(`    only ${d.otherName}: ${x.onlyOther.map((c) => `${reg.suiteLabel(c)} (${hex(c)})`).join(', ')}`);
      if (x.onlyRef.length) parts.push(`    only ${d.refName}: ${x.onlyRef.map((c) => `${reg.suiteLabel(c)} (${hex(c)})`).join(', ')}`);
      return `  ${x.protocol}:\n${parts.join('\n')}`;
    });
    return `- ${d.server}, ${pathLabel(d.path)}, ${d.tool}:\n${lines.join('\n')}`;
  }).join('\n') : 'None: every peer reported the same suite set per protocol as tlsdoctor.';

  const goals = [];
  if (paths.includes('rtt')) {
    for (const s of servers) {
      const get = (t, p) => rows.find((r) => r.server === s && r.tool === t && r.path === p);
      for (const [t, need] of [['sslscan', 10], ['nmap', 5]]) {
        const r = get(t, 'rtt');
        if (r?.ratio != null) goals.push(`${s}: at ${o.rtt} ms RTT ${t}/tlsdoctor = ${r.ratio.toFixed(2)} (goal >= ${need}): ${r.ratio >= need ? 'met' : `NOT met${goalBudget(get('tlsdoctor', 'rtt'), r, need, o.rtt, bareNodeMs)}`}; suites ${r.agree}`);
      }
    }
  }
  for (const s of servers) {
    const r = rows.find((x) => x.server === s && x.tool === 'sslscan' && x.path === 'loopback');
    const td = rows.find((x) => x.server === s && x.tool === 'tlsdoctor' && x.path === 'loopback');
    if (r?.ratio != null) goals.push(`${s}: on loopback sslscan/tlsdoctor = ${r.ratio.toFixed(2)} (goal >= 1): ${r.ratio >= 1 ? 'met' : `NOT met${goalBudget(td, r, 1, 0, bareNodeMs)}`}`);
  }

  const foundText = found.filter((f) => f.path === 'loopback').map((f) => {
    const ps = (f.protocols ?? []).filter((p) => p.supported).map((p) => `${p.version} ${p.cipherSuites.length} suites${p.serverPreference === true ? ', server order' : p.serverPreference === false ? ', client order' : ''}`);
    const g = (f.groups ?? []).map((x) => x.name ?? x.id).join(' ');
    const pr = probes[f.server] ? Object.values(probes[f.server]).reduce((a, b) => a + b, 0) : null;
    const prText = pr !== null ? `; ${pr} probes (${Object.entries(probes[f.server]).map(([k, v]) => `${k} ${v}`).join(', ')})` : '';
    return `- ${f.server}: ${ps.join('; ')}; groups: ${g || '-'}; engine durationMs (median, loopback) ${Math.round(f.durationMs)}${prText}`;
  }).join('\n');

  const load1 = startLoad[0];
  const endLoad = os.loadavg();
  const warn = load1 > 1.5 ? `\n> **WARN**: the 1-minute load average was ${load1.toFixed(2)} at the start (above 1.5): other processes were running and the timings are skewed (usually against the tool that needs the CPU most at that moment). Re-run on an idle machine for clean numbers.\n` : '';

  const md = `# tlsdoctor benchmark

Generated by \`node bench/run.mjs${process.argv.slice(2).length ? ' ' + process.argv.slice(2).join(' ') : ''}\` (overwritten on each run).
${warn}
- Date: ${startedAt.toISOString()}
- Machine: ${os.availableParallelism?.() ?? os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}
- Load average at start: ${startLoad.map((x) => x.toFixed(2)).join(' ')}; at end: ${endLoad.map((x) => x.toFixed(2)).join(' ')}
- Runs: median of ${o.runs}${activeTools.includes('testssl') ? ` (testssl.sh: ${o.testsslRuns})` : ''}; wall time is measured around the whole process (Node start-up included for tlsdoctor)
- Latency: ${paths.includes('rtt') ? `${relative(REPO, PROXY)} adds ${o.rtt} ms of round trip (each chunk delayed ${o.rtt / 2} ms each way)` : 'loopback only'}${paths.includes('tcp') ? `; the "+ TCP handshake" rows go through ${relative(REPO, TCP_PROXY)}, which also holds what a client writes on a new connection until one round trip after it connected (its TCP handshake), and never forwards a close before the data that came before it` : ''}
- Environment: ${envLine}
- Versions: ${Object.entries(versions).map(([k, v]) => `${k}: ${v}`).join('; ')}

## Results

"tool/tlsdoctor" is the tool's median wall time divided by tlsdoctor's on the same server and path
(10 means tlsdoctor took 1/10 of the time). "suites agree" compares the tool's set of accepted suite
codes per protocol with tlsdoctor's from the same path (names mapped to codes with the registry in
dist/src/registry/ciphers.js); -N/+N = suites only tlsdoctor / only the peer reported. "suites (all
versions)" counts (protocol, suite) pairs. "connections": TCP connections one scan opened (counted
in a separate untimed loopback run through a counting relay). "tlsdoctor engine s" is the scan's own durationMs from its
JSON: the rest of tlsdoctor's wall time is Node start-up, module loading and the certificate trust
analysis. tlsdoctor runs as \`scan --json --no-clients --no-http\`: the same work as the peers (protocols, every
suite, server order, groups, certificate); its client simulation and its HTTPS request (HSTS) are extra work no peer does. On tlsdoctor's rows, "= config"
means its sets equal what the server's own library says the configuration accepts (\`openssl ciphers -V -s
-<version>\` for nginx, suites an RSA certificate can serve; \`gnutls-cli -l --priority\` for gnutls-serv)
and "vs config" compares its server order with that library's order.

${table}

### Goals (issue 2)

${goals.map((g) => `- ${g}`).join('\n') || '- (no ratios)'}

### Suite set differences

${diffText}

### Server order differences

${orderDetails.length ? orderDetails.map((d) => `- ${d.server}, ${pathLabel(d.path)}, ${d.tool}, ${d.protocol}: ${d.text}`).join('\n') : 'None: where tlsdoctor found a server order, nmap listed the same order and sslscan\'s preferred suite was its first.'}

### What tlsdoctor found (loopback)

${foundText || '-'}

### Reading the numbers

- Wall time includes process start-up: for tlsdoctor, Node plus module loading, compare the last
  column (the engine's own durationMs). On a loaded machine start-up alone can take seconds.
- The latency proxy accepts the TCP connection itself and connects upstream at once, so only data pays
  the round trip: a probe costs about one RTT, for every tool alike.
- An unmet goal's line says what it would take: the wall time the goal allows tlsdoctor, the part of
  tlsdoctor's wall time spent outside its engine (Node's own start-up, a bare \`node -e 0\` measured in
  this run, then loading the CLI, and after the last probe the rest of the trust analysis, the report and
  exit), and what is left for the engine.
  The engine needs at least three dependent round trips for a full scan: which versions the server
  speaks and its first choice at each; then every suite of those versions (which sets to offer depends
  on the first); then the order of the suites found and what is left of each answered set. Asking the
  second before the first is answered would open dozens of connections before the scan knows whether
  the server serves one at a time (gnutls-serv here, backlog 10: SYNs beyond it wait a second).${paths.includes('tcp') ? `
- The "+ TCP handshake" rows (--tcp-handshake, bench/tcp-rtt-proxy.mjs) add what a real network adds to
  that: a new connection's first bytes leave one round trip after it was opened, so a probe on a fresh
  connection costs about two RTTs, for every tool alike; and closes never overtake data. They are not
  the issue's goal rows, which are measured through the shared proxy.` : ''}
- The latency proxy forwards each chunk 25 ms after it came and a close 26 ms after; Node runs its timer
  lists one list at a time, so when the proxy's event loop is a millisecond late (many connections at
  once), a close can be forwarded before the data that came just before it, and that data is lost: a
  refusal's alert, or a flight the server closed right behind (4000 such triples in a test script: 408
  closes ran first). A tool with one connection at a time does not meet it; tlsdoctor's modern scans
  at 50 ms lost 0 to 25 answers each (8 scans, median 2.5) and asked them again, a round trip each time
  one was on the critical path.
- gnutls-serv (server 3des) serves one handshake at a time: once it has sent its first flight it blocks
  on that connection until the client answers or closes (seen here: a second client's handshake waited
  3 s while a first one sat silent after its ServerHelloDone). Through the proxy a plain probe therefore
  holds the server for about one RTT, and a scan costs about (connections x RTT) whatever its
  parallelism. tlsdoctor sees the queueing in its first round (from its first two answers, so that its
  TLS 1.2 work starts before the rest of that round comes in) and then sends each hello with a pipelined
  close_notify (the server answers, reads the alert and closes at once) through a paced window of 24
  (10 when its handshakes are slow; docs/ARCHITECTURE.md). Its listen backlog is 10: a burst of
  connections larger than that loses SYNs, which are retried after a second; on loopback tlsdoctor
  keeps at most 8 probes in flight after round 1.

### Notes

${notes.map((n) => `- ${n}`).join('\n') || '- none'}

## Servers

${servers.map((s) => `- ${s}: ${SERVERS[s].describe}`).join('\n')}

Certificate: RSA 2048, self-signed, CN=localhost, made at bench time; DH parameters: ffdhe2048
(\`openssl genpkey -genparam -algorithm DH -pkeyopt group:ffdhe2048\`). gnutls priority for 3des:
\`${GNUTLS_3DES_PRIORITY}\`.

## Exact commands (ports of this run; $TMP = the run's temporary directory)

\`\`\`
${commands.join('\n')}
\`\`\`
`;

  process.stdout.write(`\n${table}\n\n${goals.join('\n')}\n\nSuite set differences:\n${diffText}\n\nServer order differences:\n${orderDetails.map((d) => `- ${d.server}, ${pathLabel(d.path)}, ${d.tool}, ${d.protocol}: ${d.text}`).join('\n') || 'none'}\n`);
  if (warn) process.stdout.write(warn.replace(/\*\*/g, ''));
  mkdirSync(dirname(o.out), { recursive: true });
  writeFileSync(o.out, md);
  process.stderr.write(`bench: wrote ${relative(process.cwd(), o.out) || o.out}\n`);
}

main().then(() => { cleanupSync(); process.exit(0); }, (e) => { process.stderr.write(`bench: ${e?.stack ?? e}\n`); cleanupSync(); process.exit(1); });
