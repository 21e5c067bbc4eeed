/**
 * Finds Debian's Chromium for the browser tests and benchmarks. Never
 * downloads a browser build: if Chromium is missing and we are root, it is
 * installed with apt; otherwise we fail with a message saying how to get it.
 */
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';

const CANDIDATES = ['/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser'];

export function findChromium(): string {
  const env = process.env.CHROMIUM_PATH;
  if (env && existsSync(env)) return env;
  for (const c of CANDIDATES) if (existsSync(c)) return c;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot) {
    try {
      execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', {
        stdio: 'inherit',
        timeout: 600_000,
      });
    } catch {
      /* fall through to the message */
    }
    for (const c of CANDIDATES) if (existsSync(c)) return c;
  }
  throw new Error(
    "Chromium not found. The browser tests use Debian's Chromium: run `sudo apt-get install -y chromium` " +
      '(or set CHROMIUM_PATH to a Chromium binary). They never download a browser build.',
  );
}

export const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1',
  '--no-sandbox',
  '--disable-dev-shm-usage',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

export async function launchChromium(extra: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: findChromium(),
    headless: true,
    ...extra,
    args: [...CHROMIUM_ARGS, ...(extra.args ?? [])],
  });
}
