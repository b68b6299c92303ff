import { readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';

/** The auction core imports nothing but decimal.js and itself (also enforced by eslint's no-restricted-imports). */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

test('libs/auction-core has no framework or I/O imports', () => {
  const offenders: string[] = [];
  for (const file of sources(__dirname)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import|require\()\s*['"]([^'"]+)['"]/g)) {
      if (!m[1].startsWith('.') && m[1] !== 'decimal.js') offenders.push(`${file}: ${m[1]}`);
    }
  }
  expect(offenders).toEqual([]);
});
