/** The hierarchy moved to shared/ (below generators/); this re-export keeps stage imports short. */
export * from '../shared/errors.ts';
