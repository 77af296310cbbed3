//! 政策变更通知: a printable page for clerks listing what changed for
//! citizens since a previous version of the data (from `guide diff`).

use crate::diff::{Diff, line};
use crate::layout::flow::{Flow, Geometry, ParStyle};
use crate::layout::text::{Align, span};
use crate::layout::{Document, Face, Metrics, Rgb};

const INK: Rgb = Rgb::hex(0x111111);
const ACCENT: Rgb = Rgb::hex(crate::present::PALETTE[0]);

/// Lays out the notice of changes `d` since `since`, as of `date`.
pub fn lay_out(
    d: &Diff,
    title: &str,
    organization: &str,
    since: &str,
    date: &str,
    m: &dyn Metrics,
) -> Document {
    let mm = |v: f32| v * 72.0 / 25.4;
    let geo = Geometry {
        width: mm(210.0),
        height: mm(297.0),
        top: mm(20.0),
        bottom: mm(18.0),
        inner: mm(20.0),
        outer: mm(20.0),
    };
    let mut f = Flow::new(geo, m);
    let center = ParStyle {
        align: Align::Center,
        leading: 1.4,
        ..ParStyle::default()
    };
    f.paragraph(&[span(organization, Face::Regular, 13.0, INK)], center);
    f.paragraph(
        &[span("政策变更通知", Face::Bold, 22.0, INK)],
        ParStyle {
            space_after: 4.0,
            ..center
        },
    );
    f.paragraph(
        &[span(
            format!("{title} · 自 {since} 以来的变化 · {date}"),
            Face::Regular,
            10.0,
            INK,
        )],
        ParStyle {
            space_after: 12.0,
            ..center
        },
    );
    let body = ParStyle {
        align: Align::Justify,
        leading: 1.55,
        indent: 14.0,
        space_after: 2.0,
        ..ParStyle::default()
    };
    let heading = |f: &mut Flow, t: String| {
        f.heading(
            &[span(t, Face::Bold, 13.0, ACCENT)],
            ParStyle {
                align: Align::Left,
                leading: 1.5,
                space_before: 10.0,
                space_after: 3.0,
                ..ParStyle::default()
            },
            None,
        )
    };
    if d.is_empty() {
        f.paragraph(
            &[span("没有对群众有影响的变化。", Face::Regular, 11.0, INK)],
            body,
        );
    }
    if !d.added.is_empty() {
        heading(&mut f, format!("新增事项（{}）", d.added.len()));
        for a in &d.added {
            f.item(
                &[span("＋", Face::Bold, 11.0, ACCENT)],
                &[span(&a.name, Face::Regular, 11.0, INK)],
                body,
            );
        }
    }
    if !d.removed.is_empty() {
        heading(&mut f, format!("取消事项（{}）", d.removed.len()));
        for r in &d.removed {
            f.item(
                &[span("－", Face::Bold, 11.0, ACCENT)],
                &[span(&r.name, Face::Regular, 11.0, INK)],
                body,
            );
        }
    }
    for c in &d.changed {
        heading(&mut f, c.name.clone());
        for ch in &c.changes {
            f.item(
                &[span("▪", Face::Regular, 11.0, ACCENT)],
                &[span(line(ch), Face::Regular, 10.5, INK)],
                body,
            );
        }
    }
    f.paragraph(
        &[span(
            "请各窗口、咨询电话即日起按新内容答复；以网站最新版本为准。",
            Face::Regular,
            10.0,
            INK,
        )],
        ParStyle {
            space_before: 14.0,
            ..body
        },
    );
    Document {
        title: format!("政策变更通知 {date}"),
        author: organization.to_owned(),
        subject: title.to_owned(),
        date: date.to_owned(),
        pages: f.finish(),
        bookmarks: Vec::new(),
        ..Document::default()
    }
}
