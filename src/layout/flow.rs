//! Blocks flowing down pages: headings kept with what follows, paragraphs
//! split with at least two lines on each side, tables with repeated headers
//! and rows kept whole, and a hook that draws each page's furniture.

use super::table::{self, Table};
use super::text::{self, Align, Line, Span};
use super::{Item, Metrics, Page, Rgb, Stroke};

/// Page size and the frame the body text flows in, in points.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Geometry {
    pub width: f32,
    pub height: f32,
    pub top: f32,
    pub bottom: f32,
    /// Inner (binding side) and outer margins; odd pages have the binding on
    /// the left.
    pub inner: f32,
    pub outer: f32,
}

impl Geometry {
    pub fn body_width(&self) -> f32 {
        self.width - self.inner - self.outer
    }

    pub fn body_height(&self) -> f32 {
        self.height - self.top - self.bottom
    }

    /// Left edge of the body on the page with 0-based index `page`.
    pub fn left(&self, page: usize) -> f32 {
        if page.is_multiple_of(2) {
            self.inner
        } else {
            self.outer
        }
    }
}

/// Paragraph settings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParStyle {
    pub align: Align,
    /// Line height as a multiple of the largest font size on the line.
    pub leading: f32,
    pub indent: f32,
    pub space_before: f32,
    pub space_after: f32,
}

impl Default for ParStyle {
    fn default() -> Self {
        ParStyle {
            align: Align::Justify,
            leading: 1.6,
            indent: 0.0,
            space_before: 0.0,
            space_after: 0.0,
        }
    }
}

/// A laid-out piece waiting to be placed: lines with their heights.
struct Lines {
    lines: Vec<Line>,
    heights: Vec<f32>,
    indent: f32,
    /// Something drawn left of the first line (a list marker).
    marker: Option<Marker>,
}

/// What hangs left of a list item's first line.
enum Marker {
    Text(Vec<Line>),
    /// A drawn square (never a glyph), ticked or empty.
    Checkbox {
        ticked: bool,
        color: Rgb,
    },
}

/// Flows blocks into pages.
pub struct Flow<'m> {
    pub geometry: Geometry,
    metrics: &'m dyn Metrics,
    pub pages: Vec<Page>,
    /// Distance from the top of the body frame on the current page.
    y: f32,
    /// A heading waiting to be placed with what follows it.
    pending: Vec<(Lines, ParStyle, Option<String>)>,
}

impl<'m> Flow<'m> {
    pub fn new(geometry: Geometry, metrics: &'m dyn Metrics) -> Flow<'m> {
        let mut f = Flow {
            geometry,
            metrics,
            pages: Vec::new(),
            y: 0.0,
            pending: Vec::new(),
        };
        f.new_page();
        f
    }

    pub fn metrics(&self) -> &'m dyn Metrics {
        self.metrics
    }

    fn page(&mut self) -> &mut Page {
        self.pages.last_mut().expect("a page")
    }

    fn page_index(&self) -> usize {
        self.pages.len() - 1
    }

    /// The current page's body left edge.
    pub fn left(&self) -> f32 {
        self.geometry.left(self.page_index())
    }

    /// Distance from the page top of the next thing placed.
    pub fn cursor(&self) -> f32 {
        self.geometry.top + self.y
    }

    pub fn room(&self) -> f32 {
        self.geometry.body_height() - self.y
    }

    pub fn new_page(&mut self) {
        self.pages.push(Page {
            width: self.geometry.width,
            height: self.geometry.height,
            ..Page::default()
        });
        self.y = 0.0;
    }

    /// Starts a new page unless the current one is still empty.
    pub fn page_break(&mut self) {
        if self.y > 0.0 || !self.pages.last().is_some_and(|p| p.items.is_empty()) {
            self.new_page();
        }
    }

    /// Starts a new page that is a right-hand (odd) page.
    pub fn recto_break(&mut self) {
        self.page_break();
        if self.page_index() % 2 == 1 {
            self.new_page();
        }
    }

    pub fn space(&mut self, h: f32) {
        if self.y > 0.0 {
            self.y = (self.y + h).min(self.geometry.body_height());
        }
    }

    /// Names this place (for links and bookmarks).
    pub fn anchor(&mut self, name: &str) {
        self.page().anchors.push(name.to_owned());
    }

    fn lay(&self, spans: &[Span], style: &ParStyle, width: f32) -> Lines {
        let lines = text::lay_out(spans, width - style.indent, style.align, self.metrics);
        let heights = lines.iter().map(|l| l.size * style.leading).collect();
        Lines {
            lines,
            heights,
            indent: style.indent,
            marker: None,
        }
    }

    /// A heading: kept on the page with the first lines of what follows.
    pub fn heading(&mut self, spans: &[Span], style: ParStyle, anchor: Option<&str>) {
        let lines = self.lay(spans, &style, self.geometry.body_width());
        self.pending.push((lines, style, anchor.map(str::to_owned)));
    }

    fn pending_height(&self) -> f32 {
        self.pending
            .iter()
            .map(|(l, s, _)| s.space_before + l.heights.iter().sum::<f32>() + s.space_after)
            .sum()
    }

    /// Places pending headings, first moving to a new page if they and
    /// `following` points of what comes next do not fit.
    fn flush_pending(&mut self, following: f32) {
        if self.pending.is_empty() {
            return;
        }
        if self.pending_height() + following > self.room() + 0.01 && self.y > 0.0 {
            self.new_page();
        }
        for (lines, style, anchor) in std::mem::take(&mut self.pending) {
            if let Some(a) = anchor {
                self.anchor(&a);
            }
            self.space(style.space_before);
            self.put_lines(&lines, 0, lines.lines.len());
            self.y += style.space_after;
        }
    }

    fn put_lines(&mut self, l: &Lines, from: usize, to: usize) {
        let left = self.left();
        for i in from..to {
            let h = l.heights[i];
            let line = &l.lines[i];
            // Baseline: the line box is h tall; the text sits at ~78% of it
            // when h is 1.6 × size (ascent ~0.88 em, centred).
            let baseline = self.geometry.top + self.y + (h - line.size) / 2.0 + line.size * 0.88;
            match (i, &l.marker) {
                (0, Some(Marker::Text(marker))) => {
                    for m in marker {
                        for r in &m.runs {
                            let mut r = r.clone();
                            r.x += left;
                            r.y = baseline;
                            self.page().items.push(Item::Text(r));
                        }
                    }
                }
                (0, Some(Marker::Checkbox { ticked, color })) => {
                    let items = checkbox(left, baseline, line.size, *ticked, *color);
                    self.page().items.extend(items);
                }
                _ => {}
            }
            for r in &line.runs {
                let mut r = r.clone();
                r.x += left + l.indent;
                r.y = baseline;
                if let Some(t) = &r.link {
                    let item = Item::Link {
                        x: r.x,
                        y: baseline - r.size * 0.9,
                        w: r.width,
                        h: r.size * 1.15,
                        target: t.clone(),
                    };
                    self.page().items.push(item);
                }
                self.page().items.push(Item::Text(r));
            }
            self.y += h;
        }
    }

    /// Places laid-out lines, splitting across pages with at least two lines
    /// on each side (widows and orphans).
    fn place(&mut self, l: Lines, style: &ParStyle) {
        let n = l.lines.len();
        let first_two: f32 = l.heights.iter().take(2).sum();
        self.flush_pending(style.space_before + first_two);
        self.space(style.space_before);
        let mut from = 0;
        while from < n {
            let room = self.room();
            let mut fit = 0;
            let mut h = 0.0;
            while from + fit < n && h + l.heights[from + fit] <= room + 0.01 {
                h += l.heights[from + fit];
                fit += 1;
            }
            let rest = n - from - fit;
            if rest > 0 {
                // Keep two lines together at each side of the break.
                if rest == 1 && fit > 2 {
                    fit -= 1;
                }
                if fit < 2 && n - from >= 2 && self.y > 0.0 {
                    fit = 0;
                }
            }
            if fit == 0 {
                if self.y == 0.0 {
                    fit = 1; // a line taller than the page: place it anyway
                } else {
                    self.new_page();
                    continue;
                }
            }
            self.put_lines(&l, from, from + fit);
            from += fit;
            if from < n {
                self.new_page();
            }
        }
        self.y += style.space_after;
    }

    /// A paragraph.
    pub fn paragraph(&mut self, spans: &[Span], style: ParStyle) {
        let lines = self.lay(spans, &style, self.geometry.body_width());
        if lines.lines.is_empty() {
            return;
        }
        self.place(lines, &style);
    }

    /// A list item: `marker` hangs left of the text, which is indented by
    /// `style.indent`.
    pub fn item(&mut self, marker: &[Span], spans: &[Span], style: ParStyle) {
        if let Some(lines) = self.lay_item(Some(marker), spans, &style) {
            self.place(lines, &style);
        }
    }

    /// The lines of a list item with its text marker (or none yet), if it
    /// has any text.
    fn lay_item(&self, marker: Option<&[Span]>, spans: &[Span], style: &ParStyle) -> Option<Lines> {
        let mut lines = self.lay(spans, style, self.geometry.body_width());
        if lines.lines.is_empty() {
            return None;
        }
        if let Some(marker) = marker {
            let m = text::lay_out(marker, style.indent, Align::Left, self.metrics);
            lines.marker = Some(Marker::Text(m));
        }
        Some(lines)
    }

    /// A list item kept whole on one page when it is no taller than a third
    /// of the body (a material, say: never split at a page turn).
    pub fn item_together(&mut self, marker: &[Span], spans: &[Span], style: ParStyle) {
        let Some(lines) = self.lay_item(Some(marker), spans, &style) else {
            return;
        };
        let h: f32 = style.space_before + lines.heights.iter().sum::<f32>();
        self.flush_pending(h.min(self.geometry.body_height() / 3.0));
        if h <= self.geometry.body_height() / 3.0 && h > self.room() + 0.01 && self.y > 0.0 {
            self.new_page();
        }
        self.place(lines, &style);
    }

    /// A line item with a drawn checkbox, aligned with its first line.
    pub fn checkbox_item(&mut self, spans: &[Span], style: ParStyle, ticked: bool, color: Rgb) {
        let Some(mut lines) = self.lay_item(None, spans, &style) else {
            return;
        };
        lines.marker = Some(Marker::Checkbox { ticked, color });
        self.place(lines, &style);
    }

    /// A horizontal rule across the body.
    pub fn rule(&mut self, stroke: Stroke, space: f32) {
        self.flush_pending(space * 2.0);
        self.space(space);
        let (x, y, w) = (self.left(), self.cursor(), self.geometry.body_width());
        self.page().items.push(Item::Line {
            x1: x,
            y1: y,
            x2: x + w,
            y2: y,
            stroke,
        });
        self.y += space;
    }

    /// Reserves a box of `h` points (moving to a new page if needed) and
    /// returns its top-left corner for the caller to draw in.
    pub fn reserve(&mut self, h: f32) -> (f32, f32) {
        self.flush_pending(h);
        if h > self.room() + 0.01 && self.y > 0.0 {
            self.new_page();
        }
        let at = (self.left(), self.cursor());
        self.y += h;
        at
    }

    /// Draws `items` (positioned relative to a box at the current cursor).
    pub fn draw(&mut self, items: Vec<Item>) {
        self.page().items.extend(items);
    }

    fn table_header(&mut self, laid: &table::Laid, caption: Option<&str>) {
        let (x, y) = (self.left(), self.cursor());
        let items = laid.draw_header(x, y, caption);
        self.draw(items);
        self.y += laid.header_height(caption.is_some());
    }

    /// A table; rows are kept whole unless taller than a third of the body,
    /// and the header is repeated under `continued` (e.g. “申请材料（续）”)
    /// on each new page.
    pub fn table(&mut self, t: &Table, continued: &str) {
        let laid = table::lay_out(t, self.geometry.body_width(), self.metrics);
        let first_row = laid.rows.first().map_or(0.0, |r| r.height);
        let opening = laid.header_height(false) + first_row.min(self.geometry.body_height() / 3.0);
        self.flush_pending(opening);
        if opening > self.room() + 0.01 && self.y > 0.0 {
            self.new_page();
        }
        self.table_header(&laid, None);
        let third = self.geometry.body_height() / 3.0;
        for (ri, row) in laid.rows.iter().enumerate() {
            if row.height > self.room() + 0.01
                && (row.height <= third || self.room() < laid.min_split_height())
            {
                self.new_page();
                self.table_header(&laid, Some(continued));
            }
            if row.height <= self.room() + 0.01 {
                let (x, y) = (self.left(), self.cursor());
                let items = laid.draw_row(ri, x, y);
                self.draw(items);
                self.y += row.height;
                continue;
            }
            // Taller than a third of the page and than the room left: split,
            // each part under a repeated header.
            let mut from = vec![0usize; row.cells.len()];
            loop {
                let (x, y, room) = (self.left(), self.cursor(), self.room());
                let (items, used, next) = laid.draw_row_part(ri, x, y, &from, room);
                self.draw(items);
                self.y += used;
                from = next;
                if from
                    .iter()
                    .zip(&row.cells)
                    .all(|(f, c)| *f >= c.lines.len())
                {
                    break;
                }
                self.new_page();
                self.table_header(&laid, Some(continued));
            }
        }
        let (x, y) = (self.left(), self.cursor());
        let w = laid.width();
        self.draw(vec![Item::Line {
            x1: x,
            y1: y,
            x2: x + w,
            y2: y,
            stroke: Stroke {
                color: laid.rule,
                width: 0.8,
                dash: None,
            },
        }]);
    }

    /// Ends the flow and returns its pages.
    pub fn finish(mut self) -> Vec<Page> {
        self.flush_pending(0.0);
        self.pages
    }
}

/// A square box (and a tick) sitting on a line's baseline at x, as high as
/// the Chinese characters beside it.
pub fn checkbox(x: f32, baseline: f32, size: f32, ticked: bool, color: Rgb) -> Vec<Item> {
    let side = size * 0.78;
    let top = baseline - size * 0.72;
    let mut out = vec![Item::Rect {
        x,
        y: top,
        w: side,
        h: side,
        fill: None,
        stroke: Some(Stroke {
            color,
            width: (size * 0.06).max(0.6),
            dash: None,
        }),
    }];
    if ticked {
        let s = Stroke {
            color,
            width: (size * 0.1).max(1.0),
            dash: None,
        };
        out.push(Item::Line {
            x1: x + side * 0.18,
            y1: top + side * 0.52,
            x2: x + side * 0.42,
            y2: top + side * 0.78,
            stroke: s,
        });
        out.push(Item::Line {
            x1: x + side * 0.42,
            y1: top + side * 0.78,
            x2: x + side * 0.86,
            y2: top + side * 0.2,
            stroke: s,
        });
    }
    out
}

/// A thin solid line.
pub fn hairline(color: Rgb) -> Stroke {
    Stroke {
        color,
        width: 0.5,
        dash: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::text::span;
    use crate::layout::{Face, Mono};

    fn geometry() -> Geometry {
        Geometry {
            width: 200.0,
            height: 300.0,
            top: 20.0,
            bottom: 20.0,
            inner: 20.0,
            outer: 20.0,
        }
    }

    fn texts(page: &Page) -> String {
        page.items
            .iter()
            .filter_map(|i| match i {
                Item::Text(r) => Some(r.text.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn an_item_kept_together_moves_whole_to_the_next_page() {
        let mut f = Flow::new(geometry(), &Mono);
        let style = ParStyle {
            indent: 16.0,
            ..ParStyle::default()
        };
        // Fill the page but for two lines (body 260 pt, lines 16 pt).
        let filler = "字".repeat(16 * 14);
        f.paragraph(
            &[span(filler, Face::Regular, 10.0, Rgb::BLACK)],
            ParStyle::default(),
        );
        let item = "材料".repeat(30); // four lines of 14 characters
        f.item_together(
            &[span("①", Face::Bold, 10.0, Rgb::BLACK)],
            &[span(item.clone(), Face::Regular, 10.0, Rgb::BLACK)],
            style,
        );
        let pages = f.finish();
        assert_eq!(pages.len(), 2);
        assert!(
            !texts(&pages[0]).contains("材料"),
            "nothing of the item on page 1"
        );
        assert!(texts(&pages[1]).contains(&item), "all of it on page 2");
    }
}
