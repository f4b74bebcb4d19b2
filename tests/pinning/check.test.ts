import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { CertFactory, type CertFiles } from '../support/certs.js';
import { freePort, startNodeTLSPair, startNodeTLSServer, type RunningServer } from '../support/servers.js';
import { tempDir } from '../support/tmp.js';
import { PIN_MISMATCH_MESSAGE, REQUEST_PROBLEM_MESSAGE } from '../../src/pinning/errors.js';
import { opensslPinOfCert, runCli, startHttps, tamper } from './support.js';

const f = new CertFactory();
const dir = tempDir('tlsdoctor-check-');
let ca: CertFiles, inter: CertFiles, good: CertFiles, bad: CertFiles;
let goodPin: string, interPin: string, badPin: string;
let goodSrv: RunningServer, badSrv: RunningServer;
const backup = 'sha256/' + Buffer.alloc(32, 5).toString('base64');
const SAN = 'DNS:localhost,DNS:www.example.com,DNS:api.example.com,IP:127.0.0.1';

const config = (name: string, hosts: Array<[string, string[]]>) => {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify({ hosts: hosts.map(([host, hashes]) => ({ host, hashes })) }, null, 2));
  return p;
};

// Top level, not in before(): servers stop with the hook that started them.
{
  ca = f.make({ cn: 'Check Root', ca: true, key: 'rsa2048' });
  inter = f.make({ cn: 'Check Intermediate', ca: true, key: 'ec384', issuer: ca });
  good = f.make({ cn: 'www.example.com', san: SAN, issuer: inter, key: 'ec256' });
  bad = f.make({ cn: 'www.example.com', san: SAN, issuer: inter, key: 'rsa2048' });
  goodPin = `sha256/${opensslPinOfCert(good.cert)}`;
  interPin = `sha256/${opensslPinOfCert(inter.cert)}`;
  badPin = `sha256/${opensslPinOfCert(bad.cert)}`;
  goodSrv = await startNodeTLSServer({ cert: good.pem + inter.pem, key: good.keyPem });
  badSrv = await startNodeTLSServer({ cert: bad.pem + inter.pem, key: bad.keyPem });
}

test('check: a server whose key matches passes with Success and says which certificate matched which pin', async () => {
  const file = config('ok.json', [['localhost', [goodPin, backup]]]);
  const r = await runCli(['pinning', 'check', `https://localhost:${goodSrv.port}`, '--config', file, '--ca', ca.cert]);
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.out, new RegExp(`^localhost:${goodSrv.port} {2}Success$`, 'm'));
  assert.ok(r.out.includes(`[0] leaf`) && r.out.includes(`${goodPin}  MATCHES a configured pin`));
  assert.ok(r.out.includes(`pin ${goodPin} → [0] leaf CN=www.example.com`));
  assert.ok(r.out.includes(`pin ${backup} → not in the live chain`));
  // An intermediate pin matches too.
  const viaInter = await runCli(['pinning', 'check', `https://localhost:${goodSrv.port}`, '--config', config('inter.json', [['localhost', [interPin, backup]]]), '--ca', ca.cert]);
  assert.equal(viaInter.code, 0);
  assert.ok(viaInter.out.includes(`pin ${interPin} → [1] intermediate CN=Check Intermediate`));
});

test("check: the seed's tamper test (one character changed in each hash) fails with the first message", async () => {
  const file = config('tampered.json', [['localhost', [tamper(goodPin), tamper(interPin)]]]);
  const r = await runCli(['pinning', 'check', `https://localhost:${goodSrv.port}`, '--config', file, '--ca', ca.cert]);
  assert.equal(r.code, 1);
  assert.ok(r.out.includes(`localhost:${goodSrv.port}  Error: ${PIN_MISMATCH_MESSAGE}`), r.out);
  assert.match(r.out, /none of the 3 certificates of the chain \(the verified chain\) matches any of the 2 configured pins for localhost/);
});

test('check: a different server key behind the same host name fails with the first message', async () => {
  const file = config('good-pins.json', [['localhost', [goodPin, backup]]]);
  const r = await runCli(['pinning', 'check', `https://localhost:${badSrv.port}`, '--config', file, '--ca', ca.cert]);
  assert.equal(r.code, 1);
  assert.ok(r.out.includes(`Error: ${PIN_MISMATCH_MESSAGE}`));
  assert.ok(r.out.includes(`[0] leaf`) && r.out.includes(badPin));
});

test('check: an unreachable host gives the second message and exit 3', async () => {
  const port = await freePort();
  const file = config('unreach.json', [['localhost', [goodPin, backup]]]);
  const r = await runCli(['pinning', 'check', `https://localhost:${port}`, '--config', file]);
  assert.equal(r.code, 3);
  assert.ok(r.out.includes(`localhost:${port}  Error: ${REQUEST_PROBLEM_MESSAGE}`), r.out);
  assert.match(r.out, /connection failed: .*ECONNREFUSED/);
});

test('check: an untrusted chain is a request problem (the phone never gets to the pins) unless --insecure', async () => {
  const file = config('untrusted.json', [['localhost', [goodPin, backup]]]);
  const r = await runCli(['pinning', 'check', `https://localhost:${goodSrv.port}`, '--config', file]);
  assert.equal(r.code, 1);
  assert.ok(r.out.includes(`Error: ${REQUEST_PROBLEM_MESSAGE}`));
  assert.match(r.out, /certificate not trusted: UNABLE_TO_GET_ISSUER_CERT_LOCALLY/);
  assert.ok(r.out.includes(`${goodPin}  MATCHES`), 'pin matching is still reported');
  const insecure = await runCli(['pinning', 'check', `https://localhost:${goodSrv.port}`, '--config', file, '--insecure']);
  assert.equal(insecure.code, 0);
  // A certificate that does not name the host is refused the same way.
  const other = config('other-name.json', [['other.test', [goodPin, backup]]]);
  const wrongName = await runCli(['pinning', 'check', '--config', other, '--connect-to', `other.test=127.0.0.1:${goodSrv.port}`, '--ca', ca.cert]);
  assert.equal(wrongName.code, 1);
  assert.match(wrongName.out, /the certificate is not valid for other\.test/);
});

test('check without URL checks every host of the file (real host names reached with --connect-to), JSON output', async () => {
  const file = config('pinning.json', [['www.example.com', [goodPin, backup]], ['api.example.com', [tamper(goodPin), backup]]]);
  const args = ['pinning', 'check', '--config', file, '--ca', ca.cert,
    '--connect-to', `www.example.com=127.0.0.1:${goodSrv.port}`, '--connect-to', `api.example.com=127.0.0.1:${goodSrv.port}`];
  const r = await runCli(args);
  assert.equal(r.code, 1);
  assert.match(r.out, /^www\.example\.com:443 {2}Success$/m);
  assert.ok(r.out.includes(`api.example.com:443  Error: ${PIN_MISMATCH_MESSAGE}`));
  const j = await runCli([...args, '--json']);
  const parsed = JSON.parse(j.out) as { results: Array<{ host: string; success: boolean; error?: string; pins: Array<{ pin: string; matchedIndex: number | null }> }> };
  assert.deepEqual(parsed.results.map((x) => [x.host, x.success, x.error ?? null]), [['www.example.com', true, null], ['api.example.com', false, PIN_MISMATCH_MESSAGE]]);
  assert.deepEqual(parsed.results[0]!.pins.map((p) => p.matchedIndex), [0, null]);
  // --port applies to every host of the file.
  const viaPort = await runCli(['pinning', 'check', '--config', config('local.json', [['localhost', [goodPin, backup]]]), '--ca', ca.cert, '--port', String(goodSrv.port)]);
  assert.equal(viaPort.code, 0, viaPort.out);
});

test('check: bad input exits 2 with one line', async () => {
  const file = config('one.json', [['www.example.com', [goodPin, backup]]]);
  const notListed = await runCli(['pinning', 'check', 'https://nothere.example.com', '--config', file]);
  assert.equal(notListed.code, 2);
  assert.equal(notListed.err, 'tlsdoctor: nothere.example.com is not in the pinning file (hosts: www.example.com)\n');
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '{"hosts": [');
  const r = await runCli(['pinning', 'check', '--config', broken]);
  assert.equal(r.code, 2);
  assert.match(r.err, /broken\.json: \$ \(line 1, column 12\): JSON syntax error/);
  const badFlag = await runCli(['pinning', 'check', '--config', file, '--connect-to', 'nonsense']);
  assert.equal(badFlag.code, 2);
  assert.match(badFlag.err, /expected HOST=ADDRESS:PORT/);
});

test('check: a different server key fails on a resumed session too (saved session, server restarted on the same port with a shared ticket key)', async () => {
  const ticketKeys = randomBytes(48);
  const port = await freePort();
  const file = config('resume.json', [['localhost', [goodPin, backup]]]);
  const url = `https://localhost:${port}`;
  const badSession = join(dir, 'bad-session.bin');
  const a = await startHttps({ cert: bad.pem + inter.pem, key: bad.keyPem, port, ticketKeys });
  const first = await runCli(['pinning', 'check', url, '--config', file, '--ca', ca.cert, '--session-out', badSession]);
  assert.equal(first.code, 1);
  assert.ok(first.out.includes(`Error: ${PIN_MISMATCH_MESSAGE}`));
  await a.stop();
  await startHttps({ cert: good.pem + inter.pem, key: good.keyPem, port, ticketKeys });
  const fresh = await runCli(['pinning', 'check', url, '--config', file, '--ca', ca.cert]);
  assert.equal(fresh.code, 0, 'a fresh handshake with the new server matches');
  const resumed = await runCli(['pinning', 'check', url, '--config', file, '--ca', ca.cert, '--session-in', badSession, '--json']);
  assert.equal(resumed.code, 1);
  const r = (JSON.parse(resumed.out) as { results: Array<{ sessionReused: boolean; error: string; detail: string; chain: Array<{ pin: string }> }> }).results[0]!;
  assert.equal(r.sessionReused, true, 'the resumption really happened');
  assert.equal(r.error, PIN_MISMATCH_MESSAGE);
  assert.match(r.detail, /the session was resumed; the key that authenticated it/);
  assert.deepEqual(r.chain.map((c) => `sha256/${c.pin}`), [badPin]);
  // A session saved from a pinned server resumes to Success.
  const goodSession = join(dir, 'good-session.bin');
  assert.equal((await runCli(['pinning', 'check', url, '--config', file, '--ca', ca.cert, '--session-out', goodSession])).code, 0);
  const again = await runCli(['pinning', 'check', url, '--config', file, '--ca', ca.cert, '--session-in', goodSession]);
  assert.equal(again.code, 0, again.out);
  assert.match(again.out, /resumed session: the server sent no certificate/);
});

test('check --all-addresses: each address of the host checked (--resolve gives two here); the node already on a new key fails, alone, with the first message', async () => {
  // Two nodes of www.example.com on one port: 127.0.0.1 with the pinned key, 127.0.0.2 with
  // another (a renewal rolled out node by node). No DNS server here gives a name two addresses.
  const node = (c: CertFiles) => ({ cert: c.pem + inter.pem, key: c.keyPem });
  const pair = await startNodeTLSPair(node(good), node(bad));
  const { port } = pair;
  try {
    const file = config('pool.json', [['www.example.com', [goodPin, backup]]]);
    const resolve = `www.example.com:${port}:127.0.0.1,127.0.0.2`;
    const r = await runCli(['pinning', 'check', `https://www.example.com:${port}`, '--config', file, '--ca', ca.cert, '--resolve', resolve, '--all-addresses']);
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.out, new RegExp(`^www\\.example\\.com:${port} \\(127\\.0\\.0\\.1\\)  Success$`, 'm'));
    assert.ok(r.out.includes(`www.example.com:${port} (127.0.0.2)  Error: ${PIN_MISMATCH_MESSAGE}`), r.out);
    const j = JSON.parse((await runCli(['pinning', 'check', `https://www.example.com:${port}`, '--config', file, '--ca', ca.cert, '--resolve', resolve, '--all-addresses', '--json'])).out);
    assert.deepEqual(j.results.map((x: { address: string; status: string }) => [x.address, x.status]), [['127.0.0.1', 'ok'], ['127.0.0.2', 'mismatch']]);
    // Without --all-addresses, the first address only; --resolve in another order reaches the other node.
    const first = await runCli(['pinning', 'check', `https://www.example.com:${port}`, '--config', file, '--ca', ca.cert, '--resolve', `www.example.com:${port}:127.0.0.2,127.0.0.1`]);
    assert.equal(first.code, 1);
    assert.match(first.out, new RegExp(`^www\\.example\\.com:${port}  Error: `, 'm'));
    // pin --resolve: the pins of the node given.
    const pins = await runCli(['pin', `https://www.example.com:${port}`, '--resolve', `www.example.com:*:127.0.0.2`, '--ca', ca.cert]);
    assert.equal(pins.code, 0, pins.err);
    assert.ok(pins.out.includes(badPin.slice('sha256/'.length)), pins.out);
    assert.ok(!pins.out.includes(goodPin.slice('sha256/'.length)), pins.out);
    // pinning plan --all-addresses: a plan per node; the node on the new key has no pinned certificate.
    const plan = JSON.parse((await runCli(['pinning', 'plan', file, '--port', String(port), '--ca', ca.cert, '--resolve', resolve, '--all-addresses', '--json', '--fail-on', 'never'])).out);
    assert.deepEqual(plan.plans.map((p: { address: string; matchedLevels: string[] }) => [p.address, p.matchedLevels]), [['127.0.0.1', ['leaf']], ['127.0.0.2', []]]);
    const planText = await runCli(['pinning', 'plan', file, '--port', String(port), '--ca', ca.cert, '--resolve', resolve, '--all-addresses']);
    assert.match(planText.out, new RegExp(`^www\\.example\\.com:${port} \\(127\\.0\\.0\\.2\\)  risk: critical$`, 'm'));
    assert.equal(planText.code, 1);
    // One connection's session: not with --all-addresses.
    const usage = await runCli(['pinning', 'check', `https://www.example.com:${port}`, '--config', file, '--resolve', resolve, '--all-addresses', '--session-out', join(dir, 's.bin')]);
    assert.equal(usage.code, 2);
  } finally {
    await pair.close();
  }
});

test('a server with an ECDSA and an RSA key (node:tls with two certificates): pin lists both chains, pinning check says whether the other key\'s chain matches a pin', async () => {
  const dual = await startNodeTLSServer({ cert: [good.pem + inter.pem, bad.pem + inter.pem], key: [good.keyPem, bad.keyPem] });
  // Each leaf once, and the intermediate and root both chains share once (Node adds the --ca root to the chain it reports).
  const pin = await runCli(['pin', `127.0.0.1:${dual.port}`, '-f', 'sha256', '--ca', ca.cert]);
  assert.equal(pin.code, 0, pin.err);
  assert.deepEqual(pin.out.trim().split('\n').sort(), [goodPin, interPin, badPin, `sha256/${opensslPinOfCert(ca.cert)}`].sort());
  const text = await runCli(['pin', `127.0.0.1:${dual.port}`, '--ca', ca.cert]);
  assert.match(text.out, new RegExp(`127\\.0\\.0\\.1:${dual.port} \\(RSA key\\)\\n {2}\\[0\\] leaf  RSA 2048`));

  const leafOnly = await runCli(['pinning', 'check', `https://localhost:${dual.port}`, '--config', config('dual-leaf.json', [['localhost', [goodPin, backup]]]), '--ca', ca.cert]);
  assert.equal(leafOnly.code, 0, leafOnly.err);
  assert.match(leafOnly.out, /Success/);
  assert.match(leafOnly.out, /the server's other key \(RSA, sent to clients that offer only RSA signature algorithms or suites\): its chain matches no configured pin: an app whose TLS stack gets it fails the pin check/);
  const json = await runCli(['pinning', 'check', `https://localhost:${dual.port}`, '--config', config('dual-leaf.json', [['localhost', [goodPin, backup]]]), '--ca', ca.cert, '--json']);
  const out = JSON.parse(json.out) as { results: { otherKey?: { auth: string; matched: boolean; chain: { pin: string }[] } }[] } | { otherKey?: { auth: string; matched: boolean } }[];
  const first = (Array.isArray(out) ? out[0] : out.results[0])!;
  assert.deepEqual(first.otherKey && { auth: first.otherKey.auth, matched: first.otherKey.matched }, { auth: 'RSA', matched: false });

  const shared = await runCli(['pinning', 'check', `https://localhost:${dual.port}`, '--config', config('dual-inter.json', [['localhost', [interPin, backup]]]), '--ca', ca.cert]);
  assert.match(shared.out, /the server's other key \(RSA, [^)]*\): its chain matches a configured pin too/);
  // One key: no such line.
  const single = await runCli(['pinning', 'check', `https://localhost:${goodSrv.port}`, '--config', config('single.json', [['localhost', [goodPin, backup]]]), '--ca', ca.cert]);
  assert.doesNotMatch(single.out, /other key/);
  // The renewal plan calls the unpinned other key a high risk now; pinned through the shared intermediate, it is not.
  const planOf = async (file: string) => {
    const r = await runCli(['pinning', 'plan', file, '--connect-to', `localhost=127.0.0.1:${dual.port}`, '--ca', ca.cert, '--json', '--fail-on', 'never']);
    return (JSON.parse(r.out) as { plans: { risk: string; warnings: { code: string; severity: string }[] }[] }).plans[0]!;
  };
  const unpinned = await planOf(config('dual-leaf.json', [['localhost', [goodPin, backup]]]));
  assert.ok(unpinned.warnings.some((w) => w.code === 'other-key-unpinned' && w.severity === 'high'), JSON.stringify(unpinned.warnings));
  assert.ok(['high', 'critical'].includes(unpinned.risk));
  assert.ok(!(await planOf(config('dual-inter.json', [['localhost', [interPin, backup]]]))).warnings.some((w) => w.code === 'other-key-unpinned'));
});
