/**
 * The worklist's sentences (`DueItem.reason`), Danish and English, in this one place so the issue that
 * localises the graph swaps the language here and nowhere else. Danish is served: the caseworkers' own
 * words (the seed's "koordinerende møder ... ved det 16½ år").
 */
import type { DueKind } from './due.js';

export type DueLanguage = 'da' | 'en';

export const DUE_REASON_LANGUAGE: DueLanguage = 'da';

const TEXTS: Readonly<Record<DueLanguage, Readonly<Record<DueKind, string>>>> = {
  da: {
    COORDINATING_MEETING_16_5: 'Koordinerende møde ved 16½ år',
    JOBCENTER_ADVISOR_17: 'Jobcentret tildeler en rådgiver ved 17 år',
    TRANSFER_18: 'Overdragelse til voksenområdet ved 18 år',
    LEAVING_COMPULSORY_SCHOOL: 'Afslutter grundskolen',
    TURNING_25: 'Fylder 25: ungeindsatsen og kontaktpersonen ophører',
    CONTACT_PERSON_REVIEW: 'Kontaktpersonforløbet skal revurderes (forankret i uddannelse eller arbejde) siden',
  },
  en: {
    COORDINATING_MEETING_16_5: 'Coordinating meeting at 16½',
    JOBCENTER_ADVISOR_17: 'The jobcenter assigns an advisor at 17',
    TRANSFER_18: "Transfer to adults' services at 18",
    LEAVING_COMPULSORY_SCHOOL: 'Leaves compulsory school',
    TURNING_25: 'Turns 25: the youth effort and the contact person end',
    CONTACT_PERSON_REVIEW: 'Contact-person assignment due for review (anchored in education or work) since',
  },
};

/** What falls due in words without its date (`DueItem.text`): the screen formats the date itself. */
export function dueText(kind: DueKind, language: DueLanguage = DUE_REASON_LANGUAGE): string {
  // The review's sentence ends in "since" before the date; without the date it stops before it.
  return TEXTS[language][kind].replace(/ (siden|since)$/, '');
}

/** "Koordinerende møde ved 16½ år: 2027-01-14": why a young person is on the worklist. */
export function dueReason(kind: DueKind, date: string, language: DueLanguage = DUE_REASON_LANGUAGE): string {
  const text = TEXTS[language][kind];
  return kind === 'CONTACT_PERSON_REVIEW' ? `${text} ${date}` : `${text}: ${date}`;
}
