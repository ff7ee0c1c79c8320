/**
 * lib/snippets — one model (vault id + versioned secret URL + optional names/thumbprint) rendered as .cscfg, .csdef,
 * ARM (cloud service and VMSS), Bicep, az CLI and PowerShell. Isomorphic.
 */
export * from './model';
export * from './render';
export * from './service-update';
export * from './migration';
