/**
 * @peculiar/x509, loaded the one way that works: its dependency injection
 * (tsyringe) needs the reflect-metadata polyfill imported first. Import
 * @peculiar/x509 only through this module.
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export { x509 };
