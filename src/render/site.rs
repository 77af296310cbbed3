//! The static website: Tera templates (compiled in, overridable file by file
//! by a project's `templates/`), one page per matter with a situation picker,
//! category pages, a changelog, a clerk's notice page per matter, the search
//! index (`search`) and `data/guides.json`. No external
//! assets; every link is relative, so it works from `file://`.

use super::bounded::{Page, Rendered, Renderer, TemplateError, Templates};
use super::search::{self, SearchDoc};
use crate::load::{GuideFile, Project};
use crate::markdown;
use crate::model::resolve::{ResolvedMaterial, Selection, materials};
use crate::model::{Guide, Markdowns};
use crate::output::Place;
use crate::present;
use anyhow::{Context, Result};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The default templates and assets, compiled in.
pub const DEFAULTS: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("index.html", include_str!("../../templates/index.html")),
    (
        "category.html",
        include_str!("../../templates/category.html"),
    ),
    ("matter.html", include_str!("../../templates/matter.html")),
    ("notice.html", include_str!("../../templates/notice.html")),
    (
        "changelog.html",
        include_str!("../../templates/changelog.html"),
    ),
    ("404.html", include_str!("../../templates/404.html")),
    ("clerk.html", include_str!("../../templates/clerk.html")),
    (
        "assets/style.css",
        include_str!("../../templates/assets/style.css"),
    ),
    (
        "assets/site.js",
        include_str!("../../templates/assets/site.js"),
    ),
    (
        "assets/search.js",
        include_str!("../../templates/assets/search.js"),
    ),
];

/// A template or asset: the project's own `templates/NAME` if it has one.
fn source(root: &Path, name: &str, default: &str) -> Result<(String, bool)> {
    use crate::load::access::{Refusal, project_file};
    // The project's own, under the rules for every file it names: no link
    // out of the project, no FIFO, nothing over the size limit.
    let own = match project_file(root, &format!("templates/{name}")) {
        Ok(path) => path,
        Err(Refusal::Missing) => return Ok((default.to_owned(), false)),
        Err(r) => anyhow::bail!("模板 templates/{name} {}，没有使用", r.message()),
    };
    let file = format!("templates/{name}");
    match crate::load::read_text(&own, &file)? {
        Ok(text) => Ok((text, true)),
        Err(d) => anyhow::bail!("模板 {file}：{}", d.message),
    }
}

/// Any error of loading or rendering templates as a [`TemplateError`].
pub fn template_error(e: anyhow::Error) -> TemplateError {
    match e.downcast::<TemplateError>() {
        Ok(t) => t,
        Err(e) => TemplateError {
            file: "templates".to_owned(),
            pos: None,
            message: format!("{e:#}"),
            detail: None,
            page: None,
        },
    }
}

/// The template engine with every page template loaded: the project's own
/// where it has one.
pub fn templates(root: &Path) -> Result<Templates> {
    let mut list = Vec::new();
    for (name, default) in DEFAULTS.iter().filter(|(n, _)| n.ends_with(".html")) {
        let (text, own) = source(root, name, default)?;
        list.push((name.to_string(), text, own));
    }
    // The project's own stylesheet and script are checked here too, before
    // anything is built.
    for (name, default) in DEFAULTS.iter().filter(|(n, _)| n.starts_with("assets/")) {
        source(root, name, default)?;
    }
    Ok(Templates::new(&list)?)
}

/// What is wrong with the project's own templates, found by rendering
/// every page of the site with its data (nothing is written), each problem
/// once with the first page it showed on. Empty when the project has no
/// templates of its own.
pub fn check_templates(p: &Project, date: &str) -> Vec<TemplateError> {
    let t = match templates(&p.root) {
        Ok(t) => t,
        Err(e) => return vec![template_error(e)],
    };
    if !t.any_own() {
        return Vec::new();
    }
    let mut found: Vec<TemplateError> = Vec::new();
    let result = render_pages(p, t, date, &mut |pages| {
        for (_, r) in pages {
            if let Err(e) = r
                && !found
                    .iter()
                    .any(|f| (&f.file, f.pos, &f.message) == (&e.file, e.pos, &e.message))
            {
                found.push(e);
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        found.push(template_error(e));
    }
    found
}

#[derive(Serialize)]
struct SiteInfo {
    title: String,
    organization: String,
    edition: Option<String>,
    date: String,
    hash: String,
    consult: Option<String>,
    complaint: Option<String>,
    /// The phones, each a `tel:` link.
    consult_links: Vec<Link>,
    complaint_links: Vec<Link>,
    /// 网站标识码, ICP备案号 and 公安机关备案号, as `guide.yaml` writes them.
    identifier: Option<String>,
    icp: Option<Link>,
    police: Option<Link>,
    /// Names of the project's own matters, for the search box's example.
    examples: Vec<String>,
    /// A print stylesheet with what a printed page carries in its margins
    /// (the organisation), as CSS strings.
    print_css: String,
}

/// Each phone of `texts` as a `tel:` link.
fn phone_links(texts: &crate::model::Texts) -> Vec<Link> {
    texts.joined().split('、').map(phone_link).collect()
}

/// A phone number as it reads, with a `tel:` link of its digits.
fn phone_link(t: &str) -> Link {
    Link {
        text: t.to_owned(),
        href: Some(format!(
            "tel:{}",
            t.chars()
                .filter(|c| c.is_ascii_digit() || matches!(c, '-' | '+'))
                .collect::<String>()
        )),
    }
}

/// `text` as a CSS string (quotes, backslashes, line breaks and `<`
/// escaped), for a stylesheet inside the page.
fn css_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' | '\\' | '<' | '>' | '&' => out.push_str(&format!("\\{:x} ", c as u32)),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The print stylesheet of every page: the organisation in the top margin
/// (Chromium prints `@page` margin boxes; the page numbers are in
/// `style.css`).
fn print_css(organization: &str) -> String {
    format!(
        "@media print {{ @page {{ @top-left {{ content: {}; }} }} }}",
        css_string(organization)
    )
}

/// Up to three examples for the search box: of the first matters of the
/// first categories, the shortest of name and aliases.
fn search_examples(categories: &[(&str, Vec<&GuideFile>)]) -> Vec<String> {
    categories
        .iter()
        .filter_map(|(_, list)| list.first())
        .map(|g| {
            let g = &g.guide;
            std::iter::once(&g.name)
                .chain(&g.aliases)
                .map(|s| s.value.trim())
                .filter(|s| !s.is_empty())
                .min_by_key(|s| s.chars().count())
                .unwrap_or(g.name.value.as_str())
                .to_owned()
        })
        .take(3)
        .collect()
}

/// Each category's page name under `categories/` (without `.html`), in the
/// order of `categories`: the `category_id` of its matters, else the folder
/// under `guides/` that holds them (the first folder no other category
/// uses), else its name. Stable when a category is added or moved.
fn category_slugs(categories: &[(&str, Vec<&GuideFile>)]) -> Vec<String> {
    // The folder of a matter file, `/` turned into `-`: `guides/a/b/x.yaml` → `a-b`.
    let folder = |g: &GuideFile| -> Option<String> {
        let rel = g.file.strip_prefix("guides/").unwrap_or(&g.file);
        let (dir, _) = rel.rsplit_once('/')?;
        let slug: String = dir
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric()
                    || c == '_'
                    || c == '-'
                    || !(c.is_ascii() || c.is_whitespace())
                {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        (!slug.trim_matches('-').is_empty()).then_some(slug)
    };
    let users = |f: &str| {
        categories
            .iter()
            .filter(|(_, list)| list.iter().any(|g| folder(g).as_deref() == Some(f)))
            .count()
    };
    let mut out: Vec<String> = Vec::new();
    for (name, list) in categories {
        let mut folders: Vec<String> = list.iter().filter_map(|g| folder(g)).collect();
        folders.sort();
        folders.dedup();
        let given = list
            .iter()
            .find_map(|g| g.guide.category_id.as_ref())
            .map(|id| id.value.clone());
        let own = given.or_else(|| folders.into_iter().find(|f| users(f) == 1));
        let mut slug = own.unwrap_or_else(|| {
            name.chars()
                .map(|c| {
                    if c.is_control() || "/\\:*?\"<>|#%. ".contains(c) {
                        '-'
                    } else {
                        c
                    }
                })
                .collect()
        });
        // A name that is also another category's folder: kept apart.
        while out.contains(&slug) {
            slug.push('_');
        }
        out.push(slug);
    }
    out
}

#[derive(Serialize)]
struct Section {
    key: &'static str,
    number: &'static str,
    title: &'static str,
}

#[derive(Serialize)]
struct BasisGroup {
    title: &'static str,
    laws: Vec<BasisView>,
}

#[derive(Serialize)]
struct BasisView {
    title: String,
    text: Option<String>,
}

#[derive(Serialize)]
struct MaterialView {
    name: String,
    form: &'static str,
    count: String,
    necessity: &'static str,
    when_ids: String,
    when_labels: Option<String>,
    /// “仅限：…”, as in the booklet and on the notice.
    scope: Option<String>,
    spec_html: Option<String>,
    note_html: Option<String>,
    /// “原件1份，必要”, as on the notice.
    requirement: String,
    /// Spec and note as one line of text, as on the notice.
    requirement_text: Option<String>,
    /// “可用临时居民身份证代替”.
    substitutes: Option<String>,
    /// 受理标准, as HTML, under its label.
    criteria_html: Option<String>,
    criteria_label: &'static str,
    /// “依据：…”.
    required_by: Option<String>,
    /// “办理过程中生成，无需提交” (never on the notice).
    produced: Option<String>,
    /// “一并办理…的，由其办理过程中生成，无需提交”: still asked (and on the
    /// clerk's notice page).
    produced_if: Option<String>,
    /// “用于：…”, in a 一件事.
    used_for: Option<String>,
    /// “可签署告知承诺书代替”.
    pledge: Option<&'static str>,
    /// Links from the matter page (a project file: its copy under `files/`).
    blank_form: Option<String>,
    sample: Option<String>,
    /// A `one_of` group's alternatives, listed inside its one item.
    alternatives: Vec<AlternativeView>,
}

/// One alternative of a `one_of` group: its phrase and its files.
#[derive(Serialize)]
struct AlternativeView {
    /// “居民身份证（原件1份）”, as in the booklet and on the notice.
    text: String,
    blank_form: Option<String>,
    sample: Option<String>,
}

/// Where a blank form or sample is linked from the site: a web address as
/// it is, a project file as its copy under `files/`.
fn attachment(v: &Option<String>) -> Option<String> {
    let v = v.as_deref()?.trim();
    if crate::load::access::is_web_address(v) {
        return Some(v.to_owned());
    }
    Some(format!("../files/{}", href_path(&attachment_path(v))))
}

/// Where a project file is copied under `files/`: its path, `/`-separated,
/// without `./`.
fn attachment_path(v: &str) -> String {
    v.trim()
        .split(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != ".")
        .collect::<Vec<_>>()
        .join("/")
}

/// A relative path as it goes into an `href`: what a URL would read as a
/// fragment, query, escape or end (`#`, `?`, `%`, spaces, quotes) is
/// percent-encoded; Chinese stays readable.
fn href_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if c.is_ascii_control() || " #?%\"'<>\\^`{|}[]".contains(c) {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[derive(Serialize)]
struct StepView {
    name: String,
    role: Option<String>,
    limit: Option<String>,
    detail_html: Option<String>,
    /// “审查标准：…”, “环节结果：…”.
    details: Vec<String>,
}

/// The steps of one channel (the title), or of the matter.
#[derive(Serialize)]
struct StepFlow {
    title: Option<&'static str>,
    steps: Vec<StepView>,
}

#[derive(Serialize)]
struct FeeView {
    name: String,
    standard: String,
    basis: Option<String>,
    reducible: Option<String>,
}

#[derive(Serialize)]
struct LocationView {
    address: String,
    window: Option<String>,
    hours: Option<String>,
    transit: Option<String>,
}

#[derive(Serialize)]
struct Situation {
    id: String,
    label: String,
}

#[derive(Serialize)]
struct Faq {
    q: String,
    a_html: String,
}

#[derive(Serialize)]
struct MatterView {
    id: String,
    name: String,
    url: String,
    url_abs: Option<String>,
    code: Option<String>,
    kind: Option<&'static str>,
    department: String,
    category: String,
    category_url: String,
    summary_html: Option<String>,
    sections: Vec<Section>,
    /// The laws by role (设定依据, 实施依据).
    basis: Vec<BasisGroup>,
    conditions: Vec<String>,
    conditions_list: bool,
    refusals: Vec<String>,
    refusals_list: bool,
    /// The header's facts (codes, kind, department, …), as in the booklet.
    facts: Vec<present::Fact>,
    /// 行政复议, 行政诉讼.
    remedies: Vec<present::Fact>,
    situations: Vec<Situation>,
    /// JSON: situation set → positions of the materials it needs.
    /// A 一件事's optional members (id, name), for the member picker.
    members: Vec<Situation>,
    /// “一件事包含：…（可选）”, for the clerk's notice page.
    members_line: Option<String>,
    picker_lists: String,
    materials: Vec<MaterialView>,
    materials_note_html: Option<String>,
    steps: Vec<StepFlow>,
    legal_limit: Option<String>,
    promised_limit: Option<String>,
    /// Every line of the time-limit section, as in the booklet.
    time_limits: Vec<present::Fact>,
    fees: Vec<FeeView>,
    /// The data says nothing is charged (`fees` is empty then).
    no_fees: bool,
    visits: Option<String>,
    online_url: Option<String>,
    /// “可网上办理”, the app and the note of the online channel.
    online_text: Option<String>,
    channels: Option<String>,
    mail: Option<String>,
    appointment: Option<String>,
    /// [`present::EXPRESS`], unless the 送达方式 list says it.
    express: Option<&'static str>,
    locations: Vec<LocationView>,
    result: Option<String>,
    /// 办理结果, 审批结果类型, 送达方式.
    results: Vec<present::Fact>,
    consult: String,
    complaint: String,
    /// Every way to ask and complain, phones and addresses linked.
    contacts: Vec<ContactView>,
    green_channel_html: Option<String>,
    faq: Vec<Faq>,
    updated: String,
    upcoming: Option<Upcoming>,
}

/// A line of 咨询与投诉: its label and each of its values, with a link
/// where one can be followed (`tel:`, `mailto:`, a web address).
#[derive(Serialize)]
struct ContactView {
    label: String,
    items: Vec<Link>,
}

#[derive(Serialize)]
struct Link {
    text: String,
    href: Option<String>,
}

fn contact_view(f: &present::Fact) -> ContactView {
    let items = match f.key {
        "contact.consult" | "contact.complaint" => f.text.split('、').map(phone_link).collect(),
        "contact.email" => vec![Link {
            text: f.text.clone(),
            href: Some(format!("mailto:{}", f.text.trim())),
        }],
        "contact.online" if crate::load::access::is_web_address(&f.text) => vec![Link {
            text: f.text.clone(),
            href: Some(f.text.trim().to_owned()),
        }],
        _ => vec![Link {
            text: f.text.clone(),
            href: None,
        }],
    };
    ContactView {
        label: f.label.clone(),
        items,
    }
}

/// A dated new version of the matter, not in force yet.
#[derive(Serialize)]
struct Upcoming {
    date: String,
    changes: Vec<String>,
}

const NUMBERS: [&str; 12] = [
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二",
];

fn opt(s: &Option<crate::model::S<String>>) -> Option<String> {
    s.as_ref().map(|s| s.value.clone())
}

fn situations(g: &Guide) -> Vec<Situation> {
    g.all_situations()
        .map(|s| Situation {
            id: s.id.value.clone(),
            label: s.label.value.clone(),
        })
        .collect()
}

fn material_view(g: &Guide, m: &ResolvedMaterial) -> MaterialView {
    MaterialView {
        name: m.name.clone(),
        form: present::form_word(m),
        count: m.count_words().replace('\n', " "),
        necessity: m.necessity.word(),
        when_ids: m.when.join(" "),
        when_labels: (!m.when.is_empty()).then(|| present::situation_labels(g, &m.when)),
        scope: present::scope(g, &m.when),
        spec_html: m.spec.as_deref().map(markdown::html),
        note_html: m.note.as_deref().map(markdown::html),
        requirement: present::requirement(m),
        requirement_text: present::material_detail(m),
        substitutes: present::substitutes(m),
        criteria_html: m.criteria.as_deref().map(markdown::html),
        criteria_label: present::label::CRITERIA,
        required_by: present::required_by(m),
        produced: present::produced(m).filter(|_| m.is_produced()),
        produced_if: present::produced(m).filter(|_| !m.is_produced()),
        used_for: present::used_for(m),
        pledge: present::pledge(m),
        blank_form: attachment(&m.blank_form),
        sample: attachment(&m.sample),
        alternatives: m
            .alternatives
            .iter()
            .map(|a| AlternativeView {
                text: present::alternative(a),
                blank_form: attachment(&a.blank_form),
                sample: attachment(&a.sample),
            })
            .collect(),
    }
}

/// The most optional members a 一件事's page offers to pick (each doubles
/// the picker's table); with more, every member's materials are shown.
const MAX_PICKABLE: usize = 6;

/// The optional members of a 一件事 the page's picker offers (none when
/// there are more than [`MAX_PICKABLE`]).
fn pickable(g: &Guide) -> impl Iterator<Item = &crate::model::Member> {
    let optional = || g.linked.iter().filter(|m| m.optional);
    let offer = optional().count() <= MAX_PICKABLE;
    optional().filter(move |_| offer)
}

/// The situation picker's table, made by the one resolver: for each set of
/// situations (ids sorted, joined by a space) the positions in `all` of the
/// materials an applicant in them needs. A matter with more than 8
/// situations gets each situation alone (the page shows the union). For a
/// 一件事 each key ends in `|` and the optional members chosen (sorted,
/// joined by a space), and a key with no situation (`|…`) gives every
/// situation's materials of those members.
fn picker_lists(p: &Project, g: &Guide, all: &[ResolvedMaterial]) -> String {
    let ids: Vec<&str> = g.all_situations().map(|s| s.id.value.as_str()).collect();
    let subsets = |ids: &[&str], from: u32| -> Vec<Vec<String>> {
        (from..1 << ids.len())
            .map(|bits| {
                ids.iter()
                    .enumerate()
                    .filter(|(i, _)| bits & (1 << i) != 0)
                    .map(|(_, id)| id.to_string())
                    .collect()
            })
            .collect()
    };
    let mut sets: Vec<Vec<String>> = if ids.len() <= 8 {
        subsets(&ids, 1)
    } else {
        ids.iter().map(|id| vec![id.to_string()]).collect()
    };
    let optional: Vec<&str> = pickable(g).map(|m| m.id.as_str()).collect();
    let member_sets: Vec<Option<Vec<String>>> = if !optional.is_empty() {
        sets.insert(0, Vec::new());
        subsets(&optional, 0).into_iter().map(Some).collect()
    } else {
        vec![None]
    };
    let mut table = BTreeMap::new();
    for members in &member_sets {
        for set in &sets {
            let selection = match members {
                None => Selection::Situations(set),
                Some(m) => Selection::Chosen {
                    situations: (!set.is_empty()).then_some(set.as_slice()),
                    members: m,
                },
            };
            let need = materials(g, &p.catalogue, selection);
            let positions: Vec<usize> = need
                .iter()
                .filter_map(|m| all.iter().position(|a| a.position == m.position))
                .collect();
            let mut key = set.clone();
            key.sort();
            let mut key = key.join(" ");
            if let Some(m) = members {
                let mut m = m.clone();
                m.sort();
                key = format!("{key}|{}", m.join(" "));
            }
            table.insert(key, positions);
        }
    }
    serde_json::to_string(&table).unwrap_or_default()
}

/// A Markdown text or list as HTML: the paragraphs, and whether a list.
fn markdowns_html(g: &Guide, m: &Option<crate::model::S<Markdowns>>) -> (Vec<String>, bool) {
    match m.as_ref().map(|c| &c.value) {
        Some(Markdowns::One(t)) => (vec![markdown::html(t)], false),
        Some(Markdowns::Many(items)) => (
            items
                .iter()
                .map(|i| {
                    let html = markdown::html(&i.text.value)
                        .trim()
                        .trim_start_matches("<p>")
                        .trim_end_matches("</p>")
                        .to_owned();
                    match present::item_scope(g, i) {
                        // The phrase is plain text: escaped as Tera would.
                        Some(scope) => format!(
                            "{html} <span class=\"only\">{}</span>",
                            scope
                                .replace('&', "&amp;")
                                .replace('<', "&lt;")
                                .replace('>', "&gt;")
                        ),
                        None => html,
                    }
                })
                .collect(),
            true,
        ),
        None => (Vec::new(), false),
    }
}

fn matter_view(p: &Project, gf: &GuideFile, category_url: &str) -> MatterView {
    let g = &gf.guide;
    let list = materials(g, &p.catalogue, Selection::All);
    // The booklet's sections, in its order and wording, numbered.
    let sections: Vec<Section> = present::sections(p, g)
        .into_iter()
        .enumerate()
        .map(|(i, x)| Section {
            key: x.key,
            number: NUMBERS.get(i).copied().unwrap_or(""),
            title: x.title,
        })
        .collect();
    let (conditions, conditions_list) = markdowns_html(g, &g.conditions);
    let (refusals, refusals_list) = markdowns_html(g, &g.refusals);
    let no_handling = crate::model::Handling::default();
    let h = g.handling.as_ref().unwrap_or(&no_handling);
    let visits = present::visits(g);
    let result = g.result.as_ref().map(present::result);
    let results = present::results(g);
    let contacts = present::contacts(p, g);
    let phone = |key: &str| {
        contacts
            .iter()
            .find(|f| f.key == key)
            .map_or(String::new(), |f| f.text.clone())
    };
    let (consult, complaint) = (phone("contact.consult"), phone("contact.complaint"));
    let url = format!("matters/{}.html", g.id.value);
    MatterView {
        id: g.id.value.clone(),
        name: g.name.value.clone(),
        url_abs: crate::present::matter_url(p, &g.id.value),
        url,
        code: opt(&g.code),
        kind: g.kind.as_ref().map(|k| k.value.word()),
        department: g.department.value.clone(),
        category: g.category.value.clone(),
        category_url: category_url.to_owned(),
        summary_html: g.summary.as_ref().map(|s| markdown::html(&s.value)),
        sections,
        basis: present::basis_groups(g)
            .into_iter()
            .map(|(title, list)| BasisGroup {
                title,
                laws: list
                    .into_iter()
                    .map(|b| BasisView {
                        title: present::basis(b),
                        text: opt(&b.text),
                    })
                    .collect(),
            })
            .collect(),
        conditions,
        conditions_list,
        refusals,
        refusals_list,
        facts: present::facts(g),
        remedies: present::remedies(p, g),
        situations: situations(g),
        members: pickable(g)
            .map(|m| Situation {
                id: m.id.clone(),
                label: m.name.clone(),
            })
            .collect(),
        members_line: present::members_line(g, None),
        picker_lists: picker_lists(p, g, &list),
        materials: list.iter().map(|m| material_view(g, m)).collect(),
        materials_note_html: g.materials_note.as_ref().map(|n| markdown::html(&n.value)),
        steps: present::step_flows(g)
            .into_iter()
            .map(|(title, steps)| StepFlow {
                title,
                steps: steps
                    .into_iter()
                    .map(|s| StepView {
                        name: s.name.value.clone(),
                        role: opt(&s.role),
                        limit: opt(&s.limit),
                        detail_html: s.detail.as_ref().map(|d| markdown::html(&d.value)),
                        details: present::step_details(s),
                    })
                    .collect(),
            })
            .collect(),
        legal_limit: present::legal_limit(g),
        promised_limit: present::promised_limit(g),
        time_limits: present::time_limits(g),
        no_fees: g.fees.as_ref().is_some_and(|f| !f.charged.value),
        fees: if let Some(fees) = g.fees.as_ref().filter(|f| f.charged.value) {
            fees.items
                .iter()
                .map(|f| FeeView {
                    name: f.name.value.clone(),
                    standard: f.standard.value.clone(),
                    basis: opt(&f.basis),
                    reducible: opt(&f.reducible),
                })
                .collect()
        } else {
            Vec::new()
        },
        visits,
        online_url: present::online_url(g).map(str::to_owned),
        online_text: present::online(g),
        channels: present::channels(g),
        mail: present::mail(g),
        appointment: opt(&h.appointment),
        express: present::express(g),
        locations: h
            .locations
            .iter()
            .map(|l| LocationView {
                address: l.address.value.clone(),
                window: opt(&l.window),
                hours: opt(&l.hours),
                transit: opt(&l.transit),
            })
            .collect(),
        result,
        results,
        consult,
        complaint,
        contacts: contacts.iter().map(contact_view).collect(),
        green_channel_html: g.green_channel.as_ref().map(|x| markdown::html(&x.value)),
        faq: g
            .faq
            .iter()
            .map(|f| Faq {
                q: f.q.value.clone(),
                a_html: markdown::html(&f.a.value),
            })
            .collect(),
        updated: g.updated().to_owned(),
        upcoming: p.next_version(gf).map(|next| Upcoming {
            date: next.guide.effective.value.clone(),
            changes: crate::diff::compare(p, g, p, &next.guide)
                .iter()
                .filter(|c| c.field != "effective")
                .map(crate::diff::line)
                .collect(),
        }),
    }
}

/// A member of a 一件事, for other systems.
#[derive(Serialize)]
struct DataMember<'a> {
    id: &'a str,
    name: &'a str,
    optional: bool,
}

/// One matter for other systems: validated data with materials resolved.
#[derive(Serialize)]
struct DataMatter<'a> {
    id: &'a str,
    name: &'a str,
    aliases: &'a [crate::model::S<String>],
    code: Option<&'a str>,
    kind: Option<&'static str>,
    audience: Vec<&'static str>,
    department: &'a str,
    category: &'a str,
    /// The category's page name on the site (`categories/ID.html`).
    category_id: &'a str,
    summary: Option<&'a str>,
    basis: &'a [crate::model::Basis],
    conditions: Option<&'a Markdowns>,
    refusals: Option<&'a Markdowns>,
    codes: Option<&'a crate::model::Codes>,
    entrusted_by: Option<&'a str>,
    joint_departments: &'a [crate::model::S<String>],
    level: Option<&'static str>,
    scope: Option<&'static str>,
    quantity_limit: Option<&'a str>,
    /// A 一件事: its members, in order (`optional`: the applicant picks it).
    #[serde(skip_serializing_if = "Option::is_none")]
    bundle: Option<Vec<DataMember<'a>>>,
    situations: Vec<&'a crate::model::Situation>,
    materials: Vec<ResolvedMaterial>,
    materials_note: Option<&'a str>,
    steps: &'a [crate::model::Step],
    time_limit: Option<&'a crate::model::TimeLimit>,
    special_procedures: &'a [crate::model::SpecialProcedure],
    /// The promised time as printed (“7个工作日”, “即办”).
    promised: Option<String>,
    fees: Option<&'a crate::model::Fees>,
    handling: Option<&'a crate::model::Handling>,
    result: Option<&'a crate::model::ResultDoc>,
    consult: String,
    complaint: String,
    green_channel: Option<&'a str>,
    faq: &'a [crate::model::Faq],
    effective: &'a str,
    expires: Option<&'a str>,
    review_by: Option<&'a str>,
    updated: &'a str,
    url: Option<String>,
    changelog: &'a [crate::model::Change],
    /// The phrases every output prints (see [`crate::present`]).
    words: present::Words,
    /// What the matter's one-time notice says of the law and the deadline.
    notice: crate::model::NoticeTerms,
}

/// An optional text field as `&str`.
fn text(s: &Option<crate::model::S<String>>) -> Option<&str> {
    s.as_ref().map(|s| s.value.as_str())
}

/// Writes `site/` (when `site`) and `data/guides.json` (when `data`) under
/// `out`.
pub fn write(p: &Project, out: Place, date: &str, site: bool, data: bool) -> Result<()> {
    if site {
        write_site(p, out, date)?;
    }
    if data {
        write_data(p, out, date)?;
    }
    Ok(())
}

/// Every page of the site rendered with `t` (bounded, see
/// [`super::bounded`]), handed to `each` a group at a time so that only a
/// group is held in memory.
fn render_pages(
    p: &Project,
    t: Templates,
    date: &str,
    each: &mut dyn FnMut(Vec<Rendered>) -> Result<()>,
) -> Result<()> {
    use rayon::prelude::*;
    let config = p.config.as_ref().context("缺少 guide.yaml")?;
    let contact = config.contact.as_ref();
    let info = SiteInfo {
        title: config.title.value.clone(),
        organization: config.organization.value.clone(),
        edition: opt(&config.edition),
        date: date.to_owned(),
        hash: format!("{:08x}", p.content_hash >> 32),
        consult: contact.map(|c| c.consult.value.joined()),
        complaint: contact.map(|c| c.complaint.value.joined()),
        consult_links: contact.map_or(Vec::new(), |c| phone_links(&c.consult.value)),
        complaint_links: contact.map_or(Vec::new(), |c| phone_links(&c.complaint.value)),
        identifier: config
            .site
            .as_ref()
            .and_then(|s| opt(&s.identifier))
            .map(|v| v.trim().to_owned()),
        icp: config
            .site
            .as_ref()
            .and_then(|s| opt(&s.icp))
            .map(|v| Link {
                text: v.trim().to_owned(),
                href: Some("https://beian.miit.gov.cn/".to_owned()),
            }),
        police: config.site.as_ref().and_then(|s| opt(&s.police)).map(|v| {
            let code: String = v.chars().filter(char::is_ascii_digit).collect();
            Link {
                text: v.trim().to_owned(),
                href: Some(format!(
                    "https://beian.mps.gov.cn/#/query/webSearch?code={code}"
                )),
            }
        }),
        examples: search_examples(&p.categories()),
        print_css: print_css(&config.organization.value),
    };
    let (style, _) = source(
        &p.root,
        "assets/style.css",
        include_str!("../../templates/assets/style.css"),
    )?;
    let categories = p.categories();
    let urls = category_urls(&categories);
    let category_url = |ci: usize| urls[ci].clone();
    // Made into a template value once: maps and lists in one are shared,
    // so every page's context holds it without serializing it again.
    let site = tera::Value::from_serializable(&info);
    let base_ctx = |root: &str| {
        let mut c = tera::Context::new();
        c.insert_value("site", site.clone());
        c.insert("root", root);
        c
    };

    // Matters and their clerk pages, a group at a time (views in parallel).
    let jobs: Vec<(usize, &GuideFile)> = categories
        .iter()
        .enumerate()
        .flat_map(|(ci, (_, list))| list.iter().map(move |g| (ci, *g)))
        .collect();
    let notice_settings = config.notice_settings();
    #[derive(Serialize)]
    struct NoticeInfo<'a> {
        issuer: &'a str,
        /// The matter's notice sentences, as `guide notice` prints them.
        intro: String,
        deadline: String,
        window_phone: Option<String>,
        /// Where to correct, for a matter applied for online only.
        online: Option<String>,
    }
    let mut renderer = Renderer::new(t, 2 * jobs.len() + categories.len() + 4);
    for group in jobs.chunks(64) {
        let pages: Vec<Page> = group
            .par_iter()
            .flat_map_iter(|(ci, gf)| {
                let view = tera::Value::from_serializable(&matter_view(
                    p,
                    gf,
                    &href_path(&category_url(*ci)),
                ));
                let mut ctx = base_ctx("../");
                ctx.insert_value("m", view.clone());
                let mut notice_ctx = base_ctx("../../");
                notice_ctx.insert_value("m", view);
                let terms = notice_settings.terms(&gf.guide);
                let intro = present::notice_intro(&gf.guide, &terms, true);
                // Also as `notice_intro`, which overriding templates may use.
                notice_ctx.insert("notice_intro", &intro);
                notice_ctx.insert(
                    "notice",
                    &NoticeInfo {
                        issuer: &notice_settings.issuer,
                        intro,
                        deadline: present::notice_deadline(&gf.guide, &terms),
                        window_phone: present::window_phone(p, &gf.guide),
                        online: present::online_correction(&gf.guide),
                    },
                );
                // Page 2 on of a long notice: who issues it and its number,
                // in the top margin (page 1 has them in its head).
                let (head, number) = present::notice_running_head(&notice_settings.issuer);
                // For clerks only: not for search engines.
                notice_ctx.insert("noindex", &true);
                notice_ctx.insert(
                    "page_print_css",
                    &format!(
                        "@media print {{ @page {{ @top-left {{ content: {}; }} @top-right {{ content: {}; }} \
                         @bottom-center {{ content: {} \"第 \" counter(page) \" 页，共 \" counter(pages) \" 页\"; }} }} \
                         @page :first {{ @top-left {{ content: none; }} @top-right {{ content: none; }} }} }}",
                        css_string(&head),
                        css_string(number),
                        // As the PDF notice: whose notice, and how many pages.
                        css_string(&present::notice_page_owner(&gf.guide)),
                    ),
                );
                let id = &gf.guide.id.value;
                [
                    Page {
                        path: format!("matters/{id}.html"),
                        template: "matter.html",
                        ctx,
                    },
                    Page {
                        path: format!("matters/{id}/notice.html"),
                        template: "notice.html",
                        ctx: notice_ctx,
                    },
                ]
            })
            .collect();
        each(renderer.render(pages)?)?;
    }
    let mut pages: Vec<Page> = Vec::new();

    // Categories.
    #[derive(Serialize)]
    struct CatMatter {
        name: String,
        url: String,
        /// The clerk's notice page.
        notice_url: String,
        department: String,
        promised: Option<String>,
        /// “收费”, “不收费”, or nothing when the data does not say.
        charged: Option<&'static str>,
    }
    #[derive(Serialize)]
    struct Cat {
        name: String,
        url: String,
        color: String,
        count: usize,
        matters: Vec<CatMatter>,
    }
    let cats: Vec<Cat> = categories
        .iter()
        .enumerate()
        .map(|(ci, (name, list))| Cat {
            name: name.to_string(),
            url: category_url(ci),
            color: format!("#{:06X}", present::category_colour(ci)),
            count: list.len(),
            matters: list
                .iter()
                .map(|g| CatMatter {
                    name: g.guide.name.value.clone(),
                    url: format!("matters/{}.html", g.guide.id.value),
                    notice_url: format!("matters/{}/notice.html", g.guide.id.value),
                    department: g.guide.department.value.clone(),
                    promised: present::promised_limit(&g.guide),
                    charged: g.guide.fees.as_ref().map(|f| {
                        if f.charged.value {
                            "收费"
                        } else {
                            present::NO_FEES
                        }
                    }),
                })
                .collect(),
        })
        .collect();
    for c in &cats {
        let mut ctx = base_ctx("../");
        ctx.insert("category", c);
        pages.push(Page {
            path: c.url.clone(),
            template: "category.html",
            ctx,
        });
    }
    // The clerks' index: every matter's notice page, linked from no
    // citizen's page.
    let mut ctx = base_ctx("");
    ctx.insert("categories", &cats);
    ctx.insert("noindex", &true);
    pages.push(Page {
        path: "clerk.html".into(),
        template: "clerk.html",
        ctx,
    });

    // Changelog, newest first; the index shows the latest ten.
    #[derive(Serialize, Clone)]
    struct Change {
        date: String,
        name: String,
        url: String,
        change: String,
    }
    let mut changes: Vec<Change> = p
        .guides
        .iter()
        .flat_map(|g| {
            g.guide.changelog.iter().map(move |c| Change {
                date: c.date.value.clone(),
                name: g.guide.name.value.clone(),
                url: format!("matters/{}.html", g.guide.id.value),
                change: c.change.value.clone(),
            })
        })
        .collect();
    changes.sort_by(|a, b| b.date.cmp(&a.date).then(a.url.cmp(&b.url)));
    let mut ctx = base_ctx("");
    ctx.insert("changes", &changes);
    pages.push(Page {
        path: "changelog.html".into(),
        template: "changelog.html",
        ctx,
    });
    let mut ctx = base_ctx("");
    ctx.insert("categories", &cats);
    ctx.insert(
        "recent",
        &changes.iter().take(10).cloned().collect::<Vec<_>>(),
    );
    pages.push(Page {
        path: "index.html".into(),
        template: "index.html",
        ctx,
    });
    // The 404 page may be served from any path: absolute links when the
    // site's address is known.
    let root404 = config.base_url.as_ref().map_or(String::new(), |u| {
        let u = u.value.trim().to_owned();
        if u.ends_with('/') { u } else { u + "/" }
    });
    // Its stylesheet is inside it: served for /a/b/c or opened from
    // `file://`, it cannot count on finding `assets/style.css`.
    let mut ctx = base_ctx(&root404);
    ctx.insert("inline_css", &style);
    pages.push(Page {
        path: "404.html".into(),
        template: "404.html",
        ctx,
    });
    each(renderer.render(pages)?)
}

/// The page of each category (in the project's order), relative to the
/// site's root: the category pages, their links and the search use it.
fn category_urls(categories: &[(&str, Vec<&GuideFile>)]) -> Vec<String> {
    category_slugs(categories)
        .iter()
        .map(|slug| format!("categories/{slug}.html"))
        .collect()
}

fn write_site(p: &Project, out: Place, date: &str) -> Result<()> {
    each_file(p, date, &mut |name, bytes| {
        out.write(&format!("site/{name}"), bytes)
    })
}

/// Every file of the site in memory, by its path under `site/`: what
/// `guide build` writes, for the hall server to serve.
pub fn in_memory(p: &Project, date: &str) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut files = BTreeMap::new();
    each_file(p, date, &mut |name, bytes| {
        files.insert(name.to_owned(), bytes.to_vec());
        Ok(())
    })?;
    Ok(files)
}

/// Every file of the site (its path under `site/` and its bytes), handed
/// to `each`: the one way the site is made, on disk or in memory.
fn each_file(
    p: &Project,
    date: &str,
    each: &mut dyn FnMut(&str, &[u8]) -> Result<()>,
) -> Result<()> {
    let t = templates(&p.root)?;
    render_pages(p, t, date, &mut |pages| {
        for (name, text) in pages {
            each(&name, text?.as_bytes())?;
        }
        Ok(())
    })?;
    let categories = p.categories();
    let urls = category_urls(&categories);
    let jobs: Vec<(usize, &GuideFile)> = categories
        .into_iter()
        .enumerate()
        .flat_map(|(ci, (_, list))| list.into_iter().map(move |g| (ci, g)))
        .collect();
    // Blank forms and samples that are files of the project, for download.
    // Only files that may be published (checked again here: a file may
    // have changed into a link since `check`).
    let mut files: Vec<String> = Vec::new();
    for gf in &p.guides {
        let list = materials(&gf.guide, &p.catalogue, Selection::All);
        for m in list
            .iter()
            .flat_map(|m| std::iter::once(m).chain(&m.alternatives))
        {
            for f in [m.blank_form.clone(), m.sample.clone()]
                .into_iter()
                .flatten()
            {
                if crate::load::access::is_web_address(&f) {
                    continue;
                }
                let f = attachment_path(&f);
                if !files.contains(&f) {
                    files.push(f);
                }
            }
        }
    }
    files.sort();
    for f in files {
        let from = crate::load::access::project_file(&p.root, &f)
            .map_err(|r| anyhow::anyhow!("表格文件 {f} {}，没有发布", r.message()))?;
        let bytes = std::fs::read(&from).with_context(|| format!("无法复制 {f}"))?;
        each(&format!("files/{f}"), &bytes)?;
    }
    for (name, default) in DEFAULTS.iter().filter(|(n, _)| n.starts_with("assets/")) {
        let (text, _) = source(&p.root, name, default)?;
        each(name, text.as_bytes())?;
    }

    // Search index.
    let docs: Vec<SearchDoc> = jobs
        .iter()
        .map(|(ci, gf)| {
            let g = &gf.guide;
            // A group is found by its alternatives' names too.
            let materials = materials(g, &p.catalogue, Selection::All)
                .into_iter()
                .flat_map(|m| {
                    let alts: Vec<String> = m.alternatives.iter().map(|a| a.name.clone()).collect();
                    std::iter::once(m.name).chain(alts)
                })
                .collect();
            let mut text = String::new();
            if let Some(s) = &g.summary {
                text.push_str(&markdown::plain(&s.value));
            }
            if let Some(c) = &g.conditions {
                for item in c.value.items() {
                    text.push_str(&markdown::plain(item));
                }
            }
            SearchDoc {
                id: g.id.value.clone(),
                name: g.name.value.clone(),
                category: g.category.value.clone(),
                category_url: urls[*ci].clone(),
                aliases: g.aliases.iter().map(|a| a.value.clone()).collect(),
                result: g.result.as_ref().map(|r| r.name.value.clone()),
                materials,
                text,
            }
        })
        .collect();
    let config = p.config.as_ref();
    let synonyms: Vec<Vec<String>> = config
        .and_then(|c| c.search.as_ref())
        .map(|s| {
            s.synonyms
                .iter()
                .map(|g| g.value.iter().map(|w| w.value.clone()).collect())
                .collect()
        })
        .unwrap_or_default();
    let consult = config
        .and_then(|c| c.contact.as_ref())
        .and_then(|c| {
            c.consult
                .value
                .items(c.consult.pos)
                .first()
                .map(|(t, _)| (*t).to_owned())
        })
        .unwrap_or_default();
    each(
        "assets/search-index.js",
        search::index(&docs, &synonyms, &consult).as_bytes(),
    )?;
    Ok(())
}

/// `data/guides.json`: every validated matter, materials resolved, fields in
/// a fixed order, with a schema version.
fn write_data(p: &Project, out: Place, date: &str) -> Result<()> {
    let config = p.config.as_ref().context("缺少 guide.yaml")?;
    let categories = p.categories();
    let slugs = category_slugs(&categories);
    let slug: BTreeMap<&str, &str> = categories
        .iter()
        .zip(&slugs)
        .map(|((name, _), s)| (*name, s.as_str()))
        .collect();
    let data: Vec<DataMatter> = p
        .guides
        .iter()
        .map(|gf| {
            let g = &gf.guide;
            let contacts = present::phones(p, g);
            let phone = |key: &str| {
                contacts
                    .iter()
                    .find(|f| f.key == key)
                    .map_or(String::new(), |f| f.text.clone())
            };
            DataMatter {
                id: &g.id.value,
                name: &g.name.value,
                aliases: &g.aliases,
                code: text(&g.code),
                kind: g.kind.as_ref().map(|k| k.value.word()),
                audience: g.audience.iter().map(|a| a.value.word()).collect(),
                department: &g.department.value,
                category: &g.category.value,
                category_id: slug
                    .get(g.category.value.as_str())
                    .copied()
                    .unwrap_or_default(),
                summary: text(&g.summary),
                basis: &g.basis,
                conditions: g.conditions.as_ref().map(|c| &c.value),
                refusals: g.refusals.as_ref().map(|c| &c.value),
                codes: g.codes.as_ref(),
                entrusted_by: text(&g.entrusted_by),
                joint_departments: &g.joint_departments,
                level: g.level.as_ref().map(|l| l.value.word()),
                scope: g.scope.as_ref().map(|l| l.value.word()),
                quantity_limit: text(&g.quantity_limit),
                bundle: g.bundle.as_ref().map(|_| {
                    g.linked
                        .iter()
                        .map(|m| DataMember {
                            id: &m.id,
                            name: &m.name,
                            optional: m.optional,
                        })
                        .collect()
                }),
                situations: g.all_situations().collect(),
                materials: materials(g, &p.catalogue, Selection::All),
                materials_note: text(&g.materials_note),
                steps: &g.steps,
                time_limit: g.time_limit.as_ref(),
                special_procedures: &g.special_procedures,
                promised: g.time_limit.as_ref().map(|t| t.promised.value.to_string()),
                fees: g.fees.as_ref(),
                handling: g.handling.as_ref(),
                result: g.result.as_ref(),
                consult: phone("contact.consult"),
                complaint: phone("contact.complaint"),
                green_channel: text(&g.green_channel),
                faq: &g.faq,
                effective: &g.effective.value,
                expires: text(&g.expires),
                review_by: text(&g.review_by),
                updated: g.updated(),
                url: crate::present::matter_url(p, &g.id.value),
                changelog: &g.changelog,
                words: present::words(p, g),
                notice: config.notice_settings().terms(g),
            }
        })
        .collect();
    #[derive(Serialize)]
    struct Data<'a> {
        schema_version: u32,
        title: &'a str,
        organization: &'a str,
        edition: Option<&'a str>,
        date: &'a str,
        matters: Vec<DataMatter<'a>>,
    }
    let json = serde_json::to_string_pretty(&Data {
        schema_version: 2,
        title: &config.title.value,
        organization: &config.organization.value,
        edition: config.edition.as_ref().map(|e| e.value.as_str()),
        date,
        matters: data,
    })?;
    out.write("data/guides.json", (json + "\n").as_bytes())?;
    Ok(())
}
