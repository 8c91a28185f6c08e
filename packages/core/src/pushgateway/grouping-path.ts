/**
 * The Pushgateway's URL path for a group: `/metrics/job/<job>{/<label>/<value>}`. A value that
 * holds a `/` or is empty cannot be written plainly (the gateway would read a path separator, or
 * lose an empty segment when it cleans the path), so it goes in the gateway's `<name>@base64`
 * form: URL-safe base64, with a single `=` for the empty string.
 */
export function groupingPath(job: string, grouping: Readonly<Record<string, string>>): string {
  let path = `/metrics/${segment('job', job)}`;
  for (const [name, value] of Object.entries(grouping)) path += `/${segment(name, value)}`;
  return path;
}

function segment(name: string, value: string): string {
  if (value === '') return `${name}@base64/=`;
  if (value.includes('/')) return `${name}@base64/${Buffer.from(value, 'utf8').toString('base64url')}`;
  return `${name}/${encodeURIComponent(value)}`;
}
