import { describe, expect, it } from 'vitest';
import { loadAuthConfig } from '../../platform/authentication/config.js';
import { ConfigError } from '../../platform/env.js';

describe('loadAuthConfig', () => {
  it('has defaults that run locally', () => {
    expect(loadAuthConfig({})).toEqual({
      issuer: 'https://ungegraf.local/dev',
      audience: 'ungegraf',
      clockToleranceSeconds: 30,
      algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'],
      maxTokenLifetimeSeconds: 7 * 24 * 3600,
      requireIssuedAt: true,
      production: false,
      devKeyDir: '.data/dev-keys',
    });
  });

  it('reads every variable', () => {
    expect(
      loadAuthConfig({
        NODE_ENV: 'production',
        AUTH_JWKS_URL: 'https://idp.aalborg.dk/realms/ungegraf/protocol/openid-connect/certs',
        AUTH_ISSUER: 'https://idp.aalborg.dk/realms/ungegraf',
        AUTH_AUDIENCE: 'ungegraf-api',
        AUTH_CLOCK_TOLERANCE_SECONDS: '10',
        AUTH_ALGORITHMS: 'RS256, PS256',
        AUTH_DEV_KEY_DIR: '/tmp/keys',
      }),
    ).toEqual({
      jwksUrl: 'https://idp.aalborg.dk/realms/ungegraf/protocol/openid-connect/certs',
      issuer: 'https://idp.aalborg.dk/realms/ungegraf',
      audience: 'ungegraf-api',
      clockToleranceSeconds: 10,
      algorithms: ['RS256', 'PS256'],
      maxTokenLifetimeSeconds: 24 * 3600,
      requireIssuedAt: true,
      production: true,
      devKeyDir: '/tmp/keys',
    });
    expect(loadAuthConfig({ AUTH_JWKS_FILE: '/etc/ungegraf/jwks.json' }).jwksFile).toBe('/etc/ungegraf/jwks.json');
  });

  it('refuses symmetric and unsigned algorithms', () => {
    for (const algorithms of ['HS256', 'RS256,HS512', 'none', 'ES256,None', 'hs384']) {
      expect(() => loadAuthConfig({ AUTH_ALGORITHMS: algorithms })).toThrow(ConfigError);
      expect(() => loadAuthConfig({ AUTH_ALGORITHMS: algorithms })).toThrow(
        /AUTH_ALGORITHMS must not contain .*symmetric \(HS\*\) and unsigned \(none\)/,
      );
    }
  });

  it('refuses unknown algorithms and an empty list', () => {
    expect(() => loadAuthConfig({ AUTH_ALGORITHMS: 'RS256,XYZ' })).toThrow('AUTH_ALGORITHMS: unknown algorithm "XYZ"');
    expect(() => loadAuthConfig({ AUTH_ALGORITHMS: ' , ' })).toThrow('AUTH_ALGORITHMS must name at least one algorithm');
  });

  it('bounds the clock tolerance', () => {
    expect(loadAuthConfig({ AUTH_CLOCK_TOLERANCE_SECONDS: '300' }).clockToleranceSeconds).toBe(300);
    expect(() => loadAuthConfig({ AUTH_CLOCK_TOLERANCE_SECONDS: '301' })).toThrow(
      'AUTH_CLOCK_TOLERANCE_SECONDS must be a whole number from 0 to 300',
    );
    expect(() => loadAuthConfig({ AUTH_CLOCK_TOLERANCE_SECONDS: '-1' })).toThrow(ConfigError);
  });

  it('needs a JWKS in production, naming both variables', () => {
    expect(() => loadAuthConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadAuthConfig({ NODE_ENV: 'production' })).toThrow(/AUTH_JWKS_URL.*AUTH_JWKS_FILE/);
    expect(loadAuthConfig({ NODE_ENV: 'production', AUTH_JWKS_FILE: '/etc/jwks.json' }).production).toBe(true);
  });

  it('takes one JWKS source, as an http(s) URL', () => {
    expect(() => loadAuthConfig({ AUTH_JWKS_URL: 'https://idp/jwks', AUTH_JWKS_FILE: '/etc/jwks.json' })).toThrow(
      'Set only one of AUTH_JWKS_URL and AUTH_JWKS_FILE',
    );
    expect(() => loadAuthConfig({ AUTH_JWKS_URL: 'idp/jwks' })).toThrow('AUTH_JWKS_URL must be an absolute http(s) URL, got "idp/jwks"');
    expect(() => loadAuthConfig({ AUTH_JWKS_URL: 'file:///etc/jwks.json' })).toThrow('AUTH_JWKS_URL must be an absolute http(s) URL');
  });
});
