//! The public site from memory: exactly the files of `guide build`'s
//! `site/`, nothing else (no register, no desk, no citizen's data).

use super::App;
use axum::body::Body;
use axum::extract::State;
use axum::http::{Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// The content type of a file of the site, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "svg" => "image/svg+xml",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

pub async fn serve(State(app): State<Arc<App>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, "不支持这种请求方式").into_response();
    }
    let data = app.data();
    // The path as the site's files are named: decoded, no leading slash,
    // a folder's index.
    let raw = uri.path().trim_start_matches('/');
    let mut path = percent_decode(raw).unwrap_or_default();
    if path.is_empty() || path.ends_with('/') {
        path.push_str("index.html");
    }
    let (status, path) = if data.site.contains_key(&path) {
        (StatusCode::OK, path)
    } else {
        (StatusCode::NOT_FOUND, "404.html".to_owned())
    };
    let Some(bytes) = data.site.get(&path) else {
        return (StatusCode::NOT_FOUND, "没有这个页面").into_response();
    };
    let body = if method == Method::HEAD {
        Body::empty()
    } else {
        Body::from(bytes.clone())
    };
    (
        status,
        [
            (header::CONTENT_TYPE, content_type(&path)),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        body,
    )
        .into_response()
}

/// `%XX`-decoded UTF-8, or `None`.
pub fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let h = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(h, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}
