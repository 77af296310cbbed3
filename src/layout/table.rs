//! Tables: column widths from content (code-list columns never wrap, text
//! columns share the rest), wrapping cells, and drawing of the header, whole
//! rows and parts of rows split across pages. Each cell's text is emitted as
//! its own runs in reading order, so extraction gets whole cells.

use super::text::{self, Align, Line, Span};
use super::{Element, Item, Metrics, Rgb, Role, Stroke, Tag};

#[derive(Clone, Debug)]
pub struct Column {
    pub header: Vec<Span>,
    /// Text columns wrap; code-list columns (原件, 容缺后补) never do.
    pub wrap: bool,
    pub align: Align,
}

#[derive(Clone, Debug)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Vec<Span>>>,
    pub padding: f32,
    pub leading: f32,
    pub header_fill: Rgb,
    pub rule: Rgb,
    /// Style of the “（续）” caption on continuation pages.
    pub caption_size: f32,
}

#[derive(Clone, Debug)]
pub struct Cell {
    pub lines: Vec<Line>,
    pub heights: Vec<f32>,
}

#[derive(Clone, Debug)]
pub struct Row {
    pub cells: Vec<Cell>,
    pub height: f32,
}

/// A table laid out at a width.
pub struct Laid<'m> {
    pub widths: Vec<f32>,
    pub header: Row,
    pub rows: Vec<Row>,
    pub padding: f32,
    pub header_fill: Rgb,
    pub rule: Rgb,
    caption_size: f32,
    metrics: &'m dyn Metrics,
    /// Each cell's place in the structure: `[0]` the header row's, then
    /// the rows'.
    tags: Vec<Vec<Tag>>,
}

/// Column widths: natural widths when they fit (extra to text columns),
/// otherwise code-list columns at their natural width and text columns
/// sharing the rest in proportion, never below their longest word.
pub fn widths(t: &Table, total: f32, metrics: &dyn Metrics) -> Vec<f32> {
    let n = t.columns.len();
    let pad = 2.0 * t.padding;
    let mut natural = vec![0.0f32; n];
    let mut min = vec![0.0f32; n];
    for (c, col) in t.columns.iter().enumerate() {
        let cells = std::iter::once(&col.header).chain(t.rows.iter().map(|r| &r[c]));
        for spans in cells {
            natural[c] = natural[c].max(text::natural_width(spans, metrics) + pad);
            min[c] = min[c].max(text::longest_unbreakable(spans, metrics) + pad);
        }
        // A header label never wraps (“材料名称” over four lines reads as
        // nothing); nor does anything in a code-list column.
        min[c] = min[c].max(text::natural_width(&col.header, metrics) + pad);
        if !col.wrap {
            min[c] = natural[c];
        }
    }
    let sum: f32 = natural.iter().sum();
    let wraps: Vec<usize> = (0..n).filter(|&c| t.columns[c].wrap).collect();
    if sum <= total || wraps.is_empty() {
        let mut w = natural.clone();
        let extra = total - sum;
        let share: f32 = wraps.iter().map(|&c| natural[c]).sum();
        if extra > 0.0 {
            if share > 0.0 {
                for &c in &wraps {
                    w[c] += extra * natural[c] / share;
                }
            } else if let Some(last) = w.last_mut() {
                *last += extra;
            }
        }
        return w;
    }
    let fixed: f32 = (0..n)
        .filter(|c| !t.columns[*c].wrap)
        .map(|c| natural[c])
        .sum();
    let mut w = natural.clone();
    let room = (total - fixed).max(0.0);
    // Per cell of each text column: the widths of its forced lines, to
    // estimate how many lines it takes at a given column width.
    let segments: Vec<Vec<Vec<f32>>> = wraps
        .iter()
        .map(|&c| {
            t.rows
                .iter()
                .map(|r| text::line_widths(&r[c], metrics))
                .collect()
        })
        .collect();
    let height = |ws: &[f32]| -> f32 {
        (0..t.rows.len())
            .map(|r| {
                ws.iter()
                    .zip(&segments)
                    .map(|(w, col)| {
                        let inner = (w - pad).max(1.0);
                        col[r]
                            .iter()
                            .map(|l| (l / inner).ceil().max(1.0))
                            .sum::<f32>()
                    })
                    .fold(0.0, f32::max)
            })
            .sum()
    };
    // Start from shares by the square root of each column's amount of text
    // (never below its longest word), then move width between pairs of text
    // columns while the table gets shorter.
    let mins: Vec<f32> = wraps.iter().map(|&c| min[c]).collect();
    let amount: Vec<f32> = segments
        .iter()
        .map(|col| col.iter().flatten().sum::<f32>().sqrt().max(1.0))
        .collect();
    let total_amount: f32 = amount.iter().sum();
    let mut ws: Vec<f32> = mins
        .iter()
        .zip(&amount)
        .map(|(m, a)| m.max(room * a / total_amount))
        .collect();
    let sum: f32 = ws.iter().sum();
    if sum > room {
        let scale = room / sum;
        ws.iter_mut().for_each(|x| *x *= scale);
    }
    let step = room / 40.0;
    let mut best = height(&ws);
    for _ in 0..200 {
        let mut improved = false;
        for a in 0..ws.len() {
            for b in 0..ws.len() {
                if a == b || ws[b] - step < mins[b] {
                    continue;
                }
                let mut trial = ws.clone();
                trial[a] += step;
                trial[b] -= step;
                let h = height(&trial);
                if h < best - 1e-3 {
                    best = h;
                    ws = trial;
                    improved = true;
                }
            }
        }
        if !improved {
            break;
        }
    }
    for (k, &c) in wraps.iter().enumerate() {
        w[c] = ws[k];
    }
    w
}

fn lay_cell(spans: &[Span], width: f32, align: Align, leading: f32, metrics: &dyn Metrics) -> Cell {
    let lines = text::lay_out(spans, width, align, metrics);
    let heights = lines.iter().map(|l| l.size * leading).collect();
    Cell { lines, heights }
}

fn lay_row(cells: &[Vec<Span>], t: &Table, widths: &[f32], metrics: &dyn Metrics) -> Row {
    let cells: Vec<Cell> = cells
        .iter()
        .enumerate()
        .map(|(c, spans)| {
            lay_cell(
                spans,
                widths[c] - 2.0 * t.padding,
                t.columns[c].align,
                t.leading,
                metrics,
            )
        })
        .collect();
    let height = cells
        .iter()
        .map(|c| c.heights.iter().sum::<f32>())
        .fold(0.0, f32::max)
        + 2.0 * t.padding;
    Row { cells, height }
}

pub fn lay_out<'m>(t: &Table, total: f32, metrics: &'m dyn Metrics) -> Laid<'m> {
    let widths = widths(t, total, metrics);
    let headers: Vec<Vec<Span>> = t.columns.iter().map(|c| c.header.clone()).collect();
    let header = lay_row(&headers, t, &widths, metrics);
    let rows = t
        .rows
        .iter()
        .map(|r| lay_row(r, t, &widths, metrics))
        .collect::<Vec<_>>();
    let table = Element::new(Role::Table);
    let tags = std::iter::once(&header)
        .chain(&rows)
        .enumerate()
        .map(|(i, row)| {
            let tr = Tag::new(vec![table.clone(), Element::new(Role::Row)]);
            let role = if i == 0 { Role::HeaderCell } else { Role::Cell };
            (0..row.cells.len())
                .map(|_| tr.child(Element::new(role.clone())))
                .collect()
        })
        .collect();
    Laid {
        tags,
        widths,
        header,
        rows,
        padding: t.padding,
        header_fill: t.header_fill,
        rule: t.rule,
        caption_size: t.caption_size,
        metrics,
    }
}

impl Laid<'_> {
    pub fn width(&self) -> f32 {
        self.widths.iter().sum()
    }

    fn caption_height(&self) -> f32 {
        self.caption_size * 1.8
    }

    pub fn header_height(&self, caption: bool) -> f32 {
        self.header.height + if caption { self.caption_height() } else { 0.0 }
    }

    /// The least room worth starting a split row in: three lines.
    pub fn min_split_height(&self) -> f32 {
        let line = self
            .rows
            .iter()
            .flat_map(|r| r.cells.iter().flat_map(|c| c.heights.first()))
            .fold(0.0f32, |a, b| a.max(*b));
        3.0 * line + 2.0 * self.padding
    }

    /// The lines `lines` of a cell, as content of `tag`.
    fn cell_items(
        &self,
        cell: &Cell,
        x: f32,
        y: f32,
        lines: std::ops::Range<usize>,
        tag: Option<&Tag>,
    ) -> Vec<Item> {
        let mut out = Vec::new();
        let mut ty = y + self.padding;
        for i in lines {
            let (line, h) = (&cell.lines[i], cell.heights[i]);
            let baseline = ty + (h - line.size) / 2.0 + line.size * 0.88;
            for r in &line.runs {
                let mut r = r.clone();
                r.x += x + self.padding;
                r.y = baseline;
                out.push(Item::Text(r));
            }
            ty += h;
        }
        match tag {
            Some(t) if !out.is_empty() => t.wrap(out),
            _ => out,
        }
    }

    fn tag(&self, row: usize, c: usize) -> Option<&Tag> {
        self.tags.get(row).and_then(|r| r.get(c))
    }

    fn x_of(&self, c: usize) -> f32 {
        self.widths[..c].iter().sum()
    }

    fn rule_at(&self, x: f32, y: f32, width: f32) -> Item {
        Item::Line {
            x1: x,
            y1: y,
            x2: x + self.width(),
            y2: y,
            stroke: Stroke {
                color: self.rule,
                width,
                dash: None,
            },
        }
    }

    /// The header row at (x, y), under an optional caption (“申请材料（续）”);
    /// `tagged`: the table's header (else a repeat, page furniture).
    pub fn draw_header(&self, x: f32, y: f32, caption: Option<&str>, tagged: bool) -> Vec<Item> {
        let mut out = Vec::new();
        let mut y = y;
        if let Some(c) = caption {
            let style = text::Style {
                color: Rgb::hex(0x555555),
                ..text::Style::new(super::Face::Bold, self.caption_size)
            };
            let spans = [Span {
                text: c.to_owned(),
                style,
            }];
            for line in text::lay_out(&spans, self.width(), Align::Left, self.metrics) {
                for r in line.runs {
                    let mut r = r;
                    r.x += x;
                    r.y = y + self.caption_size * 1.2;
                    out.push(Item::Text(r));
                }
            }
            y += self.caption_height();
        }
        out.push(Item::Rect {
            x,
            y,
            w: self.width(),
            h: self.header.height,
            fill: Some(self.header_fill),
            stroke: None,
        });
        out.push(self.rule_at(x, y, 0.8));
        for (c, cell) in self.header.cells.iter().enumerate() {
            let tag = self.tag(0, c).filter(|_| tagged);
            out.extend(self.cell_items(cell, x + self.x_of(c), y, 0..cell.lines.len(), tag));
        }
        out.push(self.rule_at(x, y + self.header.height, 0.5));
        out
    }

    /// Row `r` whole at (x, y), with the rule under it.
    pub fn draw_row(&self, r: usize, x: f32, y: f32) -> Vec<Item> {
        let row = &self.rows[r];
        let mut out = Vec::new();
        for (c, cell) in row.cells.iter().enumerate() {
            let tag = self.tag(r + 1, c);
            out.extend(self.cell_items(cell, x + self.x_of(c), y, 0..cell.lines.len(), tag));
        }
        out.push(self.rule_at(x, y + row.height, 0.3));
        out
    }

    /// As many lines of row `r`, from `from[c]` in each cell, as fit in
    /// `room`. Returns the items, the height used and where each cell stopped.
    pub fn draw_row_part(
        &self,
        r: usize,
        x: f32,
        y: f32,
        from: &[usize],
        room: f32,
    ) -> (Vec<Item>, f32, Vec<usize>) {
        let row = &self.rows[r];
        let mut out = Vec::new();
        let mut next = from.to_vec();
        let mut used: f32 = 0.0;
        for (c, cell) in row.cells.iter().enumerate() {
            let mut h = 0.0;
            let mut end = from[c];
            while end < cell.lines.len()
                && h + cell.heights[end] + 2.0 * self.padding <= room + 0.01
            {
                h += cell.heights[end];
                end += 1;
            }
            let tag = self.tag(r + 1, c);
            out.extend(self.cell_items(cell, x + self.x_of(c), y, from[c]..end, tag));
            next[c] = end;
            used = used.max(h);
        }
        let used = used + 2.0 * self.padding;
        out.push(self.rule_at(x, y + used, 0.3));
        (out, used, next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Face;
    use crate::layout::text::span;

    use crate::layout::Mono;

    fn cell(t: &str) -> Vec<Span> {
        vec![span(t, Face::Regular, 10.0, Rgb::BLACK)]
    }

    #[test]
    fn no_text_leaves_its_cell_and_code_words_never_wrap() {
        let col = |h: &str, wrap| Column {
            header: cell(h),
            wrap,
            align: Align::Left,
        };
        let t = Table {
            columns: vec![
                col("序号", false),
                col("材料名称", true),
                col("必要性", false),
                col("备注", true),
            ],
            rows: vec![
                vec![
                    cell("1"),
                    cell("中华人民共和国居民身份证及其复印件"),
                    cell("容缺后补"),
                    cell(&"很长的备注文字".repeat(8)),
                ],
                vec![
                    cell("2"),
                    cell("https://zwfw.example.gov.cn/a/very/long/address"),
                    cell("必要"),
                    cell("无"),
                ],
            ],
            padding: 3.0,
            leading: 1.4,
            header_fill: Rgb::WHITE,
            rule: Rgb::BLACK,
            caption_size: 9.0,
        };
        let total = 260.0;
        let laid = lay_out(&t, total, &Mono);
        assert!(
            laid.width() <= total + 0.01,
            "table {} wider than {total}",
            laid.width()
        );
        for row in std::iter::once(&laid.header).chain(&laid.rows) {
            for (c, cell) in row.cells.iter().enumerate() {
                for line in &cell.lines {
                    assert!(
                        line.width <= laid.widths[c] - 2.0 * t.padding + 0.01,
                        "text outside column {c}"
                    );
                }
            }
        }
        // 容缺后补 stays on one line.
        assert_eq!(laid.rows[0].cells[2].lines.len(), 1);
    }
}
