/** registry/: the data every other layer reads. Every table names its source. */
export * from './versions.js';
export * from './ciphers.js';
