//! The JSON API for queue and case systems: `POST /api/notices` issues a
//! notice through the same [`crate::notice::issue`] as the desk and the
//! command line, `GET /api/notices/NUMBER` says what it told and how its
//! visits stand, `GET /api/notices/NUMBER/pdf` gives its archived PDF.
//! Each client has its own bearer token (`guide serve token add NAME`);
//! every call is in the audit log as `api:NAME`.

// A refusal is the handler's response, returned early: boxing it would
// only move it to the heap once per refused request.
#![allow(clippy::result_large_err)]

use super::extract::Segment;
use super::{App, auth};
use crate::notice::{Kind, NoticeError, Request, Target};
use crate::register::{Notice, RegisterError, Told, Visit};
use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::sync::Arc;

fn json(status: StatusCode, body: &impl Serialize) -> Response {
    let text = serde_json::to_string_pretty(body).unwrap_or_else(|_| "{}".into());
    (
        status,
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        text + "\n",
    )
        .into_response()
}

fn error(status: StatusCode, message: &str) -> Response {
    #[derive(Serialize)]
    struct E<'a> {
        error: &'a str,
    }
    json(status, &E { error: message })
}

/// The client whose bearer token the request carries.
fn client(app: &App, headers: &HeaderMap) -> Result<String, Response> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let found = match token {
        Some(t) => app.register.client(&auth::digest(t)),
        None => Ok(None),
    };
    match found {
        Ok(Some(name)) => Ok(format!("api:{name}")),
        Ok(None) => {
            let mut r = error(
                StatusCode::UNAUTHORIZED,
                "缺少或无效的接口令牌：请在请求头写 Authorization: Bearer 令牌（令牌由 guide serve token add 生成）",
            );
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
            Err(r)
        }
        Err(e) => Err(error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string())),
    }
}

fn status_of(e: &NoticeError) -> StatusCode {
    match e.kind() {
        Kind::NotFound => StatusCode::NOT_FOUND,
        Kind::Usage => StatusCode::UNPROCESSABLE_ENTITY,
        Kind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn register_status(e: &RegisterError) -> StatusCode {
    match e {
        RegisterError::NotFound { .. } | RegisterError::Ambiguous { .. } => StatusCode::NOT_FOUND,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// A defective material and why, as the API takes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Defect {
    material: String,
    reason: String,
}

/// The body of `POST /api/notices`: the fields of `guide notice`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewNoticeBody {
    matter: String,
    #[serde(default)]
    situations: Vec<String>,
    #[serde(default)]
    members: Vec<String>,
    #[serde(default)]
    missing: Vec<String>,
    #[serde(default)]
    defects: Vec<Defect>,
    applicant: String,
    phone: Option<String>,
    window: Option<String>,
    clerk: Option<String>,
    received: Option<String>,
}

#[derive(Serialize)]
struct VisitOut<'a> {
    at: &'a str,
    outcome: &'static str,
    brought: &'a [String],
    clerk: Option<&'a str>,
    window: Option<&'a str>,
}

/// A notice as the API shows it.
#[derive(Serialize)]
struct NoticeOut<'a> {
    number: &'a str,
    matter_id: &'a str,
    matter_name: &'a str,
    /// The data edition the notice was made from.
    edition: &'a str,
    issued_at: &'a str,
    applicant: &'a str,
    phone: Option<&'a str>,
    clerk: Option<&'a str>,
    window: Option<&'a str>,
    situations: &'a [String],
    missing: &'a [Told],
    defects: &'a [Told],
    visits: Vec<VisitOut<'a>>,
    /// Told materials not brought yet.
    outstanding: Vec<&'a str>,
    pdf: String,
}

fn shown<'a>(n: &'a Notice, visits: &'a [Visit]) -> NoticeOut<'a> {
    let r = &n.record;
    NoticeOut {
        number: &n.number,
        matter_id: &r.matter_id,
        matter_name: &r.matter_name,
        edition: &r.edition,
        issued_at: &r.issued_at,
        applicant: &r.applicant,
        phone: r.phone.as_deref(),
        clerk: r.clerk.as_deref(),
        window: r.window.as_deref(),
        situations: &r.situations,
        missing: &r.missing,
        defects: &r.defects,
        visits: visits
            .iter()
            .map(|v| VisitOut {
                at: &v.record.at,
                outcome: v.record.outcome.word(),
                brought: &v.record.brought,
                clerk: v.record.clerk.as_deref(),
                window: v.record.window.as_deref(),
            })
            .collect(),
        outstanding: crate::notice::outstanding(n, visits)
            .into_iter()
            .map(|t| t.name.as_str())
            .collect(),
        pdf: format!("/api/notices/{}/pdf", super::html::url(&n.number)),
    }
}

pub async fn create(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let who = match client(&app, &headers) {
        Ok(w) => w,
        Err(r) => return r,
    };
    let body: NewNoticeBody = match serde_json::from_slice(&body) {
        Ok(b) => b,
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                &format!(
                    "请求体应是 JSON 对象，含 matter、applicant，以及 missing 或 defects（{e}）"
                ),
            );
        }
    };
    if body.missing.is_empty() && body.defects.is_empty() {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "missing 和 defects 都是空的：材料齐全时不出具一次性告知单",
        );
    }
    let req = Request {
        matter: body.matter,
        situations: body.situations,
        members: body.members,
        missing: body.missing,
        defects: body
            .defects
            .into_iter()
            .map(|d| (d.material, d.reason))
            .collect(),
        applicant: body.applicant,
        phone: body.phone.filter(|p| !p.trim().is_empty()),
        window: body.window,
        clerk: body.clerk,
        received: body.received,
        hall: app.options.hall.clone(),
        target: Target::Bytes,
        protect: Vec::new(),
    };
    let issued = {
        let app = app.clone();
        tokio::task::spawn_blocking(move || app.issue(&req)).await
    };
    let done = match issued {
        Ok(Ok(done)) => done,
        Ok(Err(e)) => return error(status_of(&e), &e.to_string()),
        Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    };
    let address = app.address(peer, &headers);
    if let Err(e) = app.audit(&who, "出具", &done.notice.number, &address) {
        return error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string());
    }
    let mut r = json(StatusCode::CREATED, &shown(&done.notice, &[]));
    if let Ok(v) = axum::http::HeaderValue::from_str(&format!(
        "/api/notices/{}",
        super::html::url(&done.notice.number)
    )) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// A notice the client names, with what `fetch` reads of it, the reading
/// audited as `action`: the one path of both GETs.
fn audited<T>(
    app: &App,
    peer: SocketAddr,
    headers: &HeaderMap,
    number: &str,
    action: &str,
    fetch: impl FnOnce(&App, &str) -> Result<T, crate::register::RegisterError>,
) -> Result<(T, crate::register::Notice), Response> {
    let who = client(app, headers)?;
    let found = app
        .register
        .find(number)
        .and_then(|n| Ok((fetch(app, &n.number)?, n)));
    let (x, n) = found.map_err(|e| error(register_status(&e), &e.to_string()))?;
    let address = app.address(peer, headers);
    app.audit(&who, action, &n.number, &address)
        .map_err(|e| error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()))?;
    Ok((x, n))
}

pub async fn get(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Segment(number): Segment,
) -> Response {
    match audited(&app, peer, &headers, &number, "查看", |a, n| {
        a.register.visits(n)
    }) {
        Ok((visits, n)) => json(StatusCode::OK, &shown(&n, &visits)),
        Err(r) => r,
    }
}

pub async fn pdf(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Segment(number): Segment,
) -> Response {
    let pdf = match audited(&app, peer, &headers, &number, "重印", |a, n| {
        a.register.pdf(n)
    }) {
        Ok((pdf, _)) => pdf,
        Err(r) => return r,
    };
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/pdf"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        pdf,
    )
        .into_response()
}
