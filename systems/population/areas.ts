import type { Track } from './model.js';
import { ADVISOR_NAMES, CASEWORKER_NAMES, COUNSELLOR_NAMES, INSTITUTION_SEEDS, SCHOOL_NAMES, type InstitutionKind } from './names.js';

/**
 * The population's areas: at scale <= 1 one area, Aalborg, with its schools, partner institutions and
 * staff (30 UU counsellors, 20 jobcenter advisors, 24 social caseworkers), exactly as before. Above 1 the
 * population is `ceil(scale)` areas of about Aalborg's size, each with schools, institutions and staff of its
 * own (named after a Danish municipality), so that a national population keeps Aalborg's caseloads instead
 * of 20 counsellors for a million young people. Area 0 is always Aalborg, unchanged.
 */

/** The scale at which the population is Denmark's: about 1,000,000 aged 13-29 (61,270 at scale 1 with the default day). */
export const NATIONAL_SCALE = 16.3;
/** The largest scale (about 1.5 million people): beyond it one process's memory, not the model, is the limit. */
export const MAX_SCALE = 25;

export interface School {
  id: string;
  name: string;
}

export interface Institution {
  id: string;
  name: string;
  kind: InstitutionKind;
  /** The tracks its programmes lead to. */
  tracks: Track[];
}

export interface Staff {
  id: string;
  name: string;
}

export interface Counsellor {
  initials: string;
  name: string;
  email: string;
}

export interface Area {
  name: string;
  schools: School[];
  ordinarySchools: readonly School[];
  /** Most grade-10 pupils go to the area's grade-10 centre; it has no other grades. */
  tenthGradeCentre: School;
  institutions: Institution[];
  institutionsByTrack: ReadonlyMap<string, readonly { institution: Institution; programmes: readonly string[] }[]>;
  counsellors: Counsellor[];
  advisors: Staff[];
  caseworkers: Staff[];
}

/** Aalborg first, then Denmark's larger municipalities: one per area above scale 1. */
// prettier-ignore
const AREA_NAMES = [
  'Aalborg', 'København', 'Aarhus', 'Odense', 'Esbjerg', 'Vejle', 'Randers', 'Horsens', 'Kolding', 'Herning',
  'Roskilde', 'Silkeborg', 'Næstved', 'Frederiksberg', 'Viborg', 'Holbæk', 'Slagelse', 'Hjørring', 'Gentofte',
  'Sønderborg', 'Helsingør', 'Holstebro', 'Svendborg', 'Haderslev', 'Guldborgsund',
] as const;

/** How many areas a scale makes: 1 up to scale 1, then one per started Aalborg. */
export function areaCount(scale: number): number {
  return scale <= 1 ? 1 : Math.ceil(scale);
}

/** A name from Aalborg's lists for another area: its own town where Aalborg's is named, else the area added. */
function renamed(name: string, area: string, index: number): string {
  if (index === 0) return name;
  return name.includes('Aalborg') ? name.replaceAll('Aalborg', area) : `${name} (${area})`;
}

function ascii(text: string): string {
  return text
    .replaceAll('Ø', 'OE')
    .replaceAll('Æ', 'AE')
    .replaceAll('Å', 'AA')
    .replaceAll('ø', 'oe')
    .replaceAll('æ', 'ae')
    .replaceAll('å', 'aa');
}

function buildArea(index: number): Area {
  const name = AREA_NAMES[index] ?? `Område ${index + 1}`;
  const schoolOffset = index * SCHOOL_NAMES.length;
  const schools = SCHOOL_NAMES.map((school, i) => ({
    id: `S-${String(schoolOffset + i + 1).padStart(4, '0')}`,
    name: renamed(school, name, index),
  }));
  const institutionOffset = index * INSTITUTION_SEEDS.length;
  const institutions: Institution[] = INSTITUTION_SEEDS.map((seedInfo, i) => ({
    id: `I-${101 + institutionOffset + i}`,
    name: renamed(seedInfo.name, name, index),
    kind: seedInfo.kind,
    tracks: Object.keys(seedInfo.programmes) as Track[],
  }));
  const institutionsByTrack = new Map<string, { institution: Institution; programmes: readonly string[] }[]>();
  INSTITUTION_SEEDS.forEach((seedInfo, i) => {
    for (const [track, programmes] of Object.entries(seedInfo.programmes)) {
      if (!programmes || programmes.length === 0) continue;
      const list = institutionsByTrack.get(track) ?? [];
      list.push({ institution: institutions[i]!, programmes });
      institutionsByTrack.set(track, list);
    }
  });
  // UU's staff key is the counsellor's initials: unique within an area, and across areas by the area's number.
  const seenInitials = new Set<string>();
  const domain = index === 0 ? 'aalborg.dk' : `${ascii(name).toLowerCase()}.dk`;
  const counsellors = COUNSELLOR_NAMES.map((counsellor) => {
    let initials = counsellor
      .split(' ')
      .map((part) => part[0] ?? '')
      .join('')
      .toUpperCase();
    while (seenInitials.has(initials)) initials += 'X';
    seenInitials.add(initials);
    const key = index === 0 ? initials : `${initials}${index + 1}`;
    const local = key.replace('Ø', 'OE').replace('Æ', 'AE').replace('Å', 'AA').toLowerCase();
    return { initials: key, name: counsellor, email: `${local}@${domain}` };
  });
  const tenthGradeCentre = schools.find((s) => s.name.includes('10. klasse'))!;
  return {
    name,
    schools,
    ordinarySchools: schools.filter((s) => s !== tenthGradeCentre),
    tenthGradeCentre,
    institutions,
    institutionsByTrack,
    counsellors,
    advisors: ADVISOR_NAMES.map((advisor, i) => ({
      id: `JC-${String(index * ADVISOR_NAMES.length + i + 1).padStart(3, '0')}`,
      name: advisor,
    })),
    caseworkers: CASEWORKER_NAMES.map((caseworker, i) => ({
      id: `SB-${String(index * CASEWORKER_NAMES.length + i + 1).padStart(2, '0')}`,
      name: caseworker,
    })),
  };
}

export function buildAreas(scale: number): Area[] {
  return Array.from({ length: areaCount(scale) }, (_, index) => buildArea(index));
}
