/**
 * Every guide in docs/ is listed where a reader looks for it: the guides' index (docs/README.md) and
 * the API reference's landing page (docs/api-readme.md, typedoc's readme).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const notGuides = new Set(['README.md', 'api-readme.md', 'architecture.md']);
const guides = readdirSync('docs').filter((name) => name.endsWith('.md') && !notGuides.has(name));

describe('every guide is listed', () => {
  it.each(['docs/README.md', 'docs/api-readme.md'])('in %s', (page) => {
    const text = readFileSync(page, 'utf8');
    expect(guides.length).toBeGreaterThan(10);
    for (const guide of guides) expect(text, `${page} links ${guide}`).toMatch(new RegExp(`\\(([^)]*/)?${guide}\\)`));
  });
});
