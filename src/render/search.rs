//! The site's search index, built with the site: each matter's searchable
//! texts stored once (the page builds its postings when the index loads),
//! the built-in thesaurus of citizens' words and the project's own synonyms,
//! the question words a query may carry, and a pinyin table from the
//! `pinyin` crate for full pinyin, initials and homophones of a mistyped
//! character. Ranking happens in the page (`templates/assets/search.js`).
//! Written as a script (`assets/search-index.js`) so it loads from `file://`.

use pinyin::ToPinyin;
use serde::Serialize;
use std::collections::BTreeMap;

/// The built-in thesaurus: one entry a line, `citizens' words | official
/// words`, each side words separated by spaces; `#` starts a comment.
pub const THESAURUS: &str = include_str!("thesaurus.txt");

/// Question and filler words a query may carry (怎么办, 需要什么材料), separated
/// by spaces: they say nothing about which matter is meant, so the page drops
/// them.
pub const FILLERS: &str = "\
    要办什么证 办什么证 要什么证 什么证 办什么 要什么手续 办什么手续 什么手续 哪些手续 怎么办理 \
    怎么办 怎么弄 怎么搞 怎么 怎样办理 怎样 如何办理 如何 需要什么材料 要什么材料 \
    需要哪些材料 要哪些材料 什么材料 哪些材料 需要什么 要什么 需要带什么 带什么 需要 什么 \
    哪些 在哪里办 在哪儿办 去哪里办 去哪办 在哪办 哪里办 在哪里 去哪里 在哪 \
    哪里 多久 多长时间 几天 流程 手续费 费用 多少钱 请问 我想 \
    我要 想要 可以 能不能 能否 是否 吗 呢 吧 啊 \
    的 一下 咨询 办理 申请办理 怎么申请 我";

/// One line of the thesaurus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// 1-based line in `thesaurus.txt`.
    pub line: usize,
    /// What citizens say (丢了, 丢失, 遗失).
    pub left: Vec<String>,
    /// What guides say (补领, 补办, 挂失).
    pub right: Vec<String>,
}

/// The thesaurus entries, and a Chinese description of every malformed line.
pub fn parse_thesaurus(text: &str) -> (Vec<Entry>, Vec<String>) {
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let body = raw.split('#').next().unwrap_or("").trim();
        if body.is_empty() {
            continue;
        }
        let sides: Vec<&str> = body.split('|').collect();
        if sides.len() != 2 {
            problems.push(format!(
                "第 {line} 行：要写成“群众说法 | 规范说法”，找到 {} 个“|”",
                sides.len() - 1
            ));
            continue;
        }
        let words = |s: &str| -> Vec<String> { s.split_whitespace().map(str::to_owned).collect() };
        let (left, right) = (words(sides[0]), words(sides[1]));
        if left.is_empty() || right.is_empty() {
            problems.push(format!("第 {line} 行：“|”两边都要有词"));
            continue;
        }
        for w in left.iter().chain(&right) {
            if normalise(w) != *w {
                problems.push(format!("第 {line} 行：`{w}` 含有标点、空格或大写字母"));
            }
        }
        entries.push(Entry { line, left, right });
    }
    (entries, problems)
}

/// What the search compares: lower case, half-width, without spaces and
/// punctuation (so 出生 上户口 and 出生上户口 are the same query).
pub use crate::model::search_word as normalise;

/// A matter as the search sees it.
pub struct SearchDoc {
    pub id: String,
    pub name: String,
    pub category: String,
    pub category_url: String,
    pub aliases: Vec<String>,
    pub result: Option<String>,
    pub materials: Vec<String>,
    /// Conditions and summary as plain text.
    pub text: String,
}

/// How much of a matter's conditions and summary the index keeps: the
/// opening says what the matter is about; the rest would only weigh.
const TEXT_CHARS: usize = 160;

/// The pinyin table: every character of GB 2312 (the characters a citizen's
/// input method offers first), Big5's common characters, and every character of the matters' names,
/// aliases and categories, grouped by toneless syllable: `syllable:chars`,
/// joined by `|`.
fn pinyin_table(extra: &str) -> String {
    let mut chars: std::collections::BTreeSet<char> = extra.chars().collect();
    let mut bytes = Vec::with_capacity(2 * 94 * 72);
    for hi in 0xB0u8..=0xF7 {
        for lo in 0xA1u8..=0xFE {
            bytes.extend([hi, lo]);
        }
    }
    let (text, _, _) = encoding_rs::GBK.decode(&bytes);
    chars.extend(text.chars());
    // Big5's common characters: a query in traditional characters (護照)
    // finds its simplified twin (护照) by sound.
    let mut big5 = Vec::with_capacity(2 * 35 * 157);
    for hi in 0xA4u8..=0xC6 {
        for lo in (0x40u8..=0x7E).chain(0xA1..=0xFE) {
            big5.extend([hi, lo]);
        }
    }
    let (text, _, _) = encoding_rs::BIG5.decode(&big5);
    chars.extend(text.chars().filter(|c| *c != '\u{FFFD}'));
    let mut by_sound: BTreeMap<&'static str, String> = BTreeMap::new();
    for c in chars {
        if let Some(p) = c.to_pinyin() {
            by_sound.entry(p.plain()).or_default().push(c);
        }
    }
    by_sound
        .iter()
        .map(|(s, cs)| format!("{s}:{cs}"))
        .collect::<Vec<_>>()
        .join("|")
}

/// The index as a script: `window.GUIDE_INDEX = {...}`, then a call to the
/// page's `guideSearchReady` when the page asked for one (it loads this
/// script without waiting for it). Same docs ⇒ same bytes.
pub fn index(docs: &[SearchDoc], synonyms: &[Vec<String>], consult: &str) -> String {
    let (thesaurus, _) = parse_thesaurus(THESAURUS);
    // Categories and material names once, referred to by number.
    let mut cats: Vec<(&str, &str)> = Vec::new();
    let mut mats: BTreeMap<&str, usize> = BTreeMap::new();
    for d in docs {
        if !cats.iter().any(|(n, _)| *n == d.category) {
            cats.push((&d.category, &d.category_url));
        }
        for m in &d.materials {
            let next = mats.len();
            mats.entry(m.as_str()).or_insert(next);
        }
    }
    // Numbered in order of first use, so a reader of the file sees them so.
    let mut mat_list: Vec<(&str, usize)> = mats.iter().map(|(k, v)| (*k, *v)).collect();
    mat_list.sort_by_key(|(_, i)| *i);
    /// `[id, name, category, aliases, result, materials, text]`, an array
    /// so the field names are not repeated a thousand times.
    type Doc<'a> = (&'a str, &'a str, usize, String, &'a str, Vec<usize>, String);
    #[derive(Serialize)]
    struct Index<'a> {
        v: u32,
        phone: &'a str,
        cats: Vec<[&'a str; 2]>,
        mats: Vec<&'a str>,
        docs: Vec<Doc<'a>>,
        /// [citizens' words, official words]; a project group has one side.
        syn: Vec<Vec<String>>,
        fill: String,
        py: String,
    }
    let mut named = String::new();
    let docs_out = docs
        .iter()
        .map(|d| {
            named.push_str(&d.name);
            named.push_str(&d.category);
            d.aliases.iter().for_each(|a| named.push_str(a));
            let mut ms: Vec<usize> = d.materials.iter().map(|m| mats[m.as_str()]).collect();
            ms.sort_unstable();
            ms.dedup();
            let text: String = d
                .text
                .chars()
                .filter(|c| !c.is_whitespace())
                .take(TEXT_CHARS)
                .collect();
            (
                d.id.as_str(),
                d.name.as_str(),
                cats.iter().position(|(n, _)| *n == d.category).unwrap_or(0),
                d.aliases.join("|"),
                d.result.as_deref().unwrap_or(""),
                ms,
                text,
            )
        })
        .collect();
    let mut syn: Vec<Vec<String>> = thesaurus
        .iter()
        .map(|e| vec![e.left.join(" "), e.right.join(" ")])
        .collect();
    syn.extend(synonyms.iter().map(|g| {
        vec![
            g.iter()
                .map(|w| normalise(w))
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" "),
        ]
    }));
    let index = Index {
        v: 1,
        phone: consult,
        cats: cats.iter().map(|(n, u)| [*n, *u]).collect(),
        mats: mat_list.iter().map(|(m, _)| *m).collect(),
        docs: docs_out,
        syn,
        fill: FILLERS.split_whitespace().collect::<Vec<_>>().join(" "),
        py: pinyin_table(&named),
    };
    let json = serde_json::to_string(&index).unwrap_or_else(|_| "{}".into());
    format!(
        "window.GUIDE_INDEX={json};\nif(window.guideSearchReady){{window.guideSearchReady();}}\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalise_drops_spaces_punctuation_and_case() {
        assert_eq!(normalise(" 出生 上户口？"), "出生上户口");
        assert_eq!(normalise("ＨuZhao"), "huzhao");
    }

    #[test]
    fn a_line_needs_two_sides() {
        let (e, p) = parse_thesaurus("# c\n丢了 丢失 | 补领\n只有一边\n | 补办\n");
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].line, 2);
        assert_eq!(p.len(), 2, "{p:?}");
    }
}
