/** The access log (adgangslog): what the gateway wires in. See docs/access.md, "The access log". */
export * from './collect.js';
export * from './config.js';
export * from './deadline.js';
export * from './denials.js';
export * from './http.js';
export * from './plugin.js';
export * from './retention.js';
export * from './store.js';
