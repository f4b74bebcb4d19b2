/**
 * A SCRIPTED FAKE TLS 1.2 SERVER with a CBC suite, for the padding-oracle
 * check (src/scan/padding-oracle.ts): it stands in for the servers that no
 * library on this machine is (OpenSSL 3, GnuTLS and Node all answer every
 * bad record with bad_record_mac). It speaks just enough TLS 1.2 for a
 * node:tls client to finish a handshake: TLS_RSA_WITH_AES_128_CBC_SHA with
 * an RSA key exchange, renegotiation_info, no session tickets, no
 * extended master secret, no encrypt-then-MAC. Then it decrypts the first
 * application_data record and answers as its `mode` says:
 *
 * - 'safe': bad_record_mac for a wrong MAC or a wrong padding alike (RFC 5246);
 * - 'oracle': decryption_failed for a wrong padding, bad_record_mac for a
 *   wrong MAC (the classic padding oracle, as GOLDENDOODLE-era devices did);
 * - 'poodle': checks only the padding's last byte (POODLE-TLS): a record
 *   with the right MAC and wrong padding bytes is taken;
 * - 'zero-length': as 'safe', but an empty record with a wrong MAC gets a
 *   close without an alert (the kind of difference CVE-2019-1559 was);
 * - hostile: 'silent' drops every bad record and keeps the connection open;
 *   'stall' never answers the client's Finished; 'hangup' sends a close_notify
 *   and closes right behind its own Finished, whatever the client sends next.
 *
 * A record it takes is kept in `accepted` and nothing is answered (as an
 * HTTP server waits for the rest of a request).
 */
import net from 'node:net';
import { after } from 'node:test';
import { constants, createHash, privateDecrypt, randomBytes, X509Certificate } from 'node:crypto';
import { parseClientHello } from '../../src/wire/client-hello-parse.js';
import { cbcSuite, keyBlock, openRecord, padding, prf, recordMac, sealRecord, type CbcKeys } from '../../src/wire/cbc.js';

export type OracleMode = 'safe' | 'oracle' | 'poodle' | 'zero-length' | 'silent' | 'stall' | 'hangup';

export interface CbcOracleServer {
  port: number;
  /** The contents of the records it took. */
  accepted: Buffer[];
  stop(): Promise<void>;
}

const SUITE = 0x002f; // TLS_RSA_WITH_AES_128_CBC_SHA
const V = 0x0303;
const AES128_SHA = cbcSuite('AES-128-CBC', 'SHA1')!;

const rec = (type: number, body: Buffer) => Buffer.concat([Buffer.from([type, V >> 8, V & 0xff, body.length >> 8, body.length & 0xff]), body]);
const hs = (type: number, body: Buffer) => Buffer.concat([Buffer.from([type, body.length >> 16, (body.length >> 8) & 0xff, body.length & 0xff]), body]);
const u24 = (n: number) => Buffer.from([n >> 16, (n >> 8) & 0xff, n & 0xff]);

/** Protects `content` of `type` with the server's keys. */
function sealed(keys: CbcKeys, seq: bigint, type: number, content: Buffer): Buffer {
  const mac = recordMac(AES128_SHA, keys.serverMacKey, seq, type, V, content);
  const body = Buffer.concat([content, mac]);
  return sealRecord(V, AES128_SHA, keys.serverKey, randomBytes(16), type, Buffer.concat([body, padding(AES128_SHA, body.length)]));
}

/** What a record's plaintext says under `mode`: the content it carries, or why it is refused. */
function check(mode: OracleMode, keys: CbcKeys, seq: bigint, type: number, plaintext: Buffer): { content: Buffer } | { refuse: 'padding' | 'mac' } {
  const m = 20;
  const p = plaintext[plaintext.length - 1]!;
  if (p + 1 + m > plaintext.length) return { refuse: 'padding' };
  const pad = plaintext.subarray(plaintext.length - p - 1);
  if (mode !== 'poodle' && !pad.every((b) => b === p)) return { refuse: 'padding' };
  const content = plaintext.subarray(0, plaintext.length - p - 1 - m);
  const mac = plaintext.subarray(content.length, content.length + m);
  if (!recordMac(AES128_SHA, keys.clientMacKey, seq, type, V, content).equals(mac)) return { refuse: 'mac' };
  return { content: Buffer.from(content) };
}

export async function startCbcOracleServer(o: { mode: OracleMode; certPem: string; keyPem: string }): Promise<CbcOracleServer> {
  const certDer = new X509Certificate(o.certPem).raw;
  const accepted: Buffer[] = [];
  const server = net.createServer((sock) => {
    sock.on('error', () => { /* the client may reset */ });
    let buf = Buffer.alloc(0);
    const transcript: Buffer[] = [];
    let clientRandom: Buffer | undefined;
    const serverRandom = randomBytes(32);
    let keys: CbcKeys | undefined;
    let master: Buffer | undefined;
    let clientCcs = false;
    let clientSeq = 0n;
    // Once the server's Finished is out, a handshake record is one more record under test (a renegotiation's ClientHello).
    let finishedSent = false;
    sock.on('data', (d: Buffer) => {
      try {
        onData(d);
      } catch {
        // Not a hello it can answer (the scan's other probes: SSL 2.0, TLS 1.3, other suites).
        sock.destroy();
      }
    });
    let stalled = false;
    const onData = (d: Buffer) => {
      if (stalled) return;
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 5 && buf.length >= 5 + buf.readUInt16BE(3)) {
        const type = buf[0]!;
        const frag = buf.subarray(5, 5 + buf.readUInt16BE(3));
        buf = buf.subarray(5 + frag.length);
        if (!clientRandom) {
          // ClientHello: answer with the whole first flight.
          const hello = parseClientHello(frag);
          // Only a TLS 1.2 hello that offers its suite (not a TLS 1.3 one: supported_versions).
          if (hello.legacyVersion !== V || hello.supportedVersions || !hello.cipherSuites.includes(SUITE)) { sock.end(Buffer.from([21, 3, 3, 0, 2, 2, 40])); return; }
          transcript.push(Buffer.from(frag));
          clientRandom = Buffer.from(hello.random, 'hex');
          const ri = Buffer.from([0xff, 0x01, 0x00, 0x01, 0x00]);
          const sh = hs(2, Buffer.concat([Buffer.from([V >> 8, V & 0xff]), serverRandom, Buffer.from([0, SUITE >> 8, SUITE & 0xff, 0]), Buffer.from([0, ri.length]), ri]));
          const cert = hs(11, Buffer.concat([u24(certDer.length + 3), u24(certDer.length), certDer]));
          const done = hs(14, Buffer.alloc(0));
          transcript.push(sh, cert, done);
          sock.write(rec(22, Buffer.concat([sh, cert, done])));
          continue;
        }
        if (type === 20) { clientCcs = true; continue; }
        if (type === 22 && !clientCcs) {
          // ClientKeyExchange: the RSA-encrypted premaster secret (its last 48 bytes once unpadded).
          transcript.push(Buffer.from(frag));
          const block = privateDecrypt({ key: o.keyPem, padding: constants.RSA_NO_PADDING }, frag.subarray(6));
          const pms = block.subarray(block.length - 48);
          master = prf(V, 'sha256', pms, 'master secret', Buffer.concat([clientRandom, serverRandom]), 48);
          keys = keyBlock(V, AES128_SHA, master, clientRandom, serverRandom);
          continue;
        }
        if (!keys || !master) { sock.destroy(); return; }
        const opened = openRecord(V, AES128_SHA, keys.clientKey, keys.clientIv, frag);
        const seq = clientSeq++;
        if (type === 22 && !finishedSent) {
          finishedSent = true;
          // The client Finished: into the transcript, then the server's CCS and Finished.
          if (o.mode === 'stall') { stalled = true; return; }
          const r = opened && check('safe', keys, seq, 22, opened.plaintext);
          if (!r || !('content' in r)) { sock.destroy(); return; }
          transcript.push(r.content);
          const verify = prf(V, 'sha256', master, 'server finished', createHash('sha256').update(Buffer.concat(transcript)).digest(), 12);
          const finished = Buffer.concat([rec(20, Buffer.from([1])), sealed(keys, 0n, 22, hs(20, verify))]);
          if (o.mode === 'hangup') { stalled = true; sock.end(Buffer.concat([finished, sealed(keys, 1n, 21, Buffer.from([1, 0]))])); return; }
          sock.write(finished);
          continue;
        }
        // The record under test.
        const r = opened ? check(o.mode, keys, seq, type, opened.plaintext) : { refuse: 'padding' as const };
        if ('content' in r) { accepted.push(r.content); continue; }
        if (o.mode === 'silent') continue;
        const empty = opened && opened.plaintext.length === 20 + opened.plaintext[opened.plaintext.length - 1]! + 1;
        if (o.mode === 'zero-length' && r.refuse === 'mac' && empty) { sock.end(); return; }
        const description = o.mode === 'oracle' && r.refuse === 'padding' ? 21 : 20;
        sock.end(sealed(keys, 1n, 21, Buffer.from([2, description])));
        return;
      }
    };
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  after(stop);
  return { port, accepted, stop };
}
