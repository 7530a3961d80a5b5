/**
 * DEVELOPMENT-ONLY credentials for the simulated systems. They are not secrets: `npm start` and the
 * tests use them so that everything runs locally with no setup. A deployment sets the `*_API_KEY`,
 * `*_TOKEN`, `*_USER`/`*_PASSWORD` and `*_CLIENT_ID`/`*_CLIENT_SECRET` variables instead (see README).
 */
export const devCredentials = {
  school: { apiKey: 'dev-only-school-key' },
  guidance: { token: 'dev-only-uu-token' },
  jobcenter: { apiKey: 'dev-only-jobcenter-key' },
  social: { user: 'dev-only-ungegraf', password: 'dev-only-social-password' },
  benefits: { clientId: 'dev-only-ungegraf', clientSecret: 'dev-only-benefits-secret' },
} as const;
