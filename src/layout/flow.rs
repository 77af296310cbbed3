//! Blocks flowing down pages: headings kept with what follows, paragraphs
//! split with at least two lines on each side, tables with repeated headers
//! and rows kept whole, and a hook that draws each page's furniture.

use super::table::{self, Table};
use super::text::{self, Align, Line, Span};
use super::{Element, Item, LineMark, Metrics, Page, Rgb, Role, Stroke, Tag};

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
    /// What the lines are in the structure (none: page furniture), and
    /// what the marker is.
    tag: Option<Tag>,
    marker_tag: Option<Tag>,
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
    /// Where each line on the current page starts, for carrying the last
    /// lines over to the next page.
    marks: Vec<Mark>,
    /// Whether a page may turn before the next line placed.
    breakable: bool,
    /// The page's anchors before those named for the next line.
    anchor_mark: Option<usize>,
    /// The list that list items placed now belong to (any other block
    /// ends it).
    list: Option<Element>,
}

/// The start of a line on the current page.
#[derive(Clone, Copy, Debug)]
struct Mark {
    /// Lengths of the page's items, line marks and anchors before it.
    items: usize,
    lines: usize,
    anchors: usize,
    /// Its top, from the top of the body.
    y: f32,
    /// The page may turn before it (no widow, no orphan, not right after
    /// a heading).
    breakable: bool,
}

impl<'m> Flow<'m> {
    pub fn new(geometry: Geometry, metrics: &'m dyn Metrics) -> Flow<'m> {
        let mut f = Flow {
            geometry,
            metrics,
            pages: Vec::new(),
            y: 0.0,
            pending: Vec::new(),
            marks: Vec::new(),
            breakable: true,
            anchor_mark: None,
            list: None,
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
        self.marks.clear();
        self.anchor_mark = None;
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
        let n = self.page().anchors.len();
        self.anchor_mark.get_or_insert(n);
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
            tag: None,
            marker_tag: None,
        }
    }

    /// The lines of a block that is one element of `role` (and ends any
    /// list).
    fn lay_block(&mut self, role: Role, spans: &[Span], style: &ParStyle) -> Lines {
        self.list = None;
        let mut lines = self.lay(spans, style, self.geometry.body_width());
        lines.tag = Some(Tag::new(vec![Element::new(role)]));
        lines
    }

    /// A heading (level 1): kept on the page with the first lines of what
    /// follows.
    pub fn heading(&mut self, spans: &[Span], style: ParStyle, anchor: Option<&str>) {
        self.heading_at(1, spans, style, anchor);
    }

    /// A heading of `level` (1 to 6).
    pub fn heading_at(&mut self, level: u8, spans: &[Span], style: ParStyle, anchor: Option<&str>) {
        let lines = self.lay_block(Role::Heading(level.clamp(1, 6)), spans, &style);
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
        let mut first = true;
        for (lines, style, anchor) in std::mem::take(&mut self.pending) {
            self.breakable = first;
            first = false;
            self.space(style.space_before);
            if let Some(a) = anchor {
                self.anchor(&a);
            }
            self.put_lines(&lines, 0, lines.lines.len());
            self.y += style.space_after;
        }
        // What follows a heading does not start a page.
        self.breakable = false;
    }

    fn put_lines(&mut self, l: &Lines, from: usize, to: usize) {
        let left = self.left();
        let n = l.lines.len();
        for i in from..to {
            let h = l.heights[i];
            let line = &l.lines[i];
            let page = self.pages.last().expect("a page");
            let start = page.items.len();
            // Two lines of a paragraph at least on each side of a turn.
            let breakable = if i == 0 {
                self.breakable
            } else {
                i >= 2 && n - i >= 2
            };
            self.marks.push(Mark {
                items: start,
                lines: page.lines.len(),
                anchors: self.anchor_mark.take().unwrap_or(page.anchors.len()),
                y: self.y,
                breakable,
            });
            // Baseline: the line box is h tall; the text sits at ~78% of it
            // when h is 1.6 × size (ascent ~0.88 em, centred).
            let baseline = self.geometry.top + self.y + (h - line.size) / 2.0 + line.size * 0.88;
            let mut marker = Vec::new();
            match (i, &l.marker) {
                (0, Some(Marker::Text(m))) => {
                    for m in m {
                        for r in &m.runs {
                            let mut r = r.clone();
                            r.x += left;
                            r.y = baseline;
                            marker.push(Item::Text(r));
                        }
                    }
                }
                (0, Some(Marker::Checkbox { ticked, color })) => {
                    marker = checkbox(left, baseline, line.size, *ticked, *color);
                }
                _ => {}
            }
            if !marker.is_empty() {
                let marker = match &l.marker_tag {
                    Some(t) => t.wrap(marker),
                    None => marker,
                };
                self.page().items.extend(marker);
            }
            let tagged = l.tag.as_ref().filter(|_| !line.runs.is_empty());
            if let Some(t) = tagged {
                self.page().items.push(Item::Begin(t.clone()));
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
            if tagged.is_some() {
                self.page().items.push(Item::End);
            }
            let end = self.page().items.len();
            self.page().lines.push(LineMark {
                items: start..end,
                spread: line.spread,
                shrink: line.shrink,
                last: line.last,
                runt: line.runt,
                ragged: line.ragged,
            });
            self.y += h;
            self.breakable = true;
        }
    }

    /// Moves the lines from `mark` on (and what they drew) to a new page.
    fn carry_over(&mut self, at: usize) {
        let mark = self.marks[at];
        let carried: Vec<Mark> = self.marks.split_off(at);
        let page = self.page();
        let items = page.items.split_off(mark.items);
        let lines = page.lines.split_off(mark.lines);
        let anchors = page.anchors.split_off(mark.anchors);
        let (old_left, old_y) = (self.left(), self.y);
        self.new_page();
        let (dx, dy) = (self.left() - old_left, -mark.y);
        let page = self.page();
        page.items
            .extend(items.into_iter().map(|i| shifted(i, dx, dy)));
        page.lines.extend(lines.into_iter().map(|l| LineMark {
            items: l.items.start - mark.items..l.items.end - mark.items,
            ..l
        }));
        page.anchors.extend(anchors);
        self.y = old_y - mark.y;
        self.marks = carried
            .into_iter()
            .map(|m| Mark {
                items: m.items - mark.items,
                lines: m.lines - mark.lines,
                anchors: m.anchors - mark.anchors,
                y: m.y - mark.y,
                breakable: m.breakable,
            })
            .collect();
        if let Some(first) = self.marks.first_mut() {
            first.breakable = false;
        }
    }

    /// A short paragraph that never stands alone on a page (“本页更新于”):
    /// when it does not fit, the last lines before it come over with it.
    pub fn paragraph_with_previous(&mut self, spans: &[Span], style: ParStyle) {
        let lines = self.lay_block(Role::Paragraph, spans, &style);
        if lines.lines.is_empty() {
            return;
        }
        let h: f32 = style.space_before + lines.heights.iter().sum::<f32>();
        if self.pending.is_empty() && h > self.room() + 0.01 && self.y > 0.0 {
            let body = self.geometry.body_height();
            let at = (1..self.marks.len())
                .rev()
                .find(|&i| self.marks[i].breakable)
                .filter(|&i| self.y - self.marks[i].y + h <= body);
            if let Some(at) = at {
                self.carry_over(at);
            }
        }
        self.place(lines, &style);
    }

    /// Paragraphs kept on one page (a consult phone with the complaint
    /// phone, the time limits), unless together they are taller than half
    /// the body.
    pub fn paragraphs_together(&mut self, blocks: &[(Vec<Span>, ParStyle)]) {
        let laid: Vec<Lines> = blocks
            .iter()
            .map(|(spans, style)| self.lay_block(Role::Paragraph, spans, style))
            .collect();
        let total: f32 = laid
            .iter()
            .zip(blocks)
            .map(|(l, (_, s))| s.space_before + l.heights.iter().sum::<f32>() + s.space_after)
            .sum();
        let half = self.geometry.body_height() / 2.0;
        self.flush_pending(total.min(half));
        if total <= half && total > self.room() + 0.01 && self.y > 0.0 {
            self.new_page();
        }
        let from = (self.page_index(), self.marks.len());
        for (l, (_, style)) in laid.into_iter().zip(blocks) {
            if !l.lines.is_empty() {
                self.place(l, style);
            }
        }
        self.hold_from(from);
    }

    /// Keeps the lines placed since `from` (page, mark) together should
    /// lines be carried over later: no page turn between them.
    fn hold_from(&mut self, (page, mark): (usize, usize)) {
        if self.page_index() == page {
            for m in self.marks.iter_mut().skip(mark + 1) {
                m.breakable = false;
            }
        }
    }

    /// Places laid-out lines, splitting across pages with at least two lines
    /// on each side (widows and orphans).
    fn place(&mut self, l: Lines, style: &ParStyle) {
        let n = l.lines.len();
        // A heading keeps two lines of what follows: of a one-line
        // paragraph, room for one more line after it.
        let first_two: f32 = if n >= 2 {
            l.heights[0] + l.heights[1]
        } else {
            l.heights[0] * 2.0
        };
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
        let lines = self.lay_block(Role::Paragraph, spans, &style);
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
    /// has any text: an item of the list being placed (or of a new one).
    fn lay_item(
        &mut self,
        marker: Option<&[Span]>,
        spans: &[Span],
        style: &ParStyle,
    ) -> Option<Lines> {
        let mut lines = self.lay(spans, style, self.geometry.body_width());
        if lines.lines.is_empty() {
            return None;
        }
        let list = self
            .list
            .get_or_insert_with(|| Element::new(Role::List))
            .clone();
        let item = Tag::new(vec![list, Element::new(Role::ListItem)]);
        lines.tag = Some(item.child(Element::new(Role::ListBody)));
        lines.marker_tag = Some(item.child(Element::new(Role::Label)));
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
        let from = (self.page_index(), self.marks.len());
        self.place(lines, &style);
        self.hold_from(from);
    }

    /// A line item with a drawn checkbox, aligned with its first line.
    pub fn checkbox_item(&mut self, spans: &[Span], style: ParStyle, ticked: bool, color: Rgb) {
        let Some(mut lines) = self.lay_item(None, spans, &style) else {
            return;
        };
        lines.marker = Some(Marker::Checkbox { ticked, color });
        // Kept whole, as a material of the booklet is, unless taller than
        // a third of the body.
        let h: f32 = style.space_before + lines.heights.iter().sum::<f32>();
        let third = self.geometry.body_height() / 3.0;
        self.flush_pending(h.min(third));
        if h <= third && h > self.room() + 0.01 && self.y > 0.0 {
            self.new_page();
        }
        let from = (self.page_index(), self.marks.len());
        self.place(lines, &style);
        self.hold_from(from);
    }

    /// A horizontal rule across the body.
    pub fn rule(&mut self, stroke: Stroke, space: f32) {
        self.list = None;
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
    /// Their text and links that are not already in an element become one
    /// paragraph (a form's fields, a contents line); shapes stay furniture.
    pub fn draw(&mut self, items: Vec<Item>) {
        let tag = Tag::new(vec![Element::new(Role::Paragraph)]);
        let page = self.page();
        let mut depth = 0usize;
        let mut open = false;
        for item in items {
            let ours = depth == 0 && matches!(item, Item::Text(_) | Item::Link { .. });
            if ours != open {
                page.items.push(if ours {
                    Item::Begin(tag.clone())
                } else {
                    Item::End
                });
                open = ours;
            }
            match item {
                Item::Begin(_) => depth += 1,
                Item::End => depth = depth.saturating_sub(1),
                _ => {}
            }
            page.items.push(item);
        }
        if open {
            page.items.push(Item::End);
        }
    }

    /// Draws a table row, marked as one line of the page.
    fn draw_row(&mut self, items: Vec<Item>) {
        let page = self.page();
        let start = page.items.len();
        page.items.extend(items);
        let end = page.items.len();
        page.lines.push(LineMark {
            items: start..end,
            spread: 0.0,
            shrink: 0.0,
            last: true,
            runt: false,
            ragged: false,
        });
    }

    fn table_header(&mut self, laid: &table::Laid, caption: Option<&str>) {
        let (x, y) = (self.left(), self.cursor());
        // The first header is the table's; a repeat is page furniture.
        let items = laid.draw_header(x, y, caption, caption.is_none());
        self.draw(items);
        self.y += laid.header_height(caption.is_some());
    }

    /// A table; rows are kept whole unless taller than a third of the body,
    /// and the header is repeated under `continued` (e.g. “申请材料（续）”)
    /// on each new page.
    pub fn table(&mut self, t: &Table, continued: &str) {
        self.list = None;
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
                self.draw_row(items);
                self.y += row.height;
                continue;
            }
            // Taller than a third of the page and than the room left: split,
            // each part under a repeated header.
            let mut from = vec![0usize; row.cells.len()];
            loop {
                let (x, y, room) = (self.left(), self.cursor(), self.room());
                let (items, used, next) = laid.draw_row_part(ri, x, y, &from, room);
                self.draw_row(items);
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

/// `item` moved by (dx, dy).
pub(crate) fn shifted(item: Item, dx: f32, dy: f32) -> Item {
    match item {
        Item::Text(mut r) => {
            r.x += dx;
            r.y += dy;
            Item::Text(r)
        }
        Item::Rect {
            x,
            y,
            w,
            h,
            fill,
            stroke,
        } => Item::Rect {
            x: x + dx,
            y: y + dy,
            w,
            h,
            fill,
            stroke,
        },
        Item::Grid {
            x,
            y,
            cell,
            fill,
            squares,
        } => Item::Grid {
            x: x + dx,
            y: y + dy,
            cell,
            fill,
            squares,
        },
        Item::Line {
            x1,
            y1,
            x2,
            y2,
            stroke,
        } => Item::Line {
            x1: x1 + dx,
            y1: y1 + dy,
            x2: x2 + dx,
            y2: y2 + dy,
            stroke,
        },
        Item::Link { x, y, w, h, target } => Item::Link {
            x: x + dx,
            y: y + dy,
            w,
            h,
            target,
        },
        marker @ (Item::Begin(_) | Item::End) => marker,
    }
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
        let style = ParStyle {
            indent: 16.0,
            ..ParStyle::default()
        };
        // Fill the page but for two lines (body 260 pt, lines 16 pt).
        let mut f = filled(14);
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

    /// A flow whose first page holds `lines` lines of 16 characters (of
    /// the 16 that fill its 260-pt body).
    fn filled(lines: usize) -> Flow<'static> {
        let mut f = Flow::new(geometry(), &Mono);
        f.paragraph(
            &[span(
                "字".repeat(16 * lines),
                Face::Regular,
                10.0,
                Rgb::BLACK,
            )],
            ParStyle::default(),
        );
        f
    }

    fn line_count(page: &Page) -> usize {
        page.lines.len()
    }

    #[test]
    fn a_closing_line_never_stands_alone_on_a_page() {
        // 16 lines of 16 pt fill the 260-pt body exactly.
        let mut f = filled(16);
        f.paragraph_with_previous(
            &[span(
                "本页更新于 2026-01-01",
                Face::Regular,
                8.0,
                Rgb::BLACK,
            )],
            ParStyle::default(),
        );
        let pages = f.finish();
        assert_eq!(pages.len(), 2);
        assert_eq!(line_count(&pages[0]), 14, "two lines come over");
        assert_eq!(line_count(&pages[1]), 3);
        assert!(texts(&pages[1]).starts_with("字"), "{}", texts(&pages[1]));
        // What came over starts at the top of the body.
        let first_y = pages[1]
            .items
            .iter()
            .find_map(|i| match i {
                Item::Text(r) => Some(r.y),
                _ => None,
            })
            .unwrap();
        let page0_first = pages[0]
            .items
            .iter()
            .find_map(|i| match i {
                Item::Text(r) => Some(r.y),
                _ => None,
            })
            .unwrap();
        assert!((first_y - page0_first).abs() < 0.01);
    }

    #[test]
    fn paragraphs_kept_together_turn_the_page_together() {
        let mut f = filled(15);
        let blocks = vec![
            (
                vec![span(
                    "咨询电话：0991-1234567",
                    Face::Regular,
                    10.0,
                    Rgb::BLACK,
                )],
                ParStyle::default(),
            ),
            (
                vec![span("投诉电话：12345", Face::Regular, 10.0, Rgb::BLACK)],
                ParStyle::default(),
            ),
        ];
        f.paragraphs_together(&blocks);
        let pages = f.finish();
        assert_eq!(pages.len(), 2);
        assert!(!texts(&pages[0]).contains("电话"));
        assert!(texts(&pages[1]).contains("咨询电话") && texts(&pages[1]).contains("投诉电话"));
    }

    #[test]
    fn a_heading_keeps_two_lines_of_what_follows() {
        // Room for one line after the heading, not two.
        let mut f = filled(14);
        f.heading(
            &[span("三、办理时限", Face::Bold, 10.0, Rgb::BLACK)],
            ParStyle::default(),
            None,
        );
        f.paragraph(
            &[span(
                "法定办结时限：20个工作日",
                Face::Regular,
                10.0,
                Rgb::BLACK,
            )],
            ParStyle::default(),
        );
        let pages = f.finish();
        assert_eq!(pages.len(), 2);
        assert!(texts(&pages[1]).starts_with("三、办理时限"));
    }
}
