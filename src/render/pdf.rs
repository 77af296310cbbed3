//! The thin PDF backend: positioned glyph runs and shapes → PDF, through
//! krilla. Every face of the [`FontSet`] is embedded (subset) as its own
//! font; glyphs are drawn with explicit ids and advances, each glyph
//! carrying the source characters it stands for (ToUnicode), so extracted
//! text equals the source. Deterministic: dates come from the document,
//! the trailer `/ID` is a hash of the content.
//!
//! What it honours of the layout:
//! - the page's trim and bleed (TrimBox, BleedBox; the MediaBox is the
//!   sheet);
//! - the inks ([`Ink`]): black and greys are always pure K (DeviceGray on
//!   screen, 0/0/0/k in print); other colours RGB on screen and, in print,
//!   DeviceCMYK by the fixed mapping of [`cmyk`];
//! - the structure ([`Item::Begin`]): a tagged PDF (language zh-CN) whose
//!   structure tree follows the layout's elements in reading order, links
//!   with their annotations, everything outside an element an artifact
//!   (krilla marks the content; [`super::structure`] writes the tree);
//! - `archival`: PDF/A-2b with an sRGB output intent and XMP metadata,
//!   checked by krilla's validator as it writes.

use super::structure::{PageObject, Tree};
use crate::layout::cff::Program;
use crate::layout::font::{FontFace, FontSet};
use crate::layout::{Area, Bookmark, Document, GlyphRun, Ink, Item, LinkTarget, Page, Rgb, Stroke};
use anyhow::{Context, Result, anyhow};
use krilla::action::{Action, LinkAction};
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::{cmyk, luma, rgb};
use krilla::configure::{Archival, Configuration, ConfigurationBuilder};
use krilla::destination::{Destination, XyzDestination};
use krilla::geom::{PathBuilder, Point, Rect, Transform};
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, Paint, StrokeDash};
use krilla::surface::Surface;
use krilla::tagging::{Artifact, ArtifactType, ContentTag, SpanTag};
use krilla::text::{GlyphId, KrillaGlyph};
use std::collections::HashMap;

/// The language of every document guide writes.
pub(super) const LANG: &str = "zh-CN";

/// The print edition's CMYK of an RGB colour: the plain device mapping
/// k = 1 − max(r, g, b), c = (1 − r − k) / (1 − k) (m, y likewise), each
/// rounded to whole percent. Greys and black come out K only (0/0/0/k).
pub fn cmyk(c: Rgb) -> [u8; 4] {
    let (r, g, b) = (
        c.0.clamp(0.0, 1.0),
        c.1.clamp(0.0, 1.0),
        c.2.clamp(0.0, 1.0),
    );
    let k = 1.0 - r.max(g).max(b);
    let part = |v: f32| {
        if k >= 1.0 {
            0.0
        } else {
            (1.0 - v - k) / (1.0 - k)
        }
    };
    let pct = |v: f32| (v.clamp(0.0, 1.0) * 100.0).round() / 100.0;
    let byte = |v: f32| (pct(v) * 255.0).round() as u8;
    [byte(part(r)), byte(part(g)), byte(part(b)), byte(k)]
}

/// A colour as written for `ink`.
fn paint(c: Rgb, ink: Ink) -> Paint {
    let byte = |v: f32| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
    let (r, g, b) = (byte(c.0), byte(c.1), byte(c.2));
    match ink {
        Ink::Print => {
            let [c, m, y, k] = cmyk(c);
            cmyk::Color::new(c, m, y, k).into()
        }
        Ink::Screen if r == g && g == b => luma::Color::new(r).into(),
        Ink::Screen => rgb::Color::new(r, g, b).into(),
    }
}

fn fill(c: Rgb, ink: Ink) -> Fill {
    Fill {
        paint: paint(c, ink),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

fn stroke(s: &Stroke, ink: Ink) -> krilla::paint::Stroke {
    krilla::paint::Stroke {
        paint: paint(s.color, ink),
        width: s.width,
        dash: s.dash.map(|(on, off)| StrokeDash {
            array: vec![on, off],
            offset: 0.0,
        }),
        ..Default::default()
    }
}

/// The glyphs of a shaped run (another script, a rare character) in its
/// extra font: the shaper's ids, advances and offsets, in visual order, each
/// with the characters it stands for. `None` for a run of the CJK faces.
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
    Some((glyphs, font))
}

/// The glyphs of a run: one per character (a missing one as glyph 0), its
/// advance the font's plus the run's letter spacing, less any squeeze after
/// it, each glyph mapped to its character's bytes in `run.text`; in a run
/// set right to left a bracket's glyph is its mirror's.
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
        let shown = if run.rtl {
            crate::layout::shape::mirrored(c)
        } else {
            c
        };
        let glyph = face.glyph(shown).or_else(|| face.glyph(c));
        out.push(KrillaGlyph::new(
            GlyphId::new(u32::from(glyph.unwrap_or(0))),
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

fn rect(a: Area) -> Option<Rect> {
    Rect::from_xywh(a.x, a.y, a.w, a.h)
}

/// How many items from the first are rectangles filled with `colour` and
/// not stroked, one after another.
fn same_fills(items: &[Item], colour: Rgb) -> usize {
    items
        .iter()
        .take_while(|i| matches!(i, Item::Rect { fill: Some(c), stroke: None, .. } if *c == colour))
        .count()
}

/// The marked-content section open on a surface.
#[derive(Clone, Copy, PartialEq)]
enum Open {
    Nothing,
    /// Page furniture, text or shapes.
    Artifact(bool),
    /// Content of a node, text or shapes.
    Content(usize, bool),
}

/// Draws a page's items, marking each stretch as content of its element
/// and everything else as an artifact. Returns the page's link
/// annotations, each with the node it belongs to.
struct PageWriter<'a> {
    /// Whether the CJK faces are drawn with their stand-ins.
    programs: bool,
    fonts: &'a FontSet,
    ink: Ink,
    tree: &'a mut Tree,
    open: Open,
}

impl PageWriter<'_> {
    fn mark(&mut self, surface: &mut Surface, want: Open) {
        if self.open == want {
            return;
        }
        if self.open != Open::Nothing {
            surface.end_tagged();
        }
        match want {
            Open::Nothing => {}
            Open::Artifact(text) => {
                let kind = if text {
                    ArtifactType::PaginationOther
                } else {
                    ArtifactType::Layout
                };
                surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(kind)));
            }
            Open::Content(n, text) => {
                let tag = if text {
                    ContentTag::Span(SpanTag::empty())
                } else {
                    ContentTag::Other
                };
                surface.start_tagged(tag);
                self.tree.marked(n);
            }
        }
        self.open = want;
    }

    fn draw(&mut self, surface: &mut Surface, items: &[Item]) -> Vec<(Option<usize>, usize)> {
        let ink = self.ink;
        let mut current: Option<usize> = None;
        // The link element the next linked run goes into.
        let mut link: Option<usize> = None;
        let mut links = Vec::new();
        // Rectangles already drawn as part of an earlier one's shape.
        let mut merged_to = 0;
        for (i, item) in items.iter().enumerate() {
            if i < merged_to {
                continue;
            }
            let text = matches!(item, Item::Text(_));
            match item {
                Item::Begin(tag) => {
                    current = self.tree.resolve(tag);
                    link = None;
                    continue;
                }
                Item::End => {
                    current = None;
                    link = None;
                    continue;
                }
                Item::Link { .. } => {
                    let node = current.map(|c| self.tree.link(Some(c)));
                    link = node;
                    links.push((node, i));
                    continue;
                }
                _ => {}
            }
            let owner = match (item, link) {
                (Item::Text(r), Some(l)) if r.link.is_some() => Some(l),
                _ => current,
            };
            if text && owner == link {
                link = None;
            }
            let want = match owner {
                Some(n) => Open::Content(n, text),
                None => Open::Artifact(text),
            };
            match item {
                Item::Rect {
                    fill: f, stroke: s, ..
                } => {
                    if f.is_none() && s.is_none() {
                        continue;
                    }
                    // A run of filled rectangles of one colour is one
                    // shape (as a QR code's grid is): one path, filled once,
                    // with no seams between neighbours.
                    let run = match (f, s) {
                        (Some(c), None) => same_fills(&items[i..], *c),
                        _ => 1,
                    };
                    merged_to = i + run;
                    let mut pb = PathBuilder::new();
                    for r in &items[i..i + run] {
                        if let Item::Rect { x, y, w, h, .. } = r
                            && let Some(r) = Rect::from_xywh(*x, *y, *w, *h)
                        {
                            pb.push_rect(r);
                        }
                    }
                    let Some(path) = pb.finish() else {
                        continue;
                    };
                    self.mark(surface, want);
                    surface.set_fill(f.map(|c| fill(c, ink)));
                    surface.set_stroke(s.as_ref().map(|s| stroke(s, ink)));
                    surface.draw_path(&path);
                }
                Item::Grid {
                    x,
                    y,
                    cell,
                    fill: colour,
                    squares,
                } => {
                    // In cells, each a little larger than its place (by
                    // 0.02 pt, as a rectangle): no hairline between
                    // neighbours where a viewer smooths edges.
                    let over = 0.02 / cell.max(f32::MIN_POSITIVE);
                    let mut pb = PathBuilder::new();
                    for &[c, r, w, h] in squares {
                        if let Some(r) = Rect::from_xywh(
                            f32::from(c),
                            f32::from(r),
                            f32::from(w) + over,
                            f32::from(h) + over,
                        ) {
                            pb.push_rect(r);
                        }
                    }
                    let Some(path) = pb.finish() else {
                        continue;
                    };
                    self.mark(surface, want);
                    surface.push_transform(&Transform::from_row(*cell, 0.0, 0.0, *cell, *x, *y));
                    surface.set_fill(Some(fill(*colour, ink)));
                    surface.set_stroke(None);
                    surface.draw_path(&path);
                    surface.pop();
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
                    self.mark(surface, want);
                    surface.set_fill(None);
                    surface.set_stroke(Some(stroke(s, ink)));
                    surface.draw_path(&path);
                }
                Item::Text(run) => {
                    let (glyphs, font) = match shaped_glyphs(run, self.fonts) {
                        Some(shaped) => shaped,
                        None => {
                            let face = self.fonts.face(run.face);
                            // Many files: the stand-in (see `layout::cff`).
                            let font = match self.programs.then(|| face.embedding()) {
                                Some(Some(e)) => &e.stand_in,
                                _ => &face.pdf,
                            };
                            (glyphs(run, face), font.clone())
                        }
                    };
                    if glyphs.is_empty() {
                        continue;
                    }
                    self.mark(surface, want);
                    surface.set_fill(Some(fill(run.color, ink)));
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
                Item::Link { .. } | Item::Begin(_) | Item::End => {}
            }
        }
        self.mark(surface, Open::Nothing);
        links
    }
}

/// The link annotation of a link item: web addresses the site would link
/// (http, https, mailto, tel), anchors resolved to their page.
fn annotation(item: &Item, anchors: &HashMap<String, usize>) -> Option<Annotation> {
    let Item::Link { x, y, w, h, target } = item else {
        return None;
    };
    let action = match target {
        // The site's policy: other targets stay plain text.
        LinkTarget::Uri(u) if crate::markdown::safe_url(u) => {
            Action::Link(LinkAction::new(u.clone()))
        }
        LinkTarget::Uri(_) => return None,
        LinkTarget::Anchor(a) => Action::Goto(Destination::Xyz(XyzDestination::new(
            *anchors.get(a.as_str())?,
            Point::from_xy(0.0, 0.0),
        ))),
    };
    let alt = match target {
        LinkTarget::Uri(u) => u.clone(),
        LinkTarget::Anchor(_) => "跳转到本手册中的页面".to_owned(),
    };
    Some(Annotation::new_link(
        LinkAnnotation::new(Rect::from_xywh(*x, *y, *w, *h)?, Target::Action(action)),
        Some(alt),
    ))
}

/// The bookmarks as a nested outline, every entry closed (a 1,000-matter
/// outline opens tidy). `written[place]` is the page written for each
/// place in the document.
fn outline(bookmarks: &[Bookmark], written: &[usize]) -> Outline {
    let node = |b: &Bookmark| {
        let page = written
            .get(b.page.min(written.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0);
        OutlineNode::new(
            b.title.clone(),
            XyzDestination::new(page, Point::from_xy(0.0, 0.0)),
        )
        .with_open(false)
    };
    fn close(stack: &mut Vec<(u8, OutlineNode)>, root: &mut Outline, above: Option<u8>) {
        while let Some((level, _)) = stack.last() {
            if above.is_some_and(|l| *level < l) {
                break;
            }
            let Some((_, n)) = stack.pop() else { break };
            match stack.last_mut() {
                Some((_, parent)) => parent.push_child(n),
                None => root.push_child(n),
            }
        }
    }
    // The open ancestors: (level, node).
    let mut root = Outline::new();
    let mut stack: Vec<(u8, OutlineNode)> = Vec::new();
    for b in bookmarks {
        close(&mut stack, &mut root, Some(b.level));
        stack.push((b.level, node(b)));
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
        .producer("guide".into())
        .language(LANG.into());
    if let Some(d) = crate::date::Date::parse(&doc.date) {
        m = m.creation_date(
            DateTime::new(u16::try_from(d.year).unwrap_or(1970))
                .month(u8::try_from(d.month).unwrap_or(1))
                .day(u8::try_from(d.day).unwrap_or(1))
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

/// A stream object's body as krilla writes it: its dictionary, where the
/// digits of its direct `/Length n` are in it, and its data. `None` for
/// an indirect length (`/Length 12 0 R`).
fn stream_parts(body: &[u8]) -> Option<(&[u8], std::ops::Range<usize>, &[u8])> {
    const HEAD_END: &[u8] = b">>\nstream\n";
    let dict_end = body.windows(HEAD_END.len()).position(|w| w == HEAD_END)?;
    let dict = &body[..dict_end];
    let at = dict.windows(8).position(|w| w == b"/Length ")? + 8;
    let digits = dict[at..].iter().take_while(|c| c.is_ascii_digit()).count();
    if dict.get(at + digits).is_some_and(|c| *c == b' ') {
        return None;
    }
    let len: usize = std::str::from_utf8(&dict[at..at + digits])
        .ok()?
        .parse()
        .ok()?;
    let data = body.get(dict_end + HEAD_END.len()..)?.get(..len)?;
    Some((dict, at..at + digits, data))
}

/// Whether `dict` has `key` (a name, or a name and its value).
fn has(dict: &[u8], key: &[u8]) -> bool {
    dict.windows(key.len()).any(|w| w == key)
}

/// The number after `key` in a dictionary krilla wrote (`/Key 12`, or
/// the object number of `/Key 12 0 R`).
fn int_after(dict: &[u8], key: &[u8]) -> Option<u32> {
    let at = dict.windows(key.len()).position(|w| w == key)? + key.len();
    let digits = dict[at..].iter().take_while(|c| c.is_ascii_digit()).count();
    std::str::from_utf8(&dict[at..at + digits])
        .ok()?
        .parse()
        .ok()
}

/// Where the items of the array after `key` (`/Key[…]`, no nested
/// array) are in `dict`.
fn array_after(dict: &[u8], key: &[u8]) -> Option<std::ops::Range<usize>> {
    let open = dict.windows(key.len()).position(|w| w == key)? + key.len();
    let close = open + dict[open..].iter().position(|&c| c == b']')?;
    Some(open..close)
}

/// The objects an array's items refer to (`1 0 R 2 0 R`); `None` if any
/// item is not a reference.
fn refs(items: &[u8]) -> Option<Vec<u32>> {
    let words: Vec<&[u8]> = items
        .split(|c| c.is_ascii_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    words
        .chunks(3)
        .map(|r| match r {
            [n, b"0", b"R"] => std::str::from_utf8(n).ok()?.parse().ok(),
            _ => None,
        })
        .collect()
}

/// The objects referred to in the array after `key` (`/Key[1 0 R 2 0 R]`).
fn refs_in(dict: &[u8], key: &[u8]) -> Option<Vec<u32>> {
    refs(&dict[array_after(dict, key)?])
}

/// A stream object's body written without a filter (how krilla writes
/// page contents and character maps when told not to compress them): the
/// dictionary before and after its direct `/Length n`, and the data. The
/// XMP metadata stays as it is (read by tools that do not inflate).
fn unfiltered(body: &[u8]) -> Option<(&[u8], &[u8], &[u8])> {
    let (dict, digits, data) = stream_parts(body)?;
    if has(dict, b"/Filter") || has(dict, b"/Metadata") || has(dict, b"/DecodeParms") {
        return None;
    }
    Some((&dict[..digits.start - 8], &dict[digits.end..], data))
}

/// The header of an object stream: "number offset" of each object.
fn object_stream(chunk: &[(u32, std::borrow::Cow<'_, [u8]>)]) -> String {
    let mut head = String::new();
    let mut at = 0;
    for (num, body) in chunk {
        head.push_str(&format!("{num} {at} "));
        at += body.len() + 1;
    }
    head
}

/// `parts` deflated (zlib) as one stream, by libdeflate at `level`.
///
/// Measured on the content streams of the 1,000-matter booklet (42.6 MB):
/// libdeflate at level 6 writes 134 MB/s and 3.5 % fewer bytes than
/// miniz_oxide (flate2's default) at level 4, which wrote 74–81 MB/s. The
/// output depends only on the input and the level.
fn deflate(parts: &[&[u8]], level: i32) -> Result<Vec<u8>> {
    thread_local! {
        /// A compressor per level asked for on this thread.
        static COMPRESSORS: std::cell::RefCell<Vec<(i32, libdeflater::Compressor)>> =
            const { std::cell::RefCell::new(Vec::new()) };
    }
    let joined;
    let input: &[u8] = match parts {
        [one] => one,
        _ => {
            joined = parts.concat();
            &joined
        }
    };
    COMPRESSORS.with_borrow_mut(|all| {
        let k = match all.iter().position(|(l, _)| *l == level) {
            Some(k) => k,
            None => {
                let lvl = libdeflater::CompressionLvl::new(level)
                    .map_err(|e| anyhow!("压缩级别无效：{e:?}"))?;
                all.push((level, libdeflater::Compressor::new(lvl)));
                all.len() - 1
            }
        };
        let c = &mut all[k].1;
        let mut out = vec![0; c.zlib_compress_bound(input.len())];
        let n = c
            .zlib_compress(input, &mut out)
            .map_err(|e| anyhow!("压缩 PDF 数据失败：{e:?}"))?;
        out.truncate(n);
        Ok(out)
    })
}

/// Repacks a PDF as written by krilla (objects, then a cross-reference
/// table): every object that is not a stream, the document information
/// excepted, goes compressed into object streams, and the table becomes a
/// compressed cross-reference stream, everything deflated at `level`. A
/// tagged booklet is mostly small structure elements, so this keeps its
/// size near the untagged one. With `structure`, the structure tree's
/// objects are added, numbered after krilla's, and the catalog points to
/// it. `catalog` is added to the document catalog (what krilla cannot
/// set, such as the page mode) as it is packed. With `order` (the page
/// written for each place), the pages are put in that order.
fn pack(
    out: &[u8],
    catalog: &[u8],
    order: Option<&[usize]>,
    programs: &[&Program],
    structure: Option<&Tree>,
    level: i32,
) -> Result<Vec<u8>> {
    const SUSPECTS: &[u8] = b"/Suspects false";
    let bad = || anyhow!("PDF 结构无法识别");
    let xref = rfind(out, b"\nxref\n").ok_or_else(bad)? + 1;
    let trailer = rfind(out, b"\ntrailer\n").ok_or_else(bad)? + 9;
    // The table: subsections "first count", then 20-byte entries.
    let table = std::str::from_utf8(&out[xref + 5..trailer - 9])?;
    let mut offsets: Vec<(usize, u32)> = Vec::new();
    let mut lines = table.lines();
    while let Some(head) = lines.next() {
        let mut hs = head.split_whitespace();
        let (Some(first), Some(count)) = (hs.next(), hs.next()) else {
            continue;
        };
        let (first, count): (u32, u32) = (first.parse()?, count.parse()?);
        for k in 0..count {
            let e = lines.next().ok_or_else(bad)?;
            if e.trim_end().ends_with('n') {
                offsets.push((e[..10].parse()?, first + k));
            }
        }
    }
    offsets.sort_unstable();
    let tail = &out[trailer..];
    let dict_end = rfind(tail, b">>").ok_or_else(bad)?;
    let dict = std::str::from_utf8(&tail[..dict_end])?;
    let size = int_after(dict.as_bytes(), b"/Size ").ok_or_else(bad)?;
    let info = int_after(dict.as_bytes(), b"/Info ");
    let root = int_after(dict.as_bytes(), b"/Root ");
    // What the trailer says besides /Size (Root, Info, ID).
    let rest = {
        let d = dict.trim_start_matches("<<");
        let after = d.split_once("/Size ").map_or(d, |(_, r)| r);
        after.trim_start_matches(|c: char| c.is_ascii_digit())
    };
    let first_at = offsets.first().ok_or_else(bad)?.0;
    // Object `i` of `offsets`: where it starts and its body (between
    // `obj` and `endobj`).
    let object = |i: usize| -> Result<(usize, &[u8])> {
        let at = offsets[i].0;
        let end = offsets.get(i + 1).map_or(xref, |e| e.0);
        let obj = &out[at..end];
        let body_start = obj
            .windows(5)
            .position(|w| w == b" obj\n")
            .ok_or_else(bad)?
            + 5;
        let body = obj[body_start..]
            .trim_ascii_end()
            .strip_suffix(b"endobj")
            .ok_or_else(bad)?
            .trim_ascii_end();
        Ok((end, body))
    };
    // Where each object number is in `offsets`.
    let mut index = vec![usize::MAX; size as usize];
    for (i, &(_, num)) in offsets.iter().enumerate() {
        if let Some(x) = index.get_mut(num as usize) {
            *x = i;
        }
    }
    let body_of = |num: u32| -> Result<&[u8]> {
        let i = *index.get(num as usize).ok_or_else(bad)?;
        if i == usize::MAX {
            return Err(bad());
        }
        Ok(object(i)?.1)
    };
    // The page tree: the catalog's /Pages (its kids in the order written).
    let pages_tree: Option<u32> = match (order, structure) {
        (None, None) => None,
        _ => {
            let root = root.ok_or_else(bad)?;
            int_after(body_of(root)?, b"/Pages ")
        }
    };
    // The structure tree, numbered after krilla's objects.
    let structure = match structure {
        None => Vec::new(),
        Some(tree) => {
            let kids = refs_in(body_of(pages_tree.ok_or_else(bad)?)?, b"/Kids[").ok_or_else(bad)?;
            let pages = kids
                .into_iter()
                .map(|num| {
                    let page = body_of(num)?;
                    Ok(PageObject {
                        num,
                        key: int_after(page, b"/StructParents "),
                        annots: refs_in(page, b"/Annots[").unwrap_or_default(),
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            tree.objects(size, &pages)?
        }
    };
    let catalog = if structure.is_empty() {
        catalog.to_vec()
    } else {
        let mut c = format!("/StructTreeRoot {size} 0 R/MarkInfo<</Marked true>>").into_bytes();
        c.extend_from_slice(catalog);
        c
    };
    // Each object, as it will be written: copied, a content stream to
    // compress, or packed into an object stream.
    enum Out<'a> {
        Copy(&'a [u8]),
        /// A stand-in's glyphs in the face's own program.
        Program(Vec<u8>),
        /// To deflate: the dictionary before and after `/Length`, the data.
        Deflate(&'a [u8], &'a [u8], &'a [u8]),
    }
    let mut direct: Vec<(u32, Out<'_>)> = Vec::new();
    let mut packed: Vec<(u32, std::borrow::Cow<'_, [u8]>)> = Vec::new();
    let mut catalog_found = false;
    let mut boxes: HashMap<u32, [f32; 4]> = HashMap::new();
    for (i, &(at, num)) in offsets.iter().enumerate() {
        let (end, body) = object(i)?;
        let obj = &out[at..end];
        if num as usize >= size as usize {
            continue;
        }
        if body.ends_with(b"endstream") {
            if let Some((real, bbox)) = real_program(body, programs)? {
                direct.push((num, Out::Program(real)));
                boxes.extend(bbox.map(|b| (num, b)));
                continue;
            }
            let out = unfiltered(body).map_or(Out::Copy(obj), |(a, b, d)| Out::Deflate(a, b, d));
            direct.push((num, out));
        } else if Some(num) == info {
            direct.push((num, Out::Copy(obj)));
        } else if Some(num) == root {
            let mut with = body.to_vec();
            // `/Suspects false` is the default; poppler (through at least
            // 22.x) reports a false value as "wrong type (boolean)", so the
            // entry is left out. PDF/UA only forbids `true`.
            if let Some(s) = rfind(&with, SUSPECTS) {
                with.drain(s..s + SUSPECTS.len());
            }
            let at = rfind(&with, b">>").ok_or_else(bad)?;
            with.splice(at..at, catalog.iter().copied());
            packed.push((num, with.into()));
            catalog_found = true;
        } else if let (Some(order), true) = (order, Some(num) == pages_tree) {
            packed.push((num, reordered_kids(body, order).ok_or_else(bad)?.into()));
        } else {
            packed.push((num, body.into()));
        }
    }
    if !catalog_found {
        return Err(anyhow!("PDF 没有目录对象"));
    }
    // The descriptor of a replaced program gets the box of its glyphs
    // (krilla measured the stand-in's, which have no outlines).
    if !boxes.is_empty() {
        for (_, body) in &mut packed {
            if let Some(b) = with_bbox(body, &boxes) {
                *body = b.into();
            }
        }
    }
    // The structure's objects were numbered from krilla's /Size on.
    let size = size + u32::try_from(structure.len()).map_err(|_| bad())?;
    packed.extend(structure.into_iter().map(|(n, b)| (n, b.into())));
    // Everything that is deflated, deflated side by side: the content
    // streams, then the object streams of 200 objects each.
    let chunks: Vec<_> = packed.chunks(200).collect();
    let heads: Vec<String> = chunks.iter().map(|c| object_stream(c)).collect();
    let deflated: Vec<Vec<u8>> = {
        use rayon::prelude::*;
        let contents = direct.par_iter().filter_map(|(_, o)| match o {
            Out::Deflate(_, _, data) => Some(deflate(&[data], level)),
            Out::Copy(_) | Out::Program(_) => None,
        });
        let streams = chunks.par_iter().zip(&heads).map(|(chunk, head)| {
            let mut all: Vec<&[u8]> = vec![head.as_bytes()];
            all.extend(chunk.iter().flat_map(|(_, b)| [&b[..], b"\n"]));
            deflate(&all, level)
        });
        contents.chain(streams).collect::<Result<_>>()?
    };
    let mut deflated = deflated.into_iter();
    let mut res = Vec::with_capacity(out.len() / 2);
    res.extend_from_slice(&out[..first_at]);
    // (kind, a, b) per object number: 1 = at offset a; 2 = in stream a, index b.
    let mut entries: Vec<(u8, u32, u16)> = vec![(0, 0, 0xFFFF); size as usize];
    let offset = |res: &Vec<u8>| u32::try_from(res.len()).unwrap_or(u32::MAX);
    for (num, o) in &direct {
        entries[*num as usize] = (1, offset(&res), 0);
        match o {
            Out::Copy(obj) => res.extend_from_slice(obj),
            Out::Deflate(before, after, _) => {
                let z = deflated.next().ok_or_else(bad)?;
                res.extend_from_slice(format!("{num} 0 obj\n").as_bytes());
                res.extend_from_slice(before);
                res.extend_from_slice(format!("/Length {}/Filter/FlateDecode", z.len()).as_bytes());
                res.extend_from_slice(after);
                res.extend_from_slice(b">>\nstream\n");
                res.extend_from_slice(&z);
                res.extend_from_slice(b"\nendstream\nendobj\n");
            }
            Out::Program(data) => {
                // Unfiltered: Type 2 glyph programs are already compact
                // (a notice's regular face deflates from 37,980 bytes only
                // to 34,302 at level 1 or 34,344 at level 6), and
                // deflating them was a tenth of a notice's time.
                res.extend_from_slice(
                    format!(
                        "{num} 0 obj\n<</Subtype/CIDFontType0C/Length {}>>\nstream\n",
                        data.len()
                    )
                    .as_bytes(),
                );
                res.extend_from_slice(data);
                res.extend_from_slice(b"\nendstream\nendobj\n");
            }
        }
    }
    let mut next = size;
    for (chunk, head) in chunks.iter().zip(&heads) {
        let stm = next;
        next += 1;
        for (k, (num, _)) in chunk.iter().enumerate() {
            entries[*num as usize] = (2, stm, u16::try_from(k).unwrap_or(0));
        }
        let z = deflated.next().ok_or_else(bad)?;
        entries.push((1, offset(&res), 0));
        res.extend_from_slice(
            format!(
                "{stm} 0 obj\n<</Type/ObjStm/N {}/First {}/Filter/FlateDecode/Length {}>>\nstream\n",
                chunk.len(),
                head.len(),
                z.len()
            )
            .as_bytes(),
        );
        res.extend_from_slice(&z);
        res.extend_from_slice(b"\nendstream\nendobj\n");
    }
    let xref_num = next;
    let xref_at = res.len();
    entries.push((1, u32::try_from(xref_at).unwrap_or(u32::MAX), 0));
    let mut raw = Vec::with_capacity(entries.len() * 7);
    for (kind, a, b) in &entries {
        raw.push(*kind);
        raw.extend_from_slice(&a.to_be_bytes());
        raw.extend_from_slice(&b.to_be_bytes());
    }
    let z = deflate(&[&raw], level)?;
    res.extend_from_slice(
        format!(
            "{xref_num} 0 obj\n<</Type/XRef/Size {}/W[1 4 2]/Filter/FlateDecode/Length {}{rest}>>\nstream\n",
            entries.len(),
            z.len()
        )
        .as_bytes(),
    );
    res.extend_from_slice(&z);
    res.extend_from_slice(format!("\nendstream\nendobj\nstartxref\n{xref_at}\n%%EOF\n").as_bytes());
    Ok(res)
}

/// A stand-in's real program and the bounding box of its glyphs.
type RealProgram = (Vec<u8>, Option<[f32; 4]>);

/// A font descriptor (`body`) whose `/FontFile3` is one of `boxes`, with
/// that `/FontBBox`; `None` for any other object.
fn with_bbox(body: &[u8], boxes: &HashMap<u32, [f32; 4]>) -> Option<Vec<u8>> {
    let b = boxes.get(&int_after(body, b"/FontFile3 ")?)?;
    let place = array_after(body, b"/FontBBox[")?;
    let numbers: Vec<String> = b
        .iter()
        .map(|v| {
            let v = (v * 1000.0).round() / 1000.0;
            if v.fract() == 0.0 {
                format!("{}", v as i64)
            } else {
                format!("{v}")
            }
        })
        .collect();
    let mut out = body[..place.start].to_vec();
    out.extend_from_slice(numbers.join(" ").as_bytes());
    out.extend_from_slice(&body[place.end..]);
    Some(out)
}

/// The real program of an embedded stand-in font (a `CIDFontType0C`
/// stream that holds a stand-in of one of `programs`, see
/// [`crate::layout::cff`]): the same glyphs in the same order, and their
/// bounding box. `None` for any other stream.
fn real_program(body: &[u8], programs: &[&Program]) -> Result<Option<RealProgram>> {
    if programs.is_empty() {
        return Ok(None);
    }
    let Some((dict, _, data)) = stream_parts(body) else {
        return Ok(None);
    };
    if !has(dict, b"/Subtype/CIDFontType0C") || !has(dict, b"/Filter/FlateDecode") {
        return Ok(None);
    }
    let bad = || anyhow!("PDF 字体数据无法识别");
    let mut inflater = libdeflater::Decompressor::new();
    let mut font = vec![0; data.len() * 8 + 1024];
    let n = loop {
        match inflater.zlib_decompress(data, &mut font) {
            Ok(n) => break n,
            Err(libdeflater::DecompressionError::InsufficientSpace) if font.len() < 1 << 30 => {
                font.resize(font.len() * 2, 0);
            }
            Err(_) => return Err(bad()),
        }
    };
    let Some((marker, gids)) = crate::layout::cff::stand_in_glyphs(&font[..n]) else {
        return Ok(None);
    };
    // A stand-in never reaches the file: its glyphs have no outlines.
    let program = programs
        .iter()
        .find(|p| p.marker == marker)
        .ok_or_else(|| anyhow!("PDF 里有未知字体的替身（标记 {marker}）"))?;
    let real = program.write(&gids).ok_or_else(bad)?;
    Ok(Some((real, program.bbox(&gids))))
}

/// A page tree (`<</Type/Pages/Count n/Kids[a 0 R b 0 R …]>>` as krilla
/// writes it) with its kids in `order`: `order[place]` is the kid now at
/// that place. `None` when it is not such a tree.
fn reordered_kids(body: &[u8], order: &[usize]) -> Option<Vec<u8>> {
    let place = array_after(body, b"/Kids[")?;
    let kids = refs(&body[place.clone()])?;
    if kids.len() != order.len() {
        return None;
    }
    let mut out = body[..place.start].to_vec();
    for (i, &k) in order.iter().enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        out.extend_from_slice(format!("{} 0 R", kids.get(k)?).as_bytes());
    }
    out.extend_from_slice(&body[place.end..]);
    Some(out)
}

/// How to write: tagged or not (tagging can be turned off to measure its
/// cost).
#[derive(Clone, Copy, Debug)]
pub struct Options {
    pub tagged: bool,
    /// Embed the CJK faces from their programs, prepared once (see
    /// [`crate::layout::cff`]): for a build's notices, a thousand files.
    /// Preparing takes longer than krilla's subsetting of one file, so
    /// anything else (a single notice, the booklet) leaves it off.
    pub programs: bool,
    /// The deflate level of the streams (libdeflate, 1 to 12).
    pub level: i32,
}

impl Default for Options {
    /// Tagged, unless `GUIDE_BENCH_UNTAGGED` is set: only for measuring
    /// what tagging costs (`bench/tagging.sh`); never set in use.
    fn default() -> Self {
        Options {
            tagged: std::env::var_os("GUIDE_BENCH_UNTAGGED").is_none(),
            programs: false,
            level: 6,
        }
    }
}

/// Writes `doc` as PDF bytes, fonts subset, byte-identical for the same input.
pub fn write(doc: &Document, fonts: &FontSet) -> Result<Vec<u8>> {
    write_with(doc, fonts, Options::default())
}

/// [`write`] with options.
pub fn write_with(doc: &Document, fonts: &FontSet, opts: Options) -> Result<Vec<u8>> {
    let mut w = Writer::new(doc, fonts, opts)?;
    // Every anchor known before the first page: a link may point forward
    // (the first page with an anchor is where it goes).
    for (i, p) in doc.pages.iter().enumerate() {
        for a in &p.anchors {
            w.anchors.entry(a.clone()).or_insert(i);
        }
    }
    for (i, p) in doc.pages.iter().enumerate() {
        w.page(i, p)?;
    }
    w.finish(doc)
}

/// Writes the pages of a document as they come, not necessarily in their
/// order, and puts them in order when it finishes. The booklet's matters
/// are written as soon as each is laid out, while the rest are still being
/// laid out; its contents, which need every matter's page number, come
/// last and are moved to their place.
pub struct Writer<'a> {
    pdf: krilla::Document,
    fonts: &'a FontSet,
    ink: Ink,
    opts: Options,
    tree: Tree,
    /// Anchor → page (in the order written). A link to an anchor goes to
    /// the page written with it, so it must be written after that page.
    anchors: HashMap<String, usize>,
    /// The place in the document (0-based) of each page, in the order
    /// written.
    places: Vec<usize>,
}

impl<'a> Writer<'a> {
    /// A writer for `doc`'s pages (its title, author, subject, date, inks
    /// and kind are used; its pages and bookmarks are not).
    pub fn new(doc: &Document, fonts: &'a FontSet, opts: Options) -> Result<Writer<'a>> {
        let configuration = if doc.archival {
            ConfigurationBuilder::new()
                .with_archival_validator(Archival::A2_B)
                .finish()
                .map_err(|e| anyhow!("PDF/A 设置无效：{e:?}"))?
        } else {
            Configuration::default()
        };
        let settings = krilla::SerializeSettings {
            enable_tagging: opts.tagged,
            configuration,
            // Compressed by `pack`, all pages at once on the thread pool.
            compress_content_streams: false,
            ..Default::default()
        };
        // An archival record is written for screen and office printers: its
        // colours are calibrated (sRGB, sGray), never device CMYK.
        let ink = if doc.archival { Ink::Screen } else { doc.ink };
        let mut pdf = krilla::Document::new_with(settings);
        pdf.set_metadata(metadata(doc));
        Ok(Writer {
            pdf,
            fonts,
            ink,
            opts,
            tree: Tree::default(),
            anchors: HashMap::new(),
            places: Vec::new(),
        })
    }

    /// Writes `p`, the page at `place` (0-based) in the document.
    pub fn page(&mut self, place: usize, p: &Page) -> Result<()> {
        let written = self.places.len();
        self.places.push(place);
        for a in &p.anchors {
            self.anchors.entry(a.clone()).or_insert(written);
        }
        self.tree.begin_page(place);
        // In whole hundredths of a millimetre: paper sizes stay exact.
        let mm = |pt: f32| (pt * 25.4 / 72.0 * 100.0).round() / 100.0 * 72.0 / 25.4;
        let settings = PageSettings::from_wh(mm(p.width), mm(p.height))
            .context("页面尺寸无效")?
            .with_trim_box(p.trim.and_then(rect))
            .with_bleed_box(p.bleed.and_then(rect));
        let mut page = self.pdf.start_page_with(settings);
        let links = {
            let mut surface = page.surface();
            let mut w = PageWriter {
                programs: self.opts.programs,
                fonts: self.fonts,
                ink: self.ink,
                tree: &mut self.tree,
                open: Open::Nothing,
            };
            let links = w.draw(&mut surface, &p.items);
            surface.finish();
            links
        };
        for (node, i) in links {
            let Some(a) = annotation(&p.items[i], &self.anchors) else {
                continue;
            };
            page.add_tagged_annotation(a);
            // A link outside any element stands at the top level.
            let n = node.unwrap_or_else(|| self.tree.link(None));
            self.tree.annotation(n);
        }
        page.finish();
        self.tree.end_page();
        Ok(())
    }

    /// The PDF, its pages in document order, with `doc`'s bookmarks.
    pub fn finish(mut self, doc: &Document) -> Result<Vec<u8>> {
        // written[place]: the page written for each place.
        let mut written = vec![usize::MAX; self.places.len()];
        for (k, &place) in self.places.iter().enumerate() {
            match written.get_mut(place) {
                Some(w) if *w == usize::MAX => *w = k,
                _ => return Err(anyhow!("页面 {} 写了两次或超出范围", place + 1)),
            }
        }
        if !doc.bookmarks.is_empty() {
            self.pdf.set_outline(outline(&doc.bookmarks, &written));
        }
        let out = self
            .pdf
            .finish()
            .map_err(|e| anyhow!("无法生成 PDF：{e:?}"))?;
        // krilla sets no page mode: with an outline, open it beside the pages.
        let catalog: &[u8] = if doc.bookmarks.is_empty() {
            b""
        } else {
            b"/PageMode/UseOutlines"
        };
        let in_order = written.iter().enumerate().all(|(i, &k)| i == k);
        let programs: Vec<&Program> = if self.opts.programs {
            [&self.fonts.regular, &self.fonts.bold]
                .iter()
                .filter_map(|f| f.embedding().map(|e| &e.program))
                .collect()
        } else {
            Vec::new()
        };
        pack(
            &out,
            catalog,
            (!in_order).then_some(&written[..]),
            &programs,
            self.opts.tagged.then_some(&self.tree),
            self.opts.level,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::text::span;
    use crate::layout::{Element, Face, Page, Role, Tag};
    use lopdf::Object;

    fn fonts() -> &'static FontSet {
        static F: std::sync::OnceLock<FontSet> = std::sync::OnceLock::new();
        F.get_or_init(FontSet::default_fonts)
    }

    fn run(text: &str, x: f32, y: f32, color: Rgb) -> Item {
        let s = span(text, Face::Regular, 10.0, color);
        let mut lines =
            crate::layout::text::lay_out(&[s], 400.0, crate::layout::text::Align::Left, fonts());
        let mut r = lines.remove(0).runs.remove(0);
        r.x = x;
        r.y = y;
        Item::Text(r)
    }

    fn doc(items: Vec<Item>) -> Document {
        Document {
            title: "测试".into(),
            author: "测试市".into(),
            subject: "办事指南".into(),
            date: "2026-06-01".into(),
            pages: vec![Page {
                width: 419.53,
                height: 595.28,
                items,
                ..Page::default()
            }],
            ..Document::default()
        }
    }

    fn load(bytes: &[u8]) -> lopdf::Document {
        lopdf::Document::load_mem(bytes).expect("a PDF lopdf reads")
    }

    /// Every operator of the first page's content, with its operands.
    fn ops(pdf: &lopdf::Document) -> Vec<(String, Vec<Object>)> {
        let page = *pdf.get_pages().values().next().unwrap();
        pdf.get_and_decode_page_content(page)
            .unwrap()
            .operations
            .into_iter()
            .map(|o| (o.operator, o.operands))
            .collect()
    }

    fn nums(v: &[Object]) -> Vec<f32> {
        v.iter().filter_map(|o| o.as_float().ok()).collect()
    }

    fn page_box(pdf: &lopdf::Document, key: &[u8]) -> Option<Vec<f32>> {
        let page = *pdf.get_pages().values().next().unwrap();
        let d = pdf.get_dictionary(page).unwrap();
        d.get(key).ok().map(|o| nums(o.as_array().unwrap()))
    }

    fn close(a: &[f32], b: &[f32]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 0.02)
    }

    #[test]
    fn a_bracket_set_right_to_left_is_drawn_mirrored_and_keeps_its_character() {
        use crate::layout::text::{Align, lay_out};
        let face = fonts().face(Face::Regular);
        let id = |c: char| GlyphId::new(u32::from(face.glyph(c).unwrap()));
        for (name, pairs) in [
            ("ئابدۇرېھىم (ئابدۇللا)", [('(', ')'), (')', '(')]),
            ("مۇھەممەت [تەكشۈرۈش]", [('[', ']'), (']', '[')]),
            ("ئابدۇرېھىم（ئابدۇللا）", [('（', '）'), ('）', '（')]),
            // Left to right, a bracket is itself.
            ("张三（李四）", [('（', '（'), ('）', '）')]),
        ] {
            let s = span(format!("申请人：{name}"), Face::Regular, 10.0, Rgb::BLACK);
            let lines = lay_out(&[s], 400.0, Align::Left, fonts());
            for (typed, drawn) in pairs {
                let run = lines[0]
                    .runs
                    .iter()
                    .find(|r| r.text.contains(typed))
                    .unwrap_or_else(|| panic!("{name}: {typed}"));
                let at = run.text.find(typed).unwrap();
                let g = glyphs(run, face);
                let g = g.iter().find(|g| g.text_range.start == at).unwrap();
                assert_eq!(g.glyph_id, id(drawn), "{name}: {typed}");
                assert_eq!(&run.text[g.text_range.clone()], typed.to_string());
            }
        }
    }

    #[test]
    fn trim_and_bleed_boxes_are_written_inside_the_sheet() {
        let mut d = doc(vec![run("正文", 40.0, 60.0, Rgb::BLACK)]);
        // An A5 page on a sheet 9 mm larger, 3 mm bleed.
        let mm = 72.0 / 25.4;
        let p = &mut d.pages[0];
        p.width = (148.0 + 18.0) * mm;
        p.height = (210.0 + 18.0) * mm;
        p.trim = Some(Area {
            x: 9.0 * mm,
            y: 9.0 * mm,
            w: 148.0 * mm,
            h: 210.0 * mm,
        });
        p.bleed = Some(Area {
            x: 6.0 * mm,
            y: 6.0 * mm,
            w: 154.0 * mm,
            h: 216.0 * mm,
        });
        let pdf = load(&write(&d, fonts()).unwrap());
        let media = page_box(&pdf, b"MediaBox").unwrap();
        assert!(
            close(&media, &[0.0, 0.0, 166.0 * mm, 228.0 * mm]),
            "{media:?}"
        );
        let trim = page_box(&pdf, b"TrimBox").unwrap();
        assert!(
            close(&trim, &[9.0 * mm, 9.0 * mm, 157.0 * mm, 219.0 * mm]),
            "{trim:?}"
        );
        let bleed = page_box(&pdf, b"BleedBox").unwrap();
        assert!(
            close(&bleed, &[6.0 * mm, 6.0 * mm, 160.0 * mm, 222.0 * mm]),
            "{bleed:?}"
        );
        // Without them, none is claimed.
        let plain = load(&write(&doc(vec![]), fonts()).unwrap());
        assert!(page_box(&plain, b"TrimBox").is_none());
        assert!(page_box(&plain, b"BleedBox").is_none());
    }

    /// The colour-setting operators of a page and their operands.
    fn colours(pdf: &lopdf::Document) -> Vec<(String, Vec<f32>)> {
        ops(pdf)
            .into_iter()
            .filter(|(op, _)| {
                [
                    "g", "G", "rg", "RG", "k", "K", "sc", "SC", "scn", "SCN", "cs", "CS",
                ]
                .contains(&op.as_str())
            })
            .map(|(op, v)| {
                let n = nums(&v);
                let name = v
                    .iter()
                    .find_map(|o| o.as_name().ok())
                    .map(|n| String::from_utf8_lossy(n).into_owned());
                (
                    format!("{op}{}", name.map(|n| format!(" {n}")).unwrap_or_default()),
                    n,
                )
            })
            .collect()
    }

    /// The colour spaces named in the page's resources.
    fn spaces(pdf: &lopdf::Document) -> String {
        let page = *pdf.get_pages().values().next().unwrap();
        let (res, _) = pdf.get_page_resources(page).unwrap();
        format!("{res:?}")
    }

    fn coloured_page(ink: Ink) -> lopdf::Document {
        let accent = Rgb::hex(0x1f5fa8);
        let mut d = doc(vec![
            run("黑色正文", 40.0, 60.0, Rgb::BLACK),
            run("灰色", 40.0, 80.0, Rgb::hex(0x555555)),
            Item::Rect {
                x: 0.0,
                y: 0.0,
                w: 20.0,
                h: 100.0,
                fill: Some(accent),
                stroke: None,
            },
            Item::Line {
                x1: 40.0,
                y1: 90.0,
                x2: 200.0,
                y2: 90.0,
                stroke: Stroke {
                    color: accent,
                    width: 0.5,
                    dash: None,
                },
            },
        ]);
        d.ink = ink;
        load(&write(&d, fonts()).unwrap())
    }

    #[test]
    fn the_print_edition_is_all_cmyk_with_black_and_greys_k_only() {
        let pdf = coloured_page(Ink::Print);
        let c = colours(&pdf);
        let all = format!("{c:?} {}", spaces(&pdf));
        assert!(!all.contains("RGB") && !all.contains("Gray"), "{all}");
        assert!(
            !c.iter()
                .any(|(op, _)| ["g", "G", "rg", "RG"].contains(&op.as_str())),
            "{c:?}"
        );
        // Black text: 0 0 0 1; the grey: K only; the accent in CMYK.
        let fills: Vec<&Vec<f32>> = c
            .iter()
            .filter(|(op, _)| op == "k" || op == "sc" || op == "scn")
            .map(|(_, v)| v)
            .collect();
        assert!(
            fills.iter().any(|v| close(v, &[0.0, 0.0, 0.0, 1.0])),
            "{c:?}"
        );
        let grey = cmyk(Rgb::hex(0x555555));
        assert_eq!(&grey[..3], &[0, 0, 0]);
        assert!(
            fills
                .iter()
                .any(|v| close(v, &[0.0, 0.0, 0.0, f32::from(grey[3]) / 255.0])),
            "{c:?}"
        );
        let [cc, m, y, k] = cmyk(Rgb::hex(0x1f5fa8)).map(|b| f32::from(b) / 255.0);
        assert!(fills.iter().any(|v| close(v, &[cc, m, y, k])), "{c:?}");
        assert!(cc > 0.5 && k > 0.0, "a blue is mostly cyan");
    }

    #[test]
    fn the_screen_edition_sets_colours_in_rgb_and_black_text_as_pure_k() {
        let pdf = coloured_page(Ink::Screen);
        let c = colours(&pdf);
        let all = format!("{c:?} {}", spaces(&pdf));
        assert!(!all.contains("CMYK"), "{all}");
        // Black text in gray 0 (pure K on any press), the accent in RGB.
        assert!(
            c.iter().any(
                |(op, v)| (op == "g" || op.starts_with("sc") || op == "cs DeviceGray")
                    && v.as_slice() == [0.0]
            ),
            "{c:?}"
        );
        assert!(
            !c.iter().any(|(_, v)| close(v, &[0.0, 0.0, 0.0])),
            "no RGB black: {c:?}"
        );
        let [r, g, b] = [0x1f, 0x5f, 0xa8].map(|v: u8| f32::from(v) / 255.0);
        assert!(c.iter().any(|(_, v)| close(v, &[r, g, b])), "{c:?}");
    }

    #[test]
    fn the_same_document_gives_the_same_bytes() {
        let d = doc(vec![run("居住证", 40.0, 60.0, Rgb::BLACK)]);
        assert!(write(&d, fonts()).unwrap() == write(&d, fonts()).unwrap());
    }

    #[test]
    fn no_pdf_x_or_pdf_a_claim_without_its_output_intent() {
        let bytes = write(&doc(vec![run("正文", 40.0, 60.0, Rgb::BLACK)]), fonts()).unwrap();
        let pdf = load(&bytes);
        let cat = pdf.catalog().unwrap();
        assert!(cat.get(b"OutputIntents").is_err());
        let raw = String::from_utf8_lossy(&bytes);
        assert!(!raw.contains("GTS_PDFX") && !raw.contains("pdfxid") && !raw.contains("pdfaid"));
    }

    /// The structure tree as (depth, role, alt) in order, from the
    /// catalog's StructTreeRoot.
    fn structure(pdf: &lopdf::Document) -> Vec<(usize, String, Option<String>)> {
        fn walk(
            pdf: &lopdf::Document,
            o: &Object,
            depth: usize,
            out: &mut Vec<(usize, String, Option<String>)>,
        ) {
            let o = match o {
                Object::Reference(r) => match pdf.get_object(*r) {
                    Ok(o) => o,
                    Err(_) => return,
                },
                o => o,
            };
            match o {
                Object::Array(a) => {
                    for k in a {
                        walk(pdf, k, depth, out);
                    }
                }
                Object::Dictionary(d) => {
                    let Ok(s) = d.get(b"S").and_then(|s| s.as_name()) else {
                        return;
                    };
                    let alt = d.get(b"Alt").ok().and_then(|a| a.as_str().ok()).map(|s| {
                        let units: Vec<u16> = s[2..]
                            .chunks(2)
                            .map(|c| u16::from_be_bytes([c[0], c[1]]))
                            .collect();
                        String::from_utf16_lossy(&units)
                    });
                    out.push((depth, String::from_utf8_lossy(s).into_owned(), alt));
                    if let Ok(k) = d.get(b"K") {
                        walk(pdf, k, depth + 1, out);
                    }
                }
                _ => {}
            }
        }
        let root = pdf
            .catalog()
            .unwrap()
            .get(b"StructTreeRoot")
            .unwrap()
            .as_reference()
            .unwrap();
        let root = pdf.get_dictionary(root).unwrap();
        let mut out = Vec::new();
        walk(pdf, root.get(b"K").unwrap(), 0, &mut out);
        out
    }

    fn tagged_doc() -> Document {
        let h = Tag::new(vec![Element::new(Role::Heading(1))]);
        let p = Tag::new(vec![Element::new(Role::Paragraph)]);
        let list = Element::new(Role::List);
        let li = Tag::new(vec![list, Element::new(Role::ListItem)]);
        let table = Element::new(Role::Table);
        let head = Tag::new(vec![table.clone(), Element::new(Role::Row)]);
        let row = Tag::new(vec![table, Element::new(Role::Row)]);
        // Furniture first: a running head.
        let mut items = vec![run("办事指南", 40.0, 20.0, Rgb::hex(0x555555))];
        items.extend(h.wrap([run("居住证申领", 40.0, 60.0, Rgb::BLACK)]));
        let link = LinkTarget::Uri("https://zwfw.example.gov.cn".into());
        let mut linked = run("网站", 100.0, 80.0, Rgb::BLACK);
        if let Item::Text(r) = &mut linked {
            r.link = Some(link.clone());
        }
        items.extend(p.wrap([
            run("详见", 40.0, 80.0, Rgb::BLACK),
            Item::Link {
                x: 100.0,
                y: 70.0,
                w: 20.0,
                h: 12.0,
                target: link,
            },
            linked,
        ]));
        items.extend(
            li.child(Element::new(Role::Label))
                .wrap([run("①", 40.0, 100.0, Rgb::BLACK)]),
        );
        items.extend(li.child(Element::new(Role::ListBody)).wrap([run(
            "居民身份证",
            60.0,
            100.0,
            Rgb::BLACK,
        )]));
        for (i, t) in ["材料", "形式"].into_iter().enumerate() {
            let x = 40.0 + 100.0 * i as f32;
            items.extend(head.child(Element::new(Role::HeaderCell)).wrap([run(
                t,
                x,
                130.0,
                Rgb::BLACK,
            )]));
        }
        // A wrapped first cell: both its lines come before the next cell.
        let first = row.child(Element::new(Role::Cell));
        items.extend(first.wrap([
            run("居住登记凭", 40.0, 150.0, Rgb::BLACK),
            run("证", 40.0, 165.0, Rgb::BLACK),
        ]));
        items.extend(row.child(Element::new(Role::Cell)).wrap([run(
            "电子",
            140.0,
            150.0,
            Rgb::BLACK,
        )]));
        items.extend(crate::layout::qr(
            "https://zwfw.example.gov.cn/m/1",
            200.0,
            200.0,
            60.0,
        ));
        // A page number.
        items.push(run("12", 200.0, 580.0, Rgb::BLACK));
        doc(items)
    }

    #[test]
    fn the_structure_tree_has_headings_lists_tables_links_and_figures_in_reading_order() {
        let bytes = write(&tagged_doc(), fonts()).unwrap();
        let pdf = load(&bytes);
        let cat = pdf.catalog().unwrap();
        assert_eq!(cat.get(b"Lang").unwrap().as_str().unwrap(), b"zh-CN");
        let mark = cat.get(b"MarkInfo").unwrap();
        let mark = match mark {
            Object::Reference(r) => pdf.get_dictionary(*r).unwrap(),
            o => o.as_dict().unwrap(),
        };
        assert!(mark.get(b"Marked").unwrap().as_bool().unwrap());
        // Left out (false is the default): poppler calls a false value
        // the wrong type.
        assert!(mark.get(b"Suspects").is_err(), "{mark:?}");
        let s = structure(&pdf);
        let roles: Vec<&str> = s.iter().map(|(_, r, _)| r.as_str()).collect();
        assert_eq!(
            roles,
            [
                "Document", "H1", "P", "Link", "L", "LI", "Lbl", "LBody", "Table", "TR", "TH",
                "TH", "TR", "TD", "TD", "Figure"
            ],
            "{s:?}"
        );
        let figure = s.iter().find(|(_, r, _)| r == "Figure").unwrap();
        assert_eq!(
            figure.2.as_deref(),
            Some("二维码：https://zwfw.example.gov.cn/m/1")
        );
        // Nesting: cells in rows in the table, the link in its paragraph.
        let depth = |role: &str| s.iter().find(|(_, r, _)| r == role).unwrap().0;
        assert_eq!(depth("TD"), depth("TR") + 1);
        assert_eq!(depth("TR"), depth("Table") + 1);
        assert_eq!(depth("Link"), depth("P") + 1);
        // The furniture is marked as artifacts.
        let content = ops(&pdf);
        let artifacts = content
            .iter()
            .filter(|(op, v)| {
                op == "BDC" && v.first().and_then(|o| o.as_name().ok()) == Some(b"Artifact")
            })
            .count();
        assert!(artifacts >= 2, "running head and page number");
        // The link annotation is in the structure (StructParent).
        let page = *pdf.get_pages().values().next().unwrap();
        let annots = pdf.get_page_annotations(page).unwrap();
        assert_eq!(annots.len(), 1);
        assert!(annots[0].get(b"StructParent").is_ok());
    }

    #[test]
    fn small_objects_are_packed_into_compressed_object_streams() {
        let bytes = write(&tagged_doc(), fonts()).unwrap();
        let raw = String::from_utf8_lossy(&bytes);
        assert!(raw.contains("/Type/ObjStm") && raw.contains("/Type/XRef"));
        assert!(
            !raw.contains("/StructElem") && !raw.contains("\nxref\n"),
            "packed"
        );
        // The document information stays readable as it is (a notice is
        // recognised by it before being replaced).
        assert!(raw.contains("/Producer(guide)"));
        let pdf = load(&bytes);
        assert_eq!(pdf.get_pages().len(), 1);
        assert!(!structure(&pdf).is_empty());
    }

    /// Page contents and character maps are left raw by krilla and
    /// deflated by `pack` (on the thread pool); only the XMP metadata
    /// stays plain, and a face's prepared glyph program (which deflates
    /// by a tenth). Each stream inflates to what it was.
    #[test]
    fn every_stream_but_the_metadata_and_glyph_programs_is_compressed_and_inflates() {
        for (archival, programs) in [(false, false), (true, false), (true, true)] {
            let mut d = tagged_doc();
            d.archival = archival;
            // The build's notices: their programs, deflated at level 1.
            let opts = if programs {
                crate::render::notice_options()
            } else {
                Options::default()
            };
            let pdf = load(&write_with(&d, fonts(), opts).unwrap());
            let mut contents = 0;
            let mut glyph_programs = 0;
            for obj in pdf.objects.values() {
                let Ok(stream) = obj.as_stream() else {
                    continue;
                };
                let ty = stream.dict.get(b"Type").and_then(Object::as_name).ok();
                if ty == Some(&b"Metadata"[..]) {
                    assert!(stream.dict.get(b"Filter").is_err());
                    continue;
                }
                if ty == Some(&b"ObjStm"[..]) || ty == Some(&b"XRef"[..]) {
                    continue;
                }
                let subtype = stream.dict.get(b"Subtype").and_then(Object::as_name).ok();
                if programs && subtype == Some(&b"CIDFontType0C"[..]) {
                    assert!(stream.dict.get(b"Filter").is_err());
                    assert!(stream.content.len() > 100);
                    glyph_programs += 1;
                    continue;
                }
                assert_eq!(
                    stream.dict.get(b"Filter").and_then(Object::as_name).ok(),
                    Some(&b"FlateDecode"[..]),
                    "{:?}",
                    stream.dict
                );
                let raw = stream.decompressed_content().expect("inflates");
                assert!(!raw.is_empty());
                contents += usize::from(raw.windows(3).any(|w| w == b" Tf"));
            }
            assert!(contents >= 1, "a page's text drawn");
            assert_eq!(
                glyph_programs > 0,
                programs,
                "{glyph_programs} glyph programs"
            );
            // And the page's operators read back.
            assert!(ops(&pdf).iter().any(|(op, _)| op == "TJ" || op == "Tj"));
        }
    }

    /// A QR code's modules are one shape, filled once: no seams between
    /// neighbouring modules, and a page content a third smaller.
    #[test]
    fn a_qr_code_is_one_filled_path() {
        let items = crate::layout::qr("https://zwfw.example.gov.cn/m/1", 20.0, 20.0, 60.0);
        let Some(&Item::Grid {
            cell, ref squares, ..
        }) = items.iter().find(|i| matches!(i, Item::Grid { .. }))
        else {
            panic!("no grid")
        };
        let squares = squares.len();
        assert!(squares > 30, "{squares}");
        let pdf = load(&write(&doc(items), fonts()).unwrap());
        let ops = ops(&pdf);
        let fills = ops.iter().filter(|(op, _)| op == "f").count();
        // The white quiet zone, then every module at once.
        assert_eq!(fills, 2, "{ops:?}");
        let closed = ops.iter().filter(|(op, _)| op == "h").count();
        assert_eq!(closed, squares + 1);
        // Drawn in cells: the grid's transform, then whole numbers of
        // cells (and the overlap).
        let cm: Vec<Vec<f32>> = ops
            .iter()
            .filter(|(op, _)| op == "cm")
            .map(|(_, v)| nums(v))
            .collect();
        assert!(
            cm.iter()
                .any(|m| close(m, &[cell, 0.0, 0.0, -cell, 20.0, 595.28 - 20.0])),
            "{cm:?}"
        );
    }

    #[test]
    fn untagged_output_has_no_structure() {
        let opts = Options {
            tagged: false,
            ..Options::default()
        };
        let bytes = write_with(&tagged_doc(), fonts(), opts).unwrap();
        let pdf = load(&bytes);
        assert!(pdf.catalog().unwrap().get(b"StructTreeRoot").is_err());
    }

    #[test]
    fn an_archival_document_is_pdf_a_2b_with_its_output_intent() {
        let mut d = tagged_doc();
        d.archival = true;
        let bytes = write(&d, fonts()).unwrap();
        let pdf = load(&bytes);
        let cat = pdf.catalog().unwrap();
        let intents = cat.get(b"OutputIntents").unwrap();
        let intents = match intents {
            Object::Reference(r) => pdf.get_object(*r).unwrap().as_array().unwrap().clone(),
            o => o.as_array().unwrap().clone(),
        };
        let oi = pdf
            .get_dictionary(intents[0].as_reference().unwrap())
            .unwrap();
        assert_eq!(oi.get(b"S").unwrap().as_name().unwrap(), b"GTS_PDFA1");
        assert!(oi.get(b"DestOutputProfile").is_ok(), "an ICC profile");
        let raw = String::from_utf8_lossy(&bytes);
        assert!(
            raw.contains("<pdfaid:part>2</pdfaid:part>"),
            "XMP says PDF/A-2"
        );
        assert!(raw.contains("<pdfaid:conformance>B</pdfaid:conformance>"));
        // No device colours in a PDF/A without a CMYK intent.
        assert!(!spaces(&pdf).contains("DeviceCMYK"));
    }
}
