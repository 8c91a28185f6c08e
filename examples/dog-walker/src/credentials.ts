import { randomBytes } from 'node:crypto';
import type { MetricsAuth } from '@promenade/core';

export interface MetricsCredentials {
  readonly auth: MetricsAuth;
  /** Where they came from: the environment, or made up for this run (then printed). */
  readonly source: 'environment' | 'generated';
}

export class CredentialsError extends Error {
  override readonly name = 'CredentialsError';
}

/** The user name of generated credentials. */
export const GENERATED_USERNAME = 'prometheus';

/**
 * The credentials /metrics asks for, from core's own variables: PROMENADE_METRICS_TOKEN, or
 * PROMENADE_METRICS_USERNAME and PROMENADE_METRICS_PASSWORD. Without them, outside production a
 * random password is made for this run (the caller prints it); in production the app refuses to
 * start, so metrics are never served open by accident.
 */
export function resolveMetricsCredentials(env: NodeJS.ProcessEnv): MetricsCredentials {
  const token = env.PROMENADE_METRICS_TOKEN;
  const username = env.PROMENADE_METRICS_USERNAME;
  const password = env.PROMENADE_METRICS_PASSWORD;
  if (token) return { auth: { token }, source: 'environment' };
  if (username && password) return { auth: { username, password }, source: 'environment' };
  if (username || password) {
    throw new CredentialsError(
      'dog-walker: set both PROMENADE_METRICS_USERNAME and PROMENADE_METRICS_PASSWORD, or neither',
    );
  }
  if (env.NODE_ENV === 'production') {
    throw new CredentialsError(
      'dog-walker: refusing to start with NODE_ENV=production and no credentials for /metrics: set PROMENADE_METRICS_USERNAME and PROMENADE_METRICS_PASSWORD (or PROMENADE_METRICS_TOKEN)',
    );
  }
  return {
    auth: { username: GENERATED_USERNAME, password: randomBytes(12).toString('base64url') },
    source: 'generated',
  };
}
