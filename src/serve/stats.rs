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

    #[test]
    fn a_date_that_is_no_date_is_refused() {
        let q = vec![("since".to_owned(), "2026-13-01".to_owned())];
        assert!(filter(&q).is_err());
        let q = vec![("window".to_owned(), "B12".to_owned())];
        assert_eq!(filter(&q).unwrap().window.as_deref(), Some("B12"));
    }
}
