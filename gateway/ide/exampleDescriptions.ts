/**
 * The example operations' descriptions in Danish (issue 15 s4): the IDE opens each tab with its audience
 * comment in the language chosen (Danish by default), the English one being the `.graphql` file's own
 * leading comment. Kept here, not in the files, so the operations themselves (codegen, the persisted
 * partner operation's hash) do not change with a translation. An example without an entry stays English.
 */

/** By example name (the file name without `.graphql`): one string per comment line. */
export const EXAMPLE_DESCRIPTIONS_DA: Readonly<Record<string, readonly string[]>> = {
  'assign-contact-person': [
    'UU-vejledere: tildel en gennemgående kontaktperson til en ung, der kan få en; idempotensnøglen gør, at en gentaget indsendelse kun har virkning én gang.',
    'Need to know: kun for en ung, dit token har en relation til, som åbner for kontaktpersonen (UU’s lovbestemte relation gør ikke); alle andre giver NOT_FOUND som et ukendt id, og intet skrives.',
  ],
  'caseworker-dossier': [
    'Kommunale sagsbehandlere (socialrådgiver, jobcenterrådgiver; en UU-vejleder eller kontaktperson får `benefits` afvist): én ungs samlede sag på tværs af de fem systemer, med målgruppen, den koordinerede plans kommende overgange og kontaktpersonen.',
    'Need to know: `youth` svarer kun for en ung, dit token har en relation til (din sagsstamme eller enhed, som kontaktperson, eller en koordineret indsats, din enhed deltager i; `npm run token -- <role> --unit <unit> --staff <id>`), ellers null som for et ukendt id. Uden for en relation: tilføj headeren `X-Break-The-Glass-Reason` med begrundelsen (20-500 tegn; logges, gennemgås, begrænset pr. dag).',
  ],
  'partner-list': [
    'Samarbejdende uddannelsesinstitutioner (fx TAMU, UngAUC, daghøjskolerne, produktionsskolerne): institutionens egne unge (indskrevne eller ansøgere) med de uddannelsesfelter, en partner må se; samme form som den persisterede operation PartnerYoungPeople.',
  ],
  'record-consent': [
    'Sagsbehandlere (UU, jobcenter, socialområdet, kontaktpersoner): registrér en 25-29-årigs samtykke til at dele de nævnte enheders oplysninger; uden det er en anden enheds oplysninger null med CONSENT_REQUIRED. withdrawConsent trækker det tilbage med det samme.',
    'Need to know: kun for en ung, dit token har en relation til; eksemplets 25-29-årige er borger i jobcentret (`npm run token -- jobcenter-advisor`): IDE’ens standardtoken for en socialrådgiver har ingen relation til unge over 23.',
  ],
  'reporting-breakdown': [
    'Ledelsesinformation: målgruppen fordelt på indikator og alder, kontaktpersonernes kapacitet, overdragelser og udfald; kun antal, små celler undertrykt.',
  ],
};

/** The operation with its leading comment in Danish, or as written when there is no translation. */
export function danishQuery(name: string, query: string): string | null {
  const lines = EXAMPLE_DESCRIPTIONS_DA[name];
  if (!lines) return null;
  const body = query.split('\n');
  let start = 0;
  while (start < body.length && (body[start]!.trim() === '' || body[start]!.trim().startsWith('#'))) start++;
  return [...lines.map((line) => `# ${line}`), ...body.slice(start)].join('\n');
}
