// The clerks' desk of `guide serve` in headless Debian Chromium, by
// keyboard where a clerk would use the keyboard.
// Usage: node desk.mjs BASE_URL SHOTS_DIR   (accounts 李娜 clerk, 王主任
// supervisor, password in $DESK_PASSWORD)
// Prints one line per check and exits non-zero on a failure.
import { chromium } from "playwright-core";
import { join } from "node:path";

const [base, shots] = process.argv.slice(2);
const password = process.env.DESK_PASSWORD;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const errors = [];
let failed = false;
const check = (name, ok, detail = "") => {
  console.log(`${ok ? "ok" : "FAIL"} ${name}${detail ? " — " + detail : ""}`);
  if (!ok) failed = true;
};
const window = async () => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const p = await context.newPage();
  p.on("pageerror", (e) => errors.push(String(e)));
  return p;
};
// Logs in by keyboard.
const login = async (p, name) => {
  await p.goto(base + "desk/");
  await p.waitForSelector('input[name="name"]');
  await p.focus('input[name="name"]');
  await p.keyboard.type(name);
  await p.keyboard.press("Tab");
  await p.keyboard.type(password);
  await p.keyboard.press("Enter");
  await p.waitForURL(base + "desk/");
};
const press = async (p, selector, key) => {
  await p.focus(selector);
  await p.keyboard.press(key);
};

try {
  const p = await window();
  await p.goto(base + "desk/");
  check("the desk asks for a login first", p.url() === base + "desk/login", p.url());
  const focused = await p.evaluate(() => document.activeElement.name);
  check("the login form starts in the name field", focused === "name", focused);
  await login(p, "李娜");
  check("a clerk logs in by keyboard", (await p.textContent("header")).includes("李娜"));

  // Find the matter by a part of its Chinese name, from the focused box.
  await p.keyboard.type("护照");
  await p.keyboard.press("Enter");
  await p.waitForURL(/desk\/matter\/passport/);
  check("the matter is found by its Chinese name", true);
  await press(p, 'input[name="situation"][value="renew"]', "Space");
  await press(p, 'form[method="get"] button', "Enter");
  await p.waitForURL(/situation=renew/);
  await press(p, 'input[name="missing"][value="1"]', "Space");
  await press(p, 'input[name="defect"][value="2"]', "Space");
  await p.focus('input[name="reason2"]');
  await p.keyboard.type("申请人签名不清");
  await p.focus('input[name="applicant"]');
  await p.keyboard.type("张三");
  await p.keyboard.press("Tab");
  await p.keyboard.type("13800000000");
  await press(p, 'form[method="post"] button[accesskey="s"]', "Enter");
  await p.waitForURL(/issued=1/);
  const number = (await p.textContent(".number")).trim();
  check("the number is shown large", /1号$/.test(number), number);
  const big = await p.$eval(".number", (e) => parseFloat(getComputedStyle(e).fontSize));
  check("in large type", big >= 40, `${big}px`);
  check("the PDF is opened for printing", (await p.locator("iframe").count()) === 1);
  const pdf = await p.request.get(base + "desk/notice/" + encodeURIComponent(number) + "/pdf");
  check("the PDF is a PDF", pdf.headers()["content-type"] === "application/pdf");
  await p.screenshot({ path: join(shots, "desk-issued.png"), fullPage: true });

  // The second visit, by the short number.
  await p.goto(base + "desk/");
  await p.focus('input[name="number"]');
  await p.keyboard.type("0001");
  await p.keyboard.press("Enter");
  await p.waitForURL(/desk\/notice\//);
  check("a short number finds the notice", (await p.textContent(".number")).trim() === number);
  await press(p, 'input[name="brought"][value="1"]', "Space");
  await press(p, 'input[name="brought"][value="2"]', "Space");
  await press(p, 'input[name="result"][value="已补正"]', "Space");
  await press(p, 'button[accesskey="v"]', "Enter");
  await p.waitForURL(/visited=1/);
  check("the second visit is recorded", (await p.textContent("main")).includes("来办已登记"));
  await p.screenshot({ path: join(shots, "desk-visit.png"), fullPage: true });

  // The notice's desk code, as a USB scanner types it into the number box.
  await p.goto(base + "desk/");
  await p.focus('input[name="number"]');
  await p.keyboard.type("https://dating.example.gov.cn/desk/n/2026-1");
  await p.keyboard.press("Enter");
  await p.waitForURL(/desk\/notice\//);
  check("a scanned desk code opens its notice", (await p.textContent(".number")).trim() === number);
  await p.goto(base + "desk/");
  await p.focus('input[name="number"]');
  await p.keyboard.type("https://evil.example.com/desk/n/2026-1");
  await p.keyboard.press("Enter");
  await p.waitForURL(/desk\/lookup/);
  check("a code of another site is refused politely", (await p.textContent("main")).includes("别的网站"));

  // A clerk is refused the supervisor's pages; a forged form is refused.
  const stats = await p.goto(base + "desk/stats");
  check("a clerk cannot open the statistics", stats.status() === 403, String(stats.status()));
  await p.goto(base + "desk/matter/passport");
  await p.$eval('form[action="/desk/matter/passport"] input[name="csrf"]', (e) => { e.value = "forged"; });
  await p.check('input[name="missing"][value="1"]');
  await p.fill('input[name="applicant"]', "李四");
  const [forged] = await Promise.all([
    p.waitForNavigation(),
    p.click('form[method="post"] button[accesskey="s"]'),
  ]);
  check("a forged CSRF token is refused", forged.status() === 403 && (await p.textContent("main")).includes("CSRF"));

  // Logout, then nothing opens.
  await p.goto(base + "desk/");
  await p.click("header button");
  await p.waitForURL(base + "desk/login");
  await p.goto(base + "desk/notice/1");
  check("after logout the desk asks for a login", p.url() === base + "desk/login", p.url());

  // The supervisor's statistics.
  const s = await window();
  await login(s, "王主任");
  await s.goto(base + "desk/stats");
  check("a supervisor sees the statistics with charts", (await s.locator("main svg").count()) >= 2);
  await s.selectOption('select[name="period"]', "week");
  await s.click('form[action="/desk/stats"] button');
  await s.waitForURL(/period=week/);
  check("by week, with its own chart", (await s.textContent("main")).includes("按周")
    && (await s.locator('main svg[aria-label^="每周"]').count()) === 1);
  await s.screenshot({ path: join(shots, "desk-stats.png"), fullPage: true });

  check("no script errors", errors.length === 0, errors.join("; "));
} catch (e) {
  check("the desk flow ran to the end", false, String(e));
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
