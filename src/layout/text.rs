//! Paragraphs → lines of positioned glyph runs: greedy filling at the break
//! opportunities of [`breaking`], justified by spreading the slack evenly
//! between all characters of a line (PDF character spacing, so no space is
//! ever invented in the extracted text), with adjacent CJK punctuation pairs
//! compressed the same way on every line.

use super::breaking::{self, Break};
use super::{Face, GlyphRun, LinkTarget, Metrics, Rgb};

/// How a run of text looks.
#[derive(Clone, Debug, PartialEq)]
pub struct Style {
    pub face: Face,
    pub size: f32,
    pub color: Rgb,
    pub link: Option<LinkTarget>,
}

impl Style {
    pub fn new(face: Face, size: f32) -> Style {
        Style {
            face,
            size,
            color: Rgb::BLACK,
            link: None,
        }
    }
}

/// A piece of a paragraph in one style.
#[derive(Clone, Debug, PartialEq)]
pub struct Span {
    pub text: String,
    pub style: Style,
}

/// A span of `text` in `face`, `size` points, `color`.
pub fn span(text: impl Into<String>, face: Face, size: f32, color: Rgb) -> Span {
    Span {
        text: text.into(),
        style: Style {
            color,
            ..Style::new(face, size)
        },
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// Both edges flush; the last line flush left.
    Justify,
    Left,
    Center,
    Right,
}

/// One laid-out line: runs with x relative to the line start, y = 0 at the
/// baseline.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub runs: Vec<GlyphRun>,
    /// Natural width (before justification).
    pub width: f32,
    /// Largest font size on the line.
    pub size: f32,
}

/// Closing marks whose blank right half is taken out before another mark.
const CLOSING: &str = "，。、；：？！）」』》”’〕】";
/// Opening marks.
const OPENING: &str = "（「『《“‘〔【";

/// One character with what layout needs of it.
#[derive(Clone, Debug)]
struct Cell {
    ch: char,
    span: usize,
    advance: f32,
    /// Taken off the advance: half an em between adjacent punctuation.
    squeeze: f32,
    /// Byte offset in the paragraph text.
    at: usize,
}

fn is_space(c: char) -> bool {
    c == ' ' || c == '\u{3000}' || c == '\n'
}

/// Lays out `spans` in lines at most `width` wide.
pub fn lay_out(spans: &[Span], width: f32, align: Align, metrics: &dyn Metrics) -> Vec<Line> {
    let mut text = String::new();
    let mut cells: Vec<Cell> = Vec::new();
    for (si, span) in spans.iter().enumerate() {
        for ch in span.text.chars() {
            let ch = if ch == '\t' || ch == '\r' { ' ' } else { ch };
            cells.push(Cell {
                ch,
                span: si,
                advance: metrics.advance(span.style.face, ch) * span.style.size,
                squeeze: 0.0,
                at: text.len(),
            });
            text.push(ch);
        }
    }
    if cells.is_empty() {
        return Vec::new();
    }
    for i in 0..cells.len() - 1 {
        let (a, b) = (cells[i].ch, cells[i + 1].ch);
        if CLOSING.contains(a) && (CLOSING.contains(b) || OPENING.contains(b)) {
            cells[i].squeeze = cells[i].advance / 2.0;
        }
    }
    let breaks: Vec<Break> = breaking::opportunities(&text);
    // Cell index → break kind before that cell (or at the end).
    let mut at_cell: Vec<Option<bool>> = vec![None; cells.len() + 1];
    {
        let mut ci = 0;
        for b in &breaks {
            while ci < cells.len() && cells[ci].at < b.at {
                ci += 1;
            }
            at_cell[ci] = Some(b.mandatory || at_cell[ci] == Some(true));
        }
    }
    let adv = |c: &Cell| c.advance - c.squeeze;

    // Greedy: each line ends at the last opportunity that fits.
    let mut ends: Vec<(usize, usize, bool)> = Vec::new(); // (start, end, forced end)
    let mut start = 0;
    while start < cells.len() {
        while start < cells.len() && cells[start].ch == ' ' && !ends.is_empty() {
            start += 1;
        }
        if start >= cells.len() {
            break;
        }
        let mut w = 0.0;
        let mut last_fit: Option<usize> = None;
        let mut end = cells.len();
        let mut mandatory = false;
        for i in start..cells.len() {
            w += adv(&cells[i]);
            let trailing_space = is_space(cells[i].ch);
            if w > width + 0.01 && !trailing_space {
                end = last_fit.unwrap_or_else(|| {
                    // Nothing fits: break inside the word, but still not
                    // before a closing mark (nor after an opening one).
                    let mut e = i.max(start + 1);
                    while e > start + 1
                        && (breaking::NO_LINE_START.contains(cells[e].ch)
                            || breaking::NO_LINE_END.contains(cells[e - 1].ch))
                    {
                        e -= 1;
                    }
                    // Still a closing mark next: let the marks hang past the
                    // edge rather than begin the next line.
                    while e < cells.len() && breaking::NO_LINE_START.contains(cells[e].ch) {
                        e += 1;
                    }
                    e
                });
                break;
            }
            match at_cell[i + 1] {
                Some(true) => {
                    end = i + 1;
                    mandatory = true;
                    break;
                }
                Some(false) => last_fit = Some(i + 1),
                None => {}
            }
        }
        if end == cells.len() {
            mandatory = true;
        }
        ends.push((start, end, mandatory));
        start = end;
    }
    // A paragraph's last line is never a single character: take one more
    // opportunity's worth from the line before.
    if ends.len() >= 2 {
        let (s, e, _) = ends[ends.len() - 1];
        let visible = cells[s..e].iter().filter(|c| !is_space(c.ch)).count();
        if visible == 1 {
            let (ps, pe, pm) = ends[ends.len() - 2];
            if !pm && let Some(nb) = (ps + 2..pe).rev().find(|&i| at_cell[i] == Some(false)) {
                let n = ends.len();
                ends[n - 2] = (ps, nb, false);
                ends[n - 1] = (nb, e, true);
            }
        }
    }

    // A compressed pair ending a line (》）): the last mark gives up its
    // blank half instead of the first, so no glyph overlaps another (text
    // extraction would take the overlapping mark for a line of its own).
    for &(s, e, _) in &ends {
        let mut e_vis = e;
        while e_vis > s && is_space(cells[e_vis - 1].ch) {
            e_vis -= 1;
        }
        if e_vis >= s + 2 && cells[e_vis - 2].squeeze > 0.0 && CLOSING.contains(cells[e_vis - 1].ch)
        {
            cells[e_vis - 2].squeeze = 0.0;
            cells[e_vis - 1].squeeze = cells[e_vis - 1].advance / 2.0;
        }
    }

    ends.iter()
        .map(|&(s, e, forced)| {
            let mut e_vis = e;
            while e_vis > s && is_space(cells[e_vis - 1].ch) {
                e_vis -= 1;
            }
            let line_cells = &cells[s..e_vis];
            let natural: f32 = line_cells.iter().map(adv).sum();
            let n = line_cells.len();
            let slack = (width - natural).max(0.0);
            let size = line_cells
                .iter()
                .map(|c| spans[c.span].style.size)
                .fold(0.0, f32::max);
            // Slack is spread between characters, but never inside a Latin
            // word or a number ("App", "2004", "9:30" stay as written).
            let spreadable = |i: usize| {
                let (a, b) = (line_cells[i].ch, line_cells[i + 1].ch);
                !(a.is_ascii_graphic() && b.is_ascii_graphic())
            };
            let gaps = (0..n.saturating_sub(1)).filter(|&i| spreadable(i)).count();
            let (mut x, spacing) = match align {
                Align::Justify if !forced && gaps > 0 => {
                    let tc = slack / gaps as f32;
                    // A line with a long Latin word is not torn apart.
                    (0.0, if tc > size * 0.5 { 0.0 } else { tc })
                }
                Align::Center => (slack / 2.0, 0.0),
                Align::Right => (slack, 0.0),
                _ => (0.0, 0.0),
            };
            let mut runs: Vec<GlyphRun> = Vec::new();
            for (i, c) in line_cells.iter().enumerate() {
                let style = &spans[c.span].style;
                let continues = runs.last().is_some_and(|r: &GlyphRun| r.span == c.span);
                if !continues {
                    runs.push(GlyphRun {
                        x,
                        y: 0.0,
                        face: style.face,
                        size: style.size,
                        color: style.color,
                        spacing,
                        text: String::new(),
                        squeeze: Vec::new(),
                        link: style.link.clone(),
                        span: c.span,
                        width: 0.0,
                    });
                }
                let run = runs.last_mut().expect("a run");
                // The character spacing after this glyph is taken back where
                // the slack must not go.
                let cancel = if spacing > 0.0 && i + 1 < n && !spreadable(i) {
                    spacing
                } else {
                    0.0
                };
                if c.squeeze + cancel > 0.0 {
                    run.squeeze
                        .push((run.text.chars().count(), c.squeeze + cancel));
                }
                run.text.push(c.ch);
                let step = adv(c) + spacing - cancel;
                run.width += step;
                x += step;
            }
            if let Some(r) = runs.last_mut() {
                r.width -= spacing;
            }
            Line {
                runs,
                width: natural,
                size,
            }
        })
        .collect()
}

/// The width of `spans` set without wrapping: the longest of its lines
/// (a `\n` is a forced break).
pub fn natural_width(spans: &[Span], metrics: &dyn Metrics) -> f32 {
    let mut best: f32 = 0.0;
    let mut line = 0.0;
    for s in spans {
        for c in s.text.chars() {
            if c == '\n' {
                best = best.max(line);
                line = 0.0;
            } else {
                line += metrics.advance(s.style.face, c) * s.style.size;
            }
        }
    }
    best.max(line)
}

/// The width of each forced line of `spans` (split at `\n`).
pub fn line_widths(spans: &[Span], metrics: &dyn Metrics) -> Vec<f32> {
    let mut out = vec![0.0];
    for s in spans {
        for c in s.text.chars() {
            if c == '\n' {
                out.push(0.0);
            } else if let Some(l) = out.last_mut() {
                *l += metrics.advance(s.style.face, c) * s.style.size;
            }
        }
    }
    out
}

/// The widest piece of `spans` that may not be broken.
pub fn longest_unbreakable(spans: &[Span], metrics: &dyn Metrics) -> f32 {
    let text: String = spans.iter().map(|s| s.text.as_str()).collect();
    let mut widths: Vec<f32> = Vec::with_capacity(text.len());
    for s in spans {
        for c in s.text.chars() {
            let w = metrics.advance(s.style.face, c) * s.style.size;
            widths.extend(std::iter::repeat_n(0.0, c.len_utf8() - 1));
            widths.push(w);
        }
    }
    let mut best: f32 = 0.0;
    let mut last = 0;
    for b in breaking::opportunities(&text) {
        let piece = &text[last..b.at];
        let trimmed = piece.trim_end().len();
        best = best.max(widths[last..last + trimmed].iter().sum());
        last = b.at;
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::layout::Mono;

    fn texts(lines: &[Line]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.runs.iter().map(|r| r.text.as_str()).collect())
            .collect()
    }

    fn plain(t: &str) -> Vec<Span> {
        vec![Span {
            text: t.into(),
            style: Style::new(Face::Regular, 10.0),
        }]
    }

    #[test]
    fn no_line_starts_with_closing_punctuation() {
        // 5 characters per line; a naive break would put "，" first.
        let lines = lay_out(
            &plain("一二三四五，六七八九十。"),
            50.0,
            Align::Justify,
            &Mono,
        );
        for t in texts(&lines) {
            assert!(!t.starts_with('，') && !t.starts_with('。'), "{t}");
        }
        assert_eq!(texts(&lines).concat(), "一二三四五，六七八九十。");
    }

    #[test]
    fn justified_lines_spread_slack_evenly_and_keep_the_text() {
        let lines = lay_out(
            &plain("申请人须携带原件1份到窗口办理手续"),
            75.0,
            Align::Justify,
            &Mono,
        );
        let first = &lines[0];
        let end = first.runs.last().map(|r| r.x + r.width).unwrap();
        assert!((end - 75.0).abs() < 0.01, "flush right: {end}");
        assert_eq!(texts(&lines).concat(), "申请人须携带原件1份到窗口办理手续");
        // The quantity was not split.
        assert!(
            texts(&lines).iter().any(|l| l.contains("1份")),
            "{:?}",
            texts(&lines)
        );
    }

    #[test]
    fn the_last_line_is_never_a_single_character() {
        let lines = lay_out(
            &plain("一二三四五六七八九十甲"),
            50.0,
            Align::Justify,
            &Mono,
        );
        let last = texts(&lines).pop().unwrap();
        assert!(last.chars().count() >= 2, "{:?}", texts(&lines));
    }

    #[test]
    fn justification_never_spreads_a_latin_word_or_a_number() {
        let lines = lay_out(
            &plain("请用App扫码，或拨打12345咨询，我们将为您办理相关事项的手续"),
            153.0,
            Align::Justify,
            &Mono,
        );
        let first = &lines[0].runs[0];
        assert!(first.spacing > 0.0, "the line is justified");
        let text: Vec<char> = first.text.chars().collect();
        for (i, amount) in &first.squeeze {
            // Every Latin/digit pair takes the spacing back out.
            assert!(
                text[*i].is_ascii_graphic() && text[*i + 1].is_ascii_graphic(),
                "{i}"
            );
            assert!((amount - first.spacing).abs() < 1e-4);
        }
        let pairs = text
            .windows(2)
            .filter(|w| w[0].is_ascii_graphic() && w[1].is_ascii_graphic())
            .count();
        assert_eq!(first.squeeze.len(), pairs);
        let end = lines[0].runs.last().map(|r| r.x + r.width).unwrap();
        assert!((end - 153.0).abs() < 0.01, "still flush right: {end}");
    }

    #[test]
    fn adjacent_punctuation_is_compressed_on_every_line_alike() {
        let lines = lay_out(&plain("（原件）。甲乙"), 100.0, Align::Left, &Mono);
        assert_eq!(lines[0].runs[0].squeeze, vec![(3, 5.0)]);
    }

    #[test]
    fn a_compressed_pair_ending_a_line_squeezes_its_last_mark() {
        // 》） ends the line: ） gives up its half, 》 keeps its width, so
        // the two glyphs do not overlap.
        let lines = lay_out(&plain("甲《乙》）"), 100.0, Align::Left, &Mono);
        assert_eq!(lines[0].runs[0].squeeze, vec![(4, 5.0)]);
        // Inside a line the first mark gives it up, as before.
        let lines = lay_out(&plain("甲《乙》）丙"), 100.0, Align::Left, &Mono);
        assert_eq!(lines[0].runs[0].squeeze, vec![(3, 5.0)]);
    }

    #[test]
    fn a_forced_break_does_not_start_a_line_with_a_closing_mark() {
        // No break opportunity in 5 characters of width.
        let lines = lay_out(&plain("证明（天山区））"), 20.0, Align::Left, &Mono);
        for t in texts(&lines) {
            assert!(!t.starts_with('）'), "{:?}", texts(&lines));
        }
    }

    #[test]
    fn an_overlong_word_is_broken_rather_than_overflowing() {
        let url = "https://zwfw.example.gov.cn/very/long/path/that/never/ends";
        let lines = lay_out(&plain(url), 60.0, Align::Justify, &Mono);
        assert!(
            lines.iter().all(|l| l.width <= 60.01),
            "{:?}",
            texts(&lines)
        );
        assert_eq!(texts(&lines).concat(), url);
    }
}
