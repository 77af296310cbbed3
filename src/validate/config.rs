//! `guide.yaml`: contact phones, notice number pattern, fonts, base URL.

use super::{Context, at};
use crate::diag::Diagnostic;
use crate::load::CONFIG_FILE;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(c) = &cx.project.config else {
        return;
    };
    let file = CONFIG_FILE;
    for (key, s) in [("title", &c.title), ("organization", &c.organization)] {
        if s.value.trim().is_empty() {
            out.push(Diagnostic::error(
                "empty-value",
                file,
                at(s),
                format!("`{key}` 不能为空"),
            ));
        }
    }
    if let Some(contact) = &c.contact {
        super::fields::contact_rules(
            file,
            super::fields::ContactParts {
                consult: Some(&contact.consult),
                complaint: Some(&contact.complaint),
                online: contact.online.as_ref(),
                email: contact.email.as_ref(),
            },
            out,
        );
    }
    if let Some(u) = &c.base_url {
        let v = u.value.trim();
        if !(v.starts_with("https://") || v.starts_with("http://")) {
            out.push(
                Diagnostic::error("bad-url", file, at(u), format!("网址 `{v}` 不完整")).with_hint(
                    "以 https:// 或 http:// 开头，例如 `https://zwfw.example.gov.cn/guide/`",
                ),
            );
        }
    }
    if let Some(u) = c.notice.as_ref().and_then(|n| n.desk_url.as_ref())
        && crate::present::desk_origin(&u.value).is_none()
    {
        out.push(
            Diagnostic::error(
                "bad-url",
                file,
                at(u),
                format!("窗口工作台的地址 `{}` 不对", u.value.trim()),
            )
            .with_hint("写窗口电脑打开工作台用的地址，以 https:// 或 http:// 开头，不带 ? 和 #，例如 `https://dating.example.gov.cn/`"),
        );
    }
    if let Some(p) = c.notice.as_ref().and_then(|n| n.number_pattern.as_ref())
        && let Some(problem) = pattern_problem(&p.value)
    {
        out.push(
            Diagnostic::error("bad-pattern", file, at(p), format!("告知单编号格式有误：{problem}"))
                .with_hint("例如 `乌政服告〔{year}〕{seq}号`：{year} 是年份，{seq} 是序号（{seq:4} 补足 4 位）；序号每年从 1 起，所以两者都要有"),
        );
    }
    if let Some(url) = c.register.as_ref().and_then(|r| r.url.as_ref()) {
        let problem = if !crate::register::postgres::is_url(&url.value) {
            Some("应写成 postgres://用户名@服务器:端口/数据库名".to_owned())
        } else {
            match crate::register::postgres::config(&url.value) {
                Err(crate::register::RegisterError::PasswordInUrl { var }) => Some(format!(
                    "不能写密码（guide.yaml 会进入版本库和备份）；密码请放在环境变量 {var} 里"
                )),
                Err(e) => Some(e.to_string()),
                Ok(_) => None,
            }
        };
        if let Some(problem) = problem {
            out.push(Diagnostic::error(
                "bad-register-url",
                file,
                at(url),
                format!("登记簿地址有误：{problem}"),
            ));
        }
    }
    if let Some(fonts) = c.booklet.as_ref().and_then(|b| b.fonts.as_ref()) {
        for f in [&fonts.regular, &fonts.bold, &fonts.fallback]
            .into_iter()
            .flatten()
        {
            let refused = crate::load::access::project_file(&cx.project.root, &f.value).err();
            if let Some(r) = refused.filter(|r| *r != crate::load::access::Refusal::Missing) {
                out.push(
                    Diagnostic::error(
                        "unsafe-file",
                        file,
                        at(f),
                        format!("字体文件 `{}` {}，没有读取", f.value, r.message()),
                    )
                    .with_hint("把字体文件复制到项目里的普通文件夹（如 fonts/），并写它的相对路径"),
                );
            } else if refused.is_some() {
                out.push(
                    Diagnostic::error(
                        "missing-font",
                        file,
                        at(f),
                        format!("找不到字体文件 `{}`", f.value),
                    )
                    .with_hint(
                        "路径相对于 guide.yaml 所在的文件夹；不写 `fonts` 则使用内置的思源黑体",
                    ),
                );
            }
        }
    }
    if let Some(site) = &c.site {
        site_lines(site, out);
    }
    categories(cx, out);
    if let Some(search) = &c.search {
        synonyms(&search.synonyms, out);
    }
    let mut names = std::collections::HashSet::new();
    for d in &c.departments {
        if !names.insert(d.name.value.as_str()) {
            out.push(Diagnostic::error(
                "duplicate-id",
                file,
                at(&d.name),
                format!("部门 `{}` 重复", d.name.value),
            ));
        }
    }
}

/// `categories:`, when given, orders every category: each listed once,
/// used by some matter, and every matter's category listed.
fn categories(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(c) = &cx.project.config else {
        return;
    };
    if c.categories.is_empty() {
        return;
    }
    let guides = &cx.project.guides;
    for (i, cat) in c.categories.iter().enumerate() {
        if c.categories[..i].iter().any(|x| x.value == cat.value) {
            out.push(Diagnostic::warning(
                "duplicate-category",
                CONFIG_FILE,
                at(cat),
                format!("分类 `{}` 在 `categories` 里写了两次", cat.value),
            ));
        } else if !cx.project.incomplete
            && !guides.iter().any(|g| g.guide.category.value == cat.value)
        {
            let near = crate::diag::nearest(
                &cat.value,
                guides.iter().map(|g| g.guide.category.value.as_str()),
            );
            let hint = match near.first() {
                Some(n) => format!("事项里写的是 `{n}` 吗？两处要写得一字不差"),
                None => "删去它，或检查事项的 `category` 是否写错".to_owned(),
            };
            out.push(
                Diagnostic::warning(
                    "unused-category",
                    CONFIG_FILE,
                    at(cat),
                    format!("没有事项属于分类 `{}`", cat.value),
                )
                .with_hint(hint),
            );
        }
    }
    let mut told = std::collections::HashSet::new();
    for g in guides {
        let cat = &g.guide.category;
        if !c.categories.iter().any(|x| x.value == cat.value) && told.insert(cat.value.as_str()) {
            out.push(
                Diagnostic::warning(
                    "unlisted-category",
                    &g.file,
                    at(cat),
                    format!(
                        "分类 `{}` 不在 guide.yaml 的 `categories` 里，排在所列分类之后",
                        cat.value
                    ),
                )
                .with_hint("把它加进 guide.yaml 的 `categories`，放在它该在的位置"),
            );
        }
    }
}

/// `search.synonyms`: each group names at least two different words, each
/// a word a citizen could type (not empty, no spaces), and no word is in two
/// groups (the groups would be one).
fn synonyms(groups: &[crate::model::S<Vec<crate::model::S<String>>>], out: &mut Vec<Diagnostic>) {
    let file = CONFIG_FILE;
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (gi, group) in groups.iter().enumerate() {
        let mut here: Vec<String> = Vec::new();
        let mut told = false;
        for w in &group.value {
            let word = crate::model::search_word(&w.value);
            if word.is_empty() {
                out.push(
                    Diagnostic::error("empty-value", file, at(w), "同义词不能为空".into())
                        .with_hint("删去这一项，或写上群众会搜的词"),
                );
                told = true;
                continue;
            }
            if w.value.trim().chars().any(char::is_whitespace) {
                out.push(
                    Diagnostic::error(
                        "bad-synonym",
                        file,
                        at(w),
                        format!("同义词 `{}` 中间有空格", w.value.trim()),
                    )
                    .with_hint("一个词写一项，例如 `[社保卡, 市民卡]`"),
                );
                told = true;
                continue;
            }
            if here.contains(&word) {
                out.push(Diagnostic::warning(
                    "duplicate-synonym",
                    file,
                    at(w),
                    format!("同义词 `{}` 在这一组里写了两次", w.value.trim()),
                ));
                continue;
            }
            if let Some(other) = seen.get(&word).filter(|g| **g != gi) {
                out.push(
                    Diagnostic::warning(
                        "duplicate-synonym",
                        file,
                        at(w),
                        format!("同义词 `{}` 也在第 {} 组里", w.value.trim(), other + 1),
                    )
                    .with_hint("把两组合成一组"),
                );
            }
            seen.entry(word.clone()).or_insert(gi);
            here.push(word);
        }
        if here.len() < 2 && !told {
            out.push(
                Diagnostic::error(
                    "bad-synonym",
                    file,
                    at(group),
                    format!("这组同义词只有 {} 个不同的词，至少要两个", here.len()),
                )
                .with_hint("例如 `[社保卡, 社会保障卡, 市民卡]`"),
            );
        }
    }
}

/// The footer's registration lines: each as the authorities issue it.
fn site_lines(site: &crate::model::SiteConfig, out: &mut Vec<Diagnostic>) {
    let checks = [
        (
            "site.identifier",
            &site.identifier,
            (|v: &str| v.len() == 10 && v.chars().all(|c| c.is_ascii_alphanumeric()))
                as fn(&str) -> bool,
            "网站标识码是 10 位数字或字母，例如 `6501000001`",
        ),
        (
            "site.icp",
            &site.icp,
            |v: &str| v.contains("ICP备"),
            "ICP备案号形如 `新ICP备12345678号`",
        ),
        (
            "site.police",
            &site.police,
            |v: &str| v.contains("公网安备"),
            "公安机关备案号形如 `新公网安备65010202000001号`",
        ),
    ];
    for (key, value, ok, hint) in checks {
        let Some(v) = value else { continue };
        let text = v.value.trim();
        if text.is_empty() {
            out.push(Diagnostic::error(
                "empty-value",
                CONFIG_FILE,
                at(v),
                format!("`{key}` 不能为空"),
            ));
        } else if !ok(text) {
            out.push(
                Diagnostic::warning(
                    "bad-value",
                    CONFIG_FILE,
                    at(v),
                    format!("`{key}` 写的是 `{text}`，不像备案信息"),
                )
                .with_hint(hint),
            );
        }
    }
}

/// What is wrong with a notice number pattern, if anything: it needs
/// `{year}` (numbers restart each year) and `{seq}` or `{seq:N}`, and no
/// other placeholders.
fn pattern_problem(p: &str) -> Option<String> {
    let mut rest = p;
    let (mut year, mut seq) = (false, false);
    while let Some(i) = rest.find('{') {
        let Some(len) = rest[i..].find('}') else {
            return Some("有“{”没有配对的“}”".into());
        };
        let name = &rest[i + 1..i + len];
        match name {
            "year" => year = true,
            "seq" => seq = true,
            "hall" => {}
            n if n
                .strip_prefix("seq:")
                .is_some_and(|w| w.parse::<u8>().is_ok_and(|w| (1..=9).contains(&w))) =>
            {
                seq = true
            }
            other => return Some(format!("不认识的占位符 `{{{other}}}`")),
        }
        rest = &rest[i + len + 1..];
    }
    match (year, seq) {
        (false, _) => Some("缺少年份 `{year}`".into()),
        (_, false) => Some("缺少序号 `{seq}` 或 `{seq:4}`".into()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::pattern_problem;

    #[test]
    fn number_patterns_need_year_and_sequence_and_nothing_else() {
        assert_eq!(pattern_problem("乌政服告〔{year}〕{seq:4}号"), None);
        assert_eq!(pattern_problem("{year}-{seq}"), None);
        assert!(pattern_problem("告{seq:4}号").unwrap().contains("{year}"));
        assert!(pattern_problem("告{yr}{seq:4}号").unwrap().contains("{yr}"));
        assert!(
            pattern_problem("告{year}{seq:x}号")
                .unwrap()
                .contains("{seq:x}")
        );
        assert!(pattern_problem("告{year}号").unwrap().contains("序号"));
    }
}
