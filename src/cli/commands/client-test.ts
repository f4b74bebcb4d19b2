/** `tlsdoctor client-test`: a local TLS endpoint that reports on each client's ClientHello. */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import type { CliContext } from '../context.js';
import { ClientTestServer, consoleLine } from '../../clienttest/server.js';
import { generateSelfSigned } from '../../clienttest/selfsigned.js';
import { parsePolicy, DEFAULT_POLICY } from '../../clienttest/analysis.js';
import { UsageError, errorMessage } from '../../util/errors.js';

interface Opts { port: string; host: string; require?: string; cert?: string; key?: string; jsonLog?: string; helloTimeout: string }

function readPem(path: string, what: string): Buffer {
  try { return readFileSync(path); } catch (e) { throw new UsageError(`cannot read ${what} ${path}: ${errorMessage(e)}`); }
}

export function register(program: Command, ctx: CliContext): void {
  program.command('client-test')
    .description('run a TLS endpoint that reports, per client, the versions, suites, groups, JA3/JA4 and policy verdict of its ClientHello')
    .option('--port <port>', 'port to listen on', '8443')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--require <policy>', 'refuse clients below this policy (protocol_version alert), e.g. TLSv1.2 or TLSv1.2,aead')
    .option('--cert <file>', 'PEM certificate (chain); default: a generated self-signed RSA certificate')
    .option('--key <file>', 'PEM private key for --cert')
    .option('--json-log <file>', 'append one JSON line per client, including clients that never completed')
    .option('--hello-timeout <ms>', 'time a client has to send its ClientHello', '10000')
    .action(async (opts: Opts) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: not a port: ${opts.port}`);
      const helloTimeoutMs = Number(opts.helloTimeout);
      if (!(helloTimeoutMs > 0)) throw new UsageError(`--hello-timeout: not a positive number: ${opts.helloTimeout}`);
      if (!!opts.cert !== !!opts.key) throw new UsageError('--cert and --key go together');
      const policy = opts.require ? parsePolicy(opts.require) : DEFAULT_POLICY;
      const pair = opts.cert && opts.key
        ? { cert: readPem(opts.cert, 'certificate'), key: readPem(opts.key, 'key') }
        : await generateSelfSigned();
      let server: ClientTestServer;
      try {
        server = new ClientTestServer({
          host: opts.host, port, cert: pair.cert, key: pair.key, policy, enforce: !!opts.require,
          helloTimeoutMs, jsonLog: opts.jsonLog, onClient: (e) => ctx.stdout.write(consoleLine(e) + '\n'),
        });
      } catch (e) {
        throw new UsageError(`cannot use the certificate/key: ${errorMessage(e)}`);
      }
      let addr;
      try { addr = await server.listen(); } catch (e) { throw new UsageError(`cannot listen on ${opts.host}:${port}: ${errorMessage(e)}`); }
      const hostPart = addr.host.includes(':') ? `[${addr.host}]` : addr.host;
      ctx.stdout.write(`client-test listening on https://${hostPart}:${addr.port}/ (policy ${policy.label}${opts.require ? ', enforced' : ', report only'}${opts.cert ? '' : ', self-signed certificate'})\n`);
      ctx.stdout.write('  GET / shows the report as a page, GET /api/check as JSON; Ctrl-C stops.\n');
      await new Promise<void>((resolve) => {
        const stop = () => { process.off('SIGINT', stop); process.off('SIGTERM', stop); resolve(); };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await server.close();
    });
}
