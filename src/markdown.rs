//! The one place that configures pulldown-cmark. Raw HTML in the data is never
//! passed through: the event filter turns it into text, and `guide check`
//! warns about it.

use pulldown_cmark::{Event, Options, Parser};

fn options() -> Options {
    Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES
}

/// Opens and closes bold: stands in for a `**` pair before parsing.
pub const BOLD_ON: char = '\u{E000}';
pub const BOLD_OFF: char = '\u{E001}';

/// CommonMark does not see `**“出生一件事”**` as bold: a delimiter between a
/// Chinese character and punctuation is not "flanking". Authors mean bold, so
/// each `**…**` pair within a line becomes a pair of markers that the event
/// filters turn into bold.
fn cjk_strong(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("**") {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let parts: Vec<&str> = line.split("**").collect();
        let pairs = (parts.len() - 1) / 2;
        for (k, part) in parts.iter().enumerate() {
            if k > 0 {
                if k <= pairs * 2 {
                    out.push(if k % 2 == 1 { BOLD_ON } else { BOLD_OFF });
                } else {
                    out.push_str("**");
                }
            }
            out.push_str(part);
        }
    }
    out.into()
}

/// Markdown events with every piece of raw HTML turned into plain text, and
/// `**` pairs as bold markers inside text (see [`cjk_strong`]).
pub fn events(text: &str) -> impl Iterator<Item = Event<'static>> {
    let text = cjk_strong(text).into_owned();
    Parser::new_ext(&text, options())
        .map(|e| match e {
            Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
            other => other,
        })
        .map(Event::into_static)
        .collect::<Vec<_>>()
        .into_iter()
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
            Event::Text(t) | Event::Code(t) => {
                out.extend(t.chars().filter(|c| *c != BOLD_ON && *c != BOLD_OFF));
            }
            Event::SoftBreak => {}
            Event::HardBreak => out.push('\n'),
            Event::End(pulldown_cmark::TagEnd::Paragraph)
            | Event::End(pulldown_cmark::TagEnd::Item) => out.push('\n'),
            _ => {}
        }
    }
    out.trim_end().to_owned()
}

/// Whether a link target may become a link, on the site and in every PDF:
/// web, mail and phone links only; never `javascript:`, `data:`, `file:`
/// or a relative path (which points nowhere on paper, and elsewhere on
/// every page of the site). Anything else is printed as text, and `guide
/// check` warns.
pub fn safe_url(url: &str) -> bool {
    let u = url.trim().to_ascii_lowercase();
    match u.find(':') {
        Some(i) => matches!(&u[..i], "http" | "https" | "mailto" | "tel") && u.len() > i + 1,
        None => false,
    }
}

/// Every link target written in Markdown `text`, in order.
pub fn links(text: &str) -> Vec<String> {
    if !text.contains("](") && !text.contains('<') && !text.contains("]:") {
        return Vec::new();
    }
    Parser::new_ext(text, options())
        .filter_map(|e| match e {
            Event::Start(pulldown_cmark::Tag::Link { dest_url, .. }) => Some(dest_url.to_string()),
            _ => None,
        })
        .collect()
}

/// Markdown → HTML: raw HTML escaped, unsafe links dropped, `**` pairs bold.
pub fn html(text: &str) -> String {
    use pulldown_cmark::{CowStr, Tag};
    let events = events(text).map(|e| match e {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if !safe_url(&dest_url) => Event::Start(Tag::Link {
            link_type,
            dest_url: CowStr::from("#"),
            title,
            id,
        }),
        Event::Start(Tag::Image { .. }) => Event::Text(CowStr::from("")),
        Event::End(pulldown_cmark::TagEnd::Image) => Event::Text(CowStr::from("")),
        other => other,
    });
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, events);
    out.replace(BOLD_ON, "<strong>")
        .replace(BOLD_OFF, "</strong>")
}

/// A run of inline text with its formatting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inline {
    pub text: String,
    pub bold: bool,
    pub link: Option<String>,
}

/// A block of Markdown as print layout needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    Paragraph(Vec<Inline>),
    /// A list item: its number (ordered lists) and nesting depth (0 = top).
    Item {
        number: Option<u64>,
        depth: usize,
        inlines: Vec<Inline>,
    },
}

/// Markdown → paragraphs and list items of formatted runs (raw HTML as text).
pub fn blocks(text: &str) -> Vec<Block> {
    use pulldown_cmark::{Tag, TagEnd};
    let mut out = Vec::new();
    let mut current: Vec<Inline> = Vec::new();
    let mut bold = 0usize;
    let mut link: Option<String> = None;
    // (next number, if ordered) per open list
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut item: Option<Option<u64>> = None;
    let push_text = |current: &mut Vec<Inline>, t: &str, bold: bool, link: &Option<String>| {
        if let Some(last) = current.last_mut()
            && last.bold == bold
            && &last.link == link
        {
            last.text.push_str(t);
            return;
        }
        current.push(Inline {
            text: t.to_owned(),
            bold,
            link: link.clone(),
        });
    };
    let flush = |out: &mut Vec<Block>,
                 current: &mut Vec<Inline>,
                 item: &Option<Option<u64>>,
                 depth: usize| {
        if current.iter().all(|i| i.text.trim().is_empty()) {
            current.clear();
            return;
        }
        let inlines = std::mem::take(current);
        out.push(match item {
            Some(number) => Block::Item {
                number: *number,
                depth,
                inlines,
            },
            None => Block::Paragraph(inlines),
        });
    };
    for e in events(text) {
        match e {
            Event::Start(Tag::Strong) => bold += 1,
            Event::End(TagEnd::Strong) => bold = bold.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. }) => link = Some(dest_url.to_string()),
            Event::End(TagEnd::Link) => link = None,
            Event::Start(Tag::List(start)) => {
                flush(&mut out, &mut current, &item, lists.len().saturating_sub(1));
                lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                flush(&mut out, &mut current, &item, lists.len().saturating_sub(1));
                lists.pop();
                item = None;
            }
            Event::Start(Tag::Item) => {
                flush(&mut out, &mut current, &item, lists.len().saturating_sub(1));
                let n = lists.last_mut().and_then(|n| {
                    let v = *n;
                    if let Some(x) = n {
                        *x += 1;
                    }
                    v
                });
                item = Some(n);
            }
            Event::End(TagEnd::Item) => {
                flush(&mut out, &mut current, &item, lists.len().saturating_sub(1));
                item = None;
            }
            Event::End(TagEnd::Paragraph) | Event::End(TagEnd::Heading(_)) => {
                flush(&mut out, &mut current, &item, lists.len().saturating_sub(1));
            }
            Event::Text(t) | Event::Code(t) => {
                // Bold markers from `cjk_strong` toggle bold inside the text.
                let mut piece = String::new();
                for c in t.chars() {
                    if c == BOLD_ON || c == BOLD_OFF {
                        if !piece.is_empty() {
                            push_text(&mut current, &piece, bold > 0, &link);
                            piece.clear();
                        }
                        if c == BOLD_ON {
                            bold += 1;
                        } else {
                            bold = bold.saturating_sub(1);
                        }
                    } else {
                        piece.push(c);
                    }
                }
                if !piece.is_empty() {
                    push_text(&mut current, &piece, bold > 0, &link);
                }
            }
            Event::HardBreak => push_text(&mut current, "\n", bold > 0, &link),
            Event::SoftBreak => {
                // Chinese text joins lines without a space; Latin keeps one.
                let prev_latin = current
                    .last()
                    .and_then(|i| i.text.chars().last())
                    .is_some_and(|c| c.is_ascii_alphanumeric());
                if prev_latin {
                    push_text(&mut current, " ", bold > 0, &link);
                }
            }
            _ => {}
        }
    }
    flush(&mut out, &mut current, &item, 0);
    out
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

    fn inline(text: &str, bold: bool, link: Option<&str>) -> Inline {
        Inline {
            text: text.into(),
            bold,
            link: link.map(Into::into),
        }
    }

    #[test]
    fn blocks_keep_bold_links_and_list_numbers() {
        let b = blocks("带**原件**，见[网站](https://x.cn)。\n\n1. 第一\n2. 第二\n\n- 甲");
        assert_eq!(
            b[0],
            Block::Paragraph(vec![
                inline("带", false, None),
                inline("原件", true, None),
                inline("，见", false, None),
                inline("网站", false, Some("https://x.cn")),
                inline("。", false, None),
            ])
        );
        assert!(matches!(
            &b[1],
            Block::Item {
                number: Some(1),
                depth: 0,
                ..
            }
        ));
        assert!(matches!(
            &b[2],
            Block::Item {
                number: Some(2),
                ..
            }
        ));
        assert!(matches!(&b[3], Block::Item { number: None, .. }));
        assert_eq!(b.len(), 4);
    }

    #[test]
    fn html_escapes_raw_html_and_drops_script_links() {
        let h = html("<script>alert(1)</script>");
        assert!(!h.contains("<script"), "{h}");
        assert!(h.contains("&lt;script&gt;"), "{h}");
        let h = html("请[点我](javascript:alert(1))看 **“办”**");
        assert!(h.contains("href=\"#\""), "{h}");
        assert!(h.contains("<strong>“办”</strong>"), "{h}");
        assert!(safe_url("https://x.cn") && safe_url("tel:12345") && safe_url("MAILTO:a@b.cn"));
        assert!(!safe_url(" JavaScript:x") && !safe_url("file:///etc/passwd"));
        assert!(!safe_url("../a.html") && !safe_url("data:text/html,x") && !safe_url("https:"));
        assert_eq!(
            links("见[网站](https://a.cn)和[这里](file:///x)"),
            ["https://a.cn", "file:///x"]
        );
    }

    #[test]
    fn bold_next_to_chinese_punctuation_is_bold() {
        assert_eq!(
            blocks("本中心推行**“出生一件事”**联办"),
            vec![Block::Paragraph(vec![
                inline("本中心推行", false, None),
                inline("“出生一件事”", true, None),
                inline("联办", false, None),
            ])]
        );
        assert_eq!(plain("带**原件**"), "带原件");
    }
}
