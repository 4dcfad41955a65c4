export { generateWorld, defaultAsOf } from './generate-world.ts';
export { renderOpenDental, type OpenDentalRow, type OpenDentalTables } from './render-open-dental.ts';
export { Random } from './random.ts';
export { cdtCodes, type CdtCode } from './cdt-codes.ts';
export { firstNames, lastNames } from './name-tables.ts';
export type * from './types.ts';
export { leadSystemOf, stableBucket, type DemoLeadSystem } from './lead-systems.ts';
