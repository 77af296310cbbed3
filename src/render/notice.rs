//! The 一次性告知单 (one-time notice), blank or filled for one applicant: an
//! A4 official form with a register number, fields on a grid with writing
//! lines, every material with a drawn box (missing ones, and apart from them
//! the ones brought but defective, with the reason), the correction deadline
//! and the matter's legal clause, office and phones, the clerk's name and
//! the seal with the date; below a dashed cut line the office's stub, which
//! the applicant signs for receipt. Uses the shared materials function, the
//! phrases of [`crate::present`] and the layout engine.

use crate::layout::flow::{Flow, Geometry, ParStyle};
use crate::layout::text::{self, Align, span};
use crate::layout::{Document, Face, Item, Metrics, Rgb, Stroke};
use crate::load::Project;
use crate::model::Guide;
use crate::model::resolve::ResolvedMaterial;
use crate::present::label;

const INK: Rgb = Rgb::hex(0x111111);
const GREY: Rgb = Rgb::hex(0x555555);
const LINE: Rgb = Rgb::hex(0x333333);

/// What one notice says beyond the matter itself. Blank fields print as
/// writing lines.
#[derive(Clone, Debug, Default)]
pub struct Filled {
    pub number: Option<String>,
    pub applicant: Option<String>,
    pub phone: Option<String>,
    pub clerk: Option<String>,
    pub window: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Labels of the applicant's situations.
    pub situations: Vec<String>,
    /// A 一件事: the optional members chosen (`None`: every member).
    pub members: Option<Vec<String>>,
    /// Materials brought but defective, each with the reason.
    pub defects: Vec<(ResolvedMaterial, String)>,
    /// The day the materials were received (`YYYY-MM-DD`); a writing line
    /// when not given.
    pub received: Option<String>,
    /// What the desk code encodes: the notice's page on the hall server's
    /// desk ([`crate::present::desk_link`]), which the applicant brings
    /// back. Only a numbered notice has one.
    pub desk: Option<String>,
}

pub use crate::present::requirement;

/// A5 would crowd the writing space: notices are A4 (210 × 297 mm).
fn geometry() -> Geometry {
    let mm = |v: f32| v * 72.0 / 25.4;
    Geometry {
        width: mm(210.0),
        height: mm(297.0),
        top: mm(20.0),
        bottom: mm(16.0),
        inner: mm(22.0),
        outer: mm(20.0),
    }
}

/// The body size: one size for every notice, a long one runs to a second
/// page rather than shrinking.
const BODY_SIZE: f32 = 11.0;

/// A label and its writing line (with the value on it, if filled), from x
/// to x + w, baseline at y.
/// The width of a field label (bold, with its colon), for lining up the
/// writing lines of a column.
fn label_width(labels: &[&str], m: &dyn Metrics) -> f32 {
    labels
        .iter()
        .map(|l| text::natural_width(&[span(format!("{l}："), Face::Bold, 11.0, INK)], m))
        .fold(0.0, f32::max)
}

/// A field whose writing line starts `grid` points after `x` (the widest
/// label of its column), so the lines of a column start together.
fn field_on_grid(
    label: &str,
    value: Option<&str>,
    x: f32,
    y: f32,
    w: f32,
    grid: Option<f32>,
    m: &dyn Metrics,
) -> Vec<Item> {
    const BODY: f32 = 11.0;
    let mut out = Vec::new();
    let label_spans = [span(format!("{label}："), Face::Bold, BODY, INK)];
    let lw = grid.unwrap_or_else(|| text::natural_width(&label_spans, m));
    for l in text::lay_out(&label_spans, lw + 1.0, Align::Left, m) {
        for mut r in l.runs {
            r.x += x;
            r.y = y;
            out.push(Item::Text(r));
        }
    }
    out.push(Item::Line {
        x1: x + lw + 2.0,
        y1: y + 3.0,
        x2: x + w,
        y2: y + 3.0,
        stroke: Stroke {
            color: LINE,
            width: 0.6,
            dash: None,
        },
    });
    if let Some(v) = value.filter(|v| !v.is_empty()) {
        // Shrunk to fit its line, never cut: what is printed is what the
        // register keeps.
        let room = w - lw - 6.0;
        let natural = text::natural_width(&[span(v, Face::Regular, BODY, INK)], m);
        let size = if natural > room {
            (BODY * room / natural).max(MIN_FIELD)
        } else {
            BODY
        };
        let vs = [span(v, Face::Regular, size, INK)];
        for (i, l) in text::lay_out(&vs, room, Align::Left, m)
            .into_iter()
            .enumerate()
        {
            for mut r in l.runs {
                r.x += x + lw + 6.0;
                r.y = y + (size * 1.1) * i as f32;
                out.push(Item::Text(r));
            }
        }
    }
    out
}

/// A writing line from x1 to x2, baseline at y.
fn writing_line(x1: f32, y: f32, x2: f32) -> Item {
    Item::Line {
        x1,
        y1: y + 3.0,
        x2,
        y2: y + 3.0,
        stroke: Stroke {
            color: LINE,
            width: 0.6,
            dash: None,
        },
    }
}

/// The smallest type a filled-in field is shrunk to.
const MIN_FIELD: f32 = 5.5;

/// Whether `value` fits, at the smallest type, in a half-width field after
/// the longest label: `guide notice` refuses longer values rather than
/// print over a line.
pub fn fits_half_field(value: &str, m: &dyn Metrics) -> bool {
    let geo = geometry();
    let half = (geo.body_width() - 16.0) / 2.0;
    let label = text::natural_width(&[span("经办人（签字）：", Face::Bold, 11.0, INK)], m);
    text::natural_width(&[span(value, Face::Regular, MIN_FIELD, INK)], m) <= half - label - 6.0
}

/// Lays out the notice of matter `g` listing `materials` (ticked when the
/// notice is filled in for an applicant), at the body size; a long notice
/// runs over to more pages, each headed with its number.
pub fn lay_out(
    project: &Project,
    g: &Guide,
    materials: &[ResolvedMaterial],
    filled: &Filled,
    fonts: &dyn Metrics,
) -> Document {
    // The QR code is made once (choosing its mask is the costly part).
    let qr = crate::present::matter_url(project, &g.id.value)
        .map(|u| (crate::layout::qr(&u, 0.0, 0.0, QR), u));
    lay_out_at(project, g, materials, filled, fonts, BODY_SIZE, qr.as_ref())
}

/// Side of the matter's QR code, in points.
const QR: f32 = 62.0;
/// Side of the desk code, in points: smaller, held to a window's scanner.
const DESK_QR: f32 = 46.0;
/// The desk code's caption.
pub const DESK_CAPTION: &str = "窗口扫码调取本单";

/// The desk code at the top right of the applicant's copy, beside the
/// title, labelled: the code of `data` with its caption under it. `x`
/// and `y` are the top left of the body, `width` its width.
fn desk_code(data: &str, x: f32, y: f32, width: f32, fonts: &dyn Metrics) -> Vec<Item> {
    let left = x + width - DESK_QR;
    let mut items = crate::layout::qr(data, left, y, DESK_QR);
    let cap = [span(DESK_CAPTION, Face::Regular, 6.5, GREY)];
    let cw = text::natural_width(&cap, fonts);
    if let Some(l) = text::lay_out(&cap, cw + 1.0, Align::Left, fonts)
        .into_iter()
        .next()
    {
        for mut r in l.runs {
            // Centred under the code, never past the body's right edge.
            r.x += (left + (DESK_QR - cw) / 2.0).min(x + width - cw);
            r.y = y + DESK_QR + 7.0;
            items.push(Item::Text(r));
        }
    }
    items
}

fn lay_out_at(
    project: &Project,
    g: &Guide,
    materials: &[ResolvedMaterial],
    filled: &Filled,
    fonts: &dyn Metrics,
    body: f32,
    qr_code: Option<&(Vec<Item>, String)>,
) -> Document {
    #[allow(non_snake_case)]
    let BODY = body;
    let geo = geometry();
    let width = geo.body_width();
    let settings = project
        .config
        .as_ref()
        .map(|c| c.notice_settings())
        .expect("validated project has settings");
    let terms = settings.terms(g);
    let is_filled = filled.applicant.is_some();
    let mut f = Flow::new(geo, fonts);
    if let Some(data) = filled.desk.as_deref().filter(|_| filled.number.is_some()) {
        let (x, y) = f.reserve(0.0);
        f.draw(desk_code(data, x, y, width, fonts));
    }
    let center = ParStyle {
        align: Align::Center,
        leading: 1.4,
        ..ParStyle::default()
    };
    f.paragraph(&[span(&settings.issuer, Face::Regular, 14.0, INK)], center);
    f.paragraph(
        &[span("一次性告知单", Face::Bold, 24.0, INK)],
        ParStyle {
            space_after: 6.0,
            ..center
        },
    );
    // The day received left, register number right.
    let number = filled.number.as_deref();
    let date = filled.date.as_deref().map(crate::present::chinese_date);
    let received = filled.received.as_deref().map(crate::present::chinese_date);
    let (x, y) = f.reserve(BODY * 2.2);
    let half = (width - 16.0) / 2.0;
    // Two columns; in each, the writing lines start at one x.
    let gl = Some(label_width(
        &[label::RECEIVED, "申请人", "申请事项", "申请人情形"],
        fonts,
    ));
    let gr = Some(label_width(&["编号", "联系电话"], fonts));
    let mut items = field_on_grid(
        label::RECEIVED,
        received.as_deref(),
        x,
        y + BODY * 1.4,
        half,
        gl,
        fonts,
    );
    items.extend(field_on_grid(
        "编号",
        number,
        x + half + 16.0,
        y + BODY * 1.4,
        half,
        gr,
        fonts,
    ));
    f.draw(items);

    // Fields on a two-column grid.
    let row = BODY * 2.4;
    let (x, y) = f.reserve(row * 3.0);
    let mut items = Vec::new();
    items.extend(field_on_grid(
        "申请人",
        filled.applicant.as_deref(),
        x,
        y + row * 0.7,
        half,
        gl,
        fonts,
    ));
    items.extend(field_on_grid(
        "联系电话",
        filled.phone.as_deref(),
        x + half + 16.0,
        y + row * 0.7,
        half,
        gr,
        fonts,
    ));
    let mut matter = g.name.value.clone();
    if let Some(c) = crate::present::implementation_code(g) {
        matter.push_str(&format!("（{}：{c}）", label::CODE));
    }
    items.extend(field_on_grid(
        "申请事项",
        Some(&matter),
        x,
        y + row * 1.7,
        width,
        gl,
        fonts,
    ));
    let situations = (!filled.situations.is_empty()).then(|| filled.situations.join("；"));
    items.extend(field_on_grid(
        "申请人情形",
        situations.as_deref(),
        x,
        y + row * 2.7,
        width,
        gl,
        fonts,
    ));
    f.draw(items);
    f.space(BODY * 0.6);

    let par = ParStyle {
        align: Align::Justify,
        leading: 1.6,
        space_after: BODY * 0.4,
        ..ParStyle::default()
    };
    // A 一件事: the members this notice is for.
    if let Some(line) = crate::present::members_line(g, filled.members.as_deref()) {
        f.paragraph(&[span(line, Face::Regular, BODY, INK)], par);
    }
    let intro = crate::present::notice_intro(g, &terms, is_filled);
    f.paragraph(&[span(intro, Face::Regular, BODY, INK)], par);

    let item_style = ParStyle {
        align: Align::Justify,
        leading: 1.55,
        indent: BODY * 1.5,
        space_before: 0.0,
        space_after: BODY * 0.35,
    };
    let head_style = ParStyle {
        align: Align::Left,
        leading: 1.4,
        space_before: BODY * 0.2,
        space_after: BODY * 0.2,
        ..ParStyle::default()
    };
    // One material: its number, name, requirement, scope and details; a
    // defective one with its reason.
    let material = |n: usize, m: &ResolvedMaterial, reason: Option<&str>| {
        let mut t = vec![
            span(format!("{n}. {}", m.name), Face::Bold, BODY, INK),
            span(format!("（{}）", requirement(m)), Face::Regular, BODY, INK),
        ];
        if let Some(scope) = crate::present::scope(g, &m.when) {
            t.push(span(
                format!("〔{scope}〕"),
                Face::Regular,
                BODY * 0.9,
                GREY,
            ));
        }
        if let Some(r) = reason {
            t.push(span(
                format!("\n{}", crate::present::defect_reason(r)),
                Face::Bold,
                BODY * 0.95,
                INK,
            ));
        }
        // A group is one item, ticked once: its alternatives under it.
        for a in crate::present::alternatives(m) {
            t.push(span(format!("\n▪ {a}"), Face::Regular, BODY * 0.9, INK));
        }
        if let Some(req) = crate::present::material_detail(m) {
            t.push(span(
                format!("\n{}：{req}", label::REQUIREMENT),
                Face::Regular,
                BODY * 0.9,
                GREY,
            ));
        }
        if let Some(p) = crate::present::pledge(m) {
            t.push(span(format!("\n{p}"), Face::Regular, BODY * 0.9, INK));
        }
        t
    };
    // Headed lists only when a material is also defective: the usual
    // notice reads as one list.
    let headed = !filled.defects.is_empty() || !is_filled;
    let heading = |f: &mut Flow, text: &str| {
        f.paragraph(&[span(text, Face::Bold, BODY, INK)], head_style);
    };
    if headed && !(is_filled && materials.is_empty()) {
        heading(&mut f, &format!("{}：", label::MISSING));
    }
    // A material produced inside the process is never asked for.
    let mut n = 0;
    for m in materials.iter().filter(|m| !m.is_produced()) {
        n += 1;
        f.checkbox_item(&material(n, m, None), item_style, is_filled, INK);
    }
    if is_filled {
        if !filled.defects.is_empty() {
            heading(
                &mut f,
                &format!("{}（已提交但不符合要求）：", label::DEFECTIVE),
            );
        }
        for (m, reason) in &filled.defects {
            n += 1;
            f.checkbox_item(&material(n, m, Some(reason)), item_style, true, INK);
        }
    } else {
        // The blank form: room to write a defective material and why.
        heading(
            &mut f,
            &format!(
                "{}（已提交但不符合要求的，写明材料和{}）：",
                label::DEFECTIVE,
                label::REASON
            ),
        );
        let (x, y) = f.reserve(row * 0.8);
        f.draw(vec![writing_line(x + BODY * 1.5, y + row * 0.6, x + width)]);
    }
    f.space(BODY * 0.3);
    f.paragraph(
        &[span(
            crate::present::notice_deadline(g, &terms),
            Face::Regular,
            BODY,
            INK,
        )],
        par,
    );

    // Office, phones and the matter's QR code.
    let mut office: Vec<(String, String)> = Vec::new();
    let loc = crate::present::locations(g).first();
    let contact = project.config.as_ref().and_then(|c| c.contact.as_ref());
    if let Some(l) = loc {
        office.push((label::ADDRESS.to_owned(), crate::present::place(l)));
        if let Some(h) = &l.hours {
            office.push((label::HOURS.to_owned(), h.value.clone()));
        }
    } else if let Some(c) = contact {
        if let Some(a) = &c.address {
            office.push((label::ADDRESS.to_owned(), a.value.clone()));
        }
        if let Some(h) = &c.hours {
            office.push((label::HOURS.to_owned(), h.value.clone()));
        }
    }
    // Where to correct online, for a matter applied for online only.
    if let Some(url) = crate::present::online_correction(g) {
        office.push((label::ONLINE.to_owned(), url));
    }
    if let Some(phone) = crate::present::window_phone(project, g) {
        office.push((label::WINDOW_PHONE.to_owned(), phone));
    }
    for f in crate::present::phones(project, g) {
        office.push((f.label, f.text));
    }
    let url = qr_code.map(|(_, u)| u.clone());
    let qr = QR;
    let office_width = if url.is_some() {
        width - qr - 12.0
    } else {
        width
    };
    // Label, then the value with a hanging indent: a wrapped address
    // continues under the address, not under its label.
    let size = BODY * 0.95;
    let lw = office
        .iter()
        .map(|(k, _)| text::natural_width(&[span(format!("{k}："), Face::Bold, size, INK)], fonts))
        .fold(0.0, f32::max);
    let mut lines: Vec<(f32, crate::layout::text::Line)> = Vec::new();
    for (k, v) in &office {
        let label = text::lay_out(
            &[span(format!("{k}："), Face::Bold, size, INK)],
            lw + 1.0,
            Align::Left,
            fonts,
        );
        let value = text::lay_out(
            &[span(v, Face::Regular, size, INK)],
            office_width - lw,
            Align::Left,
            fonts,
        );
        let first = lines.len();
        lines.extend(value.into_iter().map(|l| (lw, l)));
        if let Some(l) = label.into_iter().next() {
            // The label goes on the value's first line.
            let mut runs = l.runs;
            if let Some((_, v)) = lines.get_mut(first) {
                runs.extend(v.runs.drain(..).map(|mut r| {
                    r.x += lw;
                    r
                }));
                v.runs = runs;
                lines[first].0 = 0.0;
            }
        }
    }
    let lh = size * 1.55;
    let block = (lines.len() as f32 * lh).max(if url.is_some() { qr + BODY } else { 0.0 });
    f.space(BODY * 0.3);
    let (x, y) = f.reserve(block);
    let mut items = Vec::new();
    for (i, (indent, l)) in lines.into_iter().enumerate() {
        for mut r in l.runs {
            r.x += x + indent;
            r.y = y + i as f32 * lh + BODY;
            items.push(Item::Text(r));
        }
    }
    if let Some((code, _)) = qr_code {
        let (dx, dy) = (x + width - qr, y);
        items.extend(
            code.iter()
                .map(|i| crate::layout::flow::shifted(i.clone(), dx, dy)),
        );
        let cap = [span("扫码查看办事指南", Face::Regular, 7.0, GREY)];
        let cw = text::natural_width(&cap, fonts);
        if let Some(l) = text::lay_out(&cap, cw + 1.0, Align::Left, fonts)
            .into_iter()
            .next()
        {
            for mut r in l.runs {
                r.x += x + width - qr + (qr - cw) / 2.0;
                r.y = y + qr + 8.0;
                items.push(Item::Text(r));
            }
        }
    }
    f.draw(items);

    // The foot of the applicant's copy: the clerk's name once (left), the
    // office's name with room for its seal and the day of the notice
    // (right), as an official document is signed.
    f.space(BODY * 0.6);
    let (x, y) = f.reserve(row * 2.2);
    let sl = Some(label_width(&["经办人", "窗口"], fonts));
    let mut items = Vec::new();
    items.extend(field_on_grid(
        "经办人",
        filled.clerk.as_deref(),
        x,
        y + row * 0.7,
        half * 0.8,
        sl,
        fonts,
    ));
    items.extend(field_on_grid(
        "窗口",
        filled.window.as_deref(),
        x,
        y + row * 1.7,
        half * 0.8,
        sl,
        fonts,
    ));
    let right = x + half + 16.0;
    let seal_lines = [
        (
            vec![
                span(&settings.issuer, Face::Regular, BODY, INK),
                span(label::SEAL, Face::Regular, BODY, GREY),
            ],
            y + row * 0.7,
        ),
        (
            vec![span(
                date.clone()
                    .unwrap_or_else(|| "　　　　年　　月　　日".to_owned()),
                Face::Regular,
                BODY,
                INK,
            )],
            y + row * 1.7,
        ),
    ];
    for (spans, baseline) in seal_lines {
        let w = text::natural_width(&spans, fonts);
        for l in text::lay_out(&spans, w + 1.0, Align::Left, fonts) {
            for mut r in l.runs {
                r.x += right + (half - w) / 2.0;
                r.y = baseline;
                items.push(Item::Text(r));
            }
        }
    }
    f.draw(items);

    // The office's stub, below a dashed cut line, at the foot of the page:
    // what was told, and the applicant's signature for receipt.
    let stub_h = BODY * 11.4;
    if f.room() < stub_h {
        f.new_page();
    }
    f.space(f.room() - stub_h);
    let (x, y) = f.reserve(stub_h);
    let mut items = Vec::new();
    // Above the cut line: which part goes where.
    let note = [span(
        "本告知单一式两份：上联交申请人，下联（存根）由申请人签收后留存。",
        Face::Regular,
        BODY * 0.8,
        GREY,
    )];
    let nw = text::natural_width(&note, fonts);
    for l in text::lay_out(&note, nw + 1.0, Align::Left, fonts) {
        for mut r in l.runs {
            r.x += x;
            r.y = y - BODY * 0.2;
            items.push(Item::Text(r));
        }
    }
    items.push(Item::Line {
        x1: 0.0,
        y1: y + BODY,
        x2: geo.width,
        y2: y + BODY,
        stroke: Stroke {
            color: GREY,
            width: 0.6,
            dash: Some((4.0, 3.0)),
        },
    });
    let cut = [span(label::STUB, Face::Bold, BODY * 0.9, GREY)];
    let cw = text::natural_width(&cut, fonts);
    items.push(Item::Rect {
        x: (geo.width - cw) / 2.0 - 4.0,
        y: y + BODY * 0.3,
        w: cw + 8.0,
        h: BODY * 1.4,
        fill: Some(Rgb::WHITE),
        stroke: None,
    });
    if let Some(l) = text::lay_out(&cut, cw + 1.0, Align::Left, fonts)
        .into_iter()
        .next()
    {
        for mut r in l.runs {
            r.x = (geo.width - cw) / 2.0;
            r.y = y + BODY * 1.35;
            items.push(Item::Text(r));
        }
    }
    let sy = y + BODY * 3.2;
    let tl = Some(label_width(
        &["编号", "申请事项", label::NOTICE_DATE],
        fonts,
    ));
    let tr = Some(label_width(
        &["申请人", "告知材料", "经办人", "签收日期"],
        fonts,
    ));
    let told = is_filled.then(|| {
        let mut parts = Vec::new();
        if !materials.is_empty() || filled.defects.is_empty() {
            parts.push(format!("缺少{}项", materials.len()));
        }
        if !filled.defects.is_empty() {
            parts.push(format!("需补正{}项", filled.defects.len()));
        }
        parts.join("，")
    });
    items.extend(field_on_grid("编号", number, x, sy, half, tl, fonts));
    items.extend(field_on_grid(
        "申请人",
        filled.applicant.as_deref(),
        right,
        sy,
        half,
        tr,
        fonts,
    ));
    items.extend(field_on_grid(
        "申请事项",
        Some(&g.name.value),
        x,
        sy + row,
        half,
        tl,
        fonts,
    ));
    items.extend(field_on_grid(
        "告知材料",
        told.as_deref(),
        right,
        sy + row,
        half,
        tr,
        fonts,
    ));
    items.extend(field_on_grid(
        label::NOTICE_DATE,
        date.as_deref(),
        x,
        sy + row * 2.0,
        half,
        tl,
        fonts,
    ));
    items.extend(field_on_grid(
        "经办人",
        filled.clerk.as_deref(),
        right,
        sy + row * 2.0,
        half,
        tr,
        fonts,
    ));
    // The applicant signs here, for the office: the notice was received.
    // At the size of the field labels beside it.
    let receipt = [span(crate::present::RECEIPT, Face::Bold, 11.0, INK)];
    let rw = text::natural_width(&receipt, fonts);
    for l in text::lay_out(&receipt, rw + 1.0, Align::Left, fonts) {
        for mut r in l.runs {
            r.x += x;
            r.y = sy + row * 3.0;
            items.push(Item::Text(r));
        }
    }
    let date_x = right + half * 0.4;
    let sign_x = x + rw + BODY * 0.5;
    items.extend(field_on_grid(
        "申请人（签字）",
        None,
        sign_x,
        sy + row * 3.0,
        date_x - sign_x - 12.0,
        None,
        fonts,
    ));
    items.extend(field_on_grid(
        "签收日期",
        None,
        date_x,
        sy + row * 3.0,
        x + width - date_x,
        None,
        fonts,
    ));
    f.draw(items);

    let title = match &filled.number {
        Some(n) => format!("一次性告知单 {n}"),
        None => format!("一次性告知单 {}", g.name.value),
    };
    let mut pages = f.finish();
    // A notice that runs over: every page says whose it is and how many.
    let n = pages.len();
    if n > 1 {
        for (i, page) in pages.iter_mut().enumerate() {
            let mut label = format!("第 {} 页，共 {n} 页", i + 1);
            if let Some(num) = &filled.number {
                label = format!("{num} · {label}");
            } else {
                label = format!("{}{label}", crate::present::notice_page_owner(g));
            }
            let spans = [span(label, Face::Regular, 8.0, GREY)];
            let w = text::natural_width(&spans, fonts);
            for l in text::lay_out(&spans, w + 1.0, Align::Left, fonts) {
                for mut r in l.runs {
                    r.x = (geo.width - w) / 2.0;
                    r.y = geo.height - geo.bottom / 2.0;
                    page.items.push(Item::Text(r));
                }
            }
            // Pages after the first are headed: whose notice, which page.
            if i > 0 {
                let head = match &filled.number {
                    Some(num) => format!("一次性告知单（续）　编号：{num}"),
                    None => format!("一次性告知单（续）　{}", g.name.value),
                };
                let count = format!("第{}页/共{n}页", i + 1);
                let y = geo.top - 14.0;
                for (t, right) in [(head, false), (count, true)] {
                    let spans = [span(t, Face::Regular, 9.0, GREY)];
                    let w = text::natural_width(&spans, fonts);
                    for l in text::lay_out(&spans, w + 1.0, Align::Left, fonts) {
                        for mut r in l.runs {
                            r.x += if right {
                                geo.width - geo.outer - w
                            } else {
                                geo.inner
                            };
                            r.y = y;
                            page.items.push(Item::Text(r));
                        }
                    }
                }
                page.items.push(Item::Line {
                    x1: geo.inner,
                    y1: y + 4.0,
                    x2: geo.width - geo.outer,
                    y2: y + 4.0,
                    stroke: crate::layout::flow::hairline(GREY),
                });
            }
        }
    }
    Document {
        title,
        author: settings.issuer.clone(),
        subject: g.name.value.clone(),
        date: filled
            .date
            .clone()
            .unwrap_or_else(|| g.updated().to_owned()),
        pages,
        bookmarks: Vec::new(),
        archival: true,
        ..Document::default()
    }
}
