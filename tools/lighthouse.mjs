// Lighthouse (js/package-lock.json) on each URL given, one after another in one headless Chromium;
// one JSON object per line on stdout: the URL, the category scores and the audits behind them.
// Run by tools/lighthouse.py:  node tools/lighthouse.mjs CHROMIUM OPTIONS URL...
// OPTIONS: JSON, {categories: [...], screenshot: false} (no full-page screenshot: only reports show it).
import {createRequire} from 'node:module';
import {pathToFileURL} from 'node:url';

const require = createRequire(new URL('../js/package.json', import.meta.url));
const load = (name) => import(pathToFileURL(require.resolve(name)).href);
const {default: lighthouse} = await load('lighthouse');
const chromeLauncher = await load('chrome-launcher');

const [chromePath, options, ...urls] = process.argv.slice(2);
const {categories, screenshot = true} = JSON.parse(options);
const chrome = await chromeLauncher.launch({
  chromePath,
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
try {
  for (const url of urls) {
    const {lhr} = await lighthouse(url, {
      port: chrome.port, logLevel: 'error', output: 'json',
      onlyCategories: categories, disableFullPageScreenshot: !screenshot,
    });
    const audits = Object.fromEntries(Object.entries(lhr.audits).map(([id, a]) => [id, {
      title: a.title, score: a.score, mode: a.scoreDisplayMode, display: a.displayValue ?? '',
      value: a.numericValue ?? null, details: a.details ?? null,
    }]));
    const cats = Object.fromEntries(Object.entries(lhr.categories).map(([id, c]) => [id, {
      score: c.score, audits: c.auditRefs.map((r) => ({id: r.id, weight: r.weight})),
    }]));
    process.stdout.write(JSON.stringify({url, requested: lhr.requestedUrl, final: lhr.finalDisplayedUrl,
                                         error: lhr.runtimeError ?? null, categories: cats, audits}) + '\n');
  }
} finally {
  chrome.kill();
}
