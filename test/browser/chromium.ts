/**
 * Where the browser for the browser tests is, and how it is started here. Debian's Chromium
 * (`apt-get install -y chromium`), driven by playwright-core: Playwright never downloads a browser
 * of its own. Without it the browser suites skip locally, and fail with `CI=true` (or
 * `PLAID_FACADE_REQUIRE_SERVICES=1`), as the service-backed suites do.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type LaunchOptions } from 'playwright-core';
import { servicesRequired } from '../support/services.js';

/** Debian's Chromium; `PLAID_FACADE_CHROMIUM` names another binary (a Chromium or Chrome). */
export const chromiumPath = process.env.PLAID_FACADE_CHROMIUM || '/usr/bin/chromium';

/**
 * The flags Chromium needs on these machines: headless, no sandbox (tests run as root), and none
 * of the background traffic (updates, sync, safe browsing, QUIC) that a closed network refuses.
 */
export const chromiumFlags: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * `chromiumPath` when Chromium is installed, or `undefined` after printing why `suite` is skipped.
 * Throws when Chromium is missing and the run requires it (`CI=true`).
 */
export function chromiumExecutable(suite: string): string | undefined {
  if (existsSync(chromiumPath)) return chromiumPath;
  const reason = `${chromiumPath} is not installed (run \`apt-get update && apt-get install -y chromium\`)`;
  if (servicesRequired) throw new Error(`${suite}: ${reason}, and CI=true requires it`);
  console.warn(`${suite}: skipped, ${reason}`);
  return undefined;
}

/** A browser context in a fresh Chromium with its own throwaway profile. */
export interface LaunchedBrowser {
  context: BrowserContext;
  /** Closes the browser and deletes its profile folder. */
  close(): Promise<void>;
}

/**
 * Starts Chromium with `chromiumFlags` and a new empty `--user-data-dir` (Playwright's persistent
 * context is the way to name that folder), deleted again by `close()`.
 */
export async function launchChromium(
  executablePath: string,
  options: Pick<LaunchOptions, 'timeout'> = {},
): Promise<LaunchedBrowser> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'plaid-facade-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: [...chromiumFlags],
      viewport: { width: 1000, height: 600 },
      ...options,
    });
    return {
      context,
      async close() {
        await context.close();
        await rm(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
}

/** True for a URL whose host is on this machine: 127.0.0.0/8, ::1 or localhost. */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'data:' || parsed.protocol === 'blob:' || parsed.protocol === 'about:') return true;
    host = parsed.hostname;
  } catch {
    return false;
  }
  return host === 'localhost' || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host);
}
