// Keystroke time of the site's search on a phone-class CPU: headless
// Chromium with the CPU slowed down through CDP (Emulation.setCPUThrottlingRate).
// Usage: node bench/search.mjs SITE_DIR [RATE=6] [RUNS=5]
// Types each query one character at a time into the search box (an `input`
// event per keystroke, as a person typing) and times the handler, results
// list and status included. Prints index size, load time and medians.
import { createRequire } from "node:module";
import { statSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const require = createRequire(join(dirname(fileURLToPath(import.meta.url)), "../tests/browser/package.json"));
const { chromium } = require("playwright-core");
const [site, rateArg, runsArg] = process.argv.slice(2);
const rate = Number(rateArg || 6), runs = Number(runsArg || 5);
const QUERIES = ["护照丢了怎么办", "开餐馆要办什么证", "出生 上户口", "社保卡补办", "huzhao", "shebaoka",
  "营业执照", "个体户", "退休了公积金怎么取", "身份证过期了怎么换", "护找", "企业开办需要什么材料"];

const file = join(site, "assets/search-index.js");
const bytes = statSync(file).size, gz = gzipSync(readFileSync(file)).length;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"] });
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
const pct = (a, p) => { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor(s.length * p))]; };
const loads = [], keys = [], ranks = [], perQuery = {};
for (let r = 0; r < runs; r++) {
  const page = await browser.newPage();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate });
  await page.addInitScript(() => {
    const t0 = performance.now();
    window.__ready = null;
    const hook = () => { window.__ready = performance.now() - t0; };
    let inner = null;
    Object.defineProperty(window, "guideSearchReady", {
      configurable: true,
      get() { return inner && (() => { const s = performance.now(); inner(); window.__build = performance.now() - s; hook(); }); },
      set(f) { inner = f; },
    });
  });
  await page.goto(pathToFileURL(join(site, "index.html")).href);
  await page.waitForFunction(() => window.__ready !== null, null, { timeout: 120000 });
  loads.push(await page.evaluate(() => window.__build));
  for (const q of QUERIES) {
    const times = await page.evaluate((q) => {
      const box = document.getElementById("q"), out = [];
      const chars = Array.from(q);
      for (let i = 1; i <= chars.length; i++) {
        box.value = chars.slice(0, i).join("");
        const t = performance.now();
        box.dispatchEvent(new Event("input"));
        document.getElementById("results").offsetHeight; // layout included
        out.push(performance.now() - t);
      }
      return out;
    }, q);
    keys.push(...times);
    // The ranking alone (window.guideSearch), without the page's redraw.
    ranks.push(...await page.evaluate((q) => {
      const chars = Array.from(q), out = [];
      for (let i = 1; i <= chars.length; i++) {
        const t = performance.now();
        window.guideSearch(chars.slice(0, i).join(""));
        out.push(performance.now() - t);
      }
      return out;
    }, q));
    (perQuery[q] ||= []).push(...times);
  }
  await page.close();
}
await browser.close();
console.log(`index ${(bytes / 1e6).toFixed(2)} MB, gzipped ${(gz / 1e3).toFixed(0)} KB`);
console.log(`CPU throttling ${rate}x, ${runs} runs, ${keys.length} keystrokes`);
console.log(`index build on load: median ${median(loads).toFixed(0)} ms (runs: ${loads.map((x) => x.toFixed(0)).join(", ")})`);
console.log(`keystroke: median ${median(keys).toFixed(1)} ms, p95 ${pct(keys, 0.95).toFixed(1)} ms, max ${Math.max(...keys).toFixed(1)} ms`);
console.log(`ranking alone: median ${median(ranks).toFixed(1)} ms, p95 ${pct(ranks, 0.95).toFixed(1)} ms, max ${Math.max(...ranks).toFixed(1)} ms`);
for (const [q, t] of Object.entries(perQuery)) {
  console.log(`  ${q}: median ${median(t).toFixed(1)} ms, max ${Math.max(...t).toFixed(1)} ms`);
}
