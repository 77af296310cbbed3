//! The thin PDF backend: positioned glyph runs and shapes → PDF, through
//! krilla. Every face of the [`FontSet`] is embedded (subset) as its own
//! font; glyphs are drawn with explicit ids and advances, each glyph
//! carrying the source characters it stands for (ToUnicode), so extracted
//! text equals the source. Deterministic: dates come from the document,
//! the trailer `/ID` is a hash of the content.

use crate::layout::font::{FontFace, FontSet};
use crate::layout::{Document, GlyphRun, Item, LinkTarget, Rgb, Stroke};
use anyhow::{Context, Result, anyhow};
use krilla::action::{Action, LinkAction};
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::{luma, rgb};
use krilla::destination::{Destination, XyzDestination};
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, Paint, StrokeDash};
use krilla::surface::Surface;
use krilla::text::{GlyphId, KrillaGlyph};
use std::collections::HashMap;

/// A colour as written: black and greys as pure K (DeviceGray), other
/// colours in RGB.
fn paint(c: Rgb) -> Paint {
    let byte = |v: f32| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
    let (r, g, b) = (byte(c.0), byte(c.1), byte(c.2));
    if r == g && g == b {
        luma::Color::new(r).into()
    } else {
        rgb::Color::new(r, g, b).into()
    }
}

fn fill(c: Rgb) -> Fill {
    Fill {
        paint: paint(c),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

fn stroke(s: &Stroke) -> krilla::paint::Stroke {
    krilla::paint::Stroke {
        paint: paint(s.color),
        width: s.width,
        dash: s.dash.map(|(on, off)| StrokeDash {
            array: vec![on, off],
            offset: 0.0,
        }),
        ..Default::default()
    }
}

/// The page (0-based) of every anchor.
fn anchors(doc: &Document) -> HashMap<&str, usize> {
    let mut m = HashMap::new();
    for (i, p) in doc.pages.iter().enumerate() {
        for a in &p.anchors {
            m.entry(a.as_str()).or_insert(i);
        }
    }
    m
}

/// The glyphs of a run: one per character (a missing one as glyph 0), its
/// advance the font's plus the run's letter spacing, less any squeeze after
/// it, each glyph mapped to its character's bytes in `run.text`.
fn glyphs(run: &GlyphRun, face: &FontFace) -> Vec<KrillaGlyph> {
    let size = run.size.max(f32::MIN_POSITIVE);
    let spacing = run.spacing / size;
    let mut squeeze = run.squeeze.iter().peekable();
    let mut out = Vec::with_capacity(run.text.len() / 3 + 1);
    for (i, (at, c)) in run.text.char_indices().enumerate() {
        let taken = squeeze
            .next_if(|(k, _)| *k == i)
            .map_or(0.0, |(_, pts)| pts / size);
        if c == '\n' {
            continue;
        }
        out.push(KrillaGlyph::new(
            GlyphId::new(u32::from(face.glyph(c).unwrap_or(0))),
            face.advance(c) + spacing - taken,
            0.0,
            0.0,
            0.0,
            at..at + c.len_utf8(),
            None,
        ));
    }
    out
}

/// The glyphs of a shaped run (another script, a rare character) in its
/// extra font: the shaper's ids, advances and offsets, in visual order, each
/// with the characters it stands for.
fn shaped_glyphs(
    run: &GlyphRun,
    fonts: &FontSet,
) -> Option<(Vec<KrillaGlyph>, krilla::text::Font)> {
    let shaped = run.shaped.as_ref()?;
    let font = fonts.extras.face(shaped.font)?.pdf()?.clone();
    let size = run.size.max(f32::MIN_POSITIVE);
    let glyphs: Vec<KrillaGlyph> = shaped
        .glyphs
        .iter()
        .map(|g| {
            KrillaGlyph::new(
                GlyphId::new(u32::from(g.id)),
                g.advance / size,
                g.dx / size,
                g.dy / size,
                0.0,
                g.text.clone(),
                None,
            )
        })
        .collect();
    (!glyphs.is_empty()).then_some((glyphs, font))
}

fn rect_path(x: f32, y: f32, w: f32, h: f32) -> Option<krilla::geom::Path> {
    let mut pb = PathBuilder::new();
    pb.push_rect(Rect::from_xywh(x, y, w, h)?);
    pb.finish()
}

fn draw_items(surface: &mut Surface, items: &[Item], fonts: &FontSet) {
    for item in items {
        match item {
            Item::Rect {
                x,
                y,
                w,
                h,
                fill: f,
                stroke: s,
            } => {
                if f.is_none() && s.is_none() {
                    continue;
                }
                let Some(path) = rect_path(*x, *y, *w, *h) else {
                    continue;
                };
                surface.set_fill(f.map(fill));
                surface.set_stroke(s.as_ref().map(stroke));
                surface.draw_path(&path);
            }
            Item::Line {
                x1,
                y1,
                x2,
                y2,
                stroke: s,
            } => {
                let mut pb = PathBuilder::new();
                pb.move_to(*x1, *y1);
                pb.line_to(*x2, *y2);
                let Some(path) = pb.finish() else {
                    continue;
                };
                surface.set_fill(None);
                surface.set_stroke(Some(stroke(s)));
                surface.draw_path(&path);
            }
            Item::Text(run) if run.shaped.is_some() => {
                let Some((glyphs, font)) = shaped_glyphs(run, fonts) else {
                    continue;
                };
                surface.set_fill(Some(fill(run.color)));
                surface.set_stroke(None);
                surface.draw_glyphs(
                    Point::from_xy(run.x, run.y),
                    &glyphs,
                    font,
                    &run.text,
                    run.size,
                    false,
                );
            }
            Item::Text(run) => {
                let face = fonts.face(run.face);
                let glyphs = glyphs(run, face);
                if glyphs.is_empty() {
                    continue;
                }
                surface.set_fill(Some(fill(run.color)));
                surface.set_stroke(None);
                surface.draw_glyphs(
                    Point::from_xy(run.x, run.y),
                    &glyphs,
                    face.pdf.clone(),
                    &run.text,
                    run.size,
                    false,
                );
            }
            Item::Link { .. } => {}
        }
    }
}

/// The link annotations of a page: web addresses the site would link
/// (http, https, mailto, tel), anchors resolved to their page.
fn links(doc: &Document, pi: usize, anchors: &HashMap<&str, usize>) -> Vec<Annotation> {
    let mut out = Vec::new();
    for item in &doc.pages[pi].items {
        let Item::Link { x, y, w, h, target } = item else {
            continue;
        };
        let action = match target {
            // The site's policy: other targets stay plain text.
            LinkTarget::Uri(u) if crate::markdown::safe_url(u) => {
                Action::Link(LinkAction::new(u.clone()))
            }
            LinkTarget::Uri(_) => continue,
            LinkTarget::Anchor(a) => match anchors.get(a.as_str()) {
                Some(&p) => Action::Goto(Destination::Xyz(XyzDestination::new(
                    p,
                    Point::from_xy(0.0, 0.0),
                ))),
                None => continue,
            },
        };
        let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) else {
            continue;
        };
        out.push(Annotation::new_link(
            LinkAnnotation::new(rect, Target::Action(action)),
            None,
        ));
    }
    out
}

/// The bookmarks as a nested outline, every entry closed (a 1,000-matter
/// outline opens tidy).
fn outline(doc: &Document) -> Outline {
    fn node(doc: &Document, i: usize) -> OutlineNode {
        let b = &doc.bookmarks[i];
        let page = b.page.min(doc.pages.len().saturating_sub(1));
        OutlineNode::new(
            b.title.clone(),
            XyzDestination::new(page, Point::from_xy(0.0, 0.0)),
        )
        .with_open(false)
    }
    // A stack of open ancestors: (level, node).
    let mut root = Outline::new();
    let mut stack: Vec<(u8, OutlineNode)> = Vec::new();
    fn close(stack: &mut Vec<(u8, OutlineNode)>, root: &mut Outline, above: Option<u8>) {
        while let Some((level, _)) = stack.last() {
            if above.is_some_and(|l| *level < l) {
                break;
            }
            let (_, n) = stack.pop().expect("non-empty");
            match stack.last_mut() {
                Some((_, parent)) => parent.push_child(n),
                None => root.push_child(n),
            }
        }
    }
    for (i, b) in doc.bookmarks.iter().enumerate() {
        close(&mut stack, &mut root, Some(b.level));
        stack.push((b.level, node(doc, i)));
    }
    close(&mut stack, &mut root, None);
    root
}

fn metadata(doc: &Document) -> Metadata {
    let mut m = Metadata::new()
        .title(doc.title.clone())
        .authors(vec![doc.author.clone()])
        .description(doc.subject.clone())
        .creator("guide".into())
        .producer("guide".into());
    if let Some(d) = crate::date::Date::parse(&doc.date) {
        m = m.creation_date(
            DateTime::new(d.year as u16)
                .month(d.month as u8)
                .day(d.day as u8)
                .hour(0)
                .minute(0)
                .second(0)
                .utc_offset_hour(0)
                .utc_offset_minute(0),
        );
    }
    m
}

/// Finds `needle` in `hay`, last occurrence.
fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// Inserts `entry` into the document catalog (krilla writes it last,
/// right before the cross-reference table) and moves the offsets after it.
fn add_to_catalog(out: &mut Vec<u8>, entry: &[u8]) -> Result<()> {
    let cat = rfind(out, b"/Type/Catalog").context("PDF 没有目录对象")?;
    let end = cat
        + out[cat..]
            .windows(6)
            .position(|w| w == b"endobj")
            .context("PDF 目录对象不完整")?;
    let at = rfind(&out[..end], b">>").context("PDF 目录对象不完整")?;
    let xref = rfind(out, b"\nxref\n").context("PDF 没有交叉引用表")? + 1;
    if xref < end {
        return Err(anyhow!("PDF 目录对象不在交叉引用表之前"));
    }
    out.splice(at..at, entry.iter().copied());
    let shift = entry.len();
    // Offsets in the table are 10 digits; entries past `at` move.
    let xref = xref + shift;
    let table_end = rfind(out, b"trailer").context("PDF 没有 trailer")?;
    let mut i = xref;
    while i + 20 <= table_end {
        let line = &out[i..i + 20];
        if line[10] == b' ' && line[16] == b' ' && line[17] == b'n' {
            let off: usize = std::str::from_utf8(&line[..10])?.parse()?;
            if off > at {
                out[i..i + 10].copy_from_slice(format!("{:010}", off + shift).as_bytes());
            }
            i += 20;
        } else {
            // a subsection header "first count"
            i += out[i..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(1, |p| p + 1);
        }
    }
    let sx = rfind(out, b"startxref\n").context("PDF 没有 startxref")? + 10;
    let len = out[sx..]
        .iter()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(0);
    let old: usize = std::str::from_utf8(&out[sx..sx + len])?.parse()?;
    let new = format!("{}", old + shift);
    out.splice(sx..sx + len, new.bytes());
    Ok(())
}

/// Writes `doc` as PDF bytes, fonts subset, byte-identical for the same input.
pub fn write(doc: &Document, fonts: &FontSet) -> Result<Vec<u8>> {
    let settings = krilla::SerializeSettings {
        enable_tagging: false,
        ..Default::default()
    };
    let mut pdf = krilla::Document::new_with(settings);
    pdf.set_metadata(metadata(doc));
    let anchors = anchors(doc);
    for (pi, p) in doc.pages.iter().enumerate() {
        // In whole hundredths of a millimetre: paper sizes stay exact.
        let mm = |pt: f32| (pt * 25.4 / 72.0 * 100.0).round() / 100.0 * 72.0 / 25.4;
        let settings = PageSettings::from_wh(mm(p.width), mm(p.height)).context("页面尺寸无效")?;
        let mut page = pdf.start_page_with(settings);
        {
            let mut surface = page.surface();
            draw_items(&mut surface, &p.items, fonts);
            surface.finish();
        }
        for a in links(doc, pi, &anchors) {
            page.add_annotation(a);
        }
        page.finish();
    }
    if !doc.bookmarks.is_empty() {
        pdf.set_outline(outline(doc));
    }
    let mut out = pdf.finish().map_err(|e| anyhow!("无法生成 PDF：{e:?}"))?;
    if !doc.bookmarks.is_empty() {
        add_to_catalog(&mut out, b"/PageMode/UseOutlines")?;
    }
    Ok(out)
}
