//! The clerks' desk at `/desk/`: log in, find a matter, pick situations
//! and members, tick missing and defective materials, and issue a numbered
//! notice through [`crate::notice::issue`]; look a notice up by its number
//! (short forms too), record the second visit, reprint. Every page is
//! plain HTML forms (keyboard only works; no script), every form that
//! posts carries the session's CSRF token, and every look at a notice is
//! in the audit log.

// A refusal is the handler's response, returned early: boxing it would
// only move it to the heap once per refused request.
#![allow(clippy::result_large_err)]

use super::extract::{Fields, Pairs, QueryPairs, Segment};
use super::html::{csrf_field, error_box, esc, page, url};
use super::{App, auth};
use crate::model::resolve::{ResolvedMaterial, Selection, materials};
use crate::notice::{Kind, NoticeError, Request, Target, VisitRequest};
use crate::register::{
    Filter, NewSession, Notice, Outcome, Paging, RegisterError, Role, Session, Visit,
};
use axum::extract::Request as HttpRequest;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;
use std::sync::Arc;

fn field<'a>(p: &'a Pairs, key: &str) -> Option<&'a str> {
    p.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

fn all(p: &Pairs, key: &str) -> Vec<String> {
    p.iter()
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
        .collect()
}

/// A typed value, or `None` when left empty.
fn given(p: &Pairs, key: &str) -> Option<String> {
    field(p, key)
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// The headers of every page of the desk: never cached, never framed by
/// another site, no script, no referrer.
fn guard(mut r: Response) -> Response {
    let h = r.headers_mut();
    for (k, v) in [
        (header::CACHE_CONTROL, "no-store"),
        (header::X_FRAME_OPTIONS, "SAMEORIGIN"),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; style-src 'unsafe-inline'; script-src 'none'; frame-ancestors 'self'",
        ),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    ] {
        h.insert(k, HeaderValue::from_static(v));
    }
    r
}

fn html(status: StatusCode, title: &str, who: Option<&Session>, body: &str) -> Response {
    let text = page(title, who.map(|s| (&s.account, s.csrf.as_str())), body);
    guard(
        (
            status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            text,
        )
            .into_response(),
    )
}

fn see_other(to: &str) -> Response {
    guard(
        (
            StatusCode::SEE_OTHER,
            [(header::LOCATION, to.to_owned())],
            String::new(),
        )
            .into_response(),
    )
}

fn refused(status: StatusCode, message: &str, who: Option<&Session>) -> Response {
    html(status, "不能办理", who, &error_box(message))
}

/// Anyone logged in, clerk or supervisor: the session of the request's
/// cookie (live, its account enabled); without one, to the login page.
pub struct Clerk(pub Session);

impl FromRequestParts<Arc<App>> for Clerk {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Self, Response> {
        if let Some(Checked(s)) = parts.extensions.get::<Checked>() {
            return Ok(Clerk(s.clone()));
        }
        app.session(&parts.headers)
            .map(Clerk)
            .ok_or_else(|| see_other("/desk/login"))
    }
}

/// A supervisor logged in; a clerk is refused (403).
pub struct Supervisor(pub Session);

impl FromRequestParts<Arc<App>> for Supervisor {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Self, Response> {
        let Clerk(s) = Clerk::from_request_parts(parts, app).await?;
        if s.account.role == Role::Supervisor {
            Ok(Supervisor(s))
        } else {
            Err(refused(
                StatusCode::FORBIDDEN,
                "这一页只有负责人可以查看",
                Some(&s),
            ))
        }
    }
}

/// The session of a form posted with its CSRF token, as [`csrf_guard`]
/// found them: the guard runs before every POST of the desk (see
/// [`super::router`]); a handler mounted without it refuses every post.
#[derive(Clone)]
struct Checked(Session);

/// A form posted to the desk, its session and CSRF token checked.
pub struct Posted {
    pub session: Session,
    pub form: Pairs,
}

impl FromRequest<Arc<App>> for Posted {
    type Rejection = Response;

    async fn from_request(req: HttpRequest, app: &Arc<App>) -> Result<Self, Response> {
        let Some(Checked(session)) = req.extensions().get::<Checked>().cloned() else {
            return Err(forged(None));
        };
        let Fields(form) = Fields::from_request(req, app).await?;
        Ok(Posted { session, form })
    }
}

fn forged(who: Option<&Session>) -> Response {
    refused(
        StatusCode::FORBIDDEN,
        "表单校验失败（CSRF 令牌不符）：请回到工作台重新打开页面再提交",
        who,
    )
}

/// The largest form the desk reads, in bytes.
const FORM_LIMIT: usize = 256 * 1024;

/// Before every POST of the desk: a live session, and the form's `csrf`
/// field equal to the session's token; else 403 and the handler never
/// runs. The checked session goes to the handler ([`Posted`]).
pub async fn csrf_guard(State(app): State<Arc<App>>, req: HttpRequest, next: Next) -> Response {
    let Some(s) = app.session(req.headers()) else {
        return refused(
            StatusCode::FORBIDDEN,
            "请先登录（登录已过期或已退出）",
            None,
        );
    };
    let (mut parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, FORM_LIMIT).await else {
        return refused(
            StatusCode::PAYLOAD_TOO_LARGE,
            "提交的内容太大或没有传完",
            Some(&s),
        );
    };
    // The token is hex: it is the same encoded or not.
    let sent = bytes
        .split(|b| *b == b'&')
        .find_map(|kv| kv.strip_prefix(b"csrf="))
        .and_then(|v| std::str::from_utf8(v).ok())
        .unwrap_or_default();
    if !auth::same_secret(sent, &s.csrf) {
        return forged(Some(&s));
    }
    parts.extensions.insert(Checked(s));
    next.run(HttpRequest::from_parts(
        parts,
        axum::body::Body::from(bytes),
    ))
    .await
}

/// A failure of the register or the audit log, as a page.
fn failed(e: impl std::fmt::Display, who: Option<&Session>) -> Response {
    refused(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string(), who)
}

fn notice_status(e: &NoticeError) -> StatusCode {
    match e.kind() {
        Kind::NotFound => StatusCode::NOT_FOUND,
        Kind::Usage => StatusCode::UNPROCESSABLE_ENTITY,
        Kind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

pub async fn to_home() -> Response {
    see_other("/desk/")
}

fn login_page(status: StatusCode, message: Option<&str>, secure: bool) -> Response {
    let token = auth::random_token();
    let body = format!(
        "{}<form method=\"post\" action=\"/desk/login\">\
         <input type=\"hidden\" name=\"login\" value=\"{}\">\
         <p><label>账号 <input type=\"text\" name=\"name\" autocomplete=\"username\" required autofocus></label></p>\
         <p><label>密码 <input type=\"password\" name=\"password\" autocomplete=\"current-password\" required></label></p>\
         <p><button>登录</button></p></form>",
        message.map(error_box).unwrap_or_default(),
        esc(&token)
    );
    let mut r = html(status, "登录", None, &body);
    if let Ok(v) = HeaderValue::from_str(&auth::cookie(auth::LOGIN_COOKIE, &token, 1800, secure)) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

pub async fn login_form(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    if app.session(&headers).is_some() {
        return see_other("/desk/");
    }
    login_page(StatusCode::OK, None, app.secure(&headers))
}

pub async fn login(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Fields(form): Fields,
) -> Response {
    let secure = app.secure(&headers);
    let address = app.address(peer, &headers);
    // The login form's token must be the one its cookie carries: a page
    // of another site cannot log a window in as someone else.
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| auth::cookie_value(c, auth::LOGIN_COOKIE))
        .unwrap_or_default();
    if !auth::same_secret(field(&form, "login").unwrap_or_default(), cookie) {
        return login_page(
            StatusCode::FORBIDDEN,
            Some("登录表单已过期，请重新登录"),
            secure,
        );
    }
    let name = field(&form, "name").unwrap_or_default().trim().to_owned();
    let password = field(&form, "password").unwrap_or_default().to_owned();
    let tried = {
        let (app, name, address) = (app.clone(), name.clone(), address.clone());
        tokio::task::spawn_blocking(move || app.login(&name, &password, &address)).await
    };
    let account = match tried {
        Ok(Ok(a)) => a,
        Ok(Err(why)) => {
            let _ = app.audit(&name, "登录失败", "", &address);
            return login_page(StatusCode::UNAUTHORIZED, Some(&why), secure);
        }
        Err(e) => return failed(e, None),
    };
    let token = auth::random_token();
    let csrf = auth::random_token();
    if token.is_empty() || csrf.is_empty() {
        return failed("无法生成随机令牌（操作系统的随机数不可用）", None);
    }
    let opened = app.register.open_session(&NewSession {
        digest: auth::digest(&token),
        account: account.name.clone(),
        csrf,
        expires: super::unix_now() + auth::SESSION_SECONDS,
    });
    if let Err(e) = opened.and_then(|_| app.audit(&account.name, "登录", "", &address)) {
        return failed(e, None);
    }
    let mut r = see_other("/desk/");
    for c in [
        auth::cookie(auth::SESSION_COOKIE, &token, auth::SESSION_SECONDS, secure),
        auth::cookie(auth::LOGIN_COOKIE, "", 0, secure),
    ] {
        if let Ok(v) = HeaderValue::from_str(&c) {
            r.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    r
}

pub async fn logout(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Posted { session: s, .. }: Posted,
) -> Response {
    let token = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| auth::cookie_value(c, auth::SESSION_COOKIE))
        .unwrap_or_default();
    let address = app.address(peer, &headers);
    if let Err(e) = app
        .register
        .close_session(&auth::digest(token))
        .and_then(|_| app.audit(&s.account.name, "退出", "", &address))
    {
        return failed(e, None);
    }
    let mut r = see_other("/desk/login");
    if let Ok(v) = HeaderValue::from_str(&auth::cookie(
        auth::SESSION_COOKIE,
        "",
        0,
        app.secure(&headers),
    )) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

const SEARCH_FORMS: &str = "<form method=\"get\" action=\"/desk/find\"><p><label>办理事项（名称、别名或其中几个字） \
    <input type=\"search\" name=\"q\" autofocus accesskey=\"f\"></label> <button>查找事项</button></p></form>\
    <form method=\"get\" action=\"/desk/lookup\"><p><label>告知单编号（可简写，如 1、0001、2026-1） \
    <input type=\"search\" name=\"number\" accesskey=\"n\"></label> <button>查告知单</button>（也可以扫告知单右上角的二维码）</p></form>\
    <form method=\"get\" action=\"/desk/search\"><p><label>申请人姓名或电话 \
    <input type=\"search\" name=\"text\"></label> <label>从 <input type=\"date\" name=\"since\"></label> \
    <label>到 <input type=\"date\" name=\"until\"></label> <button>查登记簿</button></p></form>";

pub async fn home(State(app): State<Arc<App>>, Clerk(s): Clerk) -> Response {
    let today = beijing_today();
    let mut body = String::from(SEARCH_FORMS);
    let filter = Filter {
        since: Some(today.clone()),
        window: s.account.window.clone(),
        ..Filter::default()
    };
    if let Ok(page) = latest(app.register.as_ref(), &filter, HOME_LIST) {
        let rows: Vec<String> = page
            .iter()
            .rev()
            .filter_map(|n| n.as_ref().ok())
            .map(|n| {
                format!(
                    "<tr><td><a href=\"/desk/notice/{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    url(&n.notice.number),
                    esc(&n.notice.number),
                    esc(n.notice.record.issued_at.get(11..16).unwrap_or_default()),
                    esc(&n.notice.record.matter_name),
                    n.outcome.map_or("", Outcome::word)
                )
            })
            .collect();
        if !rows.is_empty() {
            body.push_str(&format!(
                "<h2>本窗口今天出具的告知单</h2><table><tr><th>编号</th><th>时间</th><th>事项</th><th>来办结果</th></tr>{}</table>",
                rows.join("")
            ));
        }
    }
    html(StatusCode::OK, "工作台", Some(&s), &body)
}

/// Notices the home page lists: the window's latest of today.
const HOME_LIST: u32 = 20;

/// The newest `n` (or so) notices `filter` takes, oldest first, reading
/// no more of the register than the last two pages of `n`: a busy
/// window's home page stays as quick at its thousandth notice as at its
/// first.
fn latest(
    register: &dyn crate::register::Register,
    filter: &Filter,
    n: u32,
) -> Result<Vec<Result<crate::register::Summary, RegisterError>>, RegisterError> {
    let first = register.list(filter, Paging::Page { index: 1, size: n })?;
    let pages = first.total.div_ceil(u64::from(n.max(1)));
    if pages <= 1 {
        return Ok(first.items);
    }
    let last = u32::try_from(pages).unwrap_or(u32::MAX);
    let mut items = register
        .list(
            filter,
            Paging::Page {
                index: last - 1,
                size: n,
            },
        )?
        .items;
    items.extend(
        register
            .list(
                filter,
                Paging::Page {
                    index: last,
                    size: n,
                },
            )?
            .items,
    );
    let skip = items.len().saturating_sub(n as usize);
    Ok(items.split_off(skip))
}

fn beijing_today() -> String {
    super::beijing_now()
        .get(..10)
        .unwrap_or_default()
        .to_owned()
}

pub async fn find(
    State(app): State<Arc<App>>,
    Clerk(s): Clerk,
    QueryPairs(q): QueryPairs,
) -> Response {
    let data = app.data();
    let p = &data.project;
    let query = field(&q, "q").unwrap_or_default().trim();
    let link = |label: &str| -> String {
        // “名称（id）”: ids are [a-z0-9-].
        let id = label
            .rsplit_once('（')
            .map_or("", |(_, r)| r.trim_end_matches('）'));
        format!(
            "<li><a href=\"/desk/matter/{}\">{}</a></li>",
            url(id),
            esc(label)
        )
    };
    let body = if query.is_empty() {
        let mut b = String::from(SEARCH_FORMS);
        for (cat, list) in p.categories() {
            b.push_str(&format!("<h2>{}</h2><ul>", esc(cat)));
            for g in list {
                b.push_str(&link(&format!(
                    "{}（{}）",
                    g.guide.name.value, g.guide.id.value
                )));
            }
            b.push_str("</ul>");
        }
        b
    } else {
        match crate::load::find::find(&p.guides, query) {
            crate::load::find::Found::One(id) => {
                return see_other(&format!("/desk/matter/{}", url(&id)));
            }
            crate::load::find::Found::Several(labels) => format!(
                "{SEARCH_FORMS}<p>“{}”可以指以下事项：</p><ul>{}</ul>",
                esc(query),
                labels.iter().map(|l| link(l)).collect::<String>()
            ),
            crate::load::find::Found::None(near) => format!(
                "{SEARCH_FORMS}{}{}",
                error_box(&format!("没有找到事项“{query}”")),
                if near.is_empty() {
                    String::new()
                } else {
                    format!(
                        "<p>你是不是想找：</p><ul>{}</ul>",
                        near.iter().map(|l| link(l)).collect::<String>()
                    )
                }
            ),
        }
    };
    html(StatusCode::OK, "查找事项", Some(&s), &body)
}

/// The materials of matter `g` for the chosen situations and members, as
/// [`crate::notice::draft`] selects them (numbers there are positions here).
fn selected<'a>(
    p: &'a crate::load::Project,
    g: &'a crate::model::Guide,
    situations: &'a [String],
    members: &'a [String],
) -> Vec<ResolvedMaterial> {
    let selection = if members.is_empty() {
        Selection::Situations(situations)
    } else {
        Selection::Chosen {
            situations: Some(situations),
            members,
        }
    };
    materials(g, &p.catalogue, selection)
}

/// The issuing form of a matter, `prefill` being what was typed before
/// (after a refusal) and `message` why it was refused.
fn matter_page(
    s: &Session,
    p: &crate::load::Project,
    id: &str,
    prefill: &Pairs,
    message: Option<&str>,
    status: StatusCode,
) -> Response {
    let Some(gf) = p.guide(id) else {
        return refused(
            StatusCode::NOT_FOUND,
            &format!("没有 id 为 `{id}` 的事项（或它现在不在施行期内）"),
            Some(s),
        );
    };
    let g = &gf.guide;
    let situations: Vec<String> = all(prefill, "situation")
        .into_iter()
        .filter(|x| g.all_situations().any(|y| &y.id.value == x))
        .collect();
    let members: Vec<String> = all(prefill, "member")
        .into_iter()
        .filter(|x| g.linked.iter().any(|m| m.optional && &m.id == x))
        .collect();
    let checked = |yes: bool| if yes { " checked" } else { "" };
    let mut b = message.map(error_box).unwrap_or_default();
    // 1. The applicant's situations and members: a GET form that redraws
    // the list of materials.
    let mut choose = String::new();
    for x in g.all_situations() {
        choose.push_str(&format!(
            "<label><input type=\"checkbox\" name=\"situation\" value=\"{}\"{}> {}</label><br>",
            esc(&x.id.value),
            checked(situations.contains(&x.id.value)),
            esc(&x.label.value)
        ));
    }
    for m in g.linked.iter().filter(|m| m.optional) {
        choose.push_str(&format!(
            "<label><input type=\"checkbox\" name=\"member\" value=\"{}\"{}> {}</label><br>",
            esc(&m.id),
            checked(members.contains(&m.id)),
            esc(&crate::present::member_name(m))
        ));
    }
    if !choose.is_empty() {
        b.push_str(&format!(
            "<form method=\"get\" action=\"/desk/matter/{}\"><fieldset><legend>申请人的情形</legend>{choose}\
             <button>更新材料清单</button></fieldset></form>",
            url(id)
        ));
    }
    // 2. The materials and the applicant: the notice.
    let list = selected(p, g, &situations, &members);
    let missing = all(prefill, "missing");
    let defects = all(prefill, "defect");
    let mut rows = String::new();
    for (i, m) in list.iter().enumerate() {
        let n = (i + 1).to_string();
        if m.is_produced() {
            continue;
        }
        let mut note = crate::present::requirement(m);
        if let Some(u) = crate::present::used_for(m) {
            note.push_str(&format!("；{u}"));
        }
        rows.push_str(&format!(
            "<tr><td>{n}</td><td>{}<br><span class=\"req\">{}</span></td>\
             <td><label><input type=\"checkbox\" name=\"missing\" value=\"{n}\"{}> 缺少</label></td>\
             <td><label><input type=\"checkbox\" name=\"defect\" value=\"{n}\"{}> 需补正</label> \
             <label>原因 <input type=\"text\" name=\"reason{n}\" value=\"{}\" size=\"24\"></label></td></tr>",
            esc(&m.name),
            esc(&note),
            checked(missing.contains(&n)),
            checked(defects.contains(&n)),
            esc(field(prefill, &format!("reason{n}")).unwrap_or_default())
        ));
    }
    let hidden: String = situations
        .iter()
        .map(|x| {
            format!(
                "<input type=\"hidden\" name=\"situation\" value=\"{}\">",
                esc(x)
            )
        })
        .chain(members.iter().map(|x| {
            format!(
                "<input type=\"hidden\" name=\"member\" value=\"{}\">",
                esc(x)
            )
        }))
        .collect();
    let value = |k: &str| esc(field(prefill, k).unwrap_or_default());
    b.push_str(&format!(
        "<form method=\"post\" action=\"/desk/matter/{}\">{}{hidden}\
         <fieldset><legend>材料（勾选缺少的；带来了但不符合要求的勾选需补正并写原因）</legend>\
         <table><tr><th>序号</th><th>材料</th><th>缺少</th><th>需补正</th></tr>{rows}</table></fieldset>\
         <fieldset><legend>申请人</legend>\
         <p><label>姓名 <input type=\"text\" name=\"applicant\" value=\"{}\" dir=\"auto\" required></label></p>\
         <p><label>联系电话 <input type=\"tel\" name=\"phone\" value=\"{}\"></label></p>\
         <p><label>收件日期（可不填） <input type=\"date\" name=\"received\" value=\"{}\"></label></p></fieldset>\
         <p><button accesskey=\"s\">出具告知单</button></p></form>",
        url(id),
        csrf_field(&s.csrf),
        value("applicant"),
        value("phone"),
        value("received"),
    ));
    html(status, &g.name.value, Some(s), &b)
}

pub async fn matter(
    State(app): State<Arc<App>>,
    Clerk(s): Clerk,
    Segment(id): Segment,
    QueryPairs(q): QueryPairs,
) -> Response {
    let data = app.data();
    matter_page(&s, &data.project, &id, &q, None, StatusCode::OK)
}

pub async fn issue(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Segment(id): Segment,
    Posted { session: s, form }: Posted,
) -> Response {
    let address = app.address(peer, &headers);
    let defects: Vec<(String, String)> = all(&form, "defect")
        .into_iter()
        .map(|n| {
            let reason = field(&form, &format!("reason{n}"))
                .unwrap_or_default()
                .trim()
                .to_owned();
            (n, reason)
        })
        .collect();
    let req = Request {
        matter: id.clone(),
        situations: all(&form, "situation"),
        members: all(&form, "member"),
        missing: all(&form, "missing"),
        defects,
        applicant: field(&form, "applicant")
            .unwrap_or_default()
            .trim()
            .to_owned(),
        phone: given(&form, "phone"),
        window: s.account.window.clone(),
        clerk: Some(s.account.name.clone()),
        received: given(&form, "received"),
        hall: app.options.hall.clone(),
        target: Target::Bytes,
        protect: Vec::new(),
    };
    let data = app.data();
    if req.missing.is_empty() && req.defects.is_empty() {
        return matter_page(
            &s,
            &data.project,
            &id,
            &form,
            Some("没有勾选任何缺少或需补正的材料：材料齐全时不出具一次性告知单"),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let issued = {
        let app = app.clone();
        tokio::task::spawn_blocking(move || app.issue(&req)).await
    };
    match issued {
        Ok(Ok(done)) => {
            let number = done.notice.number;
            if let Err(e) = app.audit(&s.account.name, "出具", &number, &address) {
                return failed(e, Some(&s));
            }
            see_other(&format!("/desk/notice/{}?issued=1", url(&number)))
        }
        Ok(Err(e)) => matter_page(
            &s,
            &data.project,
            &id,
            &form,
            Some(&e.to_string()),
            notice_status(&e),
        ),
        Err(e) => failed(e, Some(&s)),
    }
}

pub async fn lookup(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Clerk(s): Clerk,
    QueryPairs(q): QueryPairs,
) -> Response {
    let typed = field(&q, "number").unwrap_or_default().trim();
    // A notice's desk code, read by a scanner that types what it reads.
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let desk = app
        .data()
        .project
        .config
        .as_ref()
        .and_then(|c| c.notice.as_ref())
        .and_then(|n| n.desk_url.as_ref())
        .map(|u| u.value.clone());
    let query = match scanned(typed, desk.as_deref(), host) {
        Ok(Some(key)) => key,
        Ok(None) => typed.to_owned(),
        Err(why) => {
            return html(
                StatusCode::NOT_FOUND,
                "查告知单",
                Some(&s),
                &format!("{SEARCH_FORMS}{}", error_box(&why)),
            );
        }
    };
    match app.register.find(&query) {
        Ok(n) => see_other(&format!("/desk/notice/{}", url(&n.number))),
        Err(e) => not_found(&s, &e),
    }
}

/// The page a notice's desk code opens: `/desk/n/2026-1`.
pub async fn scan(State(app): State<Arc<App>>, Clerk(s): Clerk, Segment(key): Segment) -> Response {
    match app.register.find(&key) {
        Ok(n) => see_other(&format!("/desk/notice/{}", url(&n.number))),
        Err(e) => not_found(&s, &e),
    }
}

/// What a scanner typed into the number box, when it is an address: the
/// notice key of a desk code (`2026-1`) if the address is this desk's
/// (`desk` as `notice.desk_url` gives it, or the `host` the request was
/// sent to) and a notice's page on it; else why it is refused. `None`:
/// not an address, a number typed.
pub fn scanned(
    typed: &str,
    desk: Option<&str>,
    host: Option<&str>,
) -> Result<Option<String>, String> {
    let lower = typed.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return Ok(None);
    }
    let mut bases: Vec<String> = desk
        .and_then(crate::present::desk_origin)
        .into_iter()
        .collect();
    if let Some(h) = host.map(str::trim).filter(|h| !h.is_empty()) {
        bases.push(format!("http://{h}"));
        bases.push(format!("https://{h}"));
    }
    let rest = bases.iter().find_map(|b| {
        let b = b.to_ascii_lowercase();
        lower
            .strip_prefix(&b)
            .filter(|r| r.starts_with('/'))
            .map(|r| typed[typed.len() - r.len()..].to_owned())
    });
    let Some(rest) = rest else {
        return Err(format!(
            "扫到的是别的网站的地址，不是本工作台的告知单：{typed}\n请扫告知单右上角“{}”的二维码，或输入编号",
            crate::render::notice::DESK_CAPTION
        ));
    };
    let short = |k: &str| {
        let mut parts = k.splitn(2, '-');
        let year = parts.next().unwrap_or_default();
        let seq = parts.next().unwrap_or_default();
        year.len() == 4
            && year.bytes().all(|b| b.is_ascii_digit())
            && !seq.is_empty()
            && seq.len() <= 9
            && seq.bytes().all(|b| b.is_ascii_digit())
    };
    // `2026-1`, or (halls numbering on their own) the whole number,
    // percent-encoded as `present::desk_notice_path` writes it.
    let key = rest.strip_prefix("/desk/n/").and_then(|k| {
        if short(k) {
            return Some(k.to_owned());
        }
        let whole = crate::serve::site::percent_decode(k)?;
        let plain = !whole.is_empty()
            && whole.len() <= 200
            && !whole.chars().any(|c| c == '/' || c.is_control());
        plain.then_some(whole)
    });
    match key {
        Some(k) => Ok(Some(k)),
        None => Err(format!(
            "这个地址不是告知单的二维码：{typed}\n请扫告知单右上角“{}”的二维码，或输入编号",
            crate::render::notice::DESK_CAPTION
        )),
    }
}

fn not_found(s: &Session, e: &RegisterError) -> Response {
    let mut body = format!("{SEARCH_FORMS}{}", error_box(&e.to_string()));
    if let RegisterError::Ambiguous { candidates, .. } = e {
        body.push_str("<ul>");
        for c in candidates {
            body.push_str(&format!(
                "<li><a href=\"/desk/notice/{}\">{}</a></li>",
                url(c),
                esc(c)
            ));
        }
        body.push_str("</ul>");
    }
    let status = match e {
        RegisterError::NotFound { .. } | RegisterError::Ambiguous { .. } => StatusCode::NOT_FOUND,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    html(status, "查告知单", Some(s), &body)
}

/// The notice `query` names and its visits, for a page of the desk.
fn found(app: &App, s: &Session, query: &str) -> Result<(Notice, Vec<Visit>), Response> {
    let n = app.register.find(query).map_err(|e| not_found(s, &e))?;
    let v = app
        .register
        .visits(&n.number)
        .map_err(|e| failed(e, Some(s)))?;
    Ok((n, v))
}

fn notice_page(
    s: &Session,
    n: &Notice,
    visits: &[Visit],
    banner: Option<&str>,
    message: Option<&str>,
    status: StatusCode,
) -> Response {
    let r = &n.record;
    let pdf = format!("/desk/notice/{}/pdf", url(&n.number));
    let mut b = String::new();
    if let Some(m) = message {
        b.push_str(&error_box(m));
    }
    if let Some(m) = banner {
        b.push_str(&format!("<p class=\"ok\" role=\"status\">{}</p>", esc(m)));
    }
    b.push_str(&format!(
        "<p class=\"number\">{}</p><p><a href=\"{pdf}\" target=\"_blank\" accesskey=\"p\">打开告知单 PDF（打印）</a></p>",
        esc(&n.number)
    ));
    // Just issued: the PDF right under its number, to print.
    if banner.is_some_and(|m| m.starts_with("已出具")) {
        b.push_str(&format!(
            "<iframe src=\"{pdf}\" title=\"告知单 PDF\"></iframe>"
        ));
    }
    let mut facts = vec![
        ("告知时间", r.issued_at.clone()),
        ("申请事项", format!("{}（{}）", r.matter_name, r.matter_id)),
        ("申请人", r.applicant.clone()),
    ];
    if let Some(ph) = &r.phone {
        facts.push(("联系电话", ph.clone()));
    }
    if !r.situations.is_empty() {
        facts.push(("情形", r.situations.join("；")));
    }
    if let Some(c) = &r.clerk {
        facts.push(("经办人", c.clone()));
    }
    if let Some(w) = &r.window {
        facts.push(("窗口", w.clone()));
    }
    facts.push(("数据版本", r.edition.clone()));
    b.push_str("<table>");
    for (k, v) in facts {
        b.push_str(&format!("<tr><th>{k}</th><td>{}</td></tr>", esc(&v)));
    }
    b.push_str("</table>");
    let left = crate::notice::outstanding(n, visits);
    let accepted = visits.iter().any(|v| v.record.outcome == Outcome::Accepted);
    // What was told, numbered on through both lists as the visit takes them.
    let mut rows = String::new();
    for (i, t) in r.told().enumerate() {
        let brought = !left.iter().any(|l| l.name == t.name);
        let kind = if t.reason.is_empty() {
            crate::present::label::MISSING
        } else {
            crate::present::label::DEFECTIVE
        };
        let mut detail = t.requirement.clone();
        if !t.reason.is_empty() {
            detail.push_str(&format!("；{}", crate::present::defect_reason(&t.reason)));
        }
        rows.push_str(&format!(
            "<tr><td><label><input type=\"checkbox\" name=\"brought\" value=\"{}\"{}> {}</label></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            i + 1,
            if brought { " checked disabled" } else { "" },
            i + 1,
            esc(&t.name),
            esc(&detail),
            if brought { "已带来" } else { kind },
        ));
    }
    let outcomes: String = Outcome::ALL
        .iter()
        .map(|o| {
            format!(
                "<label><input type=\"radio\" name=\"result\" value=\"{w}\" required> {w}</label> ",
                w = o.word()
            )
        })
        .collect();
    let visit_form = if accepted {
        "<p>已受理，不再登记来办。</p>".to_owned()
    } else {
        format!("<p>{outcomes}</p><p><button accesskey=\"v\">登记来办</button></p>")
    };
    b.push_str(&format!(
        "<form method=\"post\" action=\"/desk/notice/{}/visit\">{}\
         <fieldset><legend>告知的材料（再次来办时勾选这次带来的）</legend>\
         <table><tr><th>带来</th><th>材料</th><th>要求</th><th>状态</th></tr>{rows}</table>{visit_form}</fieldset></form>",
        url(&n.number),
        csrf_field(&s.csrf),
    ));
    if !visits.is_empty() {
        b.push_str("<h2>来办记录</h2><table><tr><th>时间</th><th>结果</th><th>带来</th><th>经办人</th><th>窗口</th></tr>");
        for v in visits {
            let v = &v.record;
            b.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&v.at),
                v.outcome,
                esc(&v.brought.join("；")),
                esc(v.clerk.as_deref().unwrap_or_default()),
                esc(v.window.as_deref().unwrap_or_default())
            ));
        }
        b.push_str("</table>");
    }
    b.push_str(&format!(
        "<form method=\"post\" action=\"/desk/notice/{}/reprint\" target=\"_blank\">{}<p><button>重印告知单</button>（记入审计日志）</p></form>",
        url(&n.number),
        csrf_field(&s.csrf)
    ));
    html(status, "告知单", Some(s), &b)
}

pub async fn notice(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Clerk(s): Clerk,
    Segment(number): Segment,
    QueryPairs(q): QueryPairs,
) -> Response {
    let (n, visits) = match found(&app, &s, &number) {
        Ok(f) => f,
        Err(r) => return r,
    };
    if n.number != number {
        return see_other(&format!("/desk/notice/{}", url(&n.number)));
    }
    let address = app.address(peer, &headers);
    if let Err(e) = app.audit(&s.account.name, "查看", &n.number, &address) {
        return failed(e, Some(&s));
    }
    let banner = if field(&q, "issued").is_some() {
        Some("已出具并登记。请打印告知单交给申请人。")
    } else if field(&q, "visited").is_some() {
        Some("来办已登记。")
    } else {
        None
    };
    notice_page(&s, &n, &visits, banner, None, StatusCode::OK)
}

fn pdf_response(number: &str, pdf: Vec<u8>) -> Response {
    let name = crate::notice::file_name(number);
    let disposition = format!(
        "inline; filename=\"notice.pdf\"; filename*=UTF-8''{}",
        url(&name.to_string_lossy())
    );
    let mut r = guard(
        (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/pdf")],
            pdf,
        )
            .into_response(),
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

/// The archived PDF, as it was first printed; `action` goes in the audit
/// log.
fn archived(app: &App, s: &Session, number: &str, action: &str, address: &str) -> Response {
    let n = match app.register.find(number) {
        Ok(n) => n,
        Err(e) => return not_found(s, &e),
    };
    let pdf = match app.register.pdf(&n.number) {
        Ok(p) => p,
        Err(e) => return failed(e, Some(s)),
    };
    if let Err(e) = app.audit(&s.account.name, action, &n.number, address) {
        return failed(e, Some(s));
    }
    pdf_response(&n.number, pdf)
}

pub async fn pdf(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Clerk(s): Clerk,
    Segment(number): Segment,
) -> Response {
    let address = app.address(peer, &headers);
    archived(&app, &s, &number, "打印", &address)
}

pub async fn reprint(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Segment(number): Segment,
    Posted { session: s, .. }: Posted,
) -> Response {
    let address = app.address(peer, &headers);
    archived(&app, &s, &number, "重印", &address)
}

pub async fn visit(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Segment(number): Segment,
    Posted { session: s, form }: Posted,
) -> Response {
    let address = app.address(peer, &headers);
    let refuse = |message: &str, status: StatusCode| match found(&app, &s, &number) {
        Ok((n, visits)) => notice_page(&s, &n, &visits, None, Some(message), status),
        Err(r) => r,
    };
    let Some(outcome) = field(&form, "result").and_then(Outcome::from_word) else {
        return refuse(
            "请选择来办结果：已补正、已受理 或 仍缺",
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    let req = VisitRequest {
        brought: all(&form, "brought"),
        outcome,
        clerk: Some(s.account.name.clone()),
        window: s.account.window.clone(),
    };
    let recorded = crate::notice::now()
        .and_then(|now| crate::notice::record_visit(app.register.as_ref(), &number, &req, now));
    match recorded {
        Ok((n, v)) => {
            let subject = format!("{}（{}）", n.number, v.record.outcome);
            if let Err(e) = app.audit(&s.account.name, "登记来办", &subject, &address) {
                return failed(e, Some(&s));
            }
            see_other(&format!("/desk/notice/{}?visited=1", url(&n.number)))
        }
        Err(e) => refuse(&e.to_string(), notice_status(&e)),
    }
}

pub async fn audit(State(app): State<Arc<App>>, Supervisor(s): Supervisor) -> Response {
    let log = match app.register.audit_log(500) {
        Ok(l) => l,
        Err(e) => return failed(e, Some(&s)),
    };
    let mut b = String::from(
        "<p>最近 500 条，新的在前。</p><table><tr><th>时间</th><th>账号</th><th>操作</th><th>对象</th><th>地址</th></tr>",
    );
    for e in log {
        let e = e.entry;
        b.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&e.at),
            esc(&e.who),
            esc(&e.action),
            esc(&e.subject),
            esc(&e.address)
        ));
    }
    b.push_str("</table>");
    html(StatusCode::OK, "审计日志", Some(&s), &b)
}

pub async fn status(State(app): State<Arc<App>>, Supervisor(s): Supervisor) -> Response {
    let data = app.data();
    let p = &data.project;
    let mut b = match app.live.reloaded() {
        Some(r) => match &r.diagnostics {
            Some(d) => format!(
                "{}<pre class=\"error\">{}</pre>",
                error_box(&format!(
                    "{} 修改后的指南数据有错误，网站和工作台仍在使用上一版数据（载入于 {}）。请改正：",
                    r.at, data.loaded_at
                )),
                esc(d)
            ),
            None => format!(
                "<p class=\"ok\">{} 修改后的指南数据已通过检查并开始使用。</p>",
                esc(&r.at)
            ),
        },
        None => String::new(),
    };
    b += &format!(
        "<table><tr><th>指南项目</th><td>{}</td></tr><tr><th>载入时间</th><td>{}</td></tr>\
         <tr><th>数据版本</th><td>{:016x}</td></tr><tr><th>施行中的事项</th><td>{} 项</td></tr>\
         <tr><th>网站页面</th><td>{} 个文件</td></tr></table>\
         <p>修改指南数据后自动检查：没有错误就立即使用新数据；有错误则继续使用上一版，并在这里列出错误。</p>",
        esc(&p.root.display().to_string()),
        esc(&data.loaded_at),
        p.content_hash,
        p.guides.len(),
        data.site.len()
    );
    html(StatusCode::OK, "数据状态", Some(&s), &b)
}

pub async fn stats(
    State(app): State<Arc<App>>,
    Supervisor(s): Supervisor,
    QueryPairs(q): QueryPairs,
) -> Response {
    let value = |k: &str| esc(field(&q, k).unwrap_or_default());
    let mut b = format!(
        "<form method=\"get\" action=\"/desk/stats\"><fieldset><legend>范围</legend>\
         <label>从 <input type=\"date\" name=\"since\" value=\"{}\"></label> \
         <label>到 <input type=\"date\" name=\"until\" value=\"{}\"></label> \
         <label>事项 id <input type=\"text\" name=\"matter\" value=\"{}\" size=\"16\"></label> \
         <label>窗口 <input type=\"text\" name=\"window\" value=\"{}\" size=\"6\"></label> \
         <label>时间段 <select name=\"period\"><option value=\"month\">按月</option><option value=\"week\"{}>按周</option></select></label> \
         <button>统计</button></fieldset></form>",
        value("since"),
        value("until"),
        value("matter"),
        value("window"),
        if field(&q, "period") == Some("week") {
            " selected"
        } else {
            ""
        }
    );
    let (filter, period) =
        match super::stats::filter(&q).and_then(|f| Ok((f, super::stats::Period::of_query(&q)?))) {
            Ok(f) => f,
            Err(why) => {
                b.push_str(&error_box(&why));
                return html(StatusCode::UNPROCESSABLE_ENTITY, "统计", Some(&s), &b);
            }
        };
    let figures = match app.register.stats(&filter) {
        Ok(f) => f,
        Err(e) => return failed(e, Some(&s)),
    };
    let query: String = q
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| format!("{}={}", url(k), url(v)))
        .collect::<Vec<_>>()
        .join("&amp;");
    let (windows, periods) = match app.register.list(&filter, Paging::All) {
        Ok(page) => {
            let ok: Vec<_> = page.items.into_iter().filter_map(Result::ok).collect();
            (
                super::stats::windows_body(&super::stats::by_window(&ok)),
                super::stats::periods_body(&super::stats::by_period(&ok, period), period, &query),
            )
        }
        Err(e) => return failed(e, Some(&s)),
    };
    b.push_str(&format!(
        "<p><a href=\"/desk/stats.csv?{query}\">下载 CSV（各事项和材料）</a></p>{}{periods}{windows}",
        super::stats::body(&figures)
    ));
    html(StatusCode::OK, "统计", Some(&s), &b)
}

pub async fn stats_csv(
    State(app): State<Arc<App>>,
    Supervisor(s): Supervisor,
    QueryPairs(q): QueryPairs,
) -> Response {
    let filter = match super::stats::filter(&q) {
        Ok(f) => f,
        Err(why) => return refused(StatusCode::UNPROCESSABLE_ENTITY, &why, Some(&s)),
    };
    match app.register.stats(&filter) {
        Ok(f) => guard(
            (
                StatusCode::OK,
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                    (
                        header::CONTENT_DISPOSITION,
                        "attachment; filename=\"stats.csv\"",
                    ),
                ],
                super::stats::csv(&f),
            )
                .into_response(),
        ),
        Err(e) => failed(e, Some(&s)),
    }
}

/// The series by month or week as CSV, for the same filter as the page.
pub async fn stats_periods_csv(
    State(app): State<Arc<App>>,
    Supervisor(s): Supervisor,
    QueryPairs(q): QueryPairs,
) -> Response {
    let (filter, period) =
        match super::stats::filter(&q).and_then(|f| Ok((f, super::stats::Period::of_query(&q)?))) {
            Ok(f) => f,
            Err(why) => return refused(StatusCode::UNPROCESSABLE_ENTITY, &why, Some(&s)),
        };
    match app.register.list(&filter, Paging::All) {
        Ok(page) => {
            let ok: Vec<_> = page.items.into_iter().filter_map(Result::ok).collect();
            guard(
                (
                    StatusCode::OK,
                    [
                        (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                        (
                            header::CONTENT_DISPOSITION,
                            "attachment; filename=\"stats-periods.csv\"",
                        ),
                    ],
                    super::stats::periods_csv(&super::stats::by_period(&ok, period), period),
                )
                    .into_response(),
            )
        }
        Err(e) => failed(e, Some(&s)),
    }
}

/// Notices shown on one page of a search of the register.
const SEARCH_PAGE: u32 = 100;

pub async fn search(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Clerk(s): Clerk,
    QueryPairs(q): QueryPairs,
) -> Response {
    let mut filter = match super::stats::filter(&q) {
        Ok(f) => f,
        Err(why) => {
            return refused(StatusCode::UNPROCESSABLE_ENTITY, &why, Some(&s));
        }
    };
    filter.text = given(&q, "text");
    if filter.text.is_none() && filter.since.is_none() && filter.until.is_none() {
        return refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            "请写申请人的姓名或电话（或其中几个字），或者日期范围",
            Some(&s),
        );
    }
    let address = app.address(peer, &headers);
    let subject = [
        filter.text.as_deref().map(|t| format!("姓名或电话含“{t}”")),
        filter.since.as_deref().map(|d| format!("从 {d}")),
        filter.until.as_deref().map(|d| format!("到 {d}")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("，");
    if let Err(e) = app.audit(&s.account.name, "查询登记簿", &subject, &address) {
        return failed(e, Some(&s));
    }
    let page = match app.register.list(
        &filter,
        Paging::Page {
            index: 1,
            size: SEARCH_PAGE,
        },
    ) {
        Ok(p) => p,
        Err(e) => return failed(e, Some(&s)),
    };
    let mut b = format!("{SEARCH_FORMS}<p>{}：共 {} 张", esc(&subject), page.total);
    if page.total > u64::from(SEARCH_PAGE) {
        b.push_str(&format!("，只列出最早的 {SEARCH_PAGE} 张，请缩小范围"));
    }
    b.push_str("</p><table><tr><th>编号</th><th>告知时间</th><th>事项</th><th>申请人</th><th>电话</th><th>来办结果</th></tr>");
    for item in page.items {
        match item {
            Ok(n) => {
                let r = &n.notice.record;
                b.push_str(&format!(
                    "<tr><td><a href=\"/desk/notice/{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    url(&n.notice.number),
                    esc(&n.notice.number),
                    esc(&r.issued_at),
                    esc(&r.matter_name),
                    esc(&r.applicant),
                    esc(r.phone.as_deref().unwrap_or_default()),
                    n.outcome.map_or("", Outcome::word)
                ));
            }
            Err(e) => b.push_str(&format!(
                "<tr><td colspan=\"6\">{}</td></tr>",
                esc(&e.to_string())
            )),
        }
    }
    b.push_str("</table>");
    html(StatusCode::OK, "查登记簿", Some(&s), &b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scanned_desk_code_gives_the_short_key_or_the_whole_number_of_a_hall() {
        let desk = Some("https://hall.example.gov.cn/");
        assert_eq!(
            scanned("https://hall.example.gov.cn/desk/n/2026-17", desk, None),
            Ok(Some("2026-17".to_owned()))
        );
        // A hall's own sequence: the code carries the whole number.
        let number = "乌政服告〔2026〕东区17号";
        let link = format!(
            "https://hall.example.gov.cn{}",
            crate::present::desk_notice_path(2026, 17, Some(number))
        );
        assert!(link.is_ascii(), "{link}");
        assert_eq!(scanned(&link, desk, None), Ok(Some(number.to_owned())));
        // Not a notice: a path below it, or an undecodable key.
        assert!(scanned("https://hall.example.gov.cn/desk/n/a%2Fb", desk, None).is_err());
        assert!(scanned("https://hall.example.gov.cn/desk/n/%FF", desk, None).is_err());
        assert!(scanned("https://other.example/desk/n/2026-17", desk, None).is_err());
    }

    use crate::register::{Creation, NewNotice, Register, SqliteRegister};

    #[test]
    fn the_latest_notices_are_the_newest_n_oldest_first() {
        let dir = tempfile::tempdir().unwrap();
        let (r, _) =
            SqliteRegister::open_for_issue(&dir.path().join("n.db"), Creation::Asked, |_| {})
                .unwrap();
        let record = NewNotice {
            year: 2026,
            matter_id: "passport".into(),
            matter_name: "普通护照签发".into(),
            edition: "0".into(),
            applicant: "张三".into(),
            phone: None,
            clerk: None,
            window: Some("B12".into()),
            situations: vec![],
            missing: vec![],
            defects: vec![],
            issued_at: "2026-06-01 10:00:00".into(),
            hall: None,
            sequence: String::new(),
        };
        let numbers = |v: Vec<Result<crate::register::Summary, RegisterError>>| -> Vec<u32> {
            v.into_iter().map(|s| s.unwrap().notice.seq).collect()
        };
        let filter = Filter::default();
        assert!(latest(&r, &filter, 20).unwrap().is_empty());
        for total in 1..=45u32 {
            r.issue(record.clone(), &|seq| format!("{seq}号"), &mut |_| {
                Ok(b"%PDF-1.7".to_vec())
            })
            .unwrap();
            let want: Vec<u32> = (total.saturating_sub(20) + 1..=total).collect();
            assert_eq!(numbers(latest(&r, &filter, 20).unwrap()), want, "{total}");
        }
    }
}
