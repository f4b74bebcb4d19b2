/**
 * A Go crypto/tls server on loopback: what Caddy, Traefik, Kubernetes API servers and most Go
 * services speak. Built once per test process with `go build` (Debian's golang-go) from the
 * program below; each server is a process with its own suite list, which prints its port and
 * then takes connections (a handshake, then held until the client closes or 5 s pass).
 *
 * Go (1.17+) ignores the order of Config.CipherSuites and picks by an order of its own, which
 * depends on the client: its AES-GCM-first order when the client's first suite Go knows is an
 * ECDHE or TLS 1.3 AES-GCM one (and the machine has AES instructions), else its ChaCha20-first
 * order (crypto/tls cipher_suites.go: cipherSuitesPreferenceOrder, ...NoAES, aesgcmPreferred).
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningServer } from './servers.js';
import { processTempDir, startProgramServer } from './program-server.js';

const SOURCE = `package main

import (
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"
)

// args: cert.pem key.pem suites|- maxVersion(1.2|-)
func main() {
	cert, err := tls.LoadX509KeyPair(os.Args[1], os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS10}
	if os.Args[3] != "-" {
		byName := map[string]uint16{}
		for _, s := range append(tls.CipherSuites(), tls.InsecureCipherSuites()...) {
			byName[s.Name] = s.ID
		}
		for _, n := range strings.Split(os.Args[3], ",") {
			id, ok := byName[n]
			if !ok {
				fmt.Fprintln(os.Stderr, "unknown suite", n)
				os.Exit(1)
			}
			cfg.CipherSuites = append(cfg.CipherSuites, id)
		}
	}
	if os.Args[4] == "1.2" {
		cfg.MaxVersion = tls.VersionTLS12
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println("port", ln.Addr().(*net.TCPAddr).Port)
	for {
		c, err := ln.Accept()
		if err != nil {
			continue
		}
		go func(c net.Conn) {
			defer c.Close()
			c.SetDeadline(time.Now().Add(5 * time.Second))
			if err := c.(*tls.Conn).Handshake(); err != nil {
				return
			}
			io.Copy(io.Discard, c)
		}(c)
	}
}
`;

let binary: Promise<string> | undefined;

function build(): Promise<string> {
  return (binary ??= new Promise((resolve, reject) => {
    const dir = processTempDir('tlsdoctor-go-');
    writeFileSync(join(dir, 'main.go'), SOURCE);
    writeFileSync(join(dir, 'go.mod'), 'module tlsdoctortest\n\ngo 1.19\n');
    // Its own caches: nothing written under $HOME, no module download (no dependencies).
    const env = { ...process.env, GOCACHE: join(dir, 'cache'), GOPATH: join(dir, 'path'), GOFLAGS: '-mod=mod', GOPROXY: 'off', CGO_ENABLED: '0' };
    execFile('go', ['build', '-o', 'server', '.'], { cwd: dir, env, timeout: 180_000 }, (err, _o, stderr) => {
      if (err || !existsSync(join(dir, 'server'))) reject(new Error(`go build failed: ${stderr || err?.message}`));
      else resolve(join(dir, 'server'));
    });
  }));
}

/** The Go release that builds the server: [major, minor], e.g. [1, 19]. */
export function goVersion(): Promise<[number, number]> {
  return new Promise((resolve, reject) => {
    execFile('go', ['version'], (err, out) => {
      const m = String(out).match(/go(\d+)\.(\d+)/);
      if (err || !m) reject(new Error(`go version: ${err?.message ?? out}`));
      else resolve([Number(m[1]), Number(m[2])]);
    });
  });
}

/** Whether this CPU has AES instructions, which Go's AES-GCM-first order needs (x86 `aes`, arm64 `aes` in /proc/cpuinfo). */
export function cpuHasAes(): boolean {
  try { return /^(flags|Features)\s*:.*\baes\b/m.test(readFileSync('/proc/cpuinfo', 'utf8')); } catch { return false; }
}

/** A Go TLS server with this certificate and key (PEM files); `suites`: Go's names for Config.CipherSuites (default: Go's own defaults). */
export async function startGoServer(o: { cert: string; key: string; suites?: string[]; maxTls12?: boolean }): Promise<RunningServer> {
  const bin = await build();
  return startProgramServer('Go server', bin, [o.cert, o.key, o.suites?.join(',') ?? '-', o.maxTls12 ? '1.2' : '-']);
}
