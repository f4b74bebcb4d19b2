/**
 * @peculiar/x509 2.x resolves its services through tsyringe, which needs a
 * Reflect metadata polyfill loaded first. Import x509 from here, never directly.
 */
import 'reflect-metadata';
export * as x509 from '@peculiar/x509';
