// axe.mjs BASEURL PAGELIST COUNTFILE - axe-core over every page, in the
// system Chromium, at 1280x800 and 320x640.
//
// PAGELIST has one URL path a line (/en/, /404.html, ...). Each page is
// loaded from BASEURL in one browser, one tab per viewport, one page after
// another, and checked for:
//   - axe-core violations with the WCAG 2.0/2.1/2.2 A and AA tags;
//   - at 320 px, horizontal scrolling (scrollWidth of the root > 320), with
//     the elements that stick out;
//   - a load that failed: the page or one of its files (CSS, icons) not
//     served, since axe on an unstyled page proves nothing.
// The page's own Content-Security-Policy stays in force (axe is injected
// through the DevTools protocol, which CSP does not govern), so what is
// checked is what a reader gets. Requests to any other host are refused and
// reported, as CI has no network.
//
// Prints every problem with the page URL and viewport, a summary per rule,
// and writes "PASSED FAILED" (page x viewport) to COUNTFILE. Exit 0 when all
// passed, 1 when any failed, 2 when the check itself could not run.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const [base, listFile, countFile] = process.argv.slice(2);
if (!base || !listFile || !countFile) {
  console.error('usage: node axe.mjs BASEURL PAGELIST COUNTFILE');
  process.exit(2);
}

const CHROMIUM = process.env.CAREPRESS_CHROMIUM || '/usr/bin/chromium';
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const VIEWPORTS = [
  { name: '1280x800', width: 1280, height: 800, checkReflow: false },
  { name: '320x640', width: 320, height: 640, checkReflow: true },
];
const PAGE_TIMEOUT_MS = 30000;

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const pages = readFileSync(listFile, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
const origin = new URL(base).origin;

// In the page: the elements that make it wider than the viewport. An
// element counts when its box passes the right (or left) edge, or when its
// own content overflows it without a scrollbar of its own. Only the
// innermost such elements are named: they are the ones to fix.
function findOverflow(width) {
  const path = (el) => {
    const parts = [];
    for (let e = el; e && e.nodeType === 1 && parts.length < 5; e = e.parentElement) {
      let part = e.localName;
      if (e.id) {
        parts.unshift(`${part}#${e.id}`);
        break;
      }
      if (e.classList.length) part += '.' + [...e.classList].join('.');
      const parent = e.parentElement;
      if (parent) {
        const same = [...parent.children].filter((c) => c.localName === e.localName);
        if (same.length > 1) part += `:nth-of-type(${same.indexOf(e) + 1})`;
      }
      parts.unshift(part);
    }
    return parts.join(' > ');
  };
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    const style = getComputedStyle(el);
    const sticksOut = r.right > width + 0.5 || r.left < -0.5;
    const spills = el.scrollWidth > el.clientWidth + 1
      && (style.overflowX === 'visible' || style.overflowX === 'clip')
      && style.display !== 'inline';
    if (sticksOut || spills) wide.push(el);
  }
  const innermost = wide.filter((el) => !wide.some((o) => o !== el && el.contains(o)));
  return innermost.slice(0, 8).map((el) => {
    const r = el.getBoundingClientRect();
    return {
      target: path(el),
      left: Math.round(r.left),
      right: Math.round(r.right),
      scrollWidth: el.scrollWidth,
      clientWidth: el.clientWidth,
      text: (el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 60),
    };
  });
}

let passed = 0;
let failed = 0;
// Stopped from outside (Ctrl-C, a CI time-out): finish the page at hand,
// close the browser, and exit without a verdict.
let stopping = false;
let broken = false;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    stopping = true;
  });
}
const byRule = new Map(); // rule id -> { impact, nodes, pages: Set }
const report = (line) => console.log(line);

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  timeout: 60000,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
}).catch((err) => {
  console.error(`axe: cannot start Chromium at ${CHROMIUM}: ${err.message.split('\n')[0]}`);
  console.error('axe: install it with: apt-get install chromium');
  process.exit(2);
});

try {
  for (const vp of VIEWPORTS) {
    const context = await browser.newContext({
      viewport: { width: vp.width, height: vp.height },
      deviceScaleFactor: 1,
      colorScheme: 'light',
      reducedMotion: 'no-preference',
      serviceWorkers: 'block',
    });
    // Runs in every document before its own content, through the DevTools
    // protocol: not subject to the page's CSP (script-src 'none').
    await context.addInitScript({ content: axeSource });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(origin + '/')) return route.continue();
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    page.setDefaultTimeout(PAGE_TIMEOUT_MS);

    let loadProblems = [];
    let consoleErrors = [];
    page.on('response', (res) => {
      // The page's own status is checked after goto (404 is right for one).
      if (res.status() >= 400 && !res.request().isNavigationRequest()) {
        loadProblems.push(`HTTP ${res.status()} for ${res.url()}`);
      }
    });
    page.on('requestfailed', (req) => {
      const why = req.failure()?.errorText || 'failed';
      const u = req.url();
      // Cancelled by the next navigation (the icon of the page before, as a
      // rule) or by Chromium itself (a stylesheet of the wrong type, which
      // the check of document.styleSheets below names).
      if (why === 'net::ERR_ABORTED' && u.startsWith(origin + '/')) return;
      loadProblems.push(u.startsWith(origin + '/')
        ? `${why} for ${u}`
        : `request to another host refused (the site must be self-contained): ${u}`);
    });
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push({ text: msg.text(), url: msg.location().url });
    });

    for (const path of pages) {
      if (stopping || !browser.isConnected()) break;
      // The 404 page is checked where readers meet it: at a missing address
      // two levels down, as the host serves it, so a relative link or
      // stylesheet in it would show.
      const isNotFound = path === '/404.html';
      const url = new URL(isNotFound ? '/no-such-page/really/' : path, base).href;
      const where = `${url} [${vp.name}]`;
      loadProblems = [];
      consoleErrors = [];
      let ok = true;
      const fail = (line) => {
        ok = false;
        report(line);
      };
      try {
        const res = await page.goto(url, { waitUntil: 'load' });
        if (!res || res.status() !== (isNotFound ? 404 : 200)) {
          fail(`${where}: load: HTTP ${res ? res.status() : 'no response'}`);
        }
        // Chromium cancels a stylesheet served with the wrong type (a 404
        // page) before it reports a response, so look at the result too.
        // (Such a sheet is there, but its rules cannot be read.)
        const unloaded = await page.evaluate(() => [
          ...[...document.querySelectorAll('link[rel~="stylesheet"]')].filter((l) => {
            try {
              return !l.sheet || !l.sheet.cssRules;
            } catch {
              return true;
            }
          }).map((l) => `stylesheet ${l.getAttribute('href')}`),
          ...[...document.images]
            .filter((i) => i.complete && i.naturalWidth === 0).map((i) => `image ${i.getAttribute('src')}`),
        ]);
        for (const u of unloaded) loadProblems.push(`${u} did not load`);
        for (const p of loadProblems) fail(`${where}: load: ${p}`);
        for (const c of consoleErrors) {
          // Chromium logs the 404 page's own status as an error; it is right.
          if (isNotFound && c.url === url && c.text.includes('status of 404')) continue;
          fail(`${where}: console error: ${c.text}`);
        }

        if (vp.checkReflow) {
          const sw = await page.evaluate(() => document.documentElement.scrollWidth);
          if (sw > vp.width) {
            fail(`${where}: reflow: the page scrolls sideways: document scrollWidth ${sw} > ${vp.width}`);
            const culprits = await page.evaluate(findOverflow, vp.width);
            for (const c of culprits) {
              report(`    overflows: ${c.target} (left ${c.left}, right ${c.right}, `
                + `scrollWidth ${c.scrollWidth} > clientWidth ${c.clientWidth}) "${c.text}"`);
            }
          }
        }

        const result = await page.evaluate(async (tags) => {
          if (!window.axe) throw new Error('axe-core was not injected');
          const r = await window.axe.run(document, {
            runOnly: { type: 'tag', values: tags },
            resultTypes: ['violations'],
          });
          return r.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            helpUrl: v.helpUrl,
            nodes: v.nodes.map((n) => ({
              target: n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(' | '),
              summary: (n.failureSummary || '').split('\n').slice(1, 3).map((s) => s.trim()).join(' / '),
            })),
          }));
        }, TAGS);
        for (const v of result) {
          ok = false;
          report(`${where}: ${v.id} (${v.impact}): ${v.help} - ${v.nodes.length} element(s)`);
          for (const n of v.nodes) report(`    ${n.target}${n.summary ? `  -- ${n.summary}` : ''}`);
          const agg = byRule.get(v.id) || { impact: v.impact, help: v.help, nodes: 0, pages: new Set() };
          agg.nodes += v.nodes.length;
          agg.pages.add(`${path} [${vp.name}]`);
          byRule.set(v.id, agg);
        }
      } catch (err) {
        if (stopping || !browser.isConnected()) break;
        fail(`${where}: error: ${err.message.split('\n')[0]}`);
      }
      if (ok) passed++;
      else failed++;
    }
    if (stopping || !browser.isConnected()) break;
    await context.close();
  }
} catch (err) {
  if (!stopping) console.error(`axe: ${err.message.split('\n')[0]}`);
  broken = true;
}
const finished = !stopping && !broken && browser.isConnected();
await browser.close().catch(() => {});
if (!finished) {
  console.error(stopping ? 'axe: stopped before every page was checked'
    : 'axe: the check broke off before every page was checked');
  process.exit(2);
}

if (byRule.size) {
  console.log('axe: violations by rule (elements, page views):');
  for (const [id, a] of [...byRule].sort((x, y) => y[1].pages.size - x[1].pages.size)) {
    console.log(`  ${id} (${a.impact}): ${a.nodes} element(s) on ${a.pages.size} page view(s): ${a.help}`);
    for (const p of a.pages) console.log(`      ${p}`);
  }
}
console.log(`axe: ${pages.length} pages x ${VIEWPORTS.length} viewports: ${passed} clean, ${failed} with problems`);
writeFileSync(countFile, `${passed} ${failed}\n`);
process.exit(failed ? 1 : 0);
