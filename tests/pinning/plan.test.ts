import { test } from 'node:test';
import assert from 'node:assert/strict';
import tls from 'node:tls';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CertFactory, type CertFiles } from '../support/certs.js';
import { startNodeTLSServer } from '../support/servers.js';
import { tempDir } from '../support/tmp.js';
import { opensslPinOfCert, runCli, tamper } from './support.js';

const DAY = 86_400_000;
const day0 = new Date(new Date().toISOString().slice(0, 10) + 'T12:00:00Z');
const at = (days: number) => new Date(day0.getTime() + days * DAY);
const iso = (d: Date) => d.toISOString();

const f = new CertFactory();
const dir = tempDir('tlsdoctor-plan-');
const root = f.make({ cn: 'Plan Root', ca: true, key: 'ec256', notBefore: at(-400), notAfter: at(3000) });
const inter = f.make({ cn: 'Plan Intermediate', ca: true, key: 'ec256', issuer: root, notBefore: at(-400), notAfter: at(200) });
const r11 = f.make({ cn: 'R11', ca: true, key: 'ec256', issuer: root, notBefore: at(-400), notAfter: at(300) });
const leaf = (cn: string, issuer: CertFiles, from: number, to: number) =>
  f.make({ cn, san: `DNS:${cn}`, issuer, key: 'ec256', notBefore: at(from), notAfter: at(to) });
const certs: Record<string, CertFiles> = {
  'short.example.com': leaf('short.example.com', inter, -20, 60), // 80-day leaf
  'inter.example.com': leaf('inter.example.com', inter, -30, 335),
  'tampered.example.com': leaf('tampered.example.com', inter, -30, 335),
  'acme.example.com': leaf('acme.example.com', r11, -265, 100), // 365 days, but from an ACME CA
  'late.example.com': leaf('late.example.com', inter, -180, 20), // 200 days, expires in 20
};
const issuerOf = (h: string) => (h === 'acme.example.com' ? r11 : inter);
const pin = (c: CertFiles) => `sha256/${opensslPinOfCert(c.cert)}`;
const backup = 'sha256/' + Buffer.alloc(32, 9).toString('base64');

// One server answers for every host name through SNI.
const contexts = Object.fromEntries(Object.entries(certs).map(([h, c]) => [h, tls.createSecureContext({ cert: c.pem + issuerOf(h).pem, key: c.keyPem })]));
const srv = await startNodeTLSServer({ cert: inter.pem, key: inter.keyPem, SNICallback: (name, cb) => cb(null, contexts[name]) });

const file = join(dir, 'pinning.json');
writeFileSync(file, JSON.stringify({ hosts: [
  { host: 'short.example.com', hashes: [pin(certs['short.example.com']!)] },
  { host: 'inter.example.com', hashes: [pin(inter), backup] },
  { host: 'tampered.example.com', hashes: [tamper(pin(certs['tampered.example.com']!)), tamper(pin(inter))] },
  { host: 'acme.example.com', hashes: [pin(certs['acme.example.com']!), backup] },
  { host: 'late.example.com', hashes: [pin(certs['late.example.com']!)] },
] }, null, 2));
const connect = Object.keys(certs).flatMap((h) => ['--connect-to', `${h}=127.0.0.1:${srv.port}`]);

interface Plan {
  host: string; risk: string; buildDeadline: string | null; matchedLevels: string[]; backupPins: string[];
  warnings: Array<{ code: string; severity: string; message: string }>;
  timeline: Array<{ date: string; kind: string; overdue: boolean }>;
}

async function plan(...extra: string[]): Promise<{ code: number; plans: Record<string, Plan> }> {
  const r = await runCli(['pinning', 'plan', file, '--ca', root.cert, '--json', ...connect, ...extra]);
  assert.equal(r.err, '');
  const parsed = JSON.parse(r.out) as { plans: Plan[] };
  return { code: r.code, plans: Object.fromEntries(parsed.plans.map((p) => [p.host, p])) };
}

const codes = (p: Plan) => p.warnings.map((w) => `${w.severity}:${w.code}`).sort();

test('plan: a pin only on an 80-day leaf, no backup: high risk, and the build is due 30 days before the leaf expires', async () => {
  const { plans, code } = await plan();
  assert.equal(code, 1, 'high risk fails the default --fail-on high');
  const p = plans['short.example.com']!;
  assert.deepEqual(codes(p), ['high:no-backup', 'high:short-lived-leaf'], JSON.stringify(p));
  assert.match(p.warnings.find((w) => w.code === 'short-lived-leaf')!.message, /valid for 80 days/);
  assert.equal(p.risk, 'high');
  assert.deepEqual(p.matchedLevels, ['leaf']);
  assert.equal(p.buildDeadline, iso(at(30)));
  assert.deepEqual(p.timeline.map((t) => [t.date, t.kind, t.overdue]), [[iso(at(30)), 'build-deadline', false], [iso(at(60)), 'expiry', false]]);
});

test('plan: --lead-days moves the deadline; --now past it makes the build overdue', async () => {
  const longer = await plan('--lead-days', '45');
  assert.equal(longer.plans['short.example.com']!.buildDeadline, iso(at(15)));
  const later = await plan('--now', iso(at(35)));
  const p = later.plans['short.example.com']!;
  assert.deepEqual(codes(p), ['critical:build-overdue', 'high:no-backup', 'high:short-lived-leaf']);
  assert.equal(p.risk, 'critical');
  assert.equal(p.timeline[0]!.overdue, true);
});

test('plan: pins only on an intermediate warn that CAs rotate them; a backup pin covers the renewal', async () => {
  const { plans } = await plan();
  const p = plans['inter.example.com']!;
  assert.deepEqual(codes(p), ['medium:intermediate-only']);
  assert.equal(p.risk, 'medium');
  assert.deepEqual(p.backupPins, [backup.slice(7)]);
  assert.equal(p.buildDeadline, null);
  assert.deepEqual(p.timeline.map((t) => [t.date, t.kind]), [[iso(at(170)), 'ship-new-backup'], [iso(at(200)), 'expiry'], [iso(at(200)), 'renew-with-backup']]);
});

test('plan: tampered pins match nothing in the live chain: critical', async () => {
  const { plans } = await plan();
  const p = plans['tampered.example.com']!;
  assert.deepEqual(codes(p), ['critical:no-match']);
  assert.equal(p.risk, 'critical');
});

test('plan: a leaf from an ACME CA (R11, Let\'s Encrypt) renews often even when it is valid for a year', async () => {
  const { plans } = await plan();
  const p = plans['acme.example.com']!;
  assert.deepEqual(codes(p), ['high:short-lived-leaf']);
  assert.match(p.warnings[0]!.message, /issued by Let's Encrypt \(ACME/);
  assert.equal(p.buildDeadline, null, 'the backup pin covers the renewal');
  assert.deepEqual(p.timeline.map((t) => [t.date, t.kind]), [[iso(at(70)), 'ship-new-backup'], [iso(at(100)), 'expiry'], [iso(at(100)), 'renew-with-backup']]);
});

test('plan: a leaf expiring in 20 days without backup: the 30-day build deadline has already passed', async () => {
  const { plans } = await plan();
  const p = plans['late.example.com']!;
  assert.deepEqual(codes(p), ['critical:build-overdue', 'high:no-backup']);
  assert.equal(p.buildDeadline, iso(at(-10)));
  assert.deepEqual(p.timeline.map((t) => [t.kind, t.overdue]), [['build-deadline', true], ['expiry', false]]);
});

test('plan: human output shows the chain, backup pins, warnings with fixes and the timeline', async () => {
  const r = await runCli(['pinning', 'plan', file, '--ca', root.cert, ...connect, '--fail-on', 'never']);
  assert.equal(r.code, 0);
  const block = r.out.split('\n\n').find((b) => b.startsWith('short.example.com:443'))!;
  assert.match(block, /risk: high/);
  assert.match(block, /\[0\] leaf +CN=short\.example\.com +expires \d{4}-\d{2}-\d{2} +PINNED +\(renews often: valid for 80 days\)/);
  assert.match(block, /backup pins \(not in the live chain\): none/);
  assert.match(block, /high +short-lived-leaf: .*\n +fix: keep the key across renewals/);
  assert.ok(block.includes(`${iso(at(30)).slice(0, 10)}  build-deadline`));
  assert.ok(block.includes(`a new build must be in users' hands by ${iso(at(30)).slice(0, 10)}`));
  const unreachable = join(dir, 'gone.json');
  writeFileSync(unreachable, JSON.stringify({ hosts: [{ host: 'gone.example.com', hashes: [backup, pin(inter)] }] }));
  const g = await runCli(['pinning', 'plan', unreachable, '--connect-to', 'gone.example.com=127.0.0.1:1', '--json']);
  assert.equal(g.code, 1);
  assert.equal((JSON.parse(g.out) as { plans: Plan[] }).plans[0]!.warnings[0]!.code, 'unreachable');
});

test('planHost: a placeholder hash is not a backup pin', async () => {
  const { pinsFromChain } = await import('../../src/pinning/sources.js');
  const { planHost } = await import('../../src/pinning/plan.js');
  const { readFileSync } = await import('node:fs');
  const der = (c: CertFiles) => Buffer.from(readFileSync(c.cert, 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const chain = pinsFromChain([der(certs['inter.example.com']!), der(inter), der(root)], 'x');
  const placeholder = 'sha256/' + 'A'.repeat(43) + '=';
  const p = planHost('x.example.com', 443, [pin(certs['inter.example.com']!), placeholder], chain, { now: at(0) });
  assert.deepEqual(p.backupPins, []);
  assert.deepEqual(codes(p as unknown as Plan), ['high:no-backup']);
  assert.match(p.warnings[0]!.message, /or a placeholder \(sha256\/A{43}=\)/);
  assert.equal(p.buildDeadline?.toISOString(), iso(at(305)));
});
