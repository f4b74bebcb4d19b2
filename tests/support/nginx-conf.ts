/**
 * The nginx.conf of a one-server-block TLS nginx on loopback, in the
 * foreground and without a master process (so that killing the process we
 * started stops it), with every temp path inside `dir`. Used by the tests
 * (servers.ts) and by bench/run.mjs, which imports the compiled file: keep
 * this module free of node:test.
 */
export function nginxConf(o: { dir: string; port: number; cert: string; key: string; directives?: readonly string[]; workerConnections?: number; defaultServer?: readonly string[] }): string {
  const d = o.dir;
  return `daemon off;
master_process off;
worker_processes 1;
pid ${d}/nginx.pid;
error_log ${d}/logs/error.log warn;
events { worker_connections ${o.workerConnections ?? 256}; }
http {
  access_log off;
  client_body_temp_path ${d}/body;
  proxy_temp_path ${d}/proxy;
  fastcgi_temp_path ${d}/fastcgi;
  uwsgi_temp_path ${d}/uwsgi;
  scgi_temp_path ${d}/scgi;
${o.defaultServer ? `  server {\n    listen 127.0.0.1:${o.port} ssl default_server;\n    ${o.defaultServer.join('\n    ')}\n  }\n` : ''}  server {
    listen 127.0.0.1:${o.port} ssl;
    server_name localhost;
    ssl_certificate ${o.cert};
    ssl_certificate_key ${o.key};
    ${(o.directives ?? []).join('\n    ')}
    location / { return 200 "ok\\n"; }
  }
}
`;
}
