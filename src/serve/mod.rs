//! `guide serve`: the hall server. One process holds the register and the
//! project's data; the public site is served from memory (the pages `guide
//! build` writes, made by [`crate::render::site::in_memory`]), the clerks'
//! desk at `/desk/` behind a login, and a JSON API for queue and case
//! systems at `/api/`. Notices go through [`crate::notice`] and the
//! [`Register`] like the command line's: one path to a number.
//!
//! Security: argon2id password hashes; session and login cookies that are
//! HttpOnly, SameSite=Strict and sent to `/desk` only (Secure over HTTPS);
//! a CSRF token on every form that posts; login throttling per account
//! and per address; an audit log of who issued, viewed, printed and
//! reprinted what; no citizen data on any public path; API clients by
//! bearer token, of which the register keeps only a digest.

pub mod api;
pub mod auth;
pub mod desk;
pub mod extract;
pub mod html;
pub mod site;
pub mod stats;
pub mod tls;
pub mod watch;

use crate::load::Project;
use crate::register::{Account, NewAudit, Register, Session};
use auth::Throttle;
use axum::Router;
use axum::http::{HeaderMap, Method};
use axum::routing::{MethodRouter, get, post};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

/// How the server runs.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Cookies are marked Secure (the server is reached over HTTPS).
    pub secure_cookies: bool,
    /// A reverse proxy in front: its `X-Forwarded-For` names the client,
    /// its `X-Forwarded-Proto: https` makes cookies Secure.
    pub trust_proxy: bool,
    /// This hall's name (`--hall`, or `register.hall` in `guide.yaml`):
    /// recorded with each notice, and `{hall}` in the number pattern.
    pub hall: Option<String>,
}

/// The data the server answers from: a validated project and its site,
/// replaced whole (never changed in place).
pub struct Snapshot {
    pub project: Project,
    /// The site's files by path under `site/`.
    pub site: BTreeMap<String, Vec<u8>>,
    /// When it was loaded (Beijing time).
    pub loaded_at: String,
    /// The fonts notices of this data lay out with, prepared once
    /// ([`crate::notice::prepared_fonts`]), not per notice.
    pub fonts: Arc<crate::layout::font::FontSet>,
}

/// Loads and checks the project at `root` as it is in force on today's
/// date (Beijing time) and renders its site: the snapshot, or the
/// diagnostics that keep it from being served.
pub fn load(root: &Path) -> anyhow::Result<Result<Snapshot, String>> {
    let now = crate::notice::now().map_err(|e| anyhow::anyhow!("{e}"))?;
    let loaded = crate::load::load(root)?;
    let mut p = match crate::check::valid(loaded) {
        Ok(p) => p,
        Err(invalid) => {
            let shown = crate::diag::capped(&invalid.errors);
            return Ok(Err(format!(
                "{}指南数据有 {} 个错误",
                crate::diag::render_human(&shown, &invalid.project.sources, false),
                invalid.errors.len()
            )));
        }
    };
    p.in_force(crate::date::Date::from_unix(now));
    let date = crate::render::build_date(&p);
    let site = crate::render::site::in_memory(&p, &date)?;
    let fonts = Arc::new(crate::notice::prepared_fonts(&p)?);
    Ok(Ok(Snapshot {
        project: p,
        site,
        fonts,
        loaded_at: crate::date::timestamp(now),
    }))
}

/// The data being served and how its last reload went: all the public
/// site needs (and all `--preview` has).
pub struct Live {
    data: RwLock<Arc<Snapshot>>,
    reloaded: RwLock<Option<watch::Reload>>,
    /// Counts the snapshots served: a preview page reloads when it changes.
    version: std::sync::atomic::AtomicU64,
    pub root: PathBuf,
}

impl Live {
    pub fn new(snapshot: Snapshot) -> Live {
        Live {
            root: snapshot.project.root.clone(),
            data: RwLock::new(Arc::new(snapshot)),
            reloaded: RwLock::new(None),
            version: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// The data as it is now; a request keeps the snapshot it started with.
    pub fn data(&self) -> Arc<Snapshot> {
        self.data.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Serves `snapshot` from now on; requests under way keep theirs.
    pub fn replace(&self, snapshot: Snapshot) {
        *self.data.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(snapshot);
        self.version
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }

    /// Which snapshot is served (0 the first).
    pub fn version(&self) -> u64 {
        self.version.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// How the last reload went (none since the start: `None`).
    pub fn reloaded(&self) -> Option<watch::Reload> {
        self.reloaded
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn set_reload(&self, r: watch::Reload) {
        *self.reloaded.write().unwrap_or_else(|e| e.into_inner()) = Some(r);
    }
}

/// What every handler of the desk and the API shares.
pub struct App {
    pub live: Arc<Live>,
    pub register: Arc<dyn Register>,
    throttle: Mutex<Throttle>,
    pub options: Options,
    /// One notice renders at a time in this process: windows that render
    /// at once would take each other's numbers and render again (see
    /// [`crate::register`]), wasting the CPU the queue is waiting for.
    issuing: Mutex<()>,
}

impl App {
    pub fn new(live: Arc<Live>, register: Arc<dyn Register>, options: Options) -> App {
        App {
            live,
            register,
            throttle: Mutex::new(Throttle::default()),
            options,
            issuing: Mutex::new(()),
        }
    }

    /// Issues the notice `req` asks for with the data being served, now:
    /// [`crate::notice::issue`], one at a time. Blocks: call it off the
    /// async threads.
    pub fn issue(
        &self,
        req: &crate::notice::Request,
    ) -> Result<crate::notice::Issued, crate::notice::NoticeError> {
        let data = self.data();
        let _turn = self.issuing.lock().unwrap_or_else(|e| e.into_inner());
        let now = crate::notice::now()?;
        crate::notice::issue_with(
            &data.project,
            req,
            now,
            self.register.as_ref(),
            data.fonts.clone(),
        )
    }

    /// The data as it is now (see [`Live::data`]).
    pub fn data(&self) -> Arc<Snapshot> {
        self.live.data()
    }

    fn throttle(&self) -> std::sync::MutexGuard<'_, Throttle> {
        self.throttle.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The client's address: the peer's, or the one a trusted proxy names.
    pub fn address(&self, peer: SocketAddr, headers: &HeaderMap) -> String {
        if self.options.trust_proxy
            && let Some(f) = headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .map(str::trim)
                .filter(|v| !v.is_empty())
        {
            return f.chars().take(64).collect();
        }
        peer.ip().to_string()
    }

    /// Whether cookies are to be marked Secure for this request.
    pub fn secure(&self, headers: &HeaderMap) -> bool {
        self.options.secure_cookies
            || (self.options.trust_proxy
                && headers
                    .get("x-forwarded-proto")
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|v| v.trim().eq_ignore_ascii_case("https")))
    }

    /// The session of the request's cookie, if it is live and its account
    /// enabled.
    pub fn session(&self, headers: &HeaderMap) -> Option<Session> {
        let token = headers
            .get_all(axum::http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|c| auth::cookie_value(c, auth::SESSION_COOKIE))?;
        if token.is_empty() {
            return None;
        }
        let s = self.register.session(&auth::digest(token)).ok()??;
        (s.expires > unix_now() && !s.account.disabled).then_some(s)
    }

    /// Records `action` on `subject` by `who` in the audit log.
    pub fn audit(
        &self,
        who: &str,
        action: &str,
        subject: &str,
        address: &str,
    ) -> Result<(), crate::register::RegisterError> {
        self.register.audit(&NewAudit {
            at: beijing_now(),
            who: who.to_owned(),
            action: action.to_owned(),
            subject: subject.to_owned(),
            address: address.to_owned(),
        })
    }

    /// Tries `password` for `name` from `address`: the account, or why not.
    pub fn login(&self, name: &str, password: &str, address: &str) -> Result<Account, String> {
        let now = std::time::Instant::now();
        if let Some(wait) = self.throttle().held(name, address, now) {
            return Err(format!(
                "登录失败次数过多，请 {} 分钟后再试，或请负责人重设密码",
                wait.as_secs().div_ceil(60).max(1)
            ));
        }
        let account = self.register.account(name).ok().flatten();
        // The same work for a name that does not exist.
        let hash = account
            .as_ref()
            .map_or_else(|| auth::dummy_hash().to_owned(), |a| a.hash.clone());
        let good = auth::verify_password(&hash, password);
        match account {
            Some(a) if good && !a.disabled => {
                self.throttle().succeeded(name);
                Ok(a)
            }
            Some(a) if good && a.disabled => Err("这个账号已停用，请联系负责人".into()),
            _ => {
                self.throttle().failed(name, address, now);
                Err("账号或密码不对".into())
            }
        }
    }
}

/// Unix seconds from the notice clock (see [`crate::date::clock_unix`]).
pub fn unix_now() -> i64 {
    crate::date::clock_unix().unwrap_or(0)
}

/// `YYYY-MM-DD HH:MM:SS`, Beijing time.
pub fn beijing_now() -> String {
    crate::date::timestamp(unix_now() + crate::date::BEIJING_OFFSET)
}

/// Every route of the desk and the API: its path, its method and its
/// handler. [`router`] is made of this list, and mounts every POST of the
/// desk but the login behind [`desk::csrf_guard`]: no handler can be
/// reached with a missing or forged CSRF token (`tests/serve.rs` posts to
/// each one to prove it).
pub fn routes() -> Vec<(&'static str, Method, MethodRouter<Arc<App>>)> {
    use Method as M;
    vec![
        ("/desk", M::GET, get(desk::to_home)),
        ("/desk/", M::GET, get(desk::home)),
        ("/desk/login", M::GET, get(desk::login_form)),
        ("/desk/login", M::POST, post(desk::login)),
        ("/desk/logout", M::POST, post(desk::logout)),
        ("/desk/find", M::GET, get(desk::find)),
        ("/desk/matter/{id}", M::GET, get(desk::matter)),
        ("/desk/matter/{id}", M::POST, post(desk::issue)),
        ("/desk/lookup", M::GET, get(desk::lookup)),
        ("/desk/n/{key}", M::GET, get(desk::scan)),
        ("/desk/search", M::GET, get(desk::search)),
        ("/desk/notice/{number}", M::GET, get(desk::notice)),
        ("/desk/notice/{number}/pdf", M::GET, get(desk::pdf)),
        (
            "/desk/notice/{number}/reprint",
            M::POST,
            post(desk::reprint),
        ),
        ("/desk/notice/{number}/visit", M::POST, post(desk::visit)),
        ("/desk/audit", M::GET, get(desk::audit)),
        ("/desk/status", M::GET, get(desk::status)),
        ("/desk/stats", M::GET, get(desk::stats)),
        ("/desk/stats.csv", M::GET, get(desk::stats_csv)),
        (
            "/desk/stats-periods.csv",
            M::GET,
            get(desk::stats_periods_csv),
        ),
        ("/api/notices", M::POST, post(api::create)),
        ("/api/notices/{number}", M::GET, get(api::get)),
        ("/api/notices/{number}/pdf", M::GET, get(api::pdf)),
    ]
}

/// Whether a route is a form of the desk that needs the session's CSRF
/// token (every POST of the desk but the login, which has its own).
pub fn needs_csrf(path: &str, method: &Method) -> bool {
    *method == Method::POST && path.starts_with("/desk/") && path != "/desk/login"
}

/// Every route of the server: the desk and the API ([`routes`]), and the
/// public site for every other path.
pub fn router(app: Arc<App>) -> Router {
    let live = app.live.clone();
    let mut r = Router::new();
    for (path, method, handler) in routes() {
        let handler = if needs_csrf(path, &method) {
            handler.route_layer(axum::middleware::from_fn_with_state(
                app.clone(),
                desk::csrf_guard,
            ))
        } else {
            handler
        };
        r = r.route(path, handler);
    }
    r.with_state(app).merge(site_router(live, false))
}

/// The public site alone; with `preview`, its pages reload themselves
/// when the data changes (`guide serve --preview`: no desk, no register).
pub fn site_router(live: Arc<Live>, preview: bool) -> Router {
    let site = Router::new();
    let site = if preview {
        site.route("/__preview/version", get(site::version))
            .fallback(site::preview)
    } else {
        site.fallback(site::serve)
    };
    site.with_state(live)
}

/// Serves `router` on `listener` until SIGTERM or Ctrl-C, finishing the
/// requests under way; over HTTPS with `tls` ([`tls::config`]). `ready` is told the address once it listens.
pub fn run(
    router: Router,
    listener: std::net::TcpListener,
    tls: Option<Arc<rustls::ServerConfig>>,
    ready: impl FnOnce(SocketAddr),
) -> anyhow::Result<()> {
    use anyhow::Context;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("无法启动服务线程")?;
    rt.block_on(async move {
        listener.set_nonblocking(true).context("无法设置监听端口")?;
        let addr = listener.local_addr().context("无法读取监听地址")?;
        let listener = tokio::net::TcpListener::from_std(listener).context("无法监听端口")?;
        let signals = Signals::install().context("无法监听停止信号")?;
        ready(addr);
        let service = router.into_make_service_with_connect_info::<SocketAddr>();
        match tls {
            None => axum::serve(listener, service)
                .with_graceful_shutdown(signals.stopped())
                .await
                .context("服务出错"),
            Some(config) => {
                use axum::serve::ListenerExt;
                // (`tap_io` gives the connection's peer address to
                // `ConnectInfo`, as for plain TCP.)
                let listener = tls::Listener::new(listener, config)
                    .context("无法监听端口")?
                    .tap_io(|_| {});
                axum::serve(listener, service)
                    .with_graceful_shutdown(signals.stopped())
                    .await
                    .context("服务出错")
            }
        }
    })
}

/// Ctrl-C and SIGTERM, listened for from before the address is told (a
/// signal sent as soon as the server is up must stop it gracefully, not
/// kill it).
struct Signals {
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
    #[cfg(unix)]
    int: tokio::signal::unix::Signal,
}

impl Signals {
    fn install() -> std::io::Result<Signals> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Signals {
                term: signal(SignalKind::terminate())?,
                int: signal(SignalKind::interrupt())?,
            })
        }
        #[cfg(not(unix))]
        Ok(Signals {})
    }

    /// Resolves on Ctrl-C or SIGTERM.
    async fn stopped(mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.term.recv() => {},
            _ = self.int.recv() => {},
        }
        #[cfg(not(unix))]
        {
            let _ = &mut self;
            let _ = tokio::signal::ctrl_c().await;
        }
        eprintln!("正在停止：处理完进行中的请求后退出");
    }
}
