//! Where a line may break: UAX #14 (`unicode-linebreak`), overridden by the
//! rules of Chinese typesetting (kinsoku: no line starts with a closing mark,
//! none ends with an opening one) and by quantity glue (a number stays with
//! its unit and measure word: `1份`, `120元/本`, `7个工作日`, `8:30—12:00`).

/// Characters that never begin a line.
pub const NO_LINE_START: &str =
    "，。、；：？！）」』》”’…—·％%,.;:?!)]}〕〉】〗〙〛｝｠〞ー々〻ぁぃぅぇぉっゃゅょゎ゛゜";
/// Characters that never end a line.
pub const NO_LINE_END: &str = "（「《“‘([{〔〈【〖〘〚｛｟〝";

/// Whether `c` is one of the characters in `set` (a set of marks), as
/// `set.contains(c)`, asked of nearly every character laid out. A Han
/// ideograph, the most frequent character, is answered at once: the only
/// one in any set is 至 (of ranges, 9:30至13:30).
pub fn one_of(set: &str, c: char) -> bool {
    (c == '至' || !matches!(c, '\u{4E00}'..='\u{9FFF}')) && set.contains(c)
}

/// Units and measure words that stay with the number before them, longest
/// first so `个工作日` wins over `个`.
const UNITS: &[&str] = &[
    "个工作日",
    "个自然日",
    "个月",
    "工作日",
    "自然日",
    "周岁",
    "小时",
    "分钟",
    "平方米",
    "公里",
    "万元",
    "亿元",
    "周年",
    "号楼",
    "年",
    "月",
    "日",
    "天",
    "时",
    "分",
    "秒",
    "周",
    "份",
    "本",
    "张",
    "件",
    "次",
    "元",
    "角",
    "个",
    "人",
    "户",
    "项",
    "页",
    "寸",
    "号",
    "岁",
    "层",
    "楼",
    "室",
    "栋",
    "座",
    "米",
    "万",
    "倍",
    "名",
    "位",
    "家",
    "条",
    "款",
    "类",
    "批",
    "期",
    "套",
    "间",
    "辆",
    "台",
    "笔",
    "副",
    "枚",
    "册",
    "部",
    "幅",
    "盒",
    "袋",
    "瓶",
    "块",
    "把",
    "支",
    "只",
    "千克",
    "克",
    "吨",
    "升",
    "%",
    "％",
    "‰",
    "㎡",
    "km",
    "kg",
    "cm",
    "mm",
    "KB",
    "MB",
];

/// Separators inside one quantity: `1.5`, `8:30`, `9:30—19:30`, `2026-01-01`.
const INNER: &str = ".:：/-—–~～至";

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// Byte ranges of quantities in `text`: a number, its inner separators and
/// following numbers, then a unit (and `/unit`, as in `元/本`).
pub fn quantities(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    // Most text laid out holds no number at all.
    if !text.chars().any(is_digit) {
        return out;
    }
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if !is_digit(c) || (i > 0 && is_digit(chars[i - 1].1)) {
            i += 1;
            continue;
        }
        // Number, possibly with inner separators between digits.
        let mut j = i;
        while j < chars.len() {
            if is_digit(chars[j].1) {
                j += 1;
            } else if one_of(INNER, chars[j].1) && j + 1 < chars.len() && is_digit(chars[j + 1].1) {
                j += 2;
            } else {
                break;
            }
        }
        let mut end_byte = chars.get(j).map_or(text.len(), |c| c.0);
        // Unit, then `/unit` any number of times.
        let mut k = j;
        loop {
            let rest = &text[chars.get(k).map_or(text.len(), |c| c.0)..];
            let Some(u) = UNITS.iter().find(|u| rest.starts_with(**u)) else {
                break;
            };
            k += u.chars().count();
            end_byte = chars.get(k).map_or(text.len(), |c| c.0);
            let after = &text[end_byte..];
            if after.starts_with('/') && UNITS.iter().any(|u| after[1..].starts_with(u)) {
                k += 1;
            } else {
                break;
            }
        }
        if end_byte > start && (k > j || j > i + 1) {
            out.push(start..end_byte);
        }
        i = k.max(j).max(i + 1);
    }
    out
}

/// A place where a line may end: just before byte `at`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Break {
    pub at: usize,
    pub mandatory: bool,
    /// A permitted point inside a glued quantity (`9:30—|13:30`,
    /// `3个|工作日`): taken only when every other way leaves a loose line.
    pub glued: bool,
}

/// Separators between the two ends of a range or the sides of a size:
/// `21mm—24mm`, `48mm × 33mm`.
const BETWEEN: &[&str] = &[
    " × ", "×", " x ", "x", "*", "—", "–", "-", "~", "～", "至", "－",
];

/// Byte ranges that never break and never take justification space:
/// quantities ([`quantities`], ranges and sizes with their units included)
/// and document numbers (`〔2015〕96号`).
pub fn glued(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    for r in quantities(text) {
        // A quantity with a unit followed by a separator and another
        // quantity is one range or size: `21mm—24mm`, `48mm × 33mm`.
        if let Some(last) = out.last_mut()
            && BETWEEN.iter().any(|s| &text[last.end..r.start] == *s)
            && last.end < r.start
        {
            last.end = r.end;
            continue;
        }
        out.push(r);
    }
    // 〔2015〕96号, ［2015］96号.
    if !text.contains(['〔', '［', '[']) {
        return out;
    }
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (i, &(at, c)) in chars.iter().enumerate() {
        let close = match c {
            '〔' => '〕',
            '［' => '］',
            '[' => ']',
            _ => continue,
        };
        let mut j = i + 1;
        while j < chars.len() && is_digit(chars[j].1) {
            j += 1;
        }
        if j - i - 1 != 4 || chars.get(j).map(|c| c.1) != Some(close) {
            continue;
        }
        let mut k = j + 1;
        while k < chars.len() && is_digit(chars[k].1) {
            k += 1;
        }
        if k == j + 1 || chars.get(k).map(|c| c.1) != Some('号') {
            continue;
        }
        let end = chars.get(k + 1).map_or(text.len(), |c| c.0);
        out.retain(|r| r.end <= at || r.start >= end);
        out.push(at..end);
    }
    out.sort_by_key(|r| r.start);
    out
}

/// The signs of a time range (`9:30—13:30`).
const RANGE_SIGNS: &str = "—–~～至";
/// What closes the year of a document number (`〔2015〕96号`).
const YEAR_CLOSE: &str = "〕］]";
/// The signs between two quantities with units (`48mm×33mm`, `21mm—24mm`).
const BETWEEN_UNITS: &str = "×x*—–-~～至－";
/// Full-width opening marks a line may break before after a digit or a
/// Latin letter.
const WIDE_OPENING: &str = "（〔【《「『〖〘";

/// Where a glued range may still break, as a last resort: after the dash
/// of a time range (`9:30—|13:30`), after 个 in `3个|工作日`, and after the
/// year of a document number (`〔2015〕|96号`), and after the sign between
/// two quantities with units (`48mm×|33mm`, `21mm—|24mm`).
fn glued_points(text: &str, r: &std::ops::Range<usize>) -> Vec<usize> {
    let piece = &text[r.clone()];
    let mut out = Vec::new();
    let number = piece.starts_with(['〔', '［', '[']);
    for (i, c) in piece.char_indices() {
        let mut after = i + c.len_utf8();
        let rest = &piece[after..];
        let range = one_of(RANGE_SIGNS, c) && piece[..i].contains(':') && rest.contains(':');
        let measure = c == '个' && (rest.starts_with("工作日") || rest.starts_with("自然日"));
        let year = number && i > 0 && one_of(YEAR_CLOSE, c);
        // The unit before the sign (not a digit: `21—24mm` is one
        // quantity), a number after it; a space after the sign goes with
        // it (`48mm × | 33mm`).
        let unit_before = piece[..i]
            .trim_end()
            .chars()
            .next_back()
            .is_some_and(|p| !is_digit(p) && p.is_alphanumeric());
        let size =
            one_of(BETWEEN_UNITS, c) && unit_before && rest.trim_start().starts_with(is_digit);
        if size {
            after += rest.len() - rest.trim_start().len();
        }
        if (range || measure || year || size) && after < piece.len() {
            out.push(r.start + after);
        }
    }
    out
}

/// Byte ranges of web addresses: `http://`, `https://` or `www.` up to the
/// next space or non-ASCII character, trailing punctuation left out.
pub fn urls(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    // Most text laid out holds none (and setting up a search for each
    // beginning costs more than looking at every byte once).
    let b = text.as_bytes();
    if !b.windows(3).any(|w| w == b"://") && !b.windows(4).any(|w| w == b"www.") {
        return out;
    }
    let mut from = 0;
    while from < text.len() {
        let rest = &text[from..];
        let Some(pos) = ["http://", "https://", "www."]
            .iter()
            .filter_map(|p| rest.find(p))
            .min()
        else {
            break;
        };
        let start = from + pos;
        let mut end = start
            + text[start..]
                .find(|c: char| !c.is_ascii_graphic())
                .unwrap_or(text.len() - start);
        while end > start && text[..end].ends_with(['.', ',', ')', ';', ':', '!', '?']) {
            end -= 1;
        }
        out.push(start..end);
        from = end.max(start + 1);
    }
    out
}

/// Every break opportunity of `text`, in order; the end of the text is
/// always one (mandatory).
pub fn opportunities(text: &str) -> Vec<Break> {
    opportunities_glued(text, &glued(text))
}

/// [`opportunities`] of `text` whose [`glued`] ranges are `glue`.
pub fn opportunities_glued(text: &str, glue: &[std::ops::Range<usize>]) -> Vec<Break> {
    let urls = urls(text);
    let mut out: Vec<Break> = unicode_linebreak::linebreaks(text)
        .filter_map(|(at, kind)| {
            let mandatory = kind == unicode_linebreak::BreakOpportunity::Mandatory;
            if mandatory || at == text.len() {
                return Some(Break {
                    at,
                    mandatory: true,
                    glued: false,
                });
            }
            let before = text[..at].chars().next_back()?;
            let after = text[at..].chars().next()?;
            let kinsoku = one_of(NO_LINE_START, after) || one_of(NO_LINE_END, before);
            let in_glue = glue.iter().any(|r| r.start < at && at < r.end);
            // Inside a web address only the breaks added below.
            let in_url = urls.iter().any(|r| r.start < at && at < r.end);
            // 第3条 holds together.
            let ordinal = before == '第' && is_digit(after);
            (!kinsoku && !in_glue && !in_url && !ordinal).then_some(Break {
                at,
                mandatory: false,
                glued: false,
            })
        })
        .collect();
    // Before a full-width opening mark after a digit or a Latin letter
    // (`19:30|（法定节假日除外）`, `App|（`), as before one after a Han
    // character: Unicode 13 took East Asian wide opening marks out of rule
    // LB30, which the line-break tables here still apply to them.
    for (at, c) in text.char_indices() {
        let Some(before) = text[..at].chars().next_back() else {
            continue;
        };
        if one_of(WIDE_OPENING, c)
            && before.is_ascii_alphanumeric()
            && !glue.iter().any(|r| r.start < at && at < r.end)
            && !urls.iter().any(|r| r.start < at && at < r.end)
        {
            out.push(Break {
                at,
                mandatory: false,
                glued: false,
            });
        }
    }
    // A web address breaks after / . ? & (never at a hyphen), not inside a
    // run of them (`://`).
    for r in &urls {
        let u = &text[r.clone()];
        let b = u.as_bytes();
        for i in 0..b.len().saturating_sub(1) {
            if b"/.?&".contains(&b[i]) && !b"/.?&:".contains(&b[i + 1]) {
                out.push(Break {
                    at: r.start + i + 1,
                    mandatory: false,
                    glued: false,
                });
            }
        }
    }
    for r in glue {
        for at in glued_points(text, r) {
            out.push(Break {
                at,
                mandatory: false,
                glued: true,
            });
        }
    }
    out.sort_by_key(|b| (b.at, !b.mandatory, b.glued));
    out.dedup_by_key(|b| b.at);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `one_of` answers as `str::contains` for the sets of marks the
    /// layout asks about, for their own characters and for others.
    #[test]
    fn one_of_is_contains_for_every_set_of_marks() {
        let sets = [
            NO_LINE_START,
            NO_LINE_END,
            INNER,
            RANGE_SIGNS,
            YEAR_CLOSE,
            BETWEEN_UNITS,
            WIDE_OPENING,
            crate::layout::text::CLOSING,
            crate::layout::text::OPENING,
            crate::layout::text::SHRINK_CLOSING,
            crate::layout::text::LEADING,
        ];
        let others = "办事指南居住证申领一二三abcXYZ019０９ \u{3000}𠮷ئۇ";
        for set in sets {
            for c in set
                .chars()
                .chain(others.chars())
                .chain(sets.concat().chars())
            {
                assert_eq!(one_of(set, c), set.contains(c), "{c:?} in {set:?}");
            }
            assert!(
                !set.chars()
                    .any(|c| c != '至' && ('\u{4E00}'..='\u{9FFF}').contains(&c)),
                "a Han ideograph other than 至 in {set:?}: one_of must look for it"
            );
        }
    }

    fn lines_possible(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut last = 0;
        for b in opportunities(text).into_iter().filter(|b| !b.glued) {
            out.push(&text[last..b.at]);
            last = b.at;
        }
        out
    }

    #[test]
    fn numbers_stay_with_units_and_measure_words() {
        let q: Vec<&str> = [
            "原件1份",
            "120元/本",
            "7个工作日内",
            "9:30—19:30",
            "共3.5米",
        ]
        .iter()
        .flat_map(|t| quantities(t).into_iter().map(move |r| &t[r]))
        .collect();
        assert_eq!(q, ["1份", "120元/本", "7个工作日", "9:30—19:30", "3.5米"]);
    }

    #[test]
    fn no_break_inside_a_quantity() {
        assert_eq!(lines_possible("收费120元/本"), ["收", "费", "120元/本"]);
        assert_eq!(lines_possible("7个工作日"), ["7个工作日"]);
        assert_eq!(lines_possible("100元/副"), ["100元/副"]);
    }

    #[test]
    fn closing_marks_never_start_a_line_and_opening_never_end_one() {
        for piece in lines_possible("材料（原件），请带“身份证”。") {
            let first = piece.chars().next().unwrap();
            let last = piece.chars().last().unwrap();
            assert!(
                !NO_LINE_START.contains(first),
                "{piece:?} starts with {first}"
            );
            assert!(!NO_LINE_END.contains(last), "{piece:?} ends with {last}");
        }
    }

    #[test]
    fn latin_words_break_at_spaces_and_urls_after_slashes() {
        assert_eq!(
            lines_possible("see https://a.example/x now"),
            ["see ", "https://", "a.", "example/", "x ", "now"]
        );
        assert_eq!(lines_possible("Passport"), ["Passport"]);
    }

    #[test]
    fn document_numbers_ranges_and_sizes_are_glued() {
        let g: Vec<&str> = [
            "依据国办发〔2015〕96号文件",
            "年满16周岁的",
            "宽21mm—24mm之间",
            "规格48mm × 33mm的照片",
        ]
        .iter()
        .flat_map(|t| glued(t).into_iter().map(move |r| &t[r]))
        .collect();
        assert_eq!(g, ["〔2015〕96号", "16周岁", "21mm—24mm", "48mm × 33mm"]);
        assert_eq!(
            lines_possible("国发〔2015〕96号"),
            ["国", "发", "〔2015〕96号"]
        );
    }

    #[test]
    fn a_glued_quantity_has_last_resort_points() {
        let glued: Vec<usize> = opportunities("3个工作日，9:30—13:30")
            .into_iter()
            .filter(|b| b.glued)
            .map(|b| b.at)
            .collect();
        assert_eq!(glued, ["3个".len(), "3个工作日，9:30—".len()]);
        let doc = "国办发〔2015〕96号";
        let points: Vec<usize> = opportunities(doc)
            .into_iter()
            .filter(|b| b.glued)
            .map(|b| b.at)
            .collect();
        assert_eq!(points, ["国办发〔2015〕".len()]);
        for (text, at) in [
            ("尺寸48mm×33mm的", "尺寸48mm×"),
            ("尺寸48mm × 33mm的", "尺寸48mm × "),
            ("宽21mm—24mm", "宽21mm—"),
        ] {
            let points: Vec<usize> = opportunities(text)
                .into_iter()
                .filter(|b| b.glued)
                .map(|b| b.at)
                .collect();
            assert_eq!(points, [at.len()], "{text}");
        }
        // A range of bare numbers with one unit stays whole.
        assert!(opportunities("宽21—24mm").iter().all(|b| !b.glued));
    }

    #[test]
    fn a_line_may_break_before_a_full_width_opening_mark_after_a_digit() {
        assert_eq!(lines_possible("19:30（除外）"), ["19:30", "（除", "外）"]);
        assert_eq!(lines_possible("App（应用）"), ["App", "（应", "用）"]);
        // Not inside a quantity or a web address.
        assert_eq!(lines_possible("〔2015〕96号"), ["〔2015〕96号"]);
    }

    #[test]
    fn a_web_address_breaks_after_slashes_and_dots_never_at_a_hyphen() {
        let u = "https://crj.example.gov.cn/yuyue/hk-macau?a=1&b=2";
        let pieces = lines_possible(u);
        assert!(pieces.iter().all(|p| !p.ends_with('-')), "{pieces:?}");
        assert_eq!(
            pieces,
            [
                "https://",
                "crj.",
                "example.",
                "gov.",
                "cn/",
                "yuyue/",
                "hk-macau?",
                "a=1&",
                "b=2"
            ]
        );
    }
}
