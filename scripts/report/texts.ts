/**
 * The management report's words and number/date formats in Danish (the default: every reader is a
 * Danish municipal manager) and English (`--lang en`). Codes from the graph (indicators, transitions,
 * reasons) are translated here and nowhere else. Danish: 3.312, 5,7 %, 4. sep. 2026.
 */

export type Lang = 'da' | 'en';
export const LANGS: readonly Lang[] = ['da', 'en'];

type Labels = Record<string, string>;

export interface Texts {
  lang: Lang;
  locale: string;
  indicators: Labels;
  indicatorsShort: Labels;
  ageBands: Labels;
  transitions: Labels;
  outcomes: Labels;
  endReasons: Labels;
  sources: Labels;
  w: Record<string, string>;
}

const da: Texts = {
  lang: 'da',
  locale: 'da-DK',
  indicators: {
    ABSENCE_OVER_20: 'Skolefravær over 20 %',
    CONCERNING_ABSENCE: 'Bekymrende ulovligt fravær',
    NOT_EDUCATION_READY: 'Ikke uddannelsesparat (8.-10. klasse)',
    SOCIAL_CASE: 'Sag i familiegrupperne med fravær og parathed',
    NOT_IN_EDUCATION: 'Hverken i gang med eller har afsluttet ungdomsuddannelse',
    NEEDS_SUPPORT_IN_EDUCATION: 'I uddannelse, har brug for støtte til at gennemføre',
  },
  indicatorsShort: {
    ABSENCE_OVER_20: 'Fravær >20 %',
    CONCERNING_ABSENCE: 'Bekymrende fravær',
    NOT_EDUCATION_READY: 'Ikke parat',
    SOCIAL_CASE: 'Socialsag',
    NOT_IN_EDUCATION: 'Ikke i uddannelse',
    NEEDS_SUPPORT_IN_EDUCATION: 'Behov for støtte',
  },
  ageBands: { AGE_13_15: '13-15', AGE_16_17: '16-17', AGE_18_24: '18-24', AGE_25_29: '25-29', OTHER: 'Andre aldre' },
  transitions: {
    COORDINATING_MEETING_16_5: 'Koordinerende møde ved 16½ år',
    JOBCENTER_ADVISOR_17: 'Rådgiver fra Jobcentret ved 17 år',
    TRANSFER_18: 'Overdragelse til voksenområdet ved 18 år',
  },
  outcomes: {
    ORDINARY_EDUCATION: 'Ordinær uddannelse',
    PREPARATORY_OR_UPSKILLING: 'Forberedende eller opkvalificerende forløb',
    OTHER: 'Andet (sygdom, fraflytning, ressourceforløb)',
  },
  endReasons: {
    TURNED_25: 'Fyldt 25 år',
    ANCHORED_IN_EDUCATION: 'Forankret i ungdomsuddannelse',
    ANCHORED_IN_WORK: 'Fast tilknytning til arbejdsmarkedet',
    MOVED: 'Fraflyttet',
    DECLINED: 'Den unge takkede nej',
    OTHER: 'Andet',
  },
  sources: { SNAPSHOT: 'månedsopgørelse', BACKFILLED: 'genberegnet', COMPUTED: 'beregnet nu', LIVE: 'foreløbig' },
  w: {
    title: 'Den sammenhængende ungeindsats: rapport',
    heading: 'Den sammenhængende ungeindsats',
    reportFor: 'Rapport for',
    registerRebuilt: 'Målgrupperegistret opdateret',
    never: 'aldrig (ingen screening endnu)',
    made: 'Lavet',
    summary: 'Sammenfatning',
    fewer: 'færre end 5 (vises ikke)',
    targetGroupLine: '{a} af de {b} unge i målgrupperegistret er i målgruppen for den sammenhængende ungeindsats{share}.',
    commonest: ' Den hyppigste årsag er <em>{label}</em> ({n}).',
    overCapacityLine:
      '<strong>Kontaktpersonerne er over den finansierede kapacitet:</strong> {a} aktive forløb mod {b} finansierede, {c} af dem som merudgift.',
    capacityLine: 'Kontaktpersoner: {a} aktive forløb af {b} finansierede; {c} ledige pladser.',
    handoverLine: 'Overgange fra børne- til voksenområdet med frist {from} til {to}: ',
    handoverHidden: 'andelen til tiden kan ikke vises (for få sager).',
    handoverNone: 'ingen havde frist.',
    handoverShare: '<strong>{p}</strong> til tiden (mål: alle).',
    missingSuffix: ' {n} mangler.',
    at25Line: 'Unge på 25 år med en afsluttet ungdomsuddannelse: {v} (nationalt mål 90 %).',
    notShown: 'vises ikke (for få)',
    noneAged25: 'ingen på 25 år i registret',
    tgHeading: 'Målgruppen (figur 1)',
    inRegister: 'Unge i målgrupperegistret',
    inTargetGroup: 'I målgruppen (mindst én indikator)',
    notInTargetGroup: 'Ikke i målgruppen',
    byIndicator: 'Efter indikator',
    byIndicatorNote: 'En ung kan have flere indikatorer, så rækkerne giver tilsammen mere end målgruppen.',
    indicator: 'Indikator',
    youngPeople: 'Unge',
    combinations: 'Overlap: præcise kombinationer af indikatorer',
    combinationsNote: 'Hver ung i målgruppen tælles én gang, under præcis de indikatorer, der gælder.',
    indicators: 'Indikatorer',
    targetGroup: 'Målgruppen',
    pairs: 'Overlap: par af indikatorer',
    pairsNote: 'Unge med begge indikatorer (andre kan også gælde). Diagonalen er indikatorens eget antal.',
    byAge: 'Efter alder',
    age: 'Alder',
    bySchool: 'Elever efter skole',
    school: 'Skole',
    pupilsInTg: 'Elever i målgruppen',
    allPupils: 'Alle elever i målgruppen',
    notPupil: 'I målgruppen, ikke elev',
    chartTitle: 'Unge i målgruppen efter indikator',
    capHeading: 'Gennemgående kontaktpersoner: kapacitet og sagsantal',
    overWarning:
      '<strong>Over den finansierede kapacitet.</strong> {a} aktive forløb mod {b} finansierede: {c} som merudgift. Følg udviklingen, og beslut om der skal finansieres flere eller tildeles færre.',
    fundedPlaces: 'Finansierede pladser',
    activeAssignments: 'Aktive forløb',
    overCapacity: 'Over den finansierede kapacitet',
    freePlaces: 'Ledige pladser',
    contactPerson: 'Kontaktperson',
    caseload: 'Sager',
    limit: 'Loft',
    note: 'Bemærkning',
    overLimit: 'over loftet',
    hasLeft: 'er stoppet; sager skal fordeles',
    all: 'Alle',
    overLimitNote: '{n} kontaktperson(er) har flere sager end deres loft.',
    handoverHeading: 'Overgange fra børne- til voksenområdet',
    handoverNote:
      'Overgange med frist {from} til {to} for unge med en børnesag. Til tiden: gjort senest på datoen (en afsluttet handling i planen eller systemernes egen registrering); for sent: efter; mangler: ikke gjort.',
    transition: 'Overgang',
    due: 'Frist i perioden',
    onTime: 'Til tiden',
    late: 'For sent',
    missing: 'Mangler',
    notYetDue: 'Ikke forfaldet',
    onTimeGoal: 'Til tiden (mål 100 %)',
    allHandovers: 'Alle overgange',
    outcomeHeading: 'Resultater',
    outcomeSub: 'Hvor de unge gik hen, da kontaktpersonforløbet sluttede',
    outcomeNote:
      'Fordelt på kategorier uden mål: 80/10/10-målet hørte til Socialfondsprojektet Ungeindsats Aalborg (2016-2018) og dets egne deltagere, ikke til kontaktpersonordningen.',
    outcome: 'Udfald',
    share: 'Andel',
    goal: 'Mål',
    withOutcome: 'Med registreret udfald',
    withoutOutcome: 'Afsluttet før udfald blev registreret',
    allEnded: 'Alle afsluttede forløb',
    at25Heading: 'Afsluttet ungdomsuddannelse ved 25 år',
    aged25: 'På 25 år i registret',
    withYouthEducation: 'Med en afsluttet ungdomsuddannelse',
    without: 'Uden',
    measuresHeading: 'Succesmål over tid',
    measuresNote:
      'Notatets succesmål (2019) måned for måned, de seneste {n} afsluttede måneder. Hver måned er opgjort for sig og tal under 5 skjult som ellers. Tomme måneder: målet kan ikke opgøres bagud (registret husker ikke tidligere måneder).',
    month: 'Måned',
    source: 'Kilde',
    mHandover18: 'Overdraget til tiden ved 18 år',
    mEducationGoal: 'Åbne socialsager med uddannelsesmål',
    mMeetings: 'Møder holdt i Uddannelseshuset',
    mJointDecisions: 'Fælles afgørelser på tværs',
    mAt25: 'Ungdomsuddannelse ved 25 år',
    mUnderWay: 'Godt på vej ved 25 år',
    mActive: 'Aktive kontaktpersonforløb',
    mByRule: 'heraf efter reglerne',
    mByJudgement: 'heraf efter faglig vurdering',
    mCaseload: 'Sager pr. kontaktperson',
    mCapacity: 'Udnyttelse af finansieret kapacitet',
    mEnded: 'Afsluttede forløb',
    endedByReason: 'Afsluttede kontaktpersonforløb efter årsag',
    reason: 'Årsag',
    seriesChart: '{label}, {from} til {to}',
    noData: 'ingen tal',
    footerSuppressed:
      'betyder færre end 5 unge, eller et tal skjult så et tal under 5 ikke kan regnes ud fra totalerne (dansk statistikpraksis). Andele vises ikke, hvor de ville afsløre sådan et tal. Alle andre antal unge er rundet ned til et multiplum af 5 (45 betyder 45 til 49), og andele er regnet af de afrundede tal, så ingen to rapporter tilsammen afslører et skjult tal.',
    footerNoOne: 'Alle tal er optællinger fra kommunens ungegraf. Ingen ung er nævnt eller kan identificeres i rapporten.',
  },
};

const en: Texts = {
  lang: 'en',
  locale: 'en-GB',
  indicators: {
    ABSENCE_OVER_20: 'School absence over 20 %',
    CONCERNING_ABSENCE: 'Concerning unlawful absence',
    NOT_EDUCATION_READY: 'Not education-ready (grades 8-10)',
    SOCIAL_CASE: 'Social case with a school or education concern',
    NOT_IN_EDUCATION: 'Neither in nor finished with youth education',
    NEEDS_SUPPORT_IN_EDUCATION: 'In education, needs support to complete',
  },
  indicatorsShort: {
    ABSENCE_OVER_20: 'Absence >20 %',
    CONCERNING_ABSENCE: 'Concerning absence',
    NOT_EDUCATION_READY: 'Not ready',
    SOCIAL_CASE: 'Social case',
    NOT_IN_EDUCATION: 'Not in education',
    NEEDS_SUPPORT_IN_EDUCATION: 'Needs support',
  },
  ageBands: { AGE_13_15: '13-15', AGE_16_17: '16-17', AGE_18_24: '18-24', AGE_25_29: '25-29', OTHER: 'Other ages' },
  transitions: {
    COORDINATING_MEETING_16_5: 'Coordinating meeting at 16½',
    JOBCENTER_ADVISOR_17: 'Jobcenter advisor at 17',
    TRANSFER_18: 'Transfer to adult services at 18',
  },
  outcomes: {
    ORDINARY_EDUCATION: 'Ordinary education',
    PREPARATORY_OR_UPSKILLING: 'Preparatory or upskilling course',
    OTHER: 'Other (illness, moved, resource course)',
  },
  endReasons: {
    TURNED_25: 'Turned 25',
    ANCHORED_IN_EDUCATION: 'Anchored in youth education',
    ANCHORED_IN_WORK: 'Firmly attached to work',
    MOVED: 'Moved away',
    DECLINED: 'Declined',
    OTHER: 'Other',
  },
  sources: { SNAPSHOT: 'monthly snapshot', BACKFILLED: 'back-filled', COMPUTED: 'computed now', LIVE: 'provisional' },
  w: {
    title: 'Coordinated youth effort: report',
    heading: 'Coordinated youth effort (den sammenhængende ungeindsats)',
    reportFor: 'Report for',
    registerRebuilt: 'Screening register rebuilt',
    never: 'never (no screening run yet)',
    made: 'Made',
    summary: 'Summary',
    fewer: 'fewer than 5 (not shown)',
    targetGroupLine:
      '{a} of the {b} young people in the screening register are in the target group of the coordinated youth effort{share}.',
    commonest: ' The most common reason is <em>{label}</em> ({n}).',
    overCapacityLine:
      '<strong>Contact persons are over the funded capacity:</strong> {a} active assignments against {b} funded, {c} of them at extra cost.',
    capacityLine: 'Contact persons: {a} active assignments of {b} funded; {c} places free.',
    handoverLine: "Handovers from children's to adults' services due {from} to {to}: ",
    handoverHidden: 'the on-time share cannot be shown (too few cases).',
    handoverNone: 'none were due.',
    handoverShare: '<strong>{p}</strong> on time (goal: all).',
    missingSuffix: ' {n} missing.',
    at25Line: 'Young people aged 25 with a completed youth education: {v} (national goal 90 %).',
    notShown: 'not shown (too few)',
    noneAged25: 'none aged 25 in the register',
    tgHeading: 'The target group (figure 1)',
    inRegister: 'Young people in the screening register',
    inTargetGroup: 'In the target group (at least one indicator)',
    notInTargetGroup: 'Not in the target group',
    byIndicator: 'By indicator',
    byIndicatorNote: 'One young person may have several indicators, so the rows add up to more than the target group.',
    indicator: 'Indicator',
    youngPeople: 'Young people',
    combinations: 'Overlaps: exact combinations of indicators',
    combinationsNote: 'Each young person in the target group is counted once, under exactly the indicators that apply.',
    indicators: 'Indicators',
    targetGroup: 'Target group',
    pairs: 'Overlaps: pairs of indicators',
    pairsNote: "Young people with both indicators (others may apply too). The diagonal is each indicator's own count.",
    byAge: 'By age',
    age: 'Age',
    bySchool: 'Pupils by school',
    school: 'School',
    pupilsInTg: 'Pupils in the target group',
    allPupils: 'All pupils in the target group',
    notPupil: 'In the target group, not a pupil',
    chartTitle: 'Young people in the target group by indicator',
    capHeading: 'Continuous contact persons: capacity and caseloads',
    overWarning:
      '<strong>Over the funded capacity.</strong> {a} active assignments against {b} funded: {c} at extra cost. Monitor and decide whether to fund more or assign fewer.',
    fundedPlaces: 'Funded places',
    activeAssignments: 'Active assignments',
    overCapacity: 'Over the funded capacity',
    freePlaces: 'Free places',
    contactPerson: 'Contact person',
    caseload: 'Caseload',
    limit: 'Limit',
    note: 'Note',
    overLimit: 'over the limit',
    hasLeft: 'has left; cases to reassign',
    all: 'All',
    overLimitNote: '{n} contact person(s) carry more than their caseload limit.',
    handoverHeading: "Handovers from children's to adults' services",
    handoverNote:
      "Transitions due {from} to {to} for young people with a children's case. On time: done on or before the date (a completed plan action or the systems' own record); late: after it; missing: not done.",
    transition: 'Transition',
    due: 'Due',
    onTime: 'On time',
    late: 'Late',
    missing: 'Missing',
    notYetDue: 'Not yet due',
    onTimeGoal: 'On time (goal 100 %)',
    allHandovers: 'All handovers',
    outcomeHeading: 'Outcomes',
    outcomeSub: "Where young people went when the contact person's assignment ended",
    outcomeNote:
      'By category, without a goal: the 80/10/10 goal belonged to the 2016-2018 social-fund project (Ungeindsats Aalborg) and its own participants, not to the contact-person scheme.',
    outcome: 'Outcome',
    share: 'Share',
    goal: 'Goal',
    withOutcome: 'With an outcome recorded',
    withoutOutcome: 'Ended before outcomes were recorded',
    allEnded: 'All ended assignments',
    at25Heading: 'Completed youth education at 25',
    aged25: 'Aged 25 in the register',
    withYouthEducation: 'With a completed youth education',
    without: 'Without',
    measuresHeading: 'Success measures over time',
    measuresNote:
      "The note's success measures (2019) month by month, the last {n} months that are over. Each month is counted on its own, small numbers hidden as elsewhere. Empty months: the measure cannot be counted after the fact (the register does not remember past months).",
    month: 'Month',
    source: 'Source',
    mHandover18: 'Handed over on time at 18',
    mEducationGoal: 'Open social cases with an education goal',
    mMeetings: 'Meetings held in Uddannelseshuset',
    mJointDecisions: 'Joint decisions across units',
    mAt25: 'Youth education at 25',
    mUnderWay: 'Under way at 25',
    mActive: 'Active contact-person assignments',
    mByRule: 'of which by the rules',
    mByJudgement: 'of which by judgement',
    mCaseload: 'Caseload per contact person',
    mCapacity: 'Use of the funded capacity',
    mEnded: 'Ended assignments',
    endedByReason: 'Ended contact-person assignments by reason',
    reason: 'Reason',
    seriesChart: '{label}, {from} to {to}',
    noData: 'no figures',
    footerSuppressed:
      'means fewer than 5 young people, or a figure hidden so that a number under 5 cannot be worked out from the totals (Danish statistics practice). Shares are not shown where they would reveal such a number. Every other count of young people is rounded down to a multiple of 5 (45 means 45 to 49), and shares are worked out from the rounded counts, so that no two reports taken together give a hidden number away.',
    footerNoOne: "All figures are counts from the municipality's youth graph. No young person is named or identified in this report.",
  },
};

export const TEXTS: Record<Lang, Texts> = { da, en };

/** A sentence with `{name}` slots filled (values are inserted as given: escape them first). */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? `{${name}}`);
}

/** 3.312 (da) or 3,312 (en). */
export function formatNumber(value: number, t: Texts): string {
  return value.toLocaleString(t.locale);
}

/** 82,7 % (da) or 82.7 % (en). */
export function formatPercent(value: number, t: Texts): string {
  return `${(Math.round(value * 1000) / 10).toLocaleString(t.locale)} %`;
}

/** 4. sep. 2026 (da) or 2026-09-04 (en, ISO as before). */
export function formatDate(iso: string, t: Texts): string {
  if (t.lang === 'en') return iso;
  return new Intl.DateTimeFormat('da-DK', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${iso}T00:00:00Z`),
  );
}

/** sep. 2026 (da) or Sep 2026 (en): a month on a chart's axis or in a series table. */
export function formatMonth(iso: string, t: Texts): string {
  return new Intl.DateTimeFormat(t.locale, { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${iso.slice(0, 7)}-01T00:00:00Z`),
  );
}

/** A point in time: 23. nov. 2026, 03.00 (da, Copenhagen time) or 2026-11-23 02:00:05 UTC (en). */
export function formatInstant(iso: string, t: Texts): string {
  if (t.lang === 'en') return iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
  return new Intl.DateTimeFormat('da-DK', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/Copenhagen',
  }).format(new Date(iso));
}
