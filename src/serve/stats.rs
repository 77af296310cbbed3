//! `/desk/stats` for supervisors: notices per matter, the materials most
//! often missing or defective per matter, and how many second visits
//! completed, for a period, a matter or a window ([`crate::register::Stats`]);
//! bar charts as server-drawn SVG, and the same figures as CSV.

use super::html::esc;
use crate::register::{Filter, Stats, Summary};
use std::collections::BTreeMap;

/// Per window: notices, and those whose second visit completed them.
pub fn by_window(notices: &[Summary]) -> Vec<(String, u64, u64)> {
    let mut m: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for n in notices {
        let w = n
            .notice
            .record
            .window
            .clone()
            .unwrap_or_else(|| "（未写窗口）".into());
        let e = m.entry(w).or_default();
        e.0 += 1;
        e.1 += u64::from(n.outcome.is_some_and(|o| o.completes()));
    }
    let mut v: Vec<(String, u64, u64)> = m.into_iter().map(|(w, (n, c))| (w, n, c)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

/// The periods of the series on `/desk/stats`: calendar months, or weeks
/// from Monday.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    Month,
    Week,
}

impl Period {
    /// The period of a query's `period` (`month`, the default, or `week`).
    pub fn of_query(q: &[(String, String)]) -> Result<Period, String> {
        match q
            .iter()
            .find(|(k, _)| k == "period")
            .map(|(_, v)| v.trim())
            .unwrap_or_default()
        {
            "" | "month" => Ok(Period::Month),
            "week" => Ok(Period::Week),
            other => Err(format!(
                "时间段应为 month（按月）或 week（按周），不是“{other}”"
            )),
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Period::Month => "月",
            Period::Week => "周（自周一起）",
        }
    }

    /// The period holding day `day` (`YYYY-MM-DD`): `2026-06` for a month,
    /// the Monday (`2026-06-01`) for a week.
    fn key(self, day: &str) -> Option<String> {
        let d = crate::date::Date::parse(day)?;
        Some(match self {
            Period::Month => format!("{:04}-{:02}", d.year, d.month),
            Period::Week => {
                let days = d.days_since_epoch();
                // 1970-01-01 was a Thursday.
                let monday = days - (days + 3).rem_euclid(7);
                crate::date::Date::from_unix(monday * 86_400).to_string()
            }
        })
    }

    /// The period after `key`.
    fn next(self, key: &str) -> Option<String> {
        match self {
            Period::Month => {
                let (y, m) = key.split_once('-')?;
                let (y, m): (i32, u32) = (y.parse().ok()?, m.parse().ok()?);
                let (y, m) = if m >= 12 { (y + 1, 1) } else { (y, m + 1) };
                Some(format!("{y:04}-{m:02}"))
            }
            Period::Week => {
                let d = crate::date::Date::parse(key)?;
                Some(crate::date::Date::from_unix((d.days_since_epoch() + 7) * 86_400).to_string())
            }
        }
    }
}

/// One period of the series: notices issued in it, those visited again,
/// and those whose latest visit completed them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PeriodRow {
    pub period: String,
    pub notices: u64,
    pub visited: u64,
    pub completed: u64,
}

/// The most periods a series fills in between its first and last.
const MAX_PERIODS: usize = 600;

/// The notices per period, oldest first; the periods between the first
/// and the last without notices are there with zeros (a chart shows the
/// quiet months too).
pub fn by_period(notices: &[Summary], period: Period) -> Vec<PeriodRow> {
    let mut m: BTreeMap<String, PeriodRow> = BTreeMap::new();
    for n in notices {
        let Some(key) = n
            .notice
            .record
            .issued_at
            .get(..10)
            .and_then(|d| period.key(d))
        else {
            continue;
        };
        let row = m.entry(key.clone()).or_insert_with(|| PeriodRow {
            period: key,
            ..PeriodRow::default()
        });
        row.notices += 1;
        row.visited += u64::from(n.visits > 0);
        row.completed += u64::from(n.outcome.is_some_and(|o| o.completes()));
    }
    if let (Some(first), Some(last)) = (m.keys().next().cloned(), m.keys().last().cloned()) {
        let mut k = first;
        for _ in 0..MAX_PERIODS {
            if k >= last {
                break;
            }
            let Some(next) = period.next(&k) else { break };
            m.entry(next.clone()).or_insert_with(|| PeriodRow {
                period: next.clone(),
                ..PeriodRow::default()
            });
            k = next;
        }
    }
    m.into_values().collect()
}

/// The series as a table and a column chart: notices per period, the
/// completed ones drawn inside them.
pub fn periods_body(rows: &[PeriodRow], period: Period, csv_query: &str) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let mut b = format!(
        "<h2>按{}</h2><p><a href=\"/desk/stats-periods.csv?{csv_query}\">下载 CSV（按{}）</a></p>",
        period.word(),
        match period {
            Period::Month => "月",
            Period::Week => "周",
        }
    );
    b.push_str(&columns(
        &format!("每{}的告知单数和已完成数", period.word()),
        rows,
    ));
    b.push_str(&format!(
        "<table><tr><th>{}</th><th>告知单</th><th>再次来办过的</th><th>已补正或已受理</th><th>完成率</th></tr>",
        period.word()
    ));
    for r in rows {
        b.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&r.period),
            r.notices,
            r.visited,
            r.completed,
            rate(r.completed, r.notices)
        ));
    }
    b.push_str("</table>");
    b
}

fn rate(part: u64, whole: u64) -> String {
    if whole == 0 {
        "—".to_owned()
    } else {
        format!("{:.1}%", part as f64 * 100.0 / whole as f64)
    }
}

/// A column chart of a series: per period a light column of its notices
/// with a dark one of the completed inside it, labelled under it.
pub fn columns(title: &str, rows: &[PeriodRow]) -> String {
    const WIDTH: usize = 640;
    const PLOT: usize = 180;
    const TOP: usize = 24;
    const LABELS: usize = 62;
    let max = rows.iter().map(|r| r.notices).max().unwrap_or(0).max(1);
    // Room on the left for the scale and the first slanted label.
    const LEFT: usize = 70;
    let step = ((WIDTH - LEFT) / rows.len().max(1)).clamp(6, 48);
    let width = (LEFT + step * rows.len()).max(WIDTH);
    let height = TOP + PLOT + LABELS;
    let bar = |n: u64| (PLOT as u64 * n / max) as usize;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{}\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-size=\"11\">\
         <rect x=\"{LEFT}\" y=\"4\" width=\"10\" height=\"10\" fill=\"#9db8d9\"/><text x=\"{}\" y=\"13\">告知单</text>\
         <rect x=\"{}\" y=\"4\" width=\"10\" height=\"10\" fill=\"#2f6b2f\"/><text x=\"{}\" y=\"13\">已补正或已受理</text>\
         <line x1=\"{}\" y1=\"{}\" x2=\"{width}\" y2=\"{}\" stroke=\"#888\"/><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{max}</text>",
        esc(title),
        LEFT + 14,
        LEFT + 70,
        LEFT + 84,
        LEFT - 4,
        TOP + PLOT,
        TOP + PLOT,
        LEFT - 8,
        TOP + 10,
    );
    // Every label when they fit, else every few.
    let every = (40 / step).max(1);
    for (i, r) in rows.iter().enumerate() {
        let x = LEFT + i * step;
        let w = step.saturating_sub(2).max(2);
        let (h, c) = (bar(r.notices), bar(r.completed));
        svg.push_str(&format!(
            "<rect x=\"{x}\" y=\"{}\" width=\"{w}\" height=\"{h}\" fill=\"#9db8d9\"><title>{}：告知单 {}，完成 {}</title></rect>\
             <rect x=\"{x}\" y=\"{}\" width=\"{w}\" height=\"{c}\" fill=\"#2f6b2f\"/>",
            TOP + PLOT - h,
            esc(&r.period),
            r.notices,
            r.completed,
            TOP + PLOT - c,
        ));
        if i % every == 0 {
            let lx = x + w / 2;
            let ly = TOP + PLOT + 12;
            svg.push_str(&format!(
                "<text x=\"{lx}\" y=\"{ly}\" text-anchor=\"end\" transform=\"rotate(-40 {lx} {ly})\">{}</text>",
                esc(&r.period)
            ));
        }
    }
    svg.push_str("</svg>");
    svg
}

/// The series as CSV (with a byte-order mark, like [`csv`]).
pub fn periods_csv(rows: &[PeriodRow], period: Period) -> String {
    let mut o = format!(
        "\u{feff}{},告知单数,再次来办数,完成数\r\n",
        match period {
            Period::Month => "月份",
            Period::Week => "周（周一）",
        }
    );
    for r in rows {
        o.push_str(&format!(
            "{},{},{},{}\r\n",
            r.period, r.notices, r.visited, r.completed
        ));
    }
    o
}

/// The per-window table and chart.
pub fn windows_body(rows: &[(String, u64, u64)]) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let mut b = String::from(
        "<h2>各窗口</h2><table><tr><th>窗口</th><th>告知单</th><th>已补正或已受理</th><th>完成率</th></tr>",
    );
    for (w, n, c) in rows {
        b.push_str(&format!(
            "<tr><td>{}</td><td>{n}</td><td>{c}</td><td>{:.1}%</td></tr>",
            esc(w),
            *c as f64 * 100.0 / (*n).max(1) as f64
        ));
    }
    b.push_str("</table>");
    let counts: Vec<(String, u64)> = rows.iter().map(|(w, n, _)| (w.clone(), *n)).collect();
    b.push_str(&bars("各窗口的告知单数", &counts));
    b
}

/// The filter of a query (`since`, `until`, `matter`, `window`); an
/// ill-formed date is refused.
pub fn filter(q: &[(String, String)]) -> Result<Filter, String> {
    let get = |k: &str| {
        q.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    for k in ["since", "until"] {
        if let Some(d) = get(k)
            && crate::date::Date::parse(&d).is_none()
        {
            return Err(format!("日期应写成 年-月-日，例如 2026-03-01，不是“{d}”"));
        }
    }
    Ok(Filter {
        since: get("since"),
        until: get("until"),
        matter: get("matter"),
        window: get("window"),
        text: None,
    })
}

/// A horizontal bar chart of `items` (label, count), largest first.
pub fn bars(title: &str, items: &[(String, u64)]) -> String {
    const ROW: usize = 24;
    const LABEL: usize = 260;
    const WIDTH: usize = 640;
    let max = items.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let height = ROW * items.len() + 8;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{}\" width=\"{WIDTH}\" height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\" font-size=\"13\">",
        esc(title)
    );
    for (i, (label, n)) in items.iter().enumerate() {
        let y = i * ROW + 4;
        let w = ((WIDTH - LABEL - 60) as u64 * n / max) as usize;
        let shown: String = label.chars().take(18).collect();
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
             <rect x=\"{LABEL}\" y=\"{y}\" width=\"{w}\" height=\"{}\" fill=\"#1d4e89\"><title>{}：{n}</title></rect>\
             <text x=\"{}\" y=\"{}\">{n}</text>",
            LABEL - 6,
            y + 15,
            esc(&shown),
            ROW - 6,
            esc(label),
            LABEL + w + 4,
            y + 15,
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// The page's body: totals, notices per matter, and per matter the
/// materials told most often.
pub fn body(s: &Stats) -> String {
    let rate = s
        .completion_rate()
        .map_or("—".to_owned(), |r| format!("{:.1}%", r * 100.0));
    let mut b = format!(
        "<table><tr><th>告知单</th><td>{}</td></tr><tr><th>再次来办过的</th><td>{}</td></tr>\
         <tr><th>已补正或已受理</th><td>{}</td></tr><tr><th>再次来办完成率</th><td>{rate}</td></tr></table>",
        s.notices, s.visited, s.completed
    );
    if s.damaged > 0 {
        b.push_str(&format!(
            "<p class=\"error\">登记簿里有 {} 条记录已损坏，没有计入</p>",
            s.damaged
        ));
    }
    if s.matters.is_empty() {
        b.push_str("<p>这段时间没有告知单。</p>");
        return b;
    }
    let per_matter: Vec<(String, u64)> = s
        .matters
        .iter()
        .map(|m| (m.matter_name.clone(), m.notices))
        .collect();
    b.push_str("<h2>各事项的告知单数</h2>");
    b.push_str(&bars("各事项的告知单数", &per_matter));
    for m in &s.matters {
        b.push_str(&format!(
            "<h2>{}（{}）</h2><p>告知单 {} 张，完成 {} 张</p>",
            esc(&m.matter_name),
            esc(&m.matter_id),
            m.notices,
            m.completed
        ));
        if !m.missing.is_empty() {
            b.push_str("<h3>最常缺少的材料</h3>");
            let top: Vec<(String, u64)> = m.missing.iter().take(10).cloned().collect();
            b.push_str(&bars("最常缺少的材料", &top));
        }
        if !m.defective.is_empty() {
            b.push_str("<h3>最常需补正的材料</h3>");
            let top: Vec<(String, u64)> = m.defective.iter().take(10).cloned().collect();
            b.push_str(&bars("最常需补正的材料", &top));
        }
    }
    b
}

fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// The figures as CSV (UTF-8 with a byte-order mark, as spreadsheet
/// programs in China expect): one row per matter, then one per material.
pub fn csv(s: &Stats) -> String {
    let mut o = String::from("\u{feff}事项id,事项名称,类型,材料,次数,告知单数,完成数\r\n");
    for m in &s.matters {
        let (id, name) = (field(&m.matter_id), field(&m.matter_name));
        o.push_str(&format!(
            "{id},{name},告知单,,,{},{}\r\n",
            m.notices, m.completed
        ));
        for (kind, list) in [("缺少", &m.missing), ("需补正", &m.defective)] {
            for (material, n) in list {
                o.push_str(&format!("{id},{name},{kind},{},{n},,\r\n", field(material)));
            }
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::register::MatterStats;

    fn stats() -> Stats {
        Stats {
            notices: 3,
            visited: 2,
            completed: 1,
            matters: vec![MatterStats {
                matter_id: "passport".into(),
                matter_name: "普通护照签发".into(),
                notices: 3,
                completed: 1,
                missing: vec![("居民身份证".into(), 2), ("照片, 2寸".into(), 1)],
                defective: vec![],
            }],
            damaged: 0,
        }
    }

    #[test]
    fn the_csv_has_a_row_per_matter_and_per_material_quoted_where_needed() {
        assert_eq!(
            csv(&stats()),
            "\u{feff}事项id,事项名称,类型,材料,次数,告知单数,完成数\r\n\
             passport,普通护照签发,告知单,,,3,1\r\n\
             passport,普通护照签发,缺少,居民身份证,2,,\r\n\
             passport,普通护照签发,缺少,\"照片, 2寸\",1,,\r\n"
        );
    }

    #[test]
    fn bars_are_as_long_as_their_counts_and_labels_are_escaped() {
        let svg = bars("t", &[("<a>".into(), 4), ("b".into(), 2)]);
        assert!(svg.contains("&lt;a&gt;"));
        assert!(
            svg.contains("width=\"320\"") && svg.contains("width=\"160\""),
            "{svg}"
        );
    }

    fn summary(issued_at: &str, outcome: Option<crate::register::Outcome>) -> Summary {
        Summary {
            notice: crate::register::Notice {
                number: String::new(),
                seq: 1,
                record: crate::register::NewNotice {
                    year: 2026,
                    matter_id: "passport".into(),
                    matter_name: "普通护照签发".into(),
                    edition: String::new(),
                    applicant: "张三".into(),
                    phone: None,
                    clerk: None,
                    window: None,
                    situations: vec![],
                    missing: vec![],
                    defects: vec![],
                    issued_at: issued_at.into(),
                    hall: None,
                    sequence: String::new(),
                },
            },
            visits: u32::from(outcome.is_some()),
            outcome,
        }
    }

    #[test]
    fn the_series_counts_per_month_and_week_and_fills_the_quiet_ones() {
        use crate::register::Outcome;
        let list = [
            summary("2026-01-31 09:00:00", Some(Outcome::Corrected)),
            summary("2026-02-01 09:00:00", Some(Outcome::StillMissing)),
            summary("2026-04-02 09:00:00", None),
            summary("2026-04-03 09:00:00", Some(Outcome::Accepted)),
        ];
        let rows = by_period(&list, Period::Month);
        let got: Vec<_> = rows
            .iter()
            .map(|r| (r.period.as_str(), r.notices, r.visited, r.completed))
            .collect();
        assert_eq!(
            got,
            [
                ("2026-01", 1, 1, 1),
                ("2026-02", 1, 1, 0),
                ("2026-03", 0, 0, 0),
                ("2026-04", 2, 1, 1)
            ]
        );
        // 2026-01-31 is a Saturday, 2026-02-01 a Sunday: one week, from
        // Monday 2026-01-26; 2026-04-02 and 03 are in the week of 03-30.
        let weeks = by_period(&list, Period::Week);
        assert_eq!(weeks[0].period, "2026-01-26");
        assert_eq!(weeks[0].notices, 2);
        assert_eq!(weeks.last().unwrap().period, "2026-03-30");
        assert_eq!(weeks.last().unwrap().notices, 2);
        assert_eq!(weeks.len(), 10);
        assert_eq!(weeks.iter().map(|w| w.notices).sum::<u64>(), 4);
        assert_eq!(
            periods_csv(&rows[..2], Period::Month),
            "\u{feff}月份,告知单数,再次来办数,完成数\r\n2026-01,1,1,1\r\n2026-02,1,1,0\r\n"
        );
        // A December rolls over into the next year.
        let dec = [
            summary("2025-12-05 09:00:00", None),
            summary("2026-01-05 09:00:00", None),
        ];
        let rows = by_period(&dec, Period::Month);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].period, "2026-01");
    }

    #[test]
    fn the_column_chart_draws_each_period_as_high_as_its_count() {
        let rows = [
            PeriodRow {
                period: "2026-05".into(),
                notices: 4,
                visited: 2,
                completed: 1,
            },
            PeriodRow {
                period: "2026-06".into(),
                notices: 2,
                visited: 0,
                completed: 0,
            },
        ];
        let svg = columns("t", &rows);
        assert!(svg.contains("height=\"180\""), "{svg}");
        assert!(svg.contains("height=\"90\""), "{svg}");
        assert!(svg.contains("height=\"45\""), "{svg}");
        assert!(svg.contains(">2026-05</text>") && svg.contains(">2026-06</text>"));
    }

    #[test]
    fn a_period_is_a_month_or_a_week() {
        let q = |v: &str| vec![("period".to_owned(), v.to_owned())];
        assert_eq!(Period::of_query(&[]), Ok(Period::Month));
        assert_eq!(Period::of_query(&q("week")), Ok(Period::Week));
        assert!(Period::of_query(&q("year")).is_err());
    }

    #[test]
    fn a_date_that_is_no_date_is_refused() {
        let q = vec![("since".to_owned(), "2026-13-01".to_owned())];
        assert!(filter(&q).is_err());
        let q = vec![("window".to_owned(), "B12".to_owned())];
        assert_eq!(filter(&q).unwrap().window.as_deref(), Some("B12"));
    }
}
