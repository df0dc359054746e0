import { expect, it } from 'vitest';

// CI runs the suite once per Node of the matrix and says which one it meant: this proves the
// workers really ran on it (a Node installed in the wrong place silently takes over).
it.runIf(process.env.EXPECT_NODE_MAJOR)('runs on the Node version CI asked for', () => {
  expect(process.versions.node.split('.')[0]).toBe(process.env.EXPECT_NODE_MAJOR);
});

it('runs on a Node the package supports (>= 20.19)', () => {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  expect(major > 20 || (major === 20 && minor >= 19)).toBe(true);
});
