/** wire/: the pure TLS/SSL codec. Bytes in, typed values out; no I/O, no clocks. */
export * from './bytes.js';
export * from './constants.js';
export * from './defaults.js';
export * from './key-share.js';
export * from './client-hello.js';
export * from './server-hello.js';
export * from './record.js';
export * from './alert.js';
export * from './certificate.js';
export * from './server-key-exchange.js';
export * from './sslv2.js';
export * from './ffdhe.js';
export * from './dh-groups.js';
export * from './certificate-request.js';
