/**
 * lib/cloud-services — running Cloud Services (extended support): health of every role × certificate, the vault gate,
 * the rotation planner and its roll back, and the RP's checks mirrored as a preflight. Pure (no Azure, no React):
 * lib/azure reads the facts, the API and the browser share these shapes.
 */
export * from './types';
export * from './secrets';
export * from './health';
export * from './preflight';
export * from './rotation';
export * from './permissions';
export * from './paths';
export * from './migration';
export * from './migration-report';
