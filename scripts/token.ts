/**
 * `npm run token -- <role> [--institution ID] [--ttl 1h|30m|3600] [--sub NAME]`: a DEVELOPMENT token
 * signed with the local key (.data/dev-keys/, or AUTH_DEV_KEY_DIR) that `npm start` trusts when no JWKS
 * is configured. Prints only the token, so `TOKEN=$(npm run -s token -- uu-counsellor)` works; every
 * other word goes to stderr. Refused when NODE_ENV=production.
 */
import { parseArgs } from 'node:util';
import { ROLES, ROLE_NAMES, isRoleName } from '../platform/authorization/roles.js';
import { ROLE_UNITS } from '../platform/authorization/relation.js';
import { DEFAULT_TTL_SECONDS, MAX_TTL_SECONDS, devTokenFor, unknownScopes } from '../platform/authentication/mint.js';

const USAGE = `usage: npm run -s token -- <role> [--institution ID] [--ttl 1h|30m|3600] [--sub NAME]
                                [--org ORG] [--unit UNIT] [--staff ID] [--scopes "scope scope ..."] [--purpose TEXT]

Prints a development token (signed with the key in AUTH_DEV_KEY_DIR, default .data/dev-keys/).

roles:
${ROLE_NAMES.map((name) => `  ${name.padEnd(20)} ${ROLES[name].scopes.join(' ')}`).join('\n')}

  partner-institution needs --institution (e.g. --institution I-104).
  youth needs --sub: the young person's Youth.id (as a citizen login would issue); it reads their own data only.
  Need to know (docs/access.md): --unit is the caller's unit (default by role: ${Object.entries(ROLE_UNITS)
    .map(([role, units]) => `${role} ${units[0]}`)
    .join(', ')};
  social units: ${ROLE_UNITS['social-caseworker']?.join(' ')}), --staff the caller's id in the system that names them
  (counsellor initials e.g. ABN, advisor JC-001, caseworker SB-01, contact person gkp-mette-kjaer).
  --ttl defaults to ${DEFAULT_TTL_SECONDS} s; at most ${MAX_TTL_SECONDS / 86400} days.
`;

class UsageError extends Error {}
class HelpRequested extends Error {}

/** `3600`, `45s`, `30m`, `1h`, `2d` → seconds. */
function parseTtl(raw: string): number {
  const match = /^(\d+)\s*([smhd]?)$/i.exec(raw.trim());
  if (!match) throw new UsageError(`--ttl must look like 3600, 45s, 30m, 1h or 2d, got "${raw}"`);
  const unit = (match[2] ?? '').toLowerCase();
  const factor = unit === 'd' ? 86400 : unit === 'h' ? 3600 : unit === 'm' ? 60 : 1;
  const seconds = Number(match[1]) * factor;
  if (seconds <= 0 || seconds > MAX_TTL_SECONDS)
    throw new UsageError(`--ttl must be from 1 s to ${MAX_TTL_SECONDS / 86400} days, got "${raw}"`);
  return seconds;
}

async function main(argv: string[]): Promise<string> {
  if (process.env.NODE_ENV === 'production') {
    throw new Error(
      'npm run token mints DEVELOPMENT tokens and is refused when NODE_ENV=production; tokens come from the identity provider',
    );
  }
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) throw new HelpRequested();
  const [role, ...extra] = positionals;
  if (role === undefined) throw new UsageError('name a role');
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  if (!isRoleName(role)) throw new UsageError(`unknown role "${role}"`);
  if (role === 'partner-institution' && !values.institution) {
    throw new UsageError('partner-institution needs --institution ID (the partner institution, e.g. I-104)');
  }
  if (role === 'youth' && !values.sub) {
    throw new UsageError("youth needs --sub ID (the young person's Youth.id, e.g. from the youths list)");
  }
  if (values.institution !== undefined && !/^[A-Za-z0-9._-]{1,64}$/.test(values.institution)) {
    throw new UsageError(`--institution must be an id like I-104, got "${values.institution}"`);
  }
  for (const [flag, value] of [
    ['--unit', values.unit],
    ['--staff', values.staff],
  ] as const) {
    if (value !== undefined && !/^[A-Za-z0-9._-]{1,64}$/.test(value))
      throw new UsageError(`${flag} must be an id like FAMILY_GROUP_1 or SB-01, got "${value}"`);
  }
  const units = ROLE_UNITS[role];
  if (values.unit !== undefined && !units?.includes(values.unit)) {
    throw new UsageError(
      `--unit ${values.unit} is not a unit of ${role}${units ? ` (one of ${units.join(', ')})` : ' (the role has none)'}`,
    );
  }
  const scopes = values.scopes?.split(/\s+/).filter((scope) => scope !== '');
  const unknown = unknownScopes(scopes ?? []);
  if (unknown.length > 0) throw new UsageError(`unknown scopes: ${unknown.join(' ')}`);

  if (process.env.AUTH_JWKS_URL || process.env.AUTH_JWKS_FILE) {
    process.stderr.write('warning: AUTH_JWKS_URL/AUTH_JWKS_FILE is set, so the services trust that JWKS, not this development key\n');
  }
  return devTokenFor(role, {
    ...(values.institution !== undefined ? { institution: values.institution } : {}),
    ...(values.sub !== undefined ? { subject: values.sub } : {}),
    ...(values.org !== undefined ? { organisation: values.org } : {}),
    ...(values.ttl !== undefined ? { ttlSeconds: parseTtl(values.ttl) } : {}),
    ...(scopes !== undefined ? { scopes } : {}),
    ...(values.purpose !== undefined ? { purpose: values.purpose } : {}),
    ...(values.unit !== undefined ? { unit: values.unit } : {}),
    ...(values.staff !== undefined ? { staffId: values.staff } : {}),
  });
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      institution: { type: 'string' },
      ttl: { type: 'string' },
      sub: { type: 'string' },
      org: { type: 'string' },
      scopes: { type: 'string' },
      purpose: { type: 'string' },
      unit: { type: 'string' },
      staff: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

try {
  process.stdout.write(`${await main(process.argv.slice(2))}\n`);
} catch (error) {
  const message = (error as Error).message;
  if (error instanceof HelpRequested) {
    process.stderr.write(USAGE);
  } else if (error instanceof UsageError) {
    process.stderr.write(`error: ${message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`error: ${message}\n`);
    process.exitCode = 1;
  }
}
