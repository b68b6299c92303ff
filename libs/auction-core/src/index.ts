/** Pure auction logic over plain data: no I/O, no framework, only decimal.js. */
export * from './types';
export * from './money.util';
export * from './filters.util';
export { isValidTimeZone, localParts } from './time-zone.util';
export type { LocalParts } from './time-zone.util';
export * from './schedule.util';
export * from './caps.util';
export { compareBids, rankBids } from './ranking.util';
export * from './eligibility.util';
export * from './distribution.util';
