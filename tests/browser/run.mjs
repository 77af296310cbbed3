// Browser checks of the built site, in headless Debian Chromium.
// Usage: node run.mjs SITE_DIR SHOTS_DIR
// Prints one line per check and exits non-zero on the first failure.
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const [site, shots] = process.argv.slice(2);
const url = (p) => pathToFileURL(join(site, p)).href;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const errors = [];
let failed = false;
const check = (name, ok, detail = "") => {
  console.log(`${ok ? "ok" : "FAIL"} ${name}${detail ? " — " + detail : ""}`);
  if (!ok) failed = true;
};
const page = async (width, height) => {
  const p = await browser.newPage({ viewport: { width, height } });
  p.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  p.on("pageerror", (e) => errors.push(String(e)));
  return p;
};

try {
  // Search for 护照 finds the passport matter, name matches first.
  const p = await page(1100, 900);
  await p.goto(url("index.html"));
  await p.fill("#q", "护照");
  const first = await p.textContent("#results li:first-child a");
  check("search 护照 finds the passport matter first", first === "普通护照签发", first);
  await p.fill("#q", "户口簿");
  const n = await p.locator("#results li").count();
  check("search by a material name finds matters", n >= 2, `${n} results`);
  await p.fill("#q", "");
  await p.screenshot({ path: join(shots, "index.png"), fullPage: true });

  // Keyboard: the skip link is the first stop and takes focus to main.
  await p.goto(url("index.html"));
  await p.keyboard.press("Tab");
  const skip = await p.evaluate(() => document.activeElement.className);
  check("the skip link is the first tab stop", skip === "skip", skip);

  // The situation picker changes the materials list.
  const m = await page(360, 800);
  await m.goto(url("matters/passport.html"));
  const visible = () => m.locator("#materials > li:visible").count();
  const all = await visible();
  await m.check('input[name="situation"][value="minor"]');
  const minor = await visible();
  await m.uncheck('input[name="situation"][value="minor"]');
  await m.check('input[name="situation"][value="renew"]');
  const renew = await visible();
  check("the situation picker filters the materials", all === 7 && minor === 5 && renew === 3, `all ${all}, minor ${minor}, renew ${renew}`);
  // A 一件事: unticking an optional member drops its materials; situations
  // of the members still filter.
  const b = await page(1000, 900);
  await b.goto(url("matters/newborn-birth.html"));
  const bvisible = () => b.locator("#materials > li:visible").count();
  const everyMember = await bvisible();
  await b.uncheck('input[name="member"][value="newborn-medical-insurance"]');
  const required = await bvisible();
  await b.check('input[name="situation"][value="married"]');
  const married = await bvisible();
  await b.check('input[name="member"][value="newborn-medical-insurance"]');
  const marriedWith = await bvisible();
  const bstatus = await b.textContent("#picker-status");
  check("the member picker of a 一件事 filters the materials",
    everyMember === 9 && required === 8 && married === 5 && marriedWith === 6 && bstatus === "您需要 6 项材料",
    `all ${everyMember}, required ${required}, married ${married}, married with 医保 ${marriedWith}, “${bstatus}”`);
  await b.screenshot({ path: join(shots, "bundle.png"), fullPage: true });
  const wide = await m.evaluate(() => document.documentElement.scrollWidth);
  check("a matter page fits a 360 px phone", wide <= 360, `${wide}px`);
  await m.screenshot({ path: join(shots, "matter-phone.png"), fullPage: true });
  await m.setViewportSize({ width: 720, height: 800 });
  await m.evaluate(() => { document.body.style.zoom = "2"; });
  const zoomed = await m.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth * 1.01);
  check("readable at 200% zoom without sideways scrolling", zoomed);

  // The clerk page prints only the ticked materials.
  const c = await page(1000, 900);
  await c.goto(url("matters/passport/notice.html"));
  await c.fill("#f-applicant", "张三");
  await c.check(".notice-materials li:nth-child(1) input");
  await c.check(".notice-materials li:nth-child(5) input");
  await c.dispatchEvent("#f-applicant", "input");
  await c.emulateMedia({ media: "print" });
  const printed = await c.locator(".notice-materials > li:visible").allTextContents();
  check("the clerk's printout has only the ticked materials", printed.length === 2 && printed[0].includes("居民身份证") && printed[1].includes("监护关系证明"), JSON.stringify(printed.map((t) => t.trim().slice(0, 12))));
  const applicant = await c.textContent(".notice [data-fill=f-applicant]");
  check("the printout carries the applicant's name", applicant === "张三", applicant);
  const pdf = await c.pdf({ format: "A4" });
  writeFileSync(join(shots, "clerk-notice.pdf"), pdf);
  await c.screenshot({ path: join(shots, "clerk-print.png"), fullPage: true });

  // Print view of a matter page: a checklist without navigation.
  const pm = await page(900, 900);
  await pm.goto(url("matters/passport.html"));
  await pm.emulateMedia({ media: "print" });
  const nav = await pm.locator("header.top").isVisible();
  const boxes = await pm.locator("#materials .box:visible").count();
  check("a matter page prints as a checklist without navigation", !nav && boxes === 7, `nav ${nav}, boxes ${boxes}`);
  const shown = await pm.evaluate(() => {
    const a = document.querySelector('main a[href^="http"]');
    return a ? getComputedStyle(a, "::after").content : "";
  });
  check("printed links show their full address", shown.includes("https://"), shown);
  writeFileSync(join(shots, "matter-print.pdf"), await pm.pdf({ format: "A4" }));

  check("no console errors", errors.length === 0, errors.join(" | "));
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
