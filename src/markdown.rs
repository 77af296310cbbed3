//! The one place that configures pulldown-cmark. Raw HTML in the data is never
//! passed through: the event filter turns it into text, and `guide check`
//! warns about it.

use pulldown_cmark::{Event, Options, Parser};

fn options() -> Options {
    Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES
}

/// Markdown events with every piece of raw HTML turned into plain text.
pub fn events(text: &str) -> impl Iterator<Item = Event<'_>> {
    Parser::new_ext(text, options()).map(|e| match e {
        Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
        other => other,
    })
}

/// The first piece of raw HTML in `text`, if any.
pub fn raw_html(text: &str) -> Option<String> {
    if !text.contains('<') {
        return None;
    }
    Parser::new_ext(text, options()).find_map(|e| match e {
        Event::Html(h) | Event::InlineHtml(h) => Some(h.trim().to_owned()),
        _ => None,
    })
}

/// The text content of Markdown, formatting dropped (for the terminal and
/// search).
pub fn plain(text: &str) -> String {
    let mut out = String::new();
    for e in events(text) {
        match e {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak => {}
            Event::HardBreak => out.push('\n'),
            Event::End(pulldown_cmark::TagEnd::Paragraph)
            | Event::End(pulldown_cmark::TagEnd::Item) => out.push('\n'),
            _ => {}
        }
    }
    out.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_found_and_escaped_to_text() {
        assert_eq!(raw_html("带<b>原件</b>"), Some("<b>".to_owned()));
        assert_eq!(raw_html("不少于 3 < 5"), None);
        assert_eq!(
            plain("<script>alert(1)</script>"),
            "<script>alert(1)</script>"
        );
    }
}
