import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { expect, it } from 'vitest';

const client = join(__dirname, '..', '..', '..');

it('the generated API types are up to date with openapi.yaml (fix: npm run gen:api)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'okrkpi-schema-'));
  try {
    const fresh = join(dir, 'schema.d.ts');
    execFileSync(join(client, 'node_modules', '.bin', 'openapi-typescript'), [join(client, '..', 'openapi.yaml'), '-o', fresh], { stdio: 'pipe' });
    expect(readFileSync(join(client, 'src', 'lib', 'api', 'schema.d.ts'), 'utf8')).toBe(readFileSync(fresh, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 30_000);
