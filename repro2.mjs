import { chromium } from 'playwright-core';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-dev-shm-usage'] });
const p = await b.newPage({ viewport: { width: 1280, height: 900 } });
await p.goto('http://localhost:4999/?backend=wasm');
await p.waitForFunction(() => window.__td?.status === 'ready', undefined, { timeout: 120000 });
await p.locator('#ch11').scrollIntoViewIfNeeded();
await p.waitForTimeout(3000);
console.log(await p.evaluate(() => {
  const f = document.querySelector('#fig-11a');
  const out = [];
  for (let e = f; e && e !== document.body; e = e.parentElement) {
    const cs = getComputedStyle(e); const r = e.getBoundingClientRect();
    out.push(`${e.tagName}.${e.className} id=${e.id} cv=${cs.contentVisibility} contain=${cs.contain} pad=${cs.paddingLeft} x=${r.x|0} w=${r.width|0} ov=${cs.overflow}`);
  }
  return out.join('\n');
}));
await b.close();
