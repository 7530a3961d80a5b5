/**
 * The credentials of the five simulated systems: environment variable names and DEVELOPMENT-ONLY
 * defaults. The defaults exist so that `npm start` and the tests run without setup; they guard nothing
 * and must never be used for a real system. The subgraphs' clients use the same defaults, so both sides
 * agree out of the box; set the variables to override both.
 */
export interface SchoolCredential {
  apiKey: string;
}
export interface GuidanceCredential {
  token: string;
}
export interface JobcenterCredential {
  apiKey: string;
}
export interface SocialCredential {
  user: string;
  password: string;
}
export interface BenefitsCredential {
  clientId: string;
  clientSecret: string;
}

export interface SystemCredentials {
  school: SchoolCredential;
  guidance: GuidanceCredential;
  jobcenter: JobcenterCredential;
  social: SocialCredential;
  benefits: BenefitsCredential;
}

/** DEVELOPMENT ONLY. Public in this repository, therefore no secret at all. */
export const devCredentials: Readonly<SystemCredentials> = Object.freeze({
  school: Object.freeze({ apiKey: 'dev-only-school-key' }),
  guidance: Object.freeze({ token: 'dev-only-uu-token' }),
  jobcenter: Object.freeze({ apiKey: 'dev-only-jobcenter-key' }),
  social: Object.freeze({ user: 'dev-only-ungegraf', password: 'dev-only-social-password' }),
  benefits: Object.freeze({ clientId: 'dev-only-ungegraf', clientSecret: 'dev-only-benefits-secret' }),
});

/** Where each credential is read from (the same names on the system side and the client side). */
export const credentialEnv = {
  school: { apiKey: 'SCHOOL_API_KEY' },
  guidance: { token: 'GUIDANCE_TOKEN' },
  jobcenter: { apiKey: 'JOBCENTER_API_KEY' },
  social: { user: 'SOCIAL_USER', password: 'SOCIAL_PASSWORD' },
  benefits: { clientId: 'BENEFITS_CLIENT_ID', clientSecret: 'BENEFITS_CLIENT_SECRET' },
} as const;

type Env = Record<string, string | undefined>;

function read(env: Env, name: string, fallback: string): string {
  const value = env[name];
  return value === undefined || value === '' ? fallback : value;
}

/** The credentials from the environment, development defaults where a variable is unset. */
export function readCredentials(env: Env = process.env): SystemCredentials {
  return {
    school: { apiKey: read(env, credentialEnv.school.apiKey, devCredentials.school.apiKey) },
    guidance: { token: read(env, credentialEnv.guidance.token, devCredentials.guidance.token) },
    jobcenter: { apiKey: read(env, credentialEnv.jobcenter.apiKey, devCredentials.jobcenter.apiKey) },
    social: {
      user: read(env, credentialEnv.social.user, devCredentials.social.user),
      password: read(env, credentialEnv.social.password, devCredentials.social.password),
    },
    benefits: {
      clientId: read(env, credentialEnv.benefits.clientId, devCredentials.benefits.clientId),
      clientSecret: read(env, credentialEnv.benefits.clientSecret, devCredentials.benefits.clientSecret),
    },
  };
}

/** True when any credential is still a development default (main.ts warns about it). */
export function usesDevCredentials(credentials: SystemCredentials): boolean {
  const c = credentials;
  const d = devCredentials;
  return (
    c.school.apiKey === d.school.apiKey ||
    c.guidance.token === d.guidance.token ||
    c.jobcenter.apiKey === d.jobcenter.apiKey ||
    c.social.password === d.social.password ||
    c.benefits.clientSecret === d.benefits.clientSecret
  );
}
