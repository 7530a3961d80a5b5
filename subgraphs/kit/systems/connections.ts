import { readString } from '../../../platform/env.js';
import { readSystemConnection, type SystemConnection } from '../systemConfig.js';
import { devCredentials } from '../../../systems/credentials.js';

/**
 * How to reach each existing system: the shared settings (systemConfig.ts, `<SYSTEM>_URL`,
 * `<SYSTEM>_TIMEOUT_MS`, ...) plus the system's own credential. Here rather than in a subgraph's
 * config: the owning subgraph and the coordination both read these systems, and no subgraph imports
 * another. Each process's config.ts calls the readers it needs, once.
 */
type Env = Record<string, string | undefined>;

export type SchoolConnection = SystemConnection & { apiKey: string };
export type GuidanceConnection = SystemConnection & { token: string };
export type JobcenterConnection = SystemConnection & { apiKey: string };
export type SocialConnection = SystemConnection & { user: string; password: string };
export type BenefitsConnection = SystemConnection & { clientId: string; clientSecret: string };

export function readSchoolConnection(env: Env): SchoolConnection {
  return { ...readSystemConnection(env, 'SCHOOL', 4101), apiKey: readString(env, 'SCHOOL_API_KEY', devCredentials.school.apiKey) };
}

export function readGuidanceConnection(env: Env): GuidanceConnection {
  return { ...readSystemConnection(env, 'GUIDANCE', 4102), token: readString(env, 'GUIDANCE_TOKEN', devCredentials.guidance.token) };
}

export function readJobcenterConnection(env: Env): JobcenterConnection {
  return { ...readSystemConnection(env, 'JOBCENTER', 4103), apiKey: readString(env, 'JOBCENTER_API_KEY', devCredentials.jobcenter.apiKey) };
}

export function readSocialConnection(env: Env): SocialConnection {
  return {
    ...readSystemConnection(env, 'SOCIAL', 4104),
    user: readString(env, 'SOCIAL_USER', devCredentials.social.user),
    password: readString(env, 'SOCIAL_PASSWORD', devCredentials.social.password),
  };
}

export function readBenefitsConnection(env: Env): BenefitsConnection {
  return {
    ...readSystemConnection(env, 'BENEFITS', 4105),
    clientId: readString(env, 'BENEFITS_CLIENT_ID', devCredentials.benefits.clientId),
    clientSecret: readString(env, 'BENEFITS_CLIENT_SECRET', devCredentials.benefits.clientSecret),
  };
}
