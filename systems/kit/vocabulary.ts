import type { Track } from '../population/model.js';

/** The track codes UU, the jobcenter and social services share (their one common vocabulary). */
export const DANISH_TRACK: Readonly<Record<Track, string>> = {
  EUD: 'EUD',
  EUX: 'EUX',
  GYM: 'GYM',
  FGU: 'FGU',
  STU: 'STU',
  HIGHER: 'VIDEREGAAENDE',
  JOB: 'JOB',
  OTHER: 'ANDET',
};
