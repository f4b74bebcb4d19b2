/**
 * Debian's Chromium, driven headless by playwright-core, opens client-test's
 * page: the HTML report must show Chromium's own ClientHello (TLS 1.3,
 * GREASE, a post-quantum group) and the verdict; a screenshot is taken and
 * checked to be a real, non-blank picture.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { startHarness, type Harness } from './harness.js';
import { tempDir } from '../support/tmp.js';

let h: Harness;
let browser: Browser;
const dir = tempDir('tlsdoctor-chromium-');

before(async () => {
  h = await startHarness();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--ignore-certificate-errors'],
  });
});
after(async () => { await browser?.close(); await h?.server.close(); });

/** Counts distinct colours in a PNG's first rows (8-bit RGB/RGBA, no interlace), to tell a page from a blank image. */
function pngColours(png: Buffer): { width: number; height: number; colours: number } {
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  const width = png.readUInt32BE(16), height = png.readUInt32BE(20), colorType = png[25]!;
  const idat: Buffer[] = [];
  for (let off = 8; off < png.length;) {
    const len = png.readUInt32BE(off); const type = png.subarray(off + 4, off + 8).toString('latin1');
    if (type === 'IDAT') idat.push(png.subarray(off + 8, off + 8 + len));
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const bpp = colorType === 6 ? 4 : 3, stride = width * bpp + 1;
  const prev = Buffer.alloc(width * bpp), colours = new Set<string>();
  for (let y = 0; y < Math.min(height, 400); y++) {
    const f = raw[y * stride]!, line = Buffer.from(raw.subarray(y * stride + 1, (y + 1) * stride));
    for (let x = 0; x < line.length; x++) {
      const a = x >= bpp ? line[x - bpp]! : 0, b = prev[x]!, c = x >= bpp ? prev[x - bpp]! : 0;
      const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
      const pred = f === 1 ? a : f === 2 ? b : f === 3 ? (a + b) >> 1 : f === 4 ? (pa <= pb && pa <= pc ? a : pb <= pc ? b : c) : 0;
      line[x] = (line[x]! + pred) & 0xff;
    }
    line.copy(prev);
    for (let x = 0; x < width; x += 3) colours.add(line.subarray(x * bpp, x * bpp + 3).toString('hex'));
  }
  return { width, height, colours: colours.size };
}

test('Chromium opens client-test: the page shows its ClientHello report and verdict; screenshot is non-blank', async () => {
  const from = h.entries.length;
  const page = await browser.newPage();
  await page.goto(`https://localhost:${h.port}/`);
  const verdict = await page.textContent('#verdict');
  assert.equal(verdict, 'TLS 1.2 compliant: yes — offers up to TLS 1.3');
  const text = await page.textContent('body');
  assert.match(text!, /Post-quantum\s*yes/);
  assert.match(text!, /X25519MLKEM768 \(post-quantum\)/);
  assert.match(text!, /GREASE/);
  const shot = join(dir, 'client-test.png');
  const png = await page.screenshot({ path: shot, fullPage: false });
  if (process.env.TLSDOCTOR_KEEP_SCREENSHOT) writeFileSync(process.env.TLSDOCTOR_KEEP_SCREENSHOT, png);
  const info = pngColours(png);
  assert.ok(info.width >= 600 && info.height >= 400, `${info.width}x${info.height}`);
  assert.ok(info.colours >= 4, `only ${info.colours} colour(s): blank page?`);
  const api = await page.goto(`https://localhost:${h.port}/api/check`);
  const body = await api!.json() as { report: { grease: boolean; sni: string; supportedVersions: string[]; ja4: { ja4: string } } };
  assert.equal(body.report.grease, true);
  assert.equal(body.report.sni, 'localhost');
  assert.equal(body.report.supportedVersions[0], 'TLSv1.3');
  assert.match(body.report.ja4.ja4, /^t13d\d{4}h2_/);
  await page.close();
  const e = await h.next(from);
  assert.equal(e.outcome, 'completed');
  assert.equal(e.negotiated!.protocol, 'TLSv1.3');
});
