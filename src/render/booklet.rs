//! The 一翻清 booklet: cover with a QR code, contents with page numbers and
//! links, one section per category with an edge thumb tab, each matter on a
//! new page, running header and footer. Built from validated data through
//! the shared materials function, laid out by `layout`, written by `pdf`.

use crate::layout::flow::{Flow, Geometry, ParStyle, hairline};
use crate::layout::font::FontSet;
use crate::layout::table::{Column, Table};
use crate::layout::text::{self, Align, Span, Style, span};
use crate::layout::{Bookmark, Document, Face, Item, LinkTarget, Metrics, Page, Rgb, Stroke};
use crate::load::{GuideFile, Project};
use crate::markdown::{self, Block};
use crate::model::resolve::{ResolvedMaterial, Selection, materials};
use crate::model::{Guide, Paper};
use crate::present::{self, label};

/// What the booklet is printed on and for whom.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Options {
    pub paper: Paper,
    /// 适老化: body text ≥ 14 pt.
    pub large_print: bool,
}

/// The print edition (`--print`, `booklet.print`): for a print shop and
/// saddle stitching.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Print {
    /// Crop marks in the corners, outside the bleed (`--crop-marks`,
    /// `booklet.crop_marks`).
    pub crop_marks: bool,
}

/// The print edition's file in the output folder.
pub const PRINT_FILE: &str = "booklet-print.pdf";

/// Type sizes and page geometry for one edition.
#[derive(Clone, Copy, Debug)]
struct Sizes {
    geometry: Geometry,
    body: f32,
    small: f32,
    title: f32,
    section: f32,
}

/// Millimetres in points.
fn mm(v: f32) -> f32 {
    v * 72.0 / 25.4
}

impl Sizes {
    /// The size of the running header and the folio. Large print: they
    /// grow too (not to body size).
    fn furniture(&self) -> f32 {
        if self.body >= 14.0 {
            11.0
        } else {
            self.small.min(9.0)
        }
    }

    fn new(o: Options) -> Sizes {
        let (width, height, margin, top, bottom, body) = match o.paper {
            Paper::A5 => (mm(148.0), mm(210.0), 40.0, 52.0, 46.0, 9.5),
            Paper::A4 => (mm(210.0), mm(297.0), 56.0, 64.0, 56.0, 10.5),
        };
        let body: f32 = if o.large_print { 14.5 } else { body };
        Sizes {
            geometry: Geometry {
                width,
                height,
                top,
                bottom,
                inner: margin,
                outer: margin,
            },
            body,
            small: if o.large_print { body } else { body * 0.86 },
            title: body * 1.6,
            section: body * 1.15,
        }
    }
}

const INK: Rgb = Rgb::hex(0x1A1A1A);
const GREY: Rgb = Rgb::hex(0x5A5A5A);
const RULE: Rgb = Rgb::hex(0x9A9A9A);
const HEADER_FILL: Rgb = Rgb::hex(0xEEF1F4);

fn accent(category: usize) -> Rgb {
    Rgb::hex(present::category_colour(category))
}

const CHINESE_NUMBERS: [&str; 20] = [
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四",
    "十五", "十六", "十七", "十八", "十九", "二十",
];

const CIRCLED: &str = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳";

fn circled(n: usize) -> String {
    CIRCLED
        .chars()
        .nth(n.wrapping_sub(1))
        .map_or_else(|| format!("{n}."), String::from)
}

/// Markdown inlines → spans in `base` style (bold and links kept).
fn md_spans(inlines: &[markdown::Inline], size: f32, color: Rgb) -> Vec<Span> {
    inlines
        .iter()
        .map(|i| Span {
            text: i.text.clone(),
            style: Style {
                face: if i.bold { Face::Bold } else { Face::Regular },
                size,
                color,
                link: i.link.clone().map(LinkTarget::Uri),
                keep: false,
            },
        })
        .collect()
}

/// The whole text of Markdown as one run of spans (for table cells).
fn md_inline(text: &str, size: f32, color: Rgb) -> Vec<Span> {
    let mut out = Vec::new();
    for (i, b) in markdown::blocks(text).iter().enumerate() {
        if i > 0 {
            out.push(span("\n", Face::Regular, size, color));
        }
        match b {
            Block::Paragraph(inl) => out.extend(md_spans(inl, size, color)),
            Block::Item {
                number, inlines, ..
            } => {
                let marker = number.map_or("▪ ".to_owned(), |n| format!("{n}. "));
                out.push(span(marker, Face::Regular, size, color));
                out.extend(md_spans(inlines, size, color));
            }
        }
    }
    out
}

/// Lays out one matter's pages.
struct MatterWriter<'a> {
    project: &'a Project,
    sizes: Sizes,
    color: Rgb,
    flow: Flow<'a>,
    section: usize,
}

impl<'a> MatterWriter<'a> {
    fn par(&self) -> ParStyle {
        ParStyle {
            align: Align::Justify,
            leading: 1.55,
            indent: 0.0,
            space_before: 0.0,
            space_after: self.sizes.body * 0.3,
        }
    }

    fn section(&mut self, title: &str) {
        let n = CHINESE_NUMBERS.get(self.section).copied().unwrap_or("");
        self.section += 1;
        let s = self.sizes;
        // No space after 、 (a doubled gap is a known fault of the peers).
        self.flow.heading_at(
            2,
            &[span(
                format!("{n}、{title}"),
                Face::Bold,
                s.section,
                self.color,
            )],
            ParStyle {
                align: Align::Left,
                leading: 1.5,
                indent: 0.0,
                space_before: s.body * 0.9,
                space_after: s.body * 0.25,
            },
            None,
        );
    }

    fn text(&mut self, spans: &[Span]) {
        let st = self.par();
        self.flow.paragraph(spans, st);
    }

    fn plain(&mut self, t: impl Into<String>) {
        let s = self.sizes.body;
        self.text(&[span(t, Face::Regular, s, INK)]);
    }

    /// A label in bold followed by text: “咨询电话：0991-…”.
    fn labelled(&mut self, label: &str, value: &str) {
        let s = self.sizes.body;
        self.text(&[
            span(format!("{label}："), Face::Bold, s, INK),
            span(value, Face::Regular, s, INK),
        ]);
    }

    /// Labelled lines kept on one page.
    fn labelled_together(&mut self, fields: &[(String, String)]) {
        let s = self.sizes.body;
        let blocks: Vec<(Vec<Span>, ParStyle)> = fields
            .iter()
            .map(|(label, value)| {
                (
                    vec![
                        span(format!("{label}："), Face::Bold, s, INK),
                        span(value, Face::Regular, s, INK),
                    ],
                    self.par(),
                )
            })
            .collect();
        self.flow.paragraphs_together(&blocks);
    }

    fn markdown(&mut self, text: &str) {
        let s = self.sizes.body;
        for b in markdown::blocks(text) {
            match b {
                Block::Paragraph(inl) => self.text(&md_spans(&inl, s, INK)),
                Block::Item {
                    number,
                    depth,
                    inlines,
                } => {
                    let marker = number.map_or("▪".to_owned(), |n| format!("{n}."));
                    let indent = s * 1.6 + depth as f32 * s * 1.2;
                    let st = ParStyle {
                        indent,
                        space_after: s * 0.15,
                        ..self.par()
                    };
                    self.flow.item(
                        &[span(marker, Face::Regular, s, self.color)],
                        &md_spans(&inlines, s, INK),
                        st,
                    );
                }
            }
        }
    }

    fn list_item(&mut self, marker: String, spans: &[Span]) {
        let s = self.sizes.body;
        let st = ParStyle {
            indent: s * 1.6,
            space_after: s * 0.2,
            ..self.par()
        };
        self.flow
            .item(&[span(marker, Face::Bold, s, self.color)], spans, st);
    }

    /// Materials as numbered blocks, for pages too narrow for a six-column
    /// table at the type size (the large-print A5 edition).
    fn materials_stacked(&mut self, g: &Guide, list: &[ResolvedMaterial]) {
        let s = self.sizes;
        for (i, m) in list.iter().enumerate() {
            let mut t = vec![span(&m.name, Face::Bold, s.body, INK)];
            if let Some(p) = present::produced(m) {
                t.push(span(format!("（{p}）"), Face::Regular, s.body, INK));
            }
            t.push(span(
                format!(
                    "\n{}　{}　{}",
                    present::form_word(m),
                    m.count_words().replace('\n', " "),
                    m.necessity.word()
                ),
                Face::Regular,
                s.body,
                INK,
            ));
            for a in present::alternatives(m) {
                t.push(span(format!("\n▪ {a}"), Face::Regular, s.body, INK));
            }
            if let Some(scope) = present::scope(g, &m.when) {
                t.push(span(
                    format!("\n{scope}"),
                    Face::Regular,
                    s.body,
                    self.color,
                ));
            }
            for note in material_notes(m, s.body) {
                t.push(span("\n", Face::Regular, s.body, INK));
                t.extend(note);
            }
            let st = ParStyle {
                indent: s.body * 1.6,
                space_after: s.body * 0.2,
                ..self.par()
            };
            self.flow.item_together(
                &[span(circled(i + 1), Face::Bold, s.body, self.color)],
                &t,
                st,
            );
        }
    }

    fn materials_table(&mut self, g: &Guide, list: &[ResolvedMaterial]) {
        let s = self.sizes;
        if s.geometry.body_width() / s.body < 30.0 {
            return self.materials_stacked(g, list);
        }
        let head = |t: &str| vec![span(t, Face::Bold, s.small, INK)];
        let col = |t: &str, wrap: bool, align: Align| Column {
            header: head(t),
            wrap,
            align,
        };
        let rows = list
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let mut name = vec![span(&m.name, Face::Regular, s.small, INK)];
                if let Some(scope) = present::scope(g, &m.when) {
                    name.push(span(
                        format!("\n（{scope}）"),
                        Face::Regular,
                        s.small * 0.92,
                        self.color,
                    ));
                }
                if let Some(p) = present::produced(m) {
                    name.push(span(
                        format!("\n（{p}）"),
                        Face::Regular,
                        s.small * 0.92,
                        INK,
                    ));
                }
                // A group is one row: its alternatives in the name's cell.
                for a in present::alternatives(m) {
                    name.push(span(format!("\n▪ {a}"), Face::Regular, s.small * 0.92, INK));
                }
                let mut note = Vec::new();
                for n in material_notes(m, s.small) {
                    if !note.is_empty() {
                        note.push(span("\n", Face::Regular, s.small, INK));
                    }
                    note.extend(n);
                }
                vec![
                    vec![span((i + 1).to_string(), Face::Regular, s.small, INK)],
                    name,
                    vec![span(present::form_word(m), Face::Regular, s.small, INK)],
                    vec![span(m.count_words(), Face::Regular, s.small, INK)],
                    vec![span(
                        m.necessity.word(),
                        if m.necessity == crate::model::Necessity::Required {
                            Face::Regular
                        } else {
                            Face::Bold
                        },
                        s.small,
                        INK,
                    )],
                    note,
                ]
            })
            .collect();
        let table = Table {
            columns: vec![
                col("序号", false, Align::Center),
                col("材料名称", true, Align::Left),
                col("形式", false, Align::Left),
                col("份数", false, Align::Left),
                col("必要性", false, Align::Left),
                col("备注", true, Align::Justify),
            ],
            rows,
            padding: s.small * 0.4,
            leading: 1.4,
            header_fill: HEADER_FILL,
            rule: RULE,
            caption_size: s.small,
        };
        self.flow.table(&table, "申请材料（续）");
        self.flow.space(s.body * 0.4);
    }

    /// One step of a flow: name, who, limit, detail, criteria, outcome.
    fn step(&mut self, i: usize, st: &crate::model::Step) {
        let s = self.sizes;
        let mut t = vec![span(&st.name.value, Face::Bold, s.body, INK)];
        if let Some(r) = &st.role {
            t.push(span(
                format!("（{}）", r.value),
                Face::Regular,
                s.body,
                GREY,
            ));
        }
        if let Some(l) = present::step_limit(st) {
            t.push(span(format!("　{l}"), Face::Regular, s.body, INK));
        }
        if let Some(d) = &st.detail {
            t.push(span("\n", Face::Regular, s.body, INK));
            t.extend(md_inline(&d.value, s.body, INK));
        }
        for x in present::step_details(st) {
            t.push(span(format!("\n{x}"), Face::Regular, s.body, INK));
        }
        self.list_item(circled(i + 1), &t);
    }

    fn matter(&mut self, gf: &GuideFile) {
        let g = &gf.guide;
        let s = self.sizes;
        let anchor = format!("m-{}", g.id.value);
        self.flow.heading(
            &[span(&g.name.value, Face::Bold, s.title, INK)],
            ParStyle {
                align: Align::Left,
                leading: 1.35,
                indent: 0.0,
                space_before: 0.0,
                space_after: s.body * 0.2,
            },
            Some(&anchor),
        );
        // The facts line as `present::facts_line` words it, broken only
        // after a label's colon or between facts, never inside a label.
        let mut facts: Vec<Span> = Vec::new();
        for (i, f) in present::facts(g).iter().enumerate() {
            if i > 0 {
                facts.push(span("　", Face::Regular, s.small, GREY));
            }
            // The label never breaks, nor a value that fits a line: the
            // line breaks after the colon or between facts.
            let value_fits = text::natural_width(
                &[span(&f.text, Face::Regular, s.small, GREY)],
                self.flow.metrics(),
            ) <= s.geometry.body_width();
            for (part, keep) in [
                (format!("{}：", f.label), true),
                (f.text.clone(), value_fits),
            ] {
                let mut sp = span(part, Face::Regular, s.small, GREY);
                sp.style.keep = keep;
                facts.push(sp);
            }
        }
        debug_assert_eq!(
            facts.iter().map(|s| s.text.as_str()).collect::<String>(),
            present::facts_line(g)
        );
        self.flow.paragraph(
            &facts,
            ParStyle {
                align: Align::Left,
                leading: 1.45,
                space_after: s.body * 0.2,
                ..ParStyle::default()
            },
        );
        self.flow.rule(
            Stroke {
                color: self.color,
                width: 1.2,
                dash: None,
            },
            s.body * 0.3,
        );
        if let Some(next) = self.project.next_version(gf) {
            let changes = crate::diff::compare(self.project, g, self.project, &next.guide);
            let mut t = vec![span(
                format!("自 {} 起施行新规定", next.guide.effective.value),
                Face::Bold,
                s.body,
                self.color,
            )];
            for c in changes.iter().filter(|c| c.field != "effective") {
                t.push(span(
                    format!("\n{}", crate::diff::line(c)),
                    Face::Regular,
                    s.small,
                    INK,
                ));
            }
            self.list_item("▲".into(), &t);
            self.flow.space(s.body * 0.5);
        }
        if let Some(sum) = &g.summary {
            self.markdown(&sum.value);
        }

        if !g.basis.is_empty() {
            self.section(present::basis_title(g));
            let groups = present::basis_groups(g);
            for (title, list) in &groups {
                if groups.len() > 1 {
                    self.flow.paragraph(
                        &[span(*title, Face::Bold, s.body, INK)],
                        ParStyle {
                            align: Align::Left,
                            space_after: s.body * 0.15,
                            ..self.par()
                        },
                    );
                }
                for b in list {
                    let mut t = vec![span(present::basis(b), Face::Regular, s.body, INK)];
                    if let Some(x) = &b.text {
                        t.push(span(format!("：{}", x.value), Face::Regular, s.body, GREY));
                    }
                    self.list_item("▪".into(), &t);
                }
            }
        }
        for (key, text) in [("conditions", &g.conditions), ("refusals", &g.refusals)] {
            let Some(c) = text else {
                continue;
            };
            self.section(present::section_title(key));
            match &c.value {
                crate::model::Markdowns::One(t) => self.markdown(t),
                crate::model::Markdowns::Many(items) => {
                    for (i, it) in items.iter().enumerate() {
                        let mut spans = md_inline(&it.text.value, s.body, INK);
                        if let Some(scope) = present::item_scope(g, it) {
                            spans.push(span(
                                format!("（{scope}）"),
                                Face::Regular,
                                s.body,
                                self.color,
                            ));
                        }
                        self.list_item(format!("{}.", i + 1), &spans);
                    }
                }
            }
        }

        self.section(present::section_title("materials"));
        let list = materials(g, &self.project.catalogue, Selection::All);
        if list.is_empty() {
            match &g.materials_note {
                Some(n) => self.markdown(&n.value),
                None => self.plain("无需提交材料。"),
            }
        } else {
            self.materials_table(g, &list);
            if let Some(n) = &g.materials_note {
                self.markdown(&n.value);
            }
        }

        if !g.steps.is_empty() {
            self.section(present::section_title("steps"));
        }
        for (flow, steps) in present::step_flows(g) {
            if let Some(title) = flow {
                self.flow.paragraph(
                    &[span(title, Face::Bold, s.body, INK)],
                    ParStyle {
                        align: Align::Left,
                        space_after: s.body * 0.15,
                        ..self.par()
                    },
                );
            }
            for (i, st) in steps.into_iter().enumerate() {
                self.step(i, st);
            }
        }

        if !present::time_limits(g).is_empty() {
            self.section(present::section_title("time"));
        }
        // The time limits stay on one page.
        let limits: Vec<(String, String)> = present::time_limits(g)
            .into_iter()
            .map(|f| (f.label, f.text))
            .collect();
        self.labelled_together(&limits);

        if g.fees.is_some() {
            self.section(present::section_title("fees"));
        }
        if let Some(fees) = g.fees.as_ref().filter(|f| f.charged.value) {
            for f in &fees.items {
                let mut t = vec![
                    span(format!("{}：", f.name.value), Face::Bold, s.body, INK),
                    span(&f.standard.value, Face::Regular, s.body, INK),
                ];
                if let Some(b) = present::fee_basis(f) {
                    t.push(span(b, Face::Regular, s.body, GREY));
                }
                if let Some(r) = present::fee_reducible(f) {
                    t.push(span(format!("\n{r}"), Face::Regular, s.body, INK));
                }
                self.list_item("▪".into(), &t);
            }
        } else if g.fees.is_some() {
            self.plain(format!("{}。", present::NO_FEES));
        }

        if g.handling.is_some() || g.result.is_some() {
            self.section(present::section_title("place"));
        }
        if let Some(c) = present::channels(g) {
            self.labelled(label::CHANNELS, &c);
        }
        if let Some(v) = present::visits(g) {
            self.labelled(label::VISITS, &v);
        }
        let no_handling = crate::model::Handling::default();
        let h = g.handling.as_ref().unwrap_or(&no_handling);
        let online_text = present::online(g);
        if let Some(url) = h.online.as_ref().and_then(|o| o.url.as_ref()) {
            let sz = s.body;
            let mut t = vec![
                span(format!("{}：", label::ONLINE), Face::Bold, sz, INK),
                Span {
                    text: url.value.clone(),
                    style: Style {
                        color: self.color,
                        link: Some(LinkTarget::Uri(url.value.clone())),
                        ..Style::new(Face::Regular, sz)
                    },
                },
            ];
            if let Some(x) = &online_text {
                t.push(span(format!("；{x}"), Face::Regular, sz, INK));
            }
            self.text(&t);
        } else if let Some(x) = &online_text {
            self.labelled(label::ONLINE, x);
        }
        if let Some(m) = present::mail(g) {
            self.labelled(label::MAIL, &m);
        }
        if let Some(a) = &h.appointment {
            self.labelled(label::APPOINTMENT, &a.value);
        }
        if let Some(x) = present::express(g) {
            self.labelled(label::DELIVERY, x);
        }
        for l in &h.locations {
            let mut t = vec![span(&l.address.value, Face::Regular, s.body, INK)];
            if let Some(w) = &l.window {
                t.push(span(format!("　{}", w.value), Face::Bold, s.body, INK));
            }
            if let Some(hours) = &l.hours {
                t.push(span(
                    format!("\n{}：{}", label::HOURS, hours.value),
                    Face::Regular,
                    s.body,
                    INK,
                ));
            }
            if let Some(tr) = &l.transit {
                t.push(span(
                    format!("\n{}：{}", label::TRANSIT, tr.value),
                    Face::Regular,
                    s.body,
                    INK,
                ));
            }
            self.list_item("▪".into(), &t);
        }
        for f in present::results(g) {
            self.labelled(&f.label, &f.text);
        }

        let remedies = present::remedies(self.project, g);
        let contacts = present::contacts(self.project, g);
        if !contacts.is_empty() || !remedies.is_empty() {
            self.section(present::section_title("contact"));
        }
        // The consult and complaint phones stay on one page.
        let phones: Vec<(String, String)> = contacts
            .iter()
            .chain(&remedies)
            .map(|f| (f.label.clone(), f.text.clone()))
            .collect();
        self.labelled_together(&phones);

        if let Some(gc) = &g.green_channel {
            self.section(present::section_title("green"));
            self.markdown(&gc.value);
        }
        if !g.faq.is_empty() {
            self.section(present::section_title("faq"));
            for q in &g.faq {
                let sz = s.body;
                self.flow.heading_at(
                    3,
                    &[
                        span("问：", Face::Bold, sz, self.color),
                        span(&q.q.value, Face::Bold, sz, INK),
                    ],
                    ParStyle {
                        align: Align::Justify,
                        leading: 1.5,
                        space_before: sz * 0.3,
                        ..ParStyle::default()
                    },
                    None,
                );
                let mut a = vec![span("答：", Face::Bold, sz, self.color)];
                a.extend(md_inline(&q.a.value, sz, INK));
                self.text(&a);
            }
        }
        self.flow.space(s.body * 0.8);
        // Never alone on a page: the last lines before it come along.
        self.flow.paragraph_with_previous(
            &[span(
                format!("本页更新于 {}", g.updated()),
                Face::Regular,
                s.small,
                GREY,
            )],
            ParStyle {
                align: Align::Right,
                ..ParStyle::default()
            },
        );
    }
}

/// The pages of one matter, laid out on their own (in parallel with others).
fn matter_pages(
    project: &Project,
    gf: &GuideFile,
    sizes: Sizes,
    color: Rgb,
    metrics: &dyn Metrics,
) -> Vec<Page> {
    let mut w = MatterWriter {
        project,
        sizes,
        color,
        flow: Flow::new(sizes.geometry, metrics),
        section: 0,
    };
    w.matter(gf);
    w.flow.finish()
}

fn centered(
    text: &str,
    face: Face,
    size: f32,
    color: Rgb,
    y: f32,
    width: f32,
    m: &dyn Metrics,
) -> Item {
    let spans = [span(text, face, size, color)];
    let w = text::natural_width(&spans, m);
    let mut run = text::lay_out(&spans, w + 1.0, Align::Left, m)
        .remove(0)
        .runs
        .remove(0);
    run.x = (width - w) / 2.0;
    run.y = y;
    Item::Text(run)
}

struct Meta<'a> {
    title: &'a str,
    organization: &'a str,
    edition: &'a str,
    base_url: Option<&'a str>,
    date: &'a str,
    hash: String,
}

fn cover(meta: &Meta, sizes: Sizes, m: &dyn Metrics) -> Page {
    let g = sizes.geometry;
    let (w, h) = (g.width, g.height);
    let band = h * 0.2;
    let mut items = vec![Item::Rect {
        x: 0.0,
        y: 0.0,
        w,
        h: band,
        fill: Some(accent(0)),
        stroke: None,
    }];
    items.push(centered(
        meta.organization,
        Face::Bold,
        sizes.body * 1.5,
        Rgb::WHITE,
        band * 0.58,
        w,
        m,
    ));
    let room = w - 2.0 * g.outer;
    // A long title breaks at its spaces first (“…中心 / 办事指南”), then
    // anywhere; and gets smaller until it takes at most a third of the page,
    // so the edition and the QR code below it stay on the cover.
    let title_lines = |size: f32| {
        let whole = [span(meta.title, Face::Bold, size, INK)];
        let parts: Vec<&str> = if text::natural_width(&whole, m) > room {
            meta.title
                .split([' ', '\u{3000}'])
                .filter(|p| !p.is_empty())
                .collect()
        } else {
            vec![meta.title]
        };
        parts
            .iter()
            .flat_map(|p| text::lay_out(&[span(*p, Face::Bold, size, INK)], room, Align::Center, m))
            .collect::<Vec<_>>()
    };
    let mut title_size = (sizes.body * 2.5).min(30.0);
    let mut lines = title_lines(title_size);
    while lines.len() as f32 * title_size * 1.4 > h * 0.3 && title_size > 12.0 {
        title_size -= 1.0;
        lines = title_lines(title_size);
    }
    let mut y = band + h * 0.12;
    for line in lines {
        for r in line.runs {
            let mut r = r;
            r.x += g.outer;
            r.y = y;
            items.push(Item::Text(r));
        }
        y += title_size * 1.4;
    }
    items.push(centered(
        "一翻清 · 办事指南手册",
        Face::Regular,
        sizes.body * 1.3,
        accent(0),
        y + sizes.body,
        w,
        m,
    ));
    let info_y = y + sizes.body * 3.5;
    if !meta.edition.is_empty() {
        items.push(centered(
            meta.edition,
            Face::Regular,
            sizes.body * 1.1,
            INK,
            info_y,
            w,
            m,
        ));
    }
    items.push(centered(
        &format!("{}：{}", label::PRINTED, meta.date),
        Face::Regular,
        sizes.body,
        GREY,
        info_y + sizes.body * 1.8,
        w,
        m,
    ));
    if let Some(url) = meta.base_url {
        // Below the edition lines, never over them: smaller if need be.
        let top = info_y + sizes.body * 3.5;
        let bottom = h - g.bottom - sizes.body * 4.0;
        let qs = (w * 0.3).min(150.0).min(bottom - top).max(40.0);
        let qy = (bottom - qs).max(top);
        items.extend(crate::layout::qr(url, (w - qs) / 2.0, qy, qs));
        items.push(centered(
            present::SCAN_SITE,
            Face::Regular,
            sizes.small,
            INK,
            qy + qs + sizes.body * 1.3,
            w,
            m,
        ));
        let mut url_item = centered(
            url,
            Face::Regular,
            sizes.small,
            GREY,
            qy + qs + sizes.body * 2.7,
            w,
            m,
        );
        if let Item::Text(r) = &mut url_item {
            items.push(Item::Link {
                x: r.x,
                y: r.y - r.size,
                w: r.width,
                h: r.size * 1.3,
                target: LinkTarget::Uri(url.to_owned()),
            });
            r.link = Some(LinkTarget::Uri(url.to_owned()));
        }
        items.push(url_item);
    }
    Page {
        width: w,
        height: h,
        items,
        anchors: vec!["cover".into()],
        ..Page::default()
    }
}

/// The page behind the cover: how to use the booklet.
fn how_to(meta: &Meta, sizes: Sizes, m: &dyn Metrics) -> Vec<Page> {
    let mut f = Flow::new(sizes.geometry, m);
    let b = sizes.body;
    f.heading(
        &[span("使用说明", Face::Bold, sizes.title, INK)],
        ParStyle {
            align: Align::Left,
            leading: 1.4,
            space_after: b * 0.6,
            ..ParStyle::default()
        },
        None,
    );
    let par = ParStyle {
        space_after: b * 0.5,
        ..ParStyle::default()
    };
    for t in [
        "本手册按分类编排，每个事项从新的一页开始，写明受理条件、申请材料、办理流程、办理时限、收费标准、办理地点和咨询投诉电话。书页外侧的彩色色标对应分类，翻到色标即可找到该类事项。".to_owned(),
        "“申请材料”表中注明“仅限”的材料，只在申请人属于该情形时提交。材料不全的，窗口将出具《一次性告知单》，一次性告知需要补正的全部材料。".to_owned(),
        format!("本手册与窗口、电话和网站使用同一份数据生成。政策如有调整，以网站最新版本为准{}。每页页脚印有版次和数据校验码，可据此核对是否为最新版本。", meta.base_url.map_or(String::new(), |u| format!("（{u}）"))),
    ] {
        f.paragraph(&[span(t, Face::Regular, b, INK)], par);
    }
    f.finish()
}

/// One line of the contents: title left, page number right, dot leaders
/// between, the whole line a link to the matter.
struct TocEntry {
    title: String,
    anchor: String,
    level: u8,
    category: usize,
}

fn toc_pages(entries: &[TocEntry], pages: &[usize], sizes: Sizes, m: &dyn Metrics) -> Vec<Page> {
    let mut f = Flow::new(sizes.geometry, m);
    let b = sizes.body;
    f.heading(
        &[span("目　录", Face::Bold, sizes.title, INK)],
        ParStyle {
            align: Align::Center,
            leading: 1.4,
            space_after: b * 0.8,
            ..ParStyle::default()
        },
        None,
    );
    let width = sizes.geometry.body_width();
    for (i, (e, page)) in entries.iter().zip(pages).enumerate() {
        let (face, size, color, indent) = if e.level == 0 {
            (Face::Bold, b * 1.05, accent(e.category), 0.0)
        } else {
            (Face::Regular, b, INK, b * 1.5)
        };
        let number = span(page.to_string(), face, size, color);
        let num_w = text::natural_width(std::slice::from_ref(&number), m);
        let lines = text::lay_out(
            &[span(&e.title, face, size, color)],
            width - indent - num_w - b * 2.0,
            Align::Left,
            m,
        );
        let line_h = size * 1.7;
        let space = if e.level == 0 { b * 0.5 } else { 0.0 };
        // A section head keeps its first entry (one line of body size at
        // least) on its page.
        if e.level == 0 && f.cursor() > sizes.geometry.top {
            let next = entries
                .get(i + 1)
                .filter(|n| n.level > 0)
                .map_or(0.0, |_| b * 1.7);
            if space + line_h * lines.len() as f32 + next > f.room() + 0.01 {
                f.new_page();
            }
        }
        f.space(space);
        let (x, y) = f.reserve(line_h * lines.len() as f32);
        let mut items = Vec::new();
        let mut last_end = 0.0;
        for (i, line) in lines.iter().enumerate() {
            let baseline = y + line_h * i as f32 + size * 1.15;
            for r in &line.runs {
                let mut r = r.clone();
                r.x += x + indent;
                r.y = baseline;
                // A closing mark's blank right half is not part of the entry.
                let n = r.text.chars().count();
                let squeezed = r.squeeze.iter().any(|&(i, _)| i + 1 == n);
                let blank = match r.text.chars().last() {
                    Some(c) if "）》」』〕】".contains(c) && !squeezed => r.size / 2.0,
                    _ => 0.0,
                };
                last_end = r.x + r.width - blank;
                items.push(Item::Text(r));
            }
        }
        let baseline = y + line_h * (lines.len() - 1) as f32 + size * 1.15;
        let num_x = x + width - num_w;
        // Dot leaders, as a dotted line (drawn, not text: extraction stays clean).
        if num_x - last_end > b {
            items.push(Item::Line {
                x1: last_end + b * 0.25,
                y1: baseline - size * 0.1,
                x2: num_x - b * 0.4,
                y2: baseline - size * 0.1,
                stroke: Stroke {
                    color: RULE,
                    width: 0.8,
                    dash: Some((0.8, 2.2)),
                },
            });
        }
        let mut nr = text::lay_out(std::slice::from_ref(&number), num_w + 1.0, Align::Left, m)
            .remove(0)
            .runs
            .remove(0);
        nr.x = num_x;
        nr.y = baseline;
        items.push(Item::Text(nr));
        items.push(Item::Link {
            x,
            y,
            w: width,
            h: line_h * lines.len() as f32,
            target: LinkTarget::Anchor(e.anchor.clone()),
        });
        f.draw(items);
    }
    f.finish()
}

/// What kind of page, for its furniture.
#[derive(Clone, Copy)]
enum Kind {
    Cover,
    /// Left empty so a section opens on a right-hand page, or (in the
    /// print edition) to make the page count a multiple of 4: nothing
    /// printed on screen, [`present::NO_TEXT`] in the print edition.
    Blank,
    Front,
    Matter(usize),
    /// The print edition's back cover: no running header or folio.
    Back,
}

/// A page's side: its category (none: a front page) and whether it is a
/// right-hand page.
type Side = (Option<usize>, bool);

/// Puts the furniture on pages (running header, thumb tab, folio, edition
/// note). What every page of a side carries but its number is laid out
/// once per side (about ten text layouts a page otherwise).
struct Furniture<'a> {
    meta: &'a Meta<'a>,
    categories: &'a [&'a str],
    sizes: Sizes,
    m: &'a dyn Metrics,
    /// Side → the items before the page number and after it.
    sides: std::collections::HashMap<Side, (Vec<Item>, Vec<Item>)>,
}

impl Furniture<'_> {
    fn apply(&mut self, page: &mut Page, number: usize, kind: Kind) {
        let f = self;
        let (meta, categories, sizes, m) = (f.meta, f.categories, f.sizes, f.m);
        let g = sizes.geometry;
        if matches!(kind, Kind::Cover | Kind::Blank | Kind::Back) {
            return;
        }
        let recto = number % 2 == 1;
        let small = sizes.furniture();
        let (inner_x, outer_x) = (g.inner, g.width - g.outer);
        let footer_y = g.height - g.bottom + 22.0;
        let category = match kind {
            Kind::Matter(c) => Some(c),
            _ => None,
        };
        let (before, after) = f
            .sides
            .entry((category, recto))
            .or_insert_with(|| side_furniture(category, recto, meta, categories, sizes, m));
        page.items.extend(before.iter().cloned());
        let num = [span(number.to_string(), Face::Bold, small * 1.1, INK)];
        let nw = text::natural_width(&num, m);
        let nx = if recto { outer_x - nw } else { inner_x };
        page.items
            .extend(line_at(&num, g.body_width(), nx, footer_y, m));
        page.items.extend(after.iter().cloned());
    }
}

/// The furniture of a page of `category` (none: a front page) on one side,
/// without its number: the items before the number (running header, thumb
/// tab, the rule above the footer) and after it (the edition note).
fn side_furniture(
    category: Option<usize>,
    recto: bool,
    meta: &Meta,
    categories: &[&str],
    sizes: Sizes,
    m: &dyn Metrics,
) -> (Vec<Item>, Vec<Item>) {
    let g = sizes.geometry;
    let mut page = Page::default();
    let small = sizes.furniture();
    let tiny = (small * 0.85).max(6.5);
    let (inner_x, outer_x) = (g.inner, g.width - g.outer);
    let header_y = g.top - 16.0;
    // Running header: category on the outer side, book title on the inner.
    if let Some(c) = category {
        // The category always shows (shrunk to the line if it must be); the
        // book title only when both fit without touching.
        let room = g.body_width();
        let full = text::natural_width(&[span(categories[c], Face::Bold, small, INK)], m);
        let cat_size = if full > room {
            (small * room / full).max(4.0)
        } else {
            small
        };
        let cat = [span(categories[c], Face::Bold, cat_size, accent(c))];
        let title = [span(meta.title, Face::Regular, small, GREY)];
        let cw = text::natural_width(&cat, m);
        let tw = text::natural_width(&title, m);
        let (cx, tx) = if recto {
            (outer_x - cw, inner_x)
        } else {
            (inner_x, outer_x - tw)
        };
        let with_title = cw + tw + small * 2.0 <= room;
        let parts: Vec<(&[Span], f32)> = if with_title {
            vec![(&cat[..], cx), (&title[..], tx)]
        } else {
            vec![(&cat[..], cx)]
        };
        for (spans, x) in parts {
            page.items
                .extend(line_at(spans, g.body_width(), x, header_y, m));
        }
        page.items.push(Item::Line {
            x1: inner_x,
            y1: header_y + 5.0,
            x2: outer_x,
            y2: header_y + 5.0,
            stroke: hairline(RULE),
        });
        // Edge thumb tab, stepped down by category.
        let n = categories.len().max(1);
        let slot = ((g.height - 2.0 * g.top) / n as f32).clamp(24.0, 64.0);
        let slots = ((g.height - 2.0 * g.top) / slot).floor().max(1.0) as usize;
        let ty = g.top + (c % slots) as f32 * slot;
        let tab_w = 14.0;
        let tx = if recto { g.width - tab_w } else { 0.0 };
        page.items.push(Item::Rect {
            x: tx,
            y: ty,
            w: tab_w,
            h: slot - 2.0,
            fill: Some(accent(c)),
            stroke: None,
        });
        for (ch, x, y, size) in tab_label(categories[c], tab_w, slot, tiny) {
            let s = [span(ch.to_string(), Face::Bold, size, Rgb::WHITE)];
            let cw = text::natural_width(&s, m);
            if let Some(mut l) = text::lay_out(&s, cw + 1.0, Align::Left, m)
                .into_iter()
                .next()
            {
                for r in &mut l.runs {
                    r.x = tx + x - cw / 2.0;
                    r.y = ty + y;
                }
                page.items.extend(l.runs.into_iter().map(Item::Text));
            }
        }
    }
    // Footer: page number on the outer edge, the edition note in the middle.
    let footer_y = g.height - g.bottom + 22.0;
    page.items.push(Item::Line {
        x1: inner_x,
        y1: footer_y - small - 4.0,
        x2: outer_x,
        y2: footer_y - small - 4.0,
        stroke: hairline(RULE),
    });
    let before = std::mem::take(&mut page.items);
    let mut note = format!("以网站最新版本为准 · {}", meta.hash);
    if !meta.edition.is_empty() {
        note = format!("以网站最新版本为准 · {} · {}", meta.edition, meta.hash);
    }
    let note = [span(note, Face::Regular, tiny, GREY)];
    let ow = text::natural_width(&note, m);
    let ox = if recto { inner_x } else { outer_x - ow };
    page.items
        .extend(line_at(&note, g.body_width(), ox, footer_y, m));
    (before, page.items)
}

/// `spans` as one line (the first, if they need more) `room` points wide,
/// starting at `x` on the baseline `y`.
fn line_at(spans: &[Span], room: f32, x: f32, y: f32, m: &dyn Metrics) -> Vec<Item> {
    let Some(l) = text::lay_out(spans, room, Align::Left, m)
        .into_iter()
        .next()
    else {
        return Vec::new();
    };
    l.runs
        .into_iter()
        .map(|mut r| {
            r.x += x;
            r.y = y;
            Item::Text(r)
        })
        .collect()
}

/// The whole category name on a thumb tab `w` × `h` points: stacked in one
/// column at `size` if it fits, else in one column at a smaller size (not
/// below 5 pt), else in two columns read right to left as vertical text is.
/// Returns each character with its centre x, baseline y (from the tab's
/// top-left) and size.
fn tab_label(name: &str, w: f32, h: f32, size: f32) -> Vec<(char, f32, f32, f32)> {
    let chars: Vec<char> = name.chars().collect();
    let n = chars.len().max(1) as f32;
    let room = h - 6.0;
    // One column: each character takes size + 1 points of height.
    let one = (room / n - 1.0).min(size);
    let (cols, size) = if one >= 5.0 || chars.len() < 2 {
        (1, one.max(4.0))
    } else {
        let rows = chars.len().div_ceil(2) as f32;
        (2, (room / rows - 1.0).min(size).min((w - 3.0) / 2.0))
    };
    let rows = chars.len().div_ceil(cols);
    chars
        .iter()
        .enumerate()
        .map(|(i, &ch)| {
            let (col, row) = (i / rows, i % rows);
            let x = if cols == 1 {
                w / 2.0
            } else {
                // First column on the right.
                w / 2.0 + (0.5 - col as f32) * (size + 1.0)
            };
            (ch, x, 3.0 + size * 0.9 + row as f32 * (size + 1.0), size)
        })
        .collect()
}

/// One body line of the booklet as set, for measuring the layout.
#[derive(Clone, Debug, PartialEq)]
pub struct SetLine {
    /// 1-based page number.
    pub page: usize,
    pub text: String,
    /// Space per gap, in ems; 0 for a last line.
    pub spread: f32,
    /// The share of their blank half the line's full-width marks gave up
    /// so that it fits (0 to 1).
    pub shrink: f32,
    pub last: bool,
    pub runt: bool,
    /// Set flush left in a justified paragraph (mostly a web address).
    pub ragged: bool,
}

/// The body lines of the booklet of the project at `root` (in force
/// today), as `guide build` sets them: what tests and benchmarks measure
/// (spread per gap, runts) without reading the PDF back.
pub fn set_lines(root: &std::path::Path, options: Options) -> anyhow::Result<Vec<SetLine>> {
    let (mut p, _) = crate::load::load(root)?;
    p.in_force(crate::date::Date::today());
    let fonts = crate::render::prepared_fonts(&p)?;
    let date = crate::render::build_date(&p);
    let doc = lay_out(&p, &fonts, options, &date);
    Ok(doc
        .pages
        .iter()
        .enumerate()
        .flat_map(|(i, page)| {
            page.lines.iter().map(move |m| SetLine {
                page: i + 1,
                text: page.line_text(m),
                spread: m.spread,
                shrink: m.shrink,
                last: m.last,
                runt: m.runt,
                ragged: m.ragged,
            })
        })
        .collect())
}

/// Lays out the whole booklet (the screen edition).
pub fn lay_out(project: &Project, fonts: &FontSet, options: Options, date: &str) -> Document {
    collect(project, fonts, options, date, None)
}

/// Lays out the print edition: the screen edition's pages on sheets with
/// 3 mm bleed (art touching the trim runs on to the bleed edge), trim and
/// bleed boxes set, crop marks when asked for; blank pages say
/// [`present::NO_TEXT`]; blank pages before a designed back cover make the
/// page count a multiple of 4 for saddle stitching; inks for print.
pub fn lay_out_print(
    project: &Project,
    fonts: &FontSet,
    options: Options,
    date: &str,
    print: Print,
) -> Document {
    collect(project, fonts, options, date, Some(print))
}

/// Lays out the booklet (`print`: the print edition) and writes it as PDF
/// as it goes: each matter is written as soon as it and those before it
/// are laid out, while the rest are still being laid out. The pages,
/// their text, links, bookmarks and structure are those of [`lay_out`]'s
/// document written whole (the bytes differ: fonts and objects are
/// numbered in the order written).
pub fn write(
    project: &Project,
    fonts: &FontSet,
    options: Options,
    date: &str,
    print: Option<Print>,
) -> anyhow::Result<Vec<u8>> {
    let meta = Meta::of(project, date);
    let mut w = crate::render::pdf::Writer::new(
        &header(&meta, print),
        fonts,
        crate::render::pdf::Options::default(),
    )?;
    let doc = assemble(project, fonts, options, &meta, print, &mut |place, page| {
        w.page(place, &page)
    })?;
    w.finish(&doc)
}

/// [`assemble`]'s pages gathered into a document, in order.
fn collect(
    project: &Project,
    fonts: &FontSet,
    options: Options,
    date: &str,
    print: Option<Print>,
) -> Document {
    let meta = Meta::of(project, date);
    let mut pages: Vec<(usize, Page)> = Vec::new();
    let mut doc = match assemble(project, fonts, options, &meta, print, &mut |place, page| {
        pages.push((place, page));
        Ok(())
    }) {
        Ok(doc) => doc,
        // Gathering pages cannot fail.
        Err(_) => header(&meta, print),
    };
    pages.sort_by_key(|(place, _)| *place);
    doc.pages = pages.into_iter().map(|(_, p)| p).collect();
    doc
}

impl<'a> Meta<'a> {
    fn of(project: &'a Project, date: &'a str) -> Meta<'a> {
        let config = project.config.as_ref();
        Meta {
            title: config.map_or("", |c| c.title.value.as_str()),
            organization: config.map_or("", |c| c.organization.value.as_str()),
            edition: config
                .and_then(|c| c.edition.as_ref())
                .map_or("", |e| e.value.as_str()),
            base_url: config
                .and_then(|c| c.base_url.as_ref())
                .map(|u| u.value.as_str()),
            date,
            hash: format!("{:08x}", project.content_hash >> 32),
        }
    }
}

/// The booklet's document without its pages: title, author, date, inks.
fn header(meta: &Meta, print: Option<Print>) -> Document {
    Document {
        title: meta.title.to_owned(),
        author: meta.organization.to_owned(),
        subject: "一翻清 办事指南手册".to_owned(),
        date: meta.date.to_owned(),
        ink: if print.is_some() {
            crate::layout::Ink::Print
        } else {
            crate::layout::Ink::Screen
        },
        ..Document::default()
    }
}

/// Lays out the booklet, giving each page to `emit` with its place in
/// the document (0-based) as soon as it is ready, and returns the document
/// without its pages (title, bookmarks…). The pages come in this order:
/// the cover and the front pages; the matters, each as soon as it and
/// those before it are laid out (they are laid out in parallel); then the
/// contents, which need every matter's page number, and the blank pages
/// after it, whose places are before the matters; last the print
/// edition's closing pages. An error from `emit` stops the layout and is
/// returned.
fn assemble(
    project: &Project,
    fonts: &FontSet,
    options: Options,
    meta: &Meta,
    print: Option<Print>,
    emit: &mut dyn FnMut(usize, Page) -> anyhow::Result<()>,
) -> anyhow::Result<Document> {
    let sizes = Sizes::new(options);
    let categories = project.categories();
    let names: Vec<&str> = categories.iter().map(|(n, _)| *n).collect();
    // Every page gets its furniture (running header, folio, tabs) and, in
    // the print edition, its sheet, as it is emitted.
    let mut furniture = Furniture {
        meta,
        categories: &names,
        sizes,
        m: fonts,
        sides: Default::default(),
    };
    let mut finish = |place: usize, mut p: Page, kind: Kind| {
        furniture.apply(&mut p, place + 1, kind);
        if let Some(print) = print {
            if matches!(kind, Kind::Blank) {
                p.items.push(no_text(sizes, fonts));
            }
            crate::layout::sheet::impose(&mut p, crate::layout::sheet::bleed(), print.crop_marks);
        }
        emit(place, p)
    };
    // An empty page of the booklet's size (its furniture comes later).
    let blank = || {
        let g = sizes.geometry;
        Page {
            width: g.width,
            height: g.height,
            ..Page::default()
        }
    };

    // Contents: entries, laid out once to count its pages, then with numbers.
    let mut entries = Vec::new();
    for (ci, (name, list)) in categories.iter().enumerate() {
        entries.push(TocEntry {
            title: name.to_string(),
            anchor: format!("c-{ci}"),
            level: 0,
            category: ci,
        });
        for g in list {
            entries.push(TocEntry {
                title: g.guide.name.value.clone(),
                anchor: format!("m-{}", g.guide.id.value),
                level: 1,
                category: ci,
            });
        }
    }
    let front = how_to(meta, sizes, fonts);
    let widest = vec![9999; entries.len()];
    let toc_len = toc_pages(&entries, &widest, sizes, fonts).len();
    // Page numbers (1-based): the contents start after the cover and the
    // front pages; the first section opens on a right-hand page.
    let toc_first = 1 + front.len() + 1;
    let mut first_matter = toc_first + toc_len;
    if first_matter.is_multiple_of(2) {
        first_matter += 1;
    }

    finish(0, cover(meta, sizes, fonts), Kind::Cover)?;
    for (i, p) in front.into_iter().enumerate() {
        finish(1 + i, p, Kind::Front)?;
    }

    let mut bookmarks = vec![Bookmark {
        title: "目录".into(),
        page: toc_first - 1,
        level: 0,
    }];
    // Matters, laid out in parallel (each starts on a new page) and
    // emitted in order as they are ready.
    let jobs: Vec<(usize, &GuideFile)> = categories
        .iter()
        .enumerate()
        .flat_map(|(ci, (_, list))| list.iter().map(move |g| (ci, *g)))
        .collect();
    let mut numbers = Vec::new();
    let mut page = first_matter;
    // Each category's number and bookmark: its first matter's page (the
    // next matter's, for a category without matters).
    let mut categories_done = 0;
    let mut category = |page: usize, numbers: &mut Vec<usize>, bookmarks: &mut Vec<Bookmark>| {
        numbers.push(page);
        bookmarks.push(Bookmark {
            title: names[categories_done].to_string(),
            page: page - 1,
            level: 0,
        });
        categories_done += 1;
    };
    let mut take = |k: usize, mut mp: Vec<Page>| -> anyhow::Result<()> {
        let (ci, g) = jobs[k];
        if k == 0 || jobs[k - 1].0 != ci {
            // The first matter of category `ci`, and of those before it
            // still without a number.
            for _ in jobs.get(k.wrapping_sub(1)).map_or(0, |j| j.0 + 1)..=ci {
                category(page, &mut numbers, &mut bookmarks);
            }
            if let Some(p) = mp.first_mut() {
                p.anchors.insert(0, format!("c-{ci}"));
            }
        }
        numbers.push(page);
        bookmarks.push(Bookmark {
            title: g.guide.name.value.clone(),
            page: page - 1,
            level: 1,
        });
        for p in mp {
            finish(page - 1, p, Kind::Matter(ci))?;
            page += 1;
        }
        Ok(())
    };
    in_order(
        jobs.len(),
        |k| {
            let (ci, g) = jobs[k];
            matter_pages(project, g, sizes, accent(ci), fonts)
        },
        &mut take,
    )?;
    for _ in jobs.last().map_or(0, |j| j.0 + 1)..names.len() {
        category(page, &mut numbers, &mut bookmarks);
    }
    let end = page;

    // The contents, now that every number is known, and the blank pages
    // before the first section (and after the contents, should they take
    // fewer pages with the real numbers than with the widest).
    let mut toc = toc_pages(&entries, &numbers, sizes, fonts);
    debug_assert_eq!(toc.len(), toc_len);
    if let Some(p) = toc.first_mut() {
        p.anchors.push("toc".into());
    }
    let mut place = toc_first - 1;
    for p in toc {
        finish(place, p, Kind::Front)?;
        place += 1;
    }
    while place + 1 < first_matter {
        finish(place, blank(), Kind::Blank)?;
        place += 1;
    }
    if print.is_some() {
        // Saddle stitching: a multiple of 4 pages, the back cover last.
        let mut place = end - 1;
        while !(place + 1).is_multiple_of(4) {
            finish(place, blank(), Kind::Blank)?;
            place += 1;
        }
        finish(place, back_cover(project, meta, sizes, fonts), Kind::Back)?;
    }
    let mut doc = header(meta, print);
    doc.bookmarks = bookmarks;
    Ok(doc)
}

/// Runs `make(0..n)` on the thread pool and gives each result to `take`
/// in order on this thread, as soon as it and those before it are ready.
/// While it waits, this thread works on the pool's jobs when it is one of
/// the pool's threads (it may be the only one). An error from `take`
/// stops the taking (the jobs started still run) and is returned.
fn in_order<T: Send>(
    n: usize,
    make: impl Fn(usize) -> T + Sync,
    take: &mut dyn FnMut(usize, T) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    use std::sync::mpsc;
    let (tx, rx) = mpsc::channel::<(usize, T)>();
    let make = &make;
    // In place: `take` stays on this thread (the PDF writer cannot move).
    rayon::in_place_scope_fifo(|s| {
        for k in 0..n {
            let tx = tx.clone();
            s.spawn_fifo(move |_| {
                let _ = tx.send((k, make(k)));
            });
        }
        drop(tx);
        let mut ready = std::collections::BTreeMap::new();
        let mut next = 0;
        while next < n {
            if let Some(t) = ready.remove(&next) {
                take(next, t)?;
                next += 1;
                continue;
            }
            match rx.try_recv() {
                Ok((k, t)) => {
                    ready.insert(k, t);
                    continue;
                }
                Err(mpsc::TryRecvError::Disconnected) => break,
                Err(mpsc::TryRecvError::Empty) => {}
            }
            // Nothing ready: lay out one, or wait a moment for the others.
            if !matches!(rayon::yield_now(), Some(rayon::Yield::Executed))
                && let Ok((k, t)) = rx.recv_timeout(std::time::Duration::from_millis(1))
            {
                ready.insert(k, t);
            }
        }
        if next < n {
            // A job ended without its result (it panicked: the scope
            // raises that when it ends).
            anyhow::bail!("排版第 {} 个事项时意外中止", next + 1);
        }
        Ok(())
    })
}

/// What a blank page of the print edition carries: 此页无正文, small and
/// centred on the page.
fn no_text(sizes: Sizes, m: &dyn Metrics) -> Item {
    let g = sizes.geometry;
    centered(
        present::NO_TEXT,
        Face::Regular,
        sizes.small,
        GREY,
        g.height / 2.0,
        g.width,
        m,
    )
}

/// `spans` broken to `room` points and centred on the page (`width`), the
/// first baseline at `y`, lines `leading` apart; the items and the
/// baseline after the last line.
fn centred_lines(
    spans: &[Span],
    room: f32,
    width: f32,
    y: f32,
    leading: f32,
    m: &dyn Metrics,
) -> (Vec<Item>, f32) {
    let mut items = Vec::new();
    let mut y = y;
    let x0 = (width - room) / 2.0;
    for line in text::lay_out(spans, room, Align::Center, m) {
        for mut r in line.runs {
            r.x += x0;
            r.y = y;
            items.push(Item::Text(r));
        }
        y += leading;
    }
    (items, y)
}

/// The print edition's back cover: the issuing organisation and how to
/// reach it (`guide.yaml`'s `contact`, as [`present::project_contacts`]
/// words it), and at the foot the QR code to the site beside the edition,
/// the print date and the data's checksum; a band in the first category's
/// colour at the bottom, running to the trim like the front cover's.
fn back_cover(project: &Project, meta: &Meta, sizes: Sizes, m: &dyn Metrics) -> Page {
    let g = sizes.geometry;
    let (w, h) = (g.width, g.height);
    let b = sizes.body;
    let room = w - 2.0 * g.outer;
    let band = h * 0.07;
    let mut items = vec![Item::Rect {
        x: 0.0,
        y: h - band,
        w,
        h: band,
        fill: Some(accent(0)),
        stroke: None,
    }];
    // The booklet's title in the band, when it fits on one line.
    if text::natural_width(&[span(meta.title, Face::Bold, sizes.small, INK)], m) <= room {
        items.push(centered(
            meta.title,
            Face::Bold,
            sizes.small,
            Rgb::WHITE,
            h - band / 2.0 + sizes.small * 0.35,
            w,
            m,
        ));
    }
    // The organisation, a rule and the contacts: one group, placed below.
    let mut group: Vec<Item> = Vec::new();
    let mut y = g.top + b * 2.0;
    let (org, after) = centred_lines(
        &[span(meta.organization, Face::Bold, b * 1.5, INK)],
        room,
        w,
        y,
        b * 2.2,
        m,
    );
    group.extend(org);
    y = after - b * 0.6;
    group.push(Item::Line {
        x1: (w - b * 4.0) / 2.0,
        y1: y,
        x2: (w + b * 4.0) / 2.0,
        y2: y,
        stroke: Stroke {
            color: accent(0),
            width: 1.2,
            dash: None,
        },
    });
    y += b * 2.2;

    // The foot: the QR code with the edition lines beside it (or the lines
    // alone, centred), above the band.
    let small = sizes.small;
    let lh = small * 1.6;
    // (text, grey, a link to)
    let mut lines: Vec<(String, bool, Option<&str>)> = Vec::new();
    if let Some(url) = meta.base_url {
        lines.push((present::SCAN_SITE.to_owned(), false, None));
        lines.push((url.to_owned(), true, Some(url)));
    }
    if !meta.edition.is_empty() {
        lines.push((meta.edition.to_owned(), false, None));
    }
    lines.push((format!("{}：{}", label::PRINTED, meta.date), true, None));
    lines.push((format!("{}：{}", label::CHECKSUM, meta.hash), true, None));
    let text_h = lines.len() as f32 * lh;
    let qs = if meta.base_url.is_some() {
        text_h.clamp(84.0, 110.0)
    } else {
        0.0
    };
    let foot_h = qs.max(text_h);
    let foot_top = h - band - b * 1.5 - foot_h;
    let widths: Vec<f32> = lines
        .iter()
        .map(|(t, _, _)| text::natural_width(&[span(t, Face::Regular, small, INK)], m))
        .collect();
    let text_w = widths.iter().copied().fold(0.0, f32::max);
    let gap = if qs > 0.0 { small * 1.5 } else { 0.0 };
    let row_x = ((w - qs - gap - text_w) / 2.0).max(8.0);
    if let Some(url) = meta.base_url {
        items.extend(crate::layout::qr(
            url,
            row_x,
            foot_top + (foot_h - qs) / 2.0,
            qs,
        ));
    }
    let mut ly = foot_top + (foot_h - text_h) / 2.0 + small * 1.15;
    for ((t, grey, link), tw) in lines.iter().zip(&widths) {
        // Beside the code, flush left; without a code, centred.
        let x = if qs > 0.0 {
            row_x + qs + gap
        } else {
            (w - tw) / 2.0
        };
        let color = if *grey { GREY } else { INK };
        let sp = [span(t, Face::Regular, small, color)];
        if let Some(mut l) = text::lay_out(&sp, tw + 1.0, Align::Left, m)
            .into_iter()
            .next()
        {
            for r in &mut l.runs {
                r.x += x;
                r.y = ly;
                if let Some(url) = link {
                    r.link = Some(LinkTarget::Uri((*url).to_owned()));
                    items.push(Item::Link {
                        x: r.x,
                        y: r.y - r.size,
                        w: r.width,
                        h: r.size * 1.3,
                        target: LinkTarget::Uri((*url).to_owned()),
                    });
                }
            }
            items.extend(l.runs.into_iter().map(Item::Text));
        }
        ly += lh;
    }

    // The contacts as a block centred on the page between the rule and
    // the foot: labels right-aligned in one column, each value after its
    // label, a wrapped value continuing under itself; set smaller when
    // they would not fit (down to 80 % of the small size).
    let contacts = present::project_contacts(project);
    let block = |size: f32| {
        let labels: Vec<[Span; 1]> = contacts
            .iter()
            .map(|f| [span(format!("{}：", f.label), Face::Bold, size, INK)])
            .collect();
        let label_w = labels
            .iter()
            .map(|l| text::natural_width(l, m))
            .fold(0.0, f32::max);
        let value_room = (room - label_w).max(size * 4.0);
        let values: Vec<Vec<text::Line>> = contacts
            .iter()
            .map(|f| {
                text::lay_out(
                    &[span(&f.text, Face::Regular, size, INK)],
                    value_room,
                    Align::Left,
                    m,
                )
            })
            .collect();
        let value_w = values.iter().flatten().map(|l| l.width).fold(0.0, f32::max);
        let n = values.iter().map(Vec::len).sum::<usize>() as f32;
        let height = n * size * 1.6 + contacts.len() as f32 * size * 0.2;
        (labels, label_w, values, value_w, height)
    };
    let mut size = b;
    let mut laid = block(size);
    while y + laid.4 > foot_top - b && size > small * 0.8 {
        size -= 0.5;
        laid = block(size);
    }
    let (labels, label_w, values, value_w, height) = laid;
    // A third of the room left above the group, two thirds below.
    let dy = ((foot_top - b - y - height) / 3.0).max(0.0);
    let x0 = ((w - label_w - value_w) / 2.0).max(g.outer);
    for (label, lines) in labels.iter().zip(values) {
        let lw = text::natural_width(label, m);
        if let Some(mut l) = text::lay_out(label, lw + 1.0, Align::Left, m)
            .into_iter()
            .next()
        {
            for r in &mut l.runs {
                r.x += x0 + label_w - lw;
                r.y = y;
            }
            group.extend(l.runs.into_iter().map(Item::Text));
        }
        for line in lines {
            for mut r in line.runs {
                r.x += x0 + label_w;
                r.y = y;
                group.push(Item::Text(r));
            }
            y += size * 1.6;
        }
        y += size * 0.2;
    }
    for i in &mut group {
        match i {
            Item::Text(r) => r.y += dy,
            Item::Line { y1, y2, .. } => {
                *y1 += dy;
                *y2 += dy;
            }
            _ => {}
        }
    }
    items.extend(group);
    Page {
        width: w,
        height: h,
        items,
        anchors: vec!["back-cover".into()],
        ..Page::default()
    }
}

/// What the 备注 of a material says, one paragraph each: 可用电子证照, its
/// spec and note, what may replace it, its acceptance criteria, why it is
/// asked for and that a signed 承诺书 may replace it.
fn material_notes(m: &ResolvedMaterial, size: f32) -> Vec<Vec<Span>> {
    let plain = |t: &str, color| vec![span(t, Face::Regular, size, color)];
    let mut out = Vec::new();
    if m.e_licence {
        out.push(plain(present::E_LICENCE, INK));
    }
    if let Some(x) = &m.spec {
        out.push(md_inline(x, size, INK));
    }
    if let Some(x) = &m.note {
        out.push(md_inline(x, size, GREY));
    }
    if let Some(x) = present::substitutes(m) {
        out.push(plain(&x, INK));
    }
    if let Some(c) = &m.criteria {
        let mut v = plain(&format!("{}：", present::label::CRITERIA), INK);
        v.extend(md_inline(c, size, INK));
        out.push(v);
    }
    if let Some(x) = present::required_by(m) {
        out.push(plain(&x, GREY));
    }
    if let Some(x) = present::pledge(m) {
        out.push(plain(x, INK));
    }
    if let Some(x) = present::used_for(m) {
        out.push(plain(&x, GREY));
    }
    out
}
