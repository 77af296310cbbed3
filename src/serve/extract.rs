//! The request's form, query and path segment, each refused in Chinese
//! when it cannot be read (axum's own refusals are in English).

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};

/// Name–value pairs in order, repeated names kept (a form or a query).
pub type Pairs = Vec<(String, String)>;

fn refused(status: StatusCode, message: &str) -> Response {
    (
        status,
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; charset=utf-8",
        )],
        message.to_owned(),
    )
        .into_response()
}

/// A posted form (`application/x-www-form-urlencoded`).
pub struct Fields(pub Pairs);

impl<S: Send + Sync> FromRequest<S> for Fields {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Form::<Pairs>::from_request(req, state).await {
            Ok(axum::extract::Form(v)) => Ok(Fields(v)),
            Err(e) => Err(refused(
                e.status(),
                "提交的内容不是网页表单（应为 application/x-www-form-urlencoded），或太大；请从工作台的页面提交",
            )),
        }
    }
}

/// The query string.
pub struct QueryPairs(pub Pairs);

impl<S: Send + Sync> FromRequestParts<S> for QueryPairs {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<Pairs>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(QueryPairs(v)),
            Err(e) => Err(refused(e.status(), "网址里的查询参数无法读取")),
        }
    }
}

/// The one variable segment of the route (a matter id, a notice number).
pub struct Segment(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Segment {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<String>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Segment(v)),
            Err(e) => Err(refused(
                e.status(),
                "网址无法读取（编号或事项 id 不是有效的 UTF-8 文字）",
            )),
        }
    }
}
