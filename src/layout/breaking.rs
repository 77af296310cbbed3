//! Where a line may break: UAX #14 (`unicode-linebreak`), overridden by the
//! rules of Chinese typesetting (kinsoku: no line starts with a closing mark,
//! none ends with an opening one) and by quantity glue (a number stays with
//! its unit and measure word: `1份`, `120元/本`, `7个工作日`, `8:30—12:00`).

/// Characters that never begin a line.
pub const NO_LINE_START: &str =
    "，。、；：？！）」』》”’…—·％%,.;:?!)]}〕〉】〗〙〛｝｠〞ー々〻ぁぃぅぇぉっゃゅょゎ゛゜";
/// Characters that never end a line.
pub const NO_LINE_END: &str = "（「《“‘([{〔〈【〖〘〚｛｟〝";

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
            } else if INNER.contains(chars[j].1) && j + 1 < chars.len() && is_digit(chars[j + 1].1)
            {
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
}

/// Every break opportunity of `text`, in order; the end of the text is
/// always one (mandatory).
pub fn opportunities(text: &str) -> Vec<Break> {
    let glue = quantities(text);
    unicode_linebreak::linebreaks(text)
        .filter_map(|(at, kind)| {
            let mandatory = kind == unicode_linebreak::BreakOpportunity::Mandatory;
            if mandatory || at == text.len() {
                return Some(Break {
                    at,
                    mandatory: true,
                });
            }
            let before = text[..at].chars().next_back()?;
            let after = text[at..].chars().next()?;
            let kinsoku = NO_LINE_START.contains(after) || NO_LINE_END.contains(before);
            let in_quantity = glue.iter().any(|r| r.start < at && at < r.end);
            // 第3条 holds together. (A document number may break after its
            // year, 〔2019〕|914号: gluing it whole leaves loose lines.)
            let ordinal = before == '第' && is_digit(after);
            (!kinsoku && !in_quantity && !ordinal).then_some(Break {
                at,
                mandatory: false,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_possible(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut last = 0;
        for b in opportunities(text) {
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
            ["see ", "https://", "a.example/", "x ", "now"]
        );
        assert_eq!(lines_possible("Passport"), ["Passport"]);
    }
}
