/** registry/: the data every other layer reads. Every table names its source. */
export * from './versions.js';
export * from './ciphers.js';
export * from './groups.js';
export * from './sigschemes.js';
export * from './sslv2.js';
export * from './grease.js';
