//! The desk's HTML: escaping, URL encoding, and the page every screen of
//! the desk is drawn in (Chinese, no external assets, usable by keyboard:
//! plain forms, labels on every field, the first field focused).

use crate::register::{Account, Role};

/// `s` safe inside HTML text and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// `s` as one segment of a URL path or a query value.
pub use crate::present::url_segment as url;

const STYLE: &str = "
body{font-family:system-ui,'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:0;color:#222;background:#f6f6f4}
header{background:#1d4e89;color:#fff;padding:.5em 1em;display:flex;gap:1em;align-items:center;flex-wrap:wrap}
header a,header button{color:#fff;background:none;border:0;font:inherit;cursor:pointer;text-decoration:underline}
header .who{margin-left:auto}
main{max-width:60em;margin:1em auto;padding:0 1em}
fieldset{border:1px solid #bbb;margin:1em 0;padding:.5em 1em;background:#fff}
label{display:inline-block;margin:.2em 0}
input[type=text],input[type=password],input[type=search],input[type=tel],input[type=date]{font-size:1.1em;padding:.2em}
button,input[type=submit]{font-size:1.1em;padding:.3em 1em}
:focus{outline:3px solid #f5a623;outline-offset:2px}
.error{background:#fde8e8;border-left:4px solid #c00;padding:.5em 1em;white-space:pre-wrap}
.ok{background:#e8f6e8;border-left:4px solid #080;padding:.5em 1em}
.number{font-size:3em;font-weight:bold;letter-spacing:.05em;margin:.3em 0}
table{border-collapse:collapse;background:#fff}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}
.req{color:#555;font-size:.9em}
iframe{width:100%;height:40em;border:1px solid #bbb}
";

/// A whole page of the desk: `title`, the navigation when someone is
/// logged in (with the logout form and its CSRF token), and `body`.
pub fn page(title: &str, who: Option<(&Account, &str)>, body: &str) -> String {
    let mut nav = String::new();
    if let Some((a, csrf)) = who {
        nav.push_str("<a href=\"/desk/\" accesskey=\"h\">首页</a>");
        if a.role == Role::Supervisor {
            nav.push_str(
                "<a href=\"/desk/stats\">统计</a><a href=\"/desk/audit\">审计日志</a><a href=\"/desk/status\">数据状态</a>",
            );
        }
        nav.push_str(&format!(
            "<span class=\"who\">{}（{}{}）</span>\
             <form method=\"post\" action=\"/desk/logout\"><input type=\"hidden\" name=\"csrf\" value=\"{}\"><button>退出</button></form>",
            esc(&a.name),
            a.role.label(),
            a.window
                .as_deref()
                .map(|w| format!("，窗口 {}", esc(w)))
                .unwrap_or_default(),
            esc(csrf)
        ));
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} · 窗口工作台</title><style>{STYLE}</style></head>\
         <body><header><strong>窗口工作台</strong>{nav}</header><main>\n<h1>{}</h1>\n{body}\n</main></body></html>\n",
        esc(title),
        esc(title)
    )
}

/// A message box: an error, shown with its line breaks.
pub fn error_box(message: &str) -> String {
    format!("<p class=\"error\" role=\"alert\">{}</p>", esc(message))
}

/// The hidden CSRF field of every form that posts.
pub fn csrf_field(csrf: &str) -> String {
    format!(
        "<input type=\"hidden\" name=\"csrf\" value=\"{}\">",
        esc(csrf)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_a_name_is_shown_not_run() {
        assert_eq!(esc("<b>\"张&三'"), "&lt;b&gt;&quot;张&amp;三&#39;");
    }

    #[test]
    fn a_number_is_one_url_segment() {
        assert_eq!(
            url("乌政服告〔2026〕1号/2"),
            "%E4%B9%8C%E6%94%BF%E6%9C%8D%E5%91%8A%E3%80%942026%E3%80%951%E5%8F%B7%2F2"
        );
    }
}
