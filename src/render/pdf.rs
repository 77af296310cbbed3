//! The thin PDF backend: positioned glyph runs and shapes → printpdf ops.
//! Deterministic: our own resource ids, dates from the document, a nested
//! outline written through lopdf, and a trailer `/ID` that is a hash of the
//! file itself (printpdf would take ids from a process-wide counter).

use crate::hash::fnv1a64;
use crate::layout::font::FontSet;
use crate::layout::{Document, Extra, Face, Item, LinkTarget, Rgb, Shaped, Stroke};
use anyhow::{Context, Result};
use printpdf::{
    Actions, BorderArray, Codepoint, Color, ColorArray, Destination, FontId, HighlightingMode,
    Line, LineDashPattern, LinePoint, LinkAnnotation, Mm, Op, PaintMode, PdfDocument, PdfFont,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect, TextItem, TextMatrix,
};
use std::collections::HashMap;

const REGULAR_ID: &str = "GUIDER";
const BOLD_ID: &str = "GUIDEB";

fn color(c: Rgb) -> Color {
    Color::Rgb(printpdf::Rgb::new(c.0, c.1, c.2, None))
}

fn font_id(face: Face) -> FontId {
    FontId(
        match face {
            Face::Regular => REGULAR_ID,
            Face::Bold => BOLD_ID,
        }
        .to_owned(),
    )
}

/// The resource id of an extra font (scripts, rare characters).
fn extra_id(font: Extra) -> FontId {
    // Six letters, like the others: the writer takes them as the subset tag.
    FontId(format!("GUIDX{}", char::from(b'A' + font as u8)))
}

/// The extra fonts `doc` draws with, in a stable order.
fn extras_used(doc: &Document) -> std::collections::BTreeSet<Extra> {
    doc.pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            Item::Text(r) => r.shaped.as_ref().map(|s| s.font),
            _ => None,
        })
        .collect()
}

/// The text each glyph stands for (for ToUnicode): a cluster's characters
/// one per glyph when the counts agree, else all on its first glyph.
fn glyph_texts<'a>(text: &'a str, shaped: &Shaped) -> Vec<Option<&'a str>> {
    let mut out = vec![None; shaped.glyphs.len()];
    let mut i = 0;
    while i < shaped.glyphs.len() {
        let range = shaped.glyphs[i].text.clone();
        let mut j = i;
        while j < shaped.glyphs.len() && shaped.glyphs[j].text == range {
            j += 1;
        }
        let mut members: Vec<usize> = (i..j).collect();
        if shaped.rtl {
            members.reverse();
        }
        let cluster = text.get(range).unwrap_or("");
        let chars: Vec<(usize, char)> = cluster.char_indices().collect();
        if chars.len() == members.len() {
            for (k, &(at, ch)) in members.iter().zip(&chars) {
                out[*k] = cluster.get(at..at + ch.len_utf8());
            }
        } else if let Some(&first) = members.first() {
            out[first] = Some(cluster);
        }
        i = j;
    }
    out
}

/// A shaped run: every glyph placed on its own (marks and stacks carry
/// offsets a plain glyph string cannot express), each with its text.
fn shaped_ops(ops: &mut Vec<Op>, run: &crate::layout::GlyphRun, shaped: &Shaped, h: f32) {
    ops.push(Op::StartTextSection);
    ops.push(Op::SetFont {
        font: PdfFontHandle::External(extra_id(shaped.font)),
        size: Pt(run.size),
    });
    ops.push(Op::SetFillColor {
        col: color(run.color),
    });
    ops.push(Op::SetCharacterSpacing { multiplier: 0.0 });
    let texts = glyph_texts(&run.text, shaped);
    let mut pen = run.x;
    for (g, t) in shaped.glyphs.iter().zip(texts) {
        ops.push(Op::SetTextMatrix {
            matrix: TextMatrix::Translate(Pt(pen + g.dx), Pt(h - run.y + g.dy)),
        });
        ops.push(Op::ShowText {
            items: vec![TextItem::GlyphIds(vec![Codepoint {
                gid: g.id,
                offset: 0.0,
                cid: t.map(str::to_owned),
            }])],
        });
        pen += g.advance;
    }
    ops.push(Op::EndTextSection);
}

fn point(x: f32, y: f32) -> LinePoint {
    LinePoint {
        p: Point { x: Pt(x), y: Pt(y) },
        bezier: false,
    }
}

fn stroke_ops(ops: &mut Vec<Op>, s: &Stroke) {
    ops.push(Op::SetOutlineColor {
        col: color(s.color),
    });
    ops.push(Op::SetOutlineThickness { pt: Pt(s.width) });
    ops.push(Op::SetLineDashPattern {
        dash: match s.dash {
            Some((on, off)) => LineDashPattern::new(0.0, &[on, off]),
            None => LineDashPattern::solid(),
        },
    });
}

/// The page (1-based) of every anchor.
fn anchors(doc: &Document) -> HashMap<&str, usize> {
    let mut m = HashMap::new();
    for (i, p) in doc.pages.iter().enumerate() {
        for a in &p.anchors {
            m.entry(a.as_str()).or_insert(i + 1);
        }
    }
    m
}

/// Glyph ids resolved by our own table (fast: printpdf need not look each
/// character up in the font), each carrying its character for ToUnicode.
fn glyph_items(
    run: &crate::layout::GlyphRun,
    face: &crate::layout::font::FontFace,
) -> Vec<TextItem> {
    let mut squeeze = run.squeeze.iter().peekable();
    let glyphs = run
        .text
        .chars()
        .enumerate()
        .filter(|(_, c)| *c != '\n')
        .map(|(i, c)| {
            let offset = squeeze
                .next_if(|(at, _)| *at == i)
                .map_or(0.0, |(_, pts)| pts / run.size * 1000.0);
            Codepoint {
                gid: face.glyph(c).unwrap_or(0),
                offset,
                cid: Some(c.to_string()),
            }
        })
        .collect();
    vec![TextItem::GlyphIds(glyphs)]
}

/// Text items, one string per stretch between squeezes: printpdf maps the
/// characters through the font's cmap (slower, but one allocation per run
/// instead of one per glyph, which keeps a 3,000-page booklet small in
/// memory).
fn text_items(
    run: &crate::layout::GlyphRun,
    face: &crate::layout::font::FontFace,
) -> Vec<TextItem> {
    let mut items = Vec::new();
    let mut piece = String::new();
    let mut squeeze = run.squeeze.iter().peekable();
    for (i, c) in run.text.chars().enumerate() {
        if c != '\n' {
            piece.push(if face.glyph(c).is_some() {
                c
            } else {
                '\u{FFFD}'
            });
        }
        if let Some((_, pts)) = squeeze.next_if(|(at, _)| *at == i) {
            items.push(TextItem::Text(std::mem::take(&mut piece)));
            items.push(TextItem::Offset(pts / run.size * 1000.0));
        }
    }
    if !piece.is_empty() {
        items.push(TextItem::Text(piece));
    }
    items
}

/// Documents up to this many pages are written with glyph ids (speed);
/// longer ones with text items (memory).
const GLYPH_ID_PAGES: usize = 64;

fn page_ops(doc: &Document, pi: usize, fonts: &FontSet, anchors: &HashMap<&str, usize>) -> Vec<Op> {
    let glyph_ids = doc.pages.len() <= GLYPH_ID_PAGES;
    let page = &doc.pages[pi];
    let h = page.height;
    let mut ops = Vec::new();
    for item in &page.items {
        match item {
            Item::Rect {
                x,
                y,
                w,
                h: rh,
                fill,
                stroke,
            } => {
                let mode = match (fill, stroke) {
                    (Some(_), Some(_)) => PaintMode::FillStroke,
                    (Some(_), None) => PaintMode::Fill,
                    (None, Some(_)) => PaintMode::Stroke,
                    (None, None) => continue,
                };
                if let Some(f) = fill {
                    ops.push(Op::SetFillColor { col: color(*f) });
                }
                if let Some(s) = stroke {
                    stroke_ops(&mut ops, s);
                }
                ops.push(Op::DrawRectangle {
                    rectangle: Rect {
                        x: Pt(*x),
                        y: Pt(h - y - rh),
                        width: Pt(*w),
                        height: Pt(*rh),
                        mode: Some(mode),
                        winding_order: None,
                    },
                });
            }
            Item::Line {
                x1,
                y1,
                x2,
                y2,
                stroke,
            } => {
                stroke_ops(&mut ops, stroke);
                ops.push(Op::DrawLine {
                    line: Line {
                        points: vec![point(*x1, h - y1), point(*x2, h - y2)],
                        is_closed: false,
                    },
                });
            }
            Item::Text(run) if run.shaped.is_some() => {
                if let Some(shaped) = &run.shaped {
                    shaped_ops(&mut ops, run, shaped, h);
                }
            }
            Item::Text(run) => {
                let face = fonts.face(run.face);
                ops.push(Op::StartTextSection);
                ops.push(Op::SetFont {
                    font: PdfFontHandle::External(font_id(run.face)),
                    size: Pt(run.size),
                });
                ops.push(Op::SetFillColor {
                    col: color(run.color),
                });
                ops.push(Op::SetCharacterSpacing {
                    multiplier: run.spacing,
                });
                ops.push(Op::SetTextMatrix {
                    matrix: TextMatrix::Translate(Pt(run.x), Pt(h - run.y)),
                });
                let items = if glyph_ids {
                    glyph_items(run, face)
                } else {
                    text_items(run, face)
                };
                ops.push(Op::ShowText { items });
                ops.push(Op::EndTextSection);
            }
            Item::Link {
                x,
                y,
                w,
                h: lh,
                target,
            } => {
                let action = match target {
                    // The site's policy: other targets stay plain text.
                    LinkTarget::Uri(u) if crate::markdown::safe_url(u) => Actions::Uri(u.clone()),
                    LinkTarget::Uri(_) => continue,
                    LinkTarget::Anchor(a) => match anchors.get(a.as_str()) {
                        Some(&p) => Actions::Goto(Destination::Xyz {
                            page: p,
                            left: Some(0.0),
                            top: Some(doc.pages[p - 1].height),
                            zoom: None,
                        }),
                        None => continue,
                    },
                };
                ops.push(Op::LinkAnnotation {
                    link: LinkAnnotation::new(
                        Rect::from_xywh(Pt(*x), Pt(h - y - lh), Pt(*w), Pt(*lh)),
                        action,
                        Some(BorderArray::Solid([0.0, 0.0, 0.0])),
                        Some(ColorArray::Transparent),
                        Some(HighlightingMode::Invert),
                    ),
                });
            }
        }
    }
    ops
}

fn utf16be(s: &str) -> Vec<u8> {
    let mut v = vec![0xFE, 0xFF];
    for u in s.encode_utf16() {
        v.extend_from_slice(&u.to_be_bytes());
    }
    v
}

/// A nested, ordered outline (printpdf's own is flat and sorted by page).
fn set_outline(lo: &mut lopdf::Document, doc: &Document) -> Result<()> {
    use lopdf::{Dictionary, Object, Object::Reference, ObjectId};
    let entries = &doc.bookmarks;
    if entries.is_empty() {
        return Ok(());
    }
    let pages = lo.get_pages();
    let n = entries.len();
    let root_id = lo.new_object_id();
    let ids: Vec<ObjectId> = (0..n).map(|_| lo.new_object_id()).collect();
    let parent: Vec<Option<usize>> = (0..n)
        .map(|i| (0..i).rev().find(|&j| entries[j].level < entries[i].level))
        .collect();
    let kids = |p: Option<usize>| -> Vec<usize> { (0..n).filter(|&i| parent[i] == p).collect() };
    fn count(i: Option<usize>, parent: &[Option<usize>]) -> i64 {
        (0..parent.len())
            .filter(|&k| parent[k] == i)
            .map(|k| 1 + count(Some(k), parent))
            .sum()
    }
    for i in 0..n {
        let sibs = kids(parent[i]);
        let pos = sibs.iter().position(|&s| s == i).unwrap_or(0);
        let mut d = Dictionary::new();
        d.set(
            "Title",
            Object::String(utf16be(&entries[i].title), lopdf::StringFormat::Hexadecimal),
        );
        d.set("Parent", Reference(parent[i].map_or(root_id, |j| ids[j])));
        if pos > 0 {
            d.set("Prev", Reference(ids[sibs[pos - 1]]));
        }
        if pos + 1 < sibs.len() {
            d.set("Next", Reference(ids[sibs[pos + 1]]));
        }
        let ch = kids(Some(i));
        if let (Some(f), Some(l)) = (ch.first(), ch.last()) {
            d.set("First", Reference(ids[*f]));
            d.set("Last", Reference(ids[*l]));
            // Negative: closed, so a 1,000-matter outline opens tidy.
            d.set("Count", -count(Some(i), &parent));
        }
        let page = *pages
            .get(&(entries[i].page as u32 + 1))
            .context("书签指向不存在的页")?;
        d.set(
            "Dest",
            vec![
                Reference(page),
                "XYZ".into(),
                Object::Null,
                Object::Null,
                Object::Null,
            ],
        );
        lo.objects.insert(ids[i], Object::Dictionary(d));
    }
    let top = kids(None);
    let mut root = Dictionary::new();
    root.set("Type", "Outlines");
    if let (Some(f), Some(l)) = (top.first(), top.last()) {
        root.set("First", Reference(ids[*f]));
        root.set("Last", Reference(ids[*l]));
    }
    root.set("Count", top.len() as i64);
    lo.objects.insert(root_id, Object::Dictionary(root));
    let cat = lo.catalog_mut().context("PDF 没有目录对象")?;
    cat.set("Outlines", Reference(root_id));
    cat.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    Ok(())
}

/// Seconds since 1970 of a `YYYY-MM-DD` date (00:00 UTC).
fn unix_of(date: &str) -> i64 {
    let Some(d) = crate::date::Date::parse(date) else {
        return 0;
    };
    // days from civil (Howard Hinnant)
    let y = i64::from(d.year) - i64::from(d.month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(d.month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d.day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe - 719_468) * 86_400
}

/// Writes `doc` as PDF bytes, fonts subset, byte-identical for the same input.
pub fn write(doc: &Document, fonts: &FontSet) -> Result<Vec<u8>> {
    let mut pdf = PdfDocument::new(&doc.title);
    let when = printpdf::OffsetDateTime::from_unix_timestamp(unix_of(&doc.date))
        .or_else(|_| printpdf::OffsetDateTime::from_unix_timestamp(0))
        .map_err(|e| anyhow::anyhow!("无法设置 PDF 日期：{e}"))?;
    {
        let i = &mut pdf.metadata.info;
        i.document_title = doc.title.clone();
        i.author = doc.author.clone();
        i.subject = doc.subject.clone();
        i.creator = "guide".into();
        i.producer = "guide (printpdf)".into();
        i.creation_date = when;
        i.modification_date = when;
        i.metadata_date = when;
    }
    pdf.resources.fonts.map.insert(
        font_id(Face::Regular),
        PdfFont::new(fonts.regular.parsed.clone()),
    );
    pdf.resources
        .fonts
        .map
        .insert(font_id(Face::Bold), PdfFont::new(fonts.bold.parsed.clone()));
    for font in extras_used(doc) {
        let parsed = fonts
            .extras
            .face(font)
            .and_then(|f| f.parsed())
            .with_context(|| format!("无法嵌入字体（{font:?}）"))?;
        pdf.resources
            .fonts
            .map
            .insert(extra_id(font), PdfFont::new(parsed.clone()));
    }
    let anchors = anchors(doc);
    pdf.pages = (0..doc.pages.len())
        .map(|i| {
            let p = &doc.pages[i];
            // In whole hundredths of a millimetre: paper sizes stay exact.
            let mm = |pt: f32| Mm((pt * 25.4 / 72.0 * 100.0).round() / 100.0);
            PdfPage::new(mm(p.width), mm(p.height), page_ops(doc, i, fonts, &anchors))
        })
        .collect();
    let opts = PdfSaveOptions {
        optimize: true,
        subset_fonts: true,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let mut lo = pdf.to_lopdf_document(&opts, &mut warnings);
    lo.compress();
    set_outline(&mut lo, doc)?;
    let placeholder = lopdf::Object::String(vec![b'0'; 32], lopdf::StringFormat::Literal);
    lo.trailer.set(
        "ID",
        lopdf::Object::Array(vec![placeholder.clone(), placeholder]),
    );
    let mut out = Vec::new();
    lo.save_to(&mut out).context("无法生成 PDF")?;
    // The file's own hash becomes its /ID (same length: no offset moves).
    let id = format!(
        "{:016x}{:016x}",
        fnv1a64(&out, 0),
        fnv1a64(&out, 0x9e37_79b9_7f4a_7c15)
    );
    let zeros = [b'0'; 32];
    let at = out
        .windows(32)
        .rposition(|w| w == zeros)
        .context("PDF 尾部没有 /ID")?;
    out[at..at + 32].copy_from_slice(id.as_bytes());
    let at2 = out[..at]
        .windows(32)
        .rposition(|w| w == zeros)
        .context("PDF 尾部没有 /ID")?;
    out[at2..at2 + 32].copy_from_slice(id.as_bytes());
    Ok(out)
}
