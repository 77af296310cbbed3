//! The public site from memory: exactly the files of `guide build`'s
//! `site/`, nothing else (no register, no desk, no citizen's data).

use super::Live;
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

pub async fn serve(State(app): State<Arc<Live>>, method: Method, uri: Uri) -> Response {
    file(&app, method, uri, false)
}

/// `guide serve --preview`: the site, each page reloading itself when the
/// data changes.
pub async fn preview(State(app): State<Arc<Live>>, method: Method, uri: Uri) -> Response {
    file(&app, method, uri, true)
}

/// Which snapshot is served, for the preview's pages to compare.
pub async fn version(State(app): State<Arc<Live>>) -> Response {
    (
        [(header::CACHE_CONTROL, "no-store")],
        app.version().to_string(),
    )
        .into_response()
}

/// Asks the server every second which data it serves, and reloads the
/// page when that changed.
const RELOAD: &str = "<script>(function(){var v=null;setInterval(function(){\
fetch('/__preview/version',{cache:'no-store'}).then(function(r){return r.text()}).then(function(t){\
if(v===null){v=t}else if(t!==v){location.reload()}}).catch(function(){})},1000)})();</script>";

fn file(app: &Live, method: Method, uri: Uri, preview: bool) -> Response {
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
    let mut bytes = bytes.clone();
    if preview && path.ends_with(".html") {
        let text = String::from_utf8_lossy(&bytes);
        let at = text.rfind("</body>").unwrap_or(text.len());
        bytes = format!("{}{RELOAD}{}", &text[..at], &text[at..]).into_bytes();
    }
    let body = if method == Method::HEAD {
        Body::empty()
    } else {
        Body::from(bytes)
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
