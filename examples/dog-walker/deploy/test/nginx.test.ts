import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deployPath } from './support/paths.js';
import { renderNginxConfig } from './support/render.js';
import { nginxTest } from './support/tools.js';

describe('deploy/nginx/dogwalker.conf', () => {
  it('passes `nginx -t` as checked in', async () => {
    const result = await nginxTest(readFileSync(deployPath('nginx', 'dogwalker.conf'), 'utf8'));
    expect(result.stderr).toContain('test is successful');
    expect(result.exitCode).toBe(0);
  });

  it('passes `nginx -t` rendered for loopback, as the end-to-end suite serves it', async () => {
    const rendered = renderNginxConfig({
      port: 18_080,
      app: '127.0.0.1:13000',
      metrics: '127.0.0.1:19464',
      htpasswdFile: '/nonexistent/htpasswd',
    });
    expect(rendered).toContain('listen 127.0.0.1:18080;');
    const result = await nginxTest(rendered);
    expect(result.stderr).toContain('test is successful');
    expect(result.exitCode).toBe(0);
  });

  it('is really checked: `nginx -t` refuses a broken copy', async () => {
    const broken = readFileSync(deployPath('nginx', 'dogwalker.conf'), 'utf8').replace(
      'auth_basic_user_file',
      'auth_basic_users_file',
    );
    const result = await nginxTest(broken);
    expect(result.stderr).toContain('unknown directive "auth_basic_users_file"');
    expect(result.exitCode).toBe(1);
  });
});
