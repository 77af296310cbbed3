//! Site templates, rendered within bounds.
//!
//! A project's `templates/` overrides the built-in templates, and a template
//! is a program: Tera 2 caps `range()` at 100 000 items and component
//! recursion at 20 levels, but has no fuel or time limit, so two nested
//! loops run 10¹⁰ times, a loop can write gigabytes, and `{% set s = s ~ s %}`
//! doubles a string until memory runs out. So:
//!
//! - pages render on a worker thread (and a thread pool of their own) into a writer that checks, on every
//!   write, the page's deadline ([`PAGE_SECONDS`]), its size
//!   ([`PAGE_BYTES`]) and what is left of the whole site's allowance
//!   ([`AVERAGE_PAGE_BYTES`] a page);
//! - the caller watches the worker: a page still running after its deadline
//!   (a loop that writes nothing) ends rendering with an error. A thread
//!   cannot be stopped in Rust, so the worker is given up; it ends with the
//!   process, which is about to report the error and exit. On Linux the
//!   caller also stops when the process grows by more than [`MEMORY_GROWTH`];
//! - a template that assigns a variable from two or more copies of itself
//!   (`{% set s = s ~ s %}`, `{% set l = [...l, ...l] %}`) is refused before
//!   rendering: each run doubles it, and the loops around it (or just forty
//!   such lines) exhaust any memory.
//!
//! Every problem is a [`TemplateError`] naming the template file, and the
//! line when Tera gives it.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

/// The longest a page may take. A page of the built-in templates renders
/// in a few milliseconds.
pub const PAGE_SECONDS: u64 = 5;
/// The largest page. A matter page of the built-in templates is about 15 KB.
pub const PAGE_BYTES: usize = 8 << 20;
/// The whole site may take this much a page on average (plus a little).
pub const AVERAGE_PAGE_BYTES: usize = 256 << 10;
/// How much the process may grow while rendering (checked on Linux).
pub const MEMORY_GROWTH: u64 = 1 << 30;

/// What is wrong with a template, in Chinese.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateError {
    /// `templates/NAME` for a template of the project, `（内置）NAME` for a
    /// built-in one.
    pub file: String,
    /// Line, column (1-based) and length in characters (0 if unknown),
    /// when known.
    pub pos: Option<(u32, u32, u32)>,
    /// What is wrong, one sentence.
    pub message: String,
    /// Tera's report (the source line with a caret), when it gave one.
    pub detail: Option<String>,
    /// The page being rendered (relative to `site/`), if any.
    pub page: Option<String>,
}

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "模板 {}", self.file)?;
        if let Some((line, column, _)) = self.pos {
            write!(f, " 第 {line} 行第 {column} 列")?;
        }
        match &self.page {
            Some(page) => write!(f, " 生成 site/{page} 时出错：{}", self.message)?,
            None => write!(f, " 有错：{}", self.message)?,
        }
        if let Some(d) = &self.detail {
            write!(f, "\n{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for TemplateError {}

/// Tera's most common messages in Chinese; the rest stay as Tera wrote them.
fn chinese(msg: &str) -> String {
    msg.replace("Variable `", "变量 `")
        .replace("Field `", "字段 `")
        .replace("` exists but its value is undefined", "` 存在但没有值")
        .replace("` is not defined.", "` 没有定义。")
        .replace(" Available variables: ", "可用的变量：")
        .replace(" Available fields: ", "可用的字段：")
}

/// The template engine with every page template loaded, knowing which are
/// the project's own.
pub struct Templates {
    tera: tera::Tera,
    own: Vec<String>,
}

impl Templates {
    /// Loads `(name, text, own)` in order (a parent before the templates
    /// that extend it).
    pub fn new(list: &[(String, String, bool)]) -> Result<Templates, TemplateError> {
        let mut t = Templates {
            tera: tera::Tera::new(),
            own: list
                .iter()
                .filter(|(_, _, own)| *own)
                .map(|(n, _, _)| n.clone())
                .collect(),
        };
        t.tera.autoescape_on(vec![".html"]);
        for (name, text, own) in list {
            if *own {
                doubling(text).map_err(|(line, column, message)| TemplateError {
                    file: t.shown(name),
                    pos: Some((line, column, 0)),
                    message,
                    detail: None,
                    page: None,
                })?;
            }
            t.tera
                .add_raw_template(name, text)
                .map_err(|e| t.error(&e, name, None))?;
        }
        Ok(t)
    }

    /// Whether the project has a page template of its own.
    pub fn any_own(&self) -> bool {
        !self.own.is_empty()
    }

    /// How a template is named to the user.
    fn shown(&self, name: &str) -> String {
        if self.own.iter().any(|o| o == name) {
            format!("templates/{name}")
        } else {
            format!("（内置）{name}")
        }
    }

    /// The template to blame for a page of `template` that ran over a
    /// limit: the built-in page templates only extend `base.html`.
    fn blame(&self, template: &str) -> String {
        if !self.own.iter().any(|o| o == template) && self.own.iter().any(|o| o == "base.html") {
            return self.shown("base.html");
        }
        self.shown(template)
    }

    /// A Tera error as a [`TemplateError`]: the file and line of Tera's
    /// report when it has one, else `template`.
    fn error(&self, e: &tera::Error, template: &str, page: Option<&str>) -> TemplateError {
        let report = match e.kind() {
            tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r),
            _ => None,
        };
        match report {
            Some(r) => TemplateError {
                file: self.shown(r.filename()),
                pos: Some(position(r.span())),
                message: chinese(r.message()),
                detail: Some(error_chain(e)),
                page: page.map(str::to_owned),
            },
            None => TemplateError {
                file: self.shown(template),
                pos: None,
                message: chinese(&error_chain(e)),
                detail: None,
                page: page.map(str::to_owned),
            },
        }
    }
}

/// Where a span starts (1-based) and its length on that line.
fn position(s: &tera::Span) -> (u32, u32, u32) {
    let len = if s.end_line == s.start_line {
        s.end_col.saturating_sub(s.start_col)
    } else {
        0
    };
    (s.start_line as u32, s.start_col as u32 + 1, len as u32)
}

/// Tera's error and its causes, one after another.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(&format!("：{c}"));
        cur = c.source();
    }
    s
}

/// The first `{% set NAME = … %}` (or `set_global`) whose value uses NAME
/// two or more times: its line, column and what is wrong.
fn doubling(text: &str) -> Result<(), (u32, u32, String)> {
    let mut from = 0;
    while let Some(i) = text[from..].find("{%") {
        let start = from + i;
        let Some(len) = text[start..].find("%}") else {
            return Ok(());
        };
        let tag = &text[start + 2..start + len];
        from = start + len + 2;
        let body = tag.trim_start_matches(['-', '+']).trim_start();
        let Some(rest) = body
            .strip_prefix("set_global")
            .or_else(|| body.strip_prefix("set"))
            .filter(|r| r.starts_with(char::is_whitespace))
        else {
            continue;
        };
        let Some((name, value)) = rest.split_once('=') else {
            continue;
        };
        let name = name.trim();
        let value = value.trim_end_matches(['-', '+']);
        if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        if uses(value, name) >= 2 {
            let line = text[..start].matches('\n').count() as u32 + 1;
            let column = text[..start]
                .rsplit('\n')
                .next()
                .unwrap_or("")
                .chars()
                .count() as u32
                + 1;
            return Err((
                line,
                column,
                format!(
                    "`{}` 每执行一次就把变量 `{name}` 变成原来的两倍或更多，放在循环里（或重复几十次）会耗尽内存；guide 不接受这样的模板。请改用循环直接输出，不要反复拼接同一个变量",
                    text[start..from].trim()
                ),
            ));
        }
    }
    Ok(())
}

/// How many times `name` appears as a whole identifier in `expr`, outside
/// string literals and not as a field (`m.name`).
fn uses(expr: &str, name: &str) -> usize {
    let mut count = 0;
    let mut word = String::new();
    // The two characters before the current word, and before this one.
    let (mut before, mut prev, mut prev2) = ((' ', ' '), ' ', ' ');
    let mut quote: Option<char> = None;
    for c in expr.chars().chain([' ']) {
        if let Some(q) = quote {
            if c == q && prev != '\\' {
                quote = None;
            }
            (prev2, prev) = (prev, c);
            continue;
        }
        if c.is_alphanumeric() || c == '_' {
            if word.is_empty() {
                before = (prev2, prev);
            }
            word.push(c);
        } else {
            // `m.s` is a field; `...s` spreads the variable.
            let field = before.1 == '.' && before.0 != '.';
            if word == name && !field {
                count += 1;
            }
            word.clear();
            if matches!(c, '"' | '\'' | '`') {
                quote = Some(c);
            }
        }
        (prev2, prev) = (prev, c);
    }
    count
}

/// One page to render: where it goes under `site/`, its template, its data.
pub struct Page {
    pub path: String,
    pub template: &'static str,
    pub ctx: tera::Context,
}

/// A page's text, or what is wrong with its template.
pub type Rendered = (String, Result<String, TemplateError>);

/// What the worker and its watcher share.
struct Shared {
    t: Templates,
    /// Pages being rendered: number → (start, template, path).
    running: Mutex<BTreeMap<usize, (Instant, &'static str, String)>>,
    /// Bytes the rest of the site may still take.
    left: AtomicUsize,
    /// Set when the watcher gives up: every write fails from then on.
    stop: AtomicBool,
}

/// Which limit a page ran into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Limit {
    Time,
    Page,
    Site,
    Stopped,
}

/// Collects a page, failing a write that runs over a limit.
///
/// A template writes in small pieces, thousands a page, so a write asks
/// the clock only every [`CLOCK_EVERY`] writes and takes the site's
/// allowance in [`RESERVE`]-byte portions (what a page leaves is given
/// back when it is done); both were a quarter of the site's time.
struct Bounded<'a> {
    buf: Vec<u8>,
    deadline: Instant,
    shared: &'a Shared,
    hit: Option<Limit>,
    /// Bytes taken from the site's allowance and not yet written.
    reserved: usize,
    writes: u32,
}

/// How often a write looks at the clock.
const CLOCK_EVERY: u32 = 64;
/// How much of the site's allowance a page takes at a time.
const RESERVE: usize = 64 << 10;

impl Bounded<'_> {
    /// Takes `n` bytes of the site's allowance; false when it is spent.
    fn take(&mut self, n: usize) -> bool {
        if n > self.reserved {
            let left = &self.shared.left;
            let need = n - self.reserved;
            let take = |want: usize| {
                left.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |l| {
                    l.checked_sub(want)
                })
                .is_ok()
            };
            // A portion, or (near the end of the allowance) just enough.
            let want = need.max(RESERVE);
            if take(want) {
                self.reserved += want;
            } else if take(need) {
                self.reserved += need;
            } else {
                return false;
            }
        }
        self.reserved -= n;
        true
    }
}

impl Drop for Bounded<'_> {
    fn drop(&mut self) {
        self.shared.left.fetch_add(self.reserved, Ordering::Relaxed);
    }
}

impl Write for Bounded<'_> {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.writes = self.writes.wrapping_add(1);
        let hit = if self.shared.stop.load(Ordering::Relaxed) {
            Some(Limit::Stopped)
        } else if self.writes.is_multiple_of(CLOCK_EVERY) && Instant::now() > self.deadline {
            Some(Limit::Time)
        } else if self.buf.len() + b.len() > PAGE_BYTES {
            Some(Limit::Page)
        } else if !self.take(b.len()) {
            Some(Limit::Site)
        } else {
            None
        };
        if let Some(h) = hit {
            self.hit = Some(h);
            return Err(std::io::Error::other("limit"));
        }
        self.buf.extend_from_slice(b);
        Ok(b.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Shared {
    fn render(&self, n: usize, page: Page) -> Rendered {
        let start = Instant::now();
        self.running
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(n, (start, page.template, page.path.clone()));
        let mut out = Bounded {
            buf: Vec::new(),
            deadline: start + Duration::from_secs(PAGE_SECONDS),
            shared: self,
            hit: None,
            reserved: 0,
            writes: 0,
        };
        let result = self.t.tera.render_to(page.template, &page.ctx, &mut out);
        self.running
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&n);
        let result = match (result, out.hit) {
            (Ok(()), _) => Ok(String::from_utf8(std::mem::take(&mut out.buf))
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())),
            (Err(_), Some(limit)) => Err(self.limit(limit, page.template, &page.path)),
            (Err(e), None) => Err(self.t.error(&e, page.template, Some(&page.path))),
        };
        (page.path, result)
    }

    fn limit(&self, limit: Limit, template: &str, page: &str) -> TemplateError {
        let message = match limit {
            Limit::Time => format!(
                "超过 {PAGE_SECONDS} 秒仍未完成（内置模板生成一页只要几毫秒）：模板里可能有过大的循环（例如嵌套的 range()）。请改小循环"
            ),
            Limit::Page => format!(
                "这一页超过 {} MB（内置模板生成的一页约 15 KB）：模板里可能有过大的循环。请改小循环",
                PAGE_BYTES >> 20
            ),
            Limit::Site => format!(
                "网站页面合计超过上限（平均每页 {} KB）：模板生成的内容过多。请改小模板里的循环",
                AVERAGE_PAGE_BYTES >> 10
            ),
            Limit::Stopped => "另一页的模板超出限制，生成已停止".to_owned(),
        };
        TemplateError {
            file: self.t.blame(template),
            pos: None,
            message,
            detail: None,
            page: Some(page.to_owned()),
        }
    }
}

/// Renders pages on a watched worker thread (see the module comment).
pub struct Renderer {
    shared: Arc<Shared>,
    jobs: mpsc::Sender<Vec<(usize, Page)>>,
    done: mpsc::Receiver<Vec<Rendered>>,
    next: usize,
    memory_at_start: Option<u64>,
    /// Once the worker is given up, every later call fails with this.
    broken: Option<TemplateError>,
}

impl Renderer {
    /// A renderer for a site of about `pages` pages.
    pub fn new(t: Templates, pages: usize) -> Renderer {
        let shared = Arc::new(Shared {
            t,
            running: Mutex::new(BTreeMap::new()),
            left: AtomicUsize::new(
                AVERAGE_PAGE_BYTES
                    .saturating_mul(pages)
                    .saturating_add(PAGE_BYTES * 4),
            ),
            stop: AtomicBool::new(false),
        });
        let (jobs, jobs_rx) = mpsc::channel::<Vec<(usize, Page)>>();
        let (done_tx, done) = mpsc::channel();
        let worker = Arc::clone(&shared);
        // Pages render on a pool of their own: a page stuck in a loop keeps
        // its thread until the process exits, and on the shared pool that
        // thread could be one the booklet or the notices wait on (a thread
        // blocked in a join steals queued pages), hanging the whole build.
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(rayon::current_num_threads())
            .thread_name(|i| format!("guide-pages-{i}"))
            .build()
            .ok();
        std::thread::spawn(move || {
            use rayon::prelude::*;
            for chunk in jobs_rx {
                let render = |(n, page)| worker.render(n, page);
                // Without a pool of its own (no thread to be had), the
                // worker renders the pages itself, one after another.
                let out: Vec<Rendered> = match &pool {
                    Some(pool) => pool.install(|| chunk.into_par_iter().map(render).collect()),
                    None => chunk.into_iter().map(render).collect(),
                };
                if done_tx.send(out).is_err() {
                    return;
                }
            }
        });
        Renderer {
            shared,
            jobs,
            done,
            next: 0,
            memory_at_start: resident_bytes(),
            broken: None,
        }
    }

    /// Renders `pages`, each to its text or its template's error. `Err`
    /// when the worker had to be given up: no page can be rendered after.
    pub fn render(&mut self, pages: Vec<Page>) -> Result<Vec<Rendered>, TemplateError> {
        if let Some(e) = &self.broken {
            return Err(e.clone());
        }
        let numbered: Vec<(usize, Page)> = pages
            .into_iter()
            .map(|p| {
                self.next += 1;
                (self.next, p)
            })
            .collect();
        if self.jobs.send(numbered).is_err() {
            return Err(self.give_up(None));
        }
        loop {
            match self.done.recv_timeout(Duration::from_millis(50)) {
                Ok(out) => return Ok(out),
                Err(mpsc::RecvTimeoutError::Disconnected) => return Err(self.give_up(None)),
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if let Some(e) = self.overdue() {
                        return Err(self.give_up(Some(e)));
                    }
                }
            }
        }
    }

    /// A page past its deadline (with a second's grace for the writer to
    /// notice first), or the process past its memory allowance.
    fn overdue(&self) -> Option<TemplateError> {
        let running = self
            .shared
            .running
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let (_, (start, template, path)) = running.iter().min_by_key(|(_, (s, _, _))| *s)?;
        if start.elapsed() > Duration::from_secs(PAGE_SECONDS + 1) {
            return Some(self.shared.limit(Limit::Time, template, path));
        }
        let grown = resident_bytes()?.saturating_sub(self.memory_at_start?);
        if grown > MEMORY_GROWTH {
            let mut e = self.shared.limit(Limit::Stopped, template, path);
            e.message = format!(
                "占用的内存超过 {} GB：模板里可能有反复拼接、越来越大的变量。请改写这部分模板",
                MEMORY_GROWTH >> 30
            );
            return Some(e);
        }
        None
    }

    fn give_up(&mut self, e: Option<TemplateError>) -> TemplateError {
        self.shared.stop.store(true, Ordering::Relaxed);
        let e = e.unwrap_or_else(|| TemplateError {
            file: "templates".to_owned(),
            pos: None,
            message: "生成网页的线程意外中止".to_owned(),
            detail: None,
            page: None,
        });
        self.broken = Some(e.clone());
        e
    }
}

/// The process's resident memory, where the system tells it cheaply.
fn resident_bytes() -> Option<u64> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pages render on a pool of their own: with every thread of the shared
    /// pool busy (as when a page stuck in a loop has taken one and the
    /// booklet waits on the others), they still render.
    #[test]
    fn pages_render_while_the_shared_pool_is_busy() {
        let threads = rayon::current_num_threads();
        let (release, released) = mpsc::channel::<()>();
        let released = Arc::new(Mutex::new(released));
        let (busy_tx, busy) = mpsc::channel();
        for _ in 0..threads {
            let (released, busy_tx) = (Arc::clone(&released), busy_tx.clone());
            rayon::spawn(move || {
                busy_tx.send(()).unwrap();
                let _ = released.lock().unwrap().recv();
            });
        }
        // Each job holds a thread: the first waits on the channel, the
        // others on the lock.
        for _ in 0..threads {
            busy.recv().unwrap();
        }
        let (done_tx, done) = mpsc::channel();
        std::thread::spawn(move || {
            let list = [("p.html".to_owned(), "页 {{ n }}".to_owned(), false)];
            let mut r = Renderer::new(Templates::new(&list).unwrap(), 4);
            let pages = (0..4)
                .map(|n| {
                    let mut ctx = tera::Context::new();
                    ctx.insert("n", &n);
                    Page {
                        path: format!("{n}.html"),
                        template: "p.html",
                        ctx,
                    }
                })
                .collect();
            let _ = done_tx.send(r.render(pages));
        });
        let out = done.recv_timeout(Duration::from_secs(20));
        for _ in 0..threads {
            let _ = release.send(());
        }
        let out = out.expect("pages rendered while the shared pool is busy");
        let texts: Vec<_> = out.unwrap().into_iter().map(|(_, r)| r.unwrap()).collect();
        assert_eq!(texts, ["页 0", "页 1", "页 2", "页 3"]);
    }

    /// A page takes the site's allowance a portion at a time and gives
    /// back what it leaves: a thousand short pages fit in an allowance
    /// smaller than a thousand portions, and the allowance still stops
    /// pages that together write more than it.
    #[test]
    fn the_site_allowance_is_taken_in_portions_and_what_a_page_leaves_goes_back() {
        let body = "0123456789".repeat(10);
        let list = [(
            "p.html".to_owned(),
            format!("{{{{ n }}}}{{% for i in range(end=k) %}}{body}{{% endfor %}}"),
            false,
        )];
        // No pages: the allowance is four pages at their largest, 32 MB.
        let mut r = Renderer::new(Templates::new(&list).unwrap(), 0);
        let page = |n: usize, k: usize| {
            let mut ctx = tera::Context::new();
            ctx.insert("n", &n);
            ctx.insert("k", &k);
            Page {
                path: format!("{n}.html"),
                template: "p.html",
                ctx,
            }
        };
        const { assert!(1000 * RESERVE > PAGE_BYTES * 4) };
        let out = r.render((0..1000).map(|n| page(n, 1)).collect()).unwrap();
        assert_eq!(out.len(), 1000);
        assert!(
            out.iter()
                .all(|(_, p)| p.as_ref().is_ok_and(|t| t.len() > 100))
        );
        // Pages of 3,000,001 bytes: at most eleven fit in 32 MiB (fewer
        // when the two pages being written last both run over).
        let out = r
            .render((0..12).map(|n| page(n, 30_000)).collect())
            .unwrap();
        let failed: Vec<_> = out.iter().filter_map(|(_, p)| p.as_ref().err()).collect();
        assert!((1..=2).contains(&failed.len()), "{failed:?}");
        for f in failed {
            assert!(f.message.contains("网站页面合计超过上限"), "{f:?}");
        }
    }

    #[test]
    fn doubling_assignments_are_found() {
        assert!(doubling("{% set s = s ~ s %}").is_err());
        assert!(doubling("a\n  {%- set_global l = [...l, ...l] -%}").is_err_and(|e| e.0 == 2));
        assert!(doubling("{% set s = s | replace(from=\"a\", to=s) %}").is_err());
        // Growing by a constant, or naming it once, is fine.
        assert!(doubling("{% set_global n = n + 1 %}{% set s = s ~ \"s\" %}").is_ok());
        assert!(doubling("{% set s = m.s ~ s %}{% set x = \"x ~ x\" %}").is_ok());
        assert!(doubling("{% if set %}{% endif %}{% set settings = 1 %}").is_ok());
    }
}
