/**
 * Name lists for the synthetic population: common Danish given names and surnames (no real person is
 * described), Aalborg-like school names and the partner institutions the young people are linked to.
 *
 * The tables keep one row of names per line (`prettier-ignore`): one name per line would make them five times longer.
 */
// prettier-ignore
export const FEMALE_NAMES = [
  'Emma', 'Ida', 'Clara', 'Freja', 'Alma', 'Ella', 'Sofia', 'Anna', 'Laura', 'Karla', 'Olivia', 'Agnes',
  'Josefine', 'Mathilde', 'Nora', 'Lærke', 'Isabella', 'Caroline', 'Maja', 'Frida', 'Emilie', 'Sara',
  'Julie', 'Signe', 'Cecilie', 'Mille', 'Sofie', 'Amalie', 'Louise', 'Camilla', 'Nanna', 'Line', 'Maria',
  'Mette', 'Astrid', 'Asta', 'Liva', 'Victoria', 'Esther', 'Johanne', 'Rosa', 'Selma', 'Thea', 'Aya',
];
// prettier-ignore
export const MALE_NAMES = [
  'William', 'Noah', 'Oscar', 'Lucas', 'Carl', 'Victor', 'Malthe', 'Alfred', 'Emil', 'Frederik', 'Aksel',
  'Magnus', 'Elias', 'Valdemar', 'Oliver', 'August', 'Mikkel', 'Johan', 'Anton', 'Mathias', 'Christian',
  'Rasmus', 'Jonas', 'Mads', 'Nikolaj', 'Kasper', 'Andreas', 'Tobias', 'Jakob', 'Sebastian', 'Marcus',
  'Villads', 'Storm', 'Theo', 'Arthur', 'Liam', 'Felix', 'Benjamin', 'Alexander', 'Adam', 'Ali', 'Ahmad',
];
/** Surnames with rough Danish frequency weights. */
// prettier-ignore
export const LAST_NAMES: readonly (readonly [string, number])[] = [
  ['Nielsen', 10], ['Jensen', 10], ['Hansen', 8], ['Pedersen', 6], ['Andersen', 6], ['Christensen', 5],
  ['Larsen', 5], ['Sørensen', 4], ['Rasmussen', 3], ['Jørgensen', 3], ['Petersen', 3], ['Madsen', 2],
  ['Kristensen', 2], ['Olsen', 2], ['Thomsen', 2], ['Christiansen', 2], ['Poulsen', 1.5], ['Johansen', 1.5],
  ['Møller', 1.5], ['Mortensen', 1.5], ['Knudsen', 1], ['Jakobsen', 1], ['Mikkelsen', 1], ['Frederiksen', 1],
  ['Laursen', 1], ['Henriksen', 1], ['Lund', 1], ['Schmidt', 0.8], ['Eriksen', 0.8], ['Holm', 0.8],
  ['Kristiansen', 0.8], ['Clausen', 0.7], ['Simonsen', 0.7], ['Svendsen', 0.7], ['Andreasen', 0.6],
  ['Iversen', 0.6], ['Østergaard', 0.6], ['Jeppesen', 0.5], ['Vestergaard', 0.5], ['Nissen', 0.5],
  ['Lauridsen', 0.5], ['Kjær', 0.5], ['Jespersen', 0.5], ['Mogensen', 0.5], ['Nørgaard', 0.5],
  ['Bach', 0.4], ['Dahl', 0.4], ['Kjeldsen', 0.4], ['Ahmed', 0.4], ['Hussein', 0.3], ['Yilmaz', 0.3],
];

/** About 45 schools with grades 7-10, named like Aalborg's public and independent schools. */
// prettier-ignore
export const SCHOOL_NAMES = [
  'Vestbjerg Skole', 'Hals Skole', 'Gistrup Skole', 'Klarup Skole', 'Nørre Tranders Skole', 'Sønderbroskolen',
  'Seminarieskolen', 'Gl. Lindholm Skole', 'Herningvej Skole', 'Vadum Skole', 'Sofiendalskolen',
  'Stolpedalsskolen', 'Tofthøjskolen', 'Højvangskolen', 'Filstedvejens Skole', 'Vodskov Skole',
  'Svenstrup Skole', 'Nibe Skole', 'Storvorde-Sejlflod Skole', 'Mellervangskolen', 'Vester Mariendal Skole',
  'Skansevejens Skole', 'Vejgaard Østre Skole', 'Hasseris Skole', 'Skipper Clement Skolen', 'Løvvangskolen',
  'Byplanvejens Skole', 'Kongerslev Skole', 'Gudumholm Skole', 'Ferslev Skole', 'Ellidshøj Skole',
  'Vestre Skole', 'Aalborg Østskole', 'Frejlev Skole', 'Kærby Skole', 'Nørresundby Skole', 'Vester Hassing Skole',
  'Sulsted Skole', 'Hou Skole', 'Bisidoskolen', 'Aalborg Friskole', 'Hals Friskole', 'Ellehammer Skolen',
  'Aalborg 10. klasse-center', 'Limfjordsskolen',
] as const;

export type InstitutionKind =
  | 'VOCATIONAL'
  | 'UPPER_SECONDARY'
  | 'FGU'
  | 'PRODUCTION_SCHOOL'
  | 'ADULT_EDUCATION'
  | 'STU'
  | 'HIGHER'
  /** The youth school's education centre (UngAUC) and the youth school itself. */
  | 'YOUTH_SCHOOL'
  /** Day high schools (daghøjskoler) and Træningshøjskolen: preparatory, non-formal courses. */
  | 'DAY_HIGH_SCHOOL'
  /** TAMU: work-based training towards an education or a job. */
  | 'TRAINING_CENTRE';

export interface InstitutionSeed {
  name: string;
  kind: InstitutionKind;
  /** Programme names by the track they lead to. */
  programmes: Partial<Record<'EUD' | 'EUX' | 'GYM' | 'FGU' | 'STU' | 'HIGHER', readonly string[]>>;
}

/**
 * The partner institutions: vocational colleges, FGU, the production schools, gymnasiums, VUC, and the
 * partners of the municipality's youth effort named in the 2016 social-fund application (seeds/003: TAMU,
 * Aalborg Ungdomsskole and UngAUC, the day high schools AOF, Fokus, Sind and Kvindedaghøjskolen,
 * Træningshøjskolen, Lille Vildmose and Aalborg Produktionsskole, Tech College, SOSU Nord, Aalborg
 * Handelsskole, AMU Nordjylland). Ids follow the order (I-101 ...): new ones go at the end so that the
 * ids of the others stay. LO Aalborg is a partner of the project but no place of education: left out.
 */
// prettier-ignore
export const INSTITUTION_SEEDS: readonly InstitutionSeed[] = [
  { name: 'Tech College Aalborg', kind: 'VOCATIONAL', programmes: {
    EUD: ['Elektriker', 'Tømrer', 'Smed', 'Mekaniker', 'Murer', 'VVS-energispecialist', 'Frisør', 'Ernæringsassistent'],
    EUX: ['EUX Elektriker', 'EUX Data- og kommunikation'], GYM: ['HTX'] } },
  { name: 'Aalborg Handelsskole', kind: 'VOCATIONAL', programmes: {
    EUD: ['Detailhandelsuddannelse', 'Kontoruddannelse', 'Event-koordinator'], EUX: ['EUX Business'], GYM: ['HHX'] } },
  { name: 'SOSU Nord', kind: 'VOCATIONAL', programmes: {
    EUD: ['Social- og sundhedshjælper', 'Social- og sundhedsassistent', 'Pædagogisk assistent'] } },
  { name: 'AMU Nordjylland', kind: 'VOCATIONAL', programmes: { EUD: ['Lager og logistik', 'Chauffør', 'Industrioperatør'] } },
  { name: 'FGU Nordjylland, Aalborg', kind: 'FGU', programmes: {
    FGU: ['FGU Almen grunduddannelse (AGU)', 'FGU Produktionsgrunduddannelse (PGU)', 'FGU Erhvervsgrunduddannelse (EGU)'] } },
  { name: 'Aalborg Produktionsskole', kind: 'PRODUCTION_SCHOOL', programmes: { FGU: ['FGU Produktionsgrunduddannelse (PGU)'] } },
  { name: 'Aalborg Katedralskole', kind: 'UPPER_SECONDARY', programmes: { GYM: ['STX'] } },
  { name: 'Aalborghus Gymnasium', kind: 'UPPER_SECONDARY', programmes: { GYM: ['STX', 'HF'] } },
  { name: 'Hasseris Gymnasium', kind: 'UPPER_SECONDARY', programmes: { GYM: ['STX', 'IB'] } },
  { name: 'Nørresundby Gymnasium og HF', kind: 'UPPER_SECONDARY', programmes: { GYM: ['STX', 'HF'] } },
  { name: 'VUC Nordjylland', kind: 'ADULT_EDUCATION', programmes: { GYM: ['HF', 'HF-enkeltfag'] } },
  { name: 'STU Aalborg', kind: 'STU', programmes: { STU: ['Særligt tilrettelagt ungdomsuddannelse (STU)'] } },
  { name: 'Aalborg Universitet', kind: 'HIGHER', programmes: {
    HIGHER: ['Sociologi', 'Datalogi', 'Byggeri og anlæg', 'Medicin', 'Dansk', 'Psykologi', 'Økonomi'] } },
  { name: 'Professionshøjskolen UCN', kind: 'HIGHER', programmes: {
    HIGHER: ['Sygeplejerske', 'Pædagog', 'Lærer', 'Socialrådgiver', 'Fysioterapeut'] } },
  // The youth effort's partners (seeds/003), I-115 onwards.
  { name: 'TAMU Aalborg', kind: 'TRAINING_CENTRE', programmes: { FGU: ['TAMU uddannelsesforløb'] } },
  { name: 'UngAUC (UngAalborg Uddannelsescenter)', kind: 'YOUTH_SCHOOL', programmes: {
    FGU: ['UngAUC fuldtidsforløb', 'UngAUC afklaringsforløb'] } },
  { name: 'Aalborg Ungdomsskole', kind: 'YOUTH_SCHOOL', programmes: { FGU: ['Intensivt læringsforløb'] } },
  { name: 'Lille Vildmose Produktionsskole', kind: 'PRODUCTION_SCHOOL', programmes: { FGU: ['FGU Produktionsgrunduddannelse (PGU)'] } },
  { name: 'Træningshøjskolen', kind: 'DAY_HIGH_SCHOOL', programmes: { STU: ['Træningshøjskolens STU-forløb'] } },
  { name: 'AOF Daghøjskole Aalborg', kind: 'DAY_HIGH_SCHOOL', programmes: { FGU: ['Daghøjskoleforløb for unge'] } },
  { name: 'Daghøjskolen Fokus', kind: 'DAY_HIGH_SCHOOL', programmes: { FGU: ['Daghøjskoleforløb for unge'] } },
  { name: 'Sind Daghøjskole', kind: 'DAY_HIGH_SCHOOL', programmes: { FGU: ['Daghøjskoleforløb med psykisk sårbarhed'] } },
  { name: 'Kvindedaghøjskolen', kind: 'DAY_HIGH_SCHOOL', programmes: { FGU: ['Daghøjskoleforløb for unge kvinder'] } },
];

// prettier-ignore
export const COUNSELLOR_NAMES = [
  'Anne Bech Nielsen', 'Bo Thygesen', 'Camilla Hedegaard', 'Dorthe Lykke', 'Erik Kragh', 'Fie Søndergaard',
  'Gitte Mølgaard', 'Hans Ravn', 'Inge Holt', 'Jesper Dam', 'Karin Vinther', 'Lars Brix', 'Marianne Post',
  'Niels Skov', 'Ole Kastberg', 'Pia Graversen', 'Rikke Toft', 'Søren Bundgaard', 'Tina Hald', 'Ulla Kirk',
  'Vibeke Riis', 'Allan Krogh', 'Birgitte Dyhr', 'Claus Bak', 'Dennis Winther', 'Eva Mørk', 'Frank Lynge',
  'Grethe Høj', 'Henrik Stald', 'Jette Ahle',
];
// prettier-ignore
export const ADVISOR_NAMES = [
  'Lene Brøndum', 'Morten Ulv', 'Nina Hvass', 'Ole Brandt', 'Pernille Ry', 'Rune Skaarup', 'Sanne Lind',
  'Thomas Kolding', 'Ulrik Bang', 'Vivi Hald', 'Anders Frost', 'Britt Ottesen', 'Casper Vang', 'Ditte Korsholm',
  'Esben Tang', 'Frida Ladefoged', 'Gustav Ørum', 'Hanne Kjærsgaard', 'Ib Lauritzen', 'Jane Sloth',
];
// prettier-ignore
export const CASEWORKER_NAMES = [
  'Annette Mørup', 'Bent Hylleberg', 'Charlotte Ry', 'Dorte Bisgaard', 'Ellen Bruun', 'Flemming Kirk',
  'Gunhild Tarp', 'Helle Bonde', 'Irene Vase', 'Jens Kold', 'Kirsten Bay', 'Lotte Skaarup', 'Maiken Ravn',
  'Nikolaj Hauge', 'Puk Sønderby', 'Randi Gade', 'Susanne Vej', 'Trine Ottosen', 'Uffe Brink', 'Winnie Lund',
  'Yvonne Krog', 'Åse Holm', 'Bjarke Ry', 'Connie Dal',
];
