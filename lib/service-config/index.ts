/**
 * lib/service-config — read, write, patch and check .cscfg/.csdef files. Isomorphic (browser, worker, server, CLI).
 */
export * from './errors';
export * from './thumbprint';
export * from './elements';
export * from './xml';
export * from './read';
export * from './patch';
export * from './check';
export * from './remove';
