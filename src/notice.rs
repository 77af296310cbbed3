//! Issuing one-time notices, and what follows them: a filled notice for one
//! applicant (materials looked up as a clerk types them, values checked,
//! rendered by [`crate::render::notice`], numbered and recorded through a
//! [`Register`], saved where the output policy allows), a reprint, and the
//! applicant's second visit. The command line and the hall server both go
//! through here, so there is one path to a number and one set of
//! sentences; they only turn arguments into a request and print.

use crate::date::Date;
use crate::diag::nearest;
use crate::layout::font::FontSet;
use crate::load::Project;
use crate::model::resolve::{ResolvedMaterial, Selection, materials};
use crate::model::{Guide, NoticeSettings};
use crate::register::{
    NewNotice, NewVisit, Notice, Outcome, Register, RegisterError, Told, Visit, check_typed,
    visible,
};
use crate::render::notice::{self, Filled};
use std::fmt;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Where a notice's PDF goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// This file (`-o`).
    File(PathBuf),
    /// `NUMBER.pdf` in this folder (empty: the current folder).
    Folder(PathBuf),
    /// Nowhere: the PDF's bytes only (the server sends them).
    Bytes,
}

/// What a clerk asks for: a notice of `matter` for one applicant.
#[derive(Clone, Debug)]
pub struct Request {
    /// The matter's id.
    pub matter: String,
    /// Situation ids.
    pub situations: Vec<String>,
    /// A 一件事: the optional members chosen (empty: every member).
    pub members: Vec<String>,
    /// The missing materials as the clerk typed them: a catalogue id, a
    /// number as `guide show` prints it, a name, or a unique part of one.
    pub missing: Vec<String>,
    /// Materials brought but defective (需补正): each a material as in
    /// `missing`, and the reason it must be corrected.
    pub defects: Vec<(String, String)>,
    pub applicant: String,
    pub phone: Option<String>,
    pub window: Option<String>,
    pub clerk: Option<String>,
    /// The hall issuing it (`--hall`, or `register.hall` in `guide.yaml`):
    /// recorded, and `{hall}` in the number pattern.
    pub hall: Option<String>,
    /// The day the materials were received (`YYYY-MM-DD`, not after the
    /// notice's day); the notice leaves a writing line when it is not given.
    pub received: Option<String>,
    pub target: Target,
    /// Files no notice may be saved over besides the guide data (the
    /// register's own, see [`crate::register::SqliteRegister::files`]).
    pub protect: Vec<PathBuf>,
}

/// A notice issued.
#[derive(Debug)]
pub struct Issued {
    pub notice: Notice,
    pub pdf: Vec<u8>,
    /// Where it was saved (not for [`Target::Bytes`]).
    pub path: Option<PathBuf>,
    /// What its desk code encodes ([`crate::present::desk_link`]), when
    /// the project names its desk.
    pub desk: Option<String>,
}

/// One word of the clerk's that names no material (or more than one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MaterialProblem {
    /// Nothing is called so; the nearest name or id, if any.
    Unknown { word: String, near: Option<String> },
    /// A number past the end of the list.
    NoNumber { n: usize },
    /// Part of several names.
    Ambiguous { word: String, names: Vec<String> },
    /// A material needed only in other situations: their labels and ids.
    OtherSituation {
        name: String,
        situations: Vec<(String, String)>,
    },
    /// A material produced inside the process (source 办理过程中生成),
    /// told missing or (`defect`) defective.
    Produced { name: String, defect: bool },
    /// Told both missing and defective.
    MissingAndDefective { name: String },
    /// A defective material with no reason.
    NoReason { name: String },
}

impl fmt::Display for MaterialProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MaterialProblem::Unknown { word, near } => match near {
                Some(n) => write!(f, "没有材料“{}”，你是不是想写“{n}”？", visible(word)),
                None => write!(f, "没有材料“{}”", visible(word)),
            },
            MaterialProblem::NoNumber { n } => write!(f, "没有第 {n} 项材料"),
            MaterialProblem::Ambiguous { word, names } => write!(
                f,
                "“{}”可以指{}，请写得更具体，或用序号",
                visible(word),
                names
                    .iter()
                    .map(|m| format!("“{m}”"))
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            MaterialProblem::OtherSituation { name, situations } => write!(
                f,
                "“{name}”只在这些情形下需要：{}",
                situations
                    .iter()
                    .map(|(label, id)| format!("{label}（--situation {id}）"))
                    .collect::<Vec<_>>()
                    .join("；")
            ),
            MaterialProblem::Produced { name, defect } => write!(
                f,
                "“{name}”是办理过程中生成的，不能列为{}的材料",
                if *defect { "需补正" } else { "缺少" }
            ),
            MaterialProblem::MissingAndDefective { name } => write!(
                f,
                "“{name}”既写在 --missing 里又写在 --defect 里：没带来的写 --missing，带来了但不符合要求的写 --defect"
            ),
            MaterialProblem::NoReason { name } => write!(
                f,
                "“{name}”需补正，但没有写原因；请写成 --defect \"{name}=原因\"，例如 --defect \"{name}=照片背景不符合要求\""
            ),
        }
    }
}

/// A value typed for the notice with characters no print font has (the
/// CJK faces, the script fonts, the fallback): one per value, naming each
/// such character once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rare {
    pub field: &'static str,
    pub value: String,
    pub chars: Vec<char>,
}

impl Rare {
    /// The characters of `value` that `fonts` cannot print, each once;
    /// `None` if it can print them all.
    fn of(field: &'static str, value: &str, fonts: &FontSet) -> Option<Rare> {
        let mut chars: Vec<char> = Vec::new();
        for ch in value.chars().filter(|c| !fonts.has(*c)) {
            if !chars.contains(&ch) {
                chars.push(ch);
            }
        }
        (!chars.is_empty()).then(|| Rare {
            field,
            value: value.to_owned(),
            chars,
        })
    }
}

/// Why a notice was not issued, reprinted or its visit not recorded.
/// Each says in Chinese what to do; [`NoticeError::kind`] sorts them for
/// exit codes and HTTP statuses.
#[derive(Debug)]
#[non_exhaustive]
pub enum NoticeError {
    /// The computer's clock cannot be right.
    Clock(String),
    /// No matter `id` in force.
    UnknownMatter {
        id: String,
    },
    /// A `--member` that is no member of the 一件事 (the message says why).
    UnknownMember(String),
    /// The matter has no situation `given`; its situations (id, label).
    UnknownSituation {
        matter: String,
        given: String,
        choices: Vec<(String, String)>,
    },
    /// Words naming no material; the materials of the selected situations
    /// (number, name, catalogue id).
    Materials {
        problems: Vec<MaterialProblem>,
        choices: Vec<(usize, String, Option<String>)>,
    },
    /// A control character in a typed value (the message names it).
    ControlChar {
        field: &'static str,
        message: String,
    },
    /// Characters the print font lacks.
    RareChars(Vec<Rare>),
    EmptyApplicant,
    /// 收件日期 that is no date, or after the notice's day.
    BadReceived {
        value: String,
        today: String,
    },
    /// A value too long for its field on the notice.
    TooLong {
        field: &'static str,
        value: String,
    },
    /// The project has no settings.
    NoSettings,
    /// The number pattern has `{hall}` but no hall is named.
    NoHall,
    /// The output path is refused (`why`); `not_done` says what was not
    /// done (没有登记, 没有重印).
    OutputRefused {
        why: String,
        not_done: &'static str,
    },
    /// The temporary file beside the target could not be written.
    WriteFailed {
        dir: String,
        not_done: &'static str,
        source: std::io::Error,
    },
    /// Recorded, but the PDF could not be put in place: reprint it.
    NotSaved {
        number: String,
        path: PathBuf,
        source: std::io::Error,
    },
    /// A reprint that could not be written.
    ReprintFailed {
        path: String,
        source: std::io::Error,
    },
    /// Words naming none (or several) of the materials a notice told;
    /// what it told.
    NotTold {
        problems: Vec<MaterialProblem>,
        told: Vec<String>,
    },
    /// 已补正 while told materials were never brought.
    StillMissing {
        number: String,
        missing: Vec<String>,
    },
    /// A visit after the application was accepted.
    AlreadyAccepted {
        number: String,
        at: String,
    },
    /// The register's answer.
    Register(RegisterError),
    /// Fonts, layout or the PDF writer failed.
    Internal(anyhow::Error),
}

/// How a [`NoticeError`] ends the command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The notice (or visit) asked for is not in the register.
    NotFound,
    /// The clerk can put it right (a typo, a path, the clock).
    Usage,
    /// A failure of the tool or the store.
    Internal,
}

impl NoticeError {
    pub fn kind(&self) -> Kind {
        use NoticeError::*;
        match self {
            Register(RegisterError::NotFound { .. } | RegisterError::Ambiguous { .. }) => {
                Kind::NotFound
            }
            Register(e) if e.is_refusal() => Kind::Usage,
            Register(_) | NoSettings | WriteFailed { .. } | NotSaved { .. } => Kind::Internal,
            ReprintFailed { .. } | Internal(_) => Kind::Internal,
            _ => Kind::Usage,
        }
    }
}

impl From<RegisterError> for NoticeError {
    fn from(e: RegisterError) -> Self {
        NoticeError::Register(e)
    }
}

impl fmt::Display for NoticeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use NoticeError::*;
        match self {
            Clock(why) => f.write_str(why),
            UnknownMatter { id } => write!(f, "没有 id 为 `{id}` 的事项"),
            UnknownMember(why) => f.write_str(why),
            UnknownSituation {
                matter,
                given,
                choices,
            } => {
                write!(
                    f,
                    "事项“{matter}”没有情形 `{}`。可选的情形：",
                    visible(given)
                )?;
                for (id, label) in choices {
                    write!(f, "\n  {id}\t{label}")?;
                }
                Ok(())
            }
            Materials { problems, choices } => {
                for p in problems {
                    writeln!(f, "{p}")?;
                }
                f.write_str("本事项在所选情形下的材料：")?;
                for (n, name, id) in choices {
                    match id {
                        Some(id) => write!(f, "\n  {n:>2}  {name}（{id}）")?,
                        None => write!(f, "\n  {n:>2}  {name}")?,
                    }
                }
                Ok(())
            }
            ControlChar { message, .. } => f.write_str(message),
            RareChars(rare) => {
                for r in rare {
                    let chars: Vec<String> = r
                        .chars
                        .iter()
                        .map(|c| format!("“{c}”（U+{:04X}）", *c as u32))
                        .collect();
                    writeln!(
                        f,
                        "{}“{}”里的字符{}印刷字体里没有，印出来会是空框；没有打印，也没有登记。",
                        r.field,
                        r.value,
                        chars.join("、")
                    )?;
                }
                f.write_str(
                    "请手写补全，或在 guide.yaml 的 booklet.fonts.fallback 里指定包含这些字的字体（如 Noto Sans CJK）",
                )
            }
            EmptyApplicant => f.write_str("申请人姓名不能为空"),
            BadReceived { value, today } => write!(
                f,
                "收件日期“{}”应写成 年-月-日，且不晚于告知日期 {today}；没有打印，也没有登记",
                visible(value)
            ),
            TooLong { field, value } => write!(
                f,
                "{field}“{value}”太长，告知单上写不下（会被截断）；没有打印，也没有登记。请写简称，或手写补全"
            ),
            NoSettings => f.write_str("缺少 guide.yaml"),
            NoHall => f.write_str(
                "guide.yaml 里的告知单编号格式含有 {hall}（每个大厅各自编号），但没有写本大厅的名称：请加 --hall 名称，或在 guide.yaml 的 register.hall 写上；没有登记",
            ),
            OutputRefused { why, not_done } => write!(f, "{why}。{not_done}"),
            WriteFailed { dir, not_done, .. } => {
                write!(f, "无法在 {dir} 写入告知单，{not_done}")
            }
            NotSaved {
                number,
                path,
                source,
            } => write!(
                f,
                "已登记 {}，但无法保存为 {}（{source}）",
                number,
                visible(&path.display().to_string())
            ),
            ReprintFailed { path, .. } => write!(f, "无法写入 {path}"),
            NotTold { problems, told } => {
                for p in problems {
                    writeln!(f, "{p}")?;
                }
                f.write_str("这张告知单告知补正的材料：")?;
                for (i, name) in told.iter().enumerate() {
                    write!(f, "\n  {:>2}  {}", i + 1, visible(name))?;
                }
                Ok(())
            }
            StillMissing { number, missing } => write!(
                f,
                "告知单 {} 告知的{}还没有带来，不能记为已补正。请用 --brought 写上这次带来的材料，或记为“仍缺”",
                visible(number),
                missing
                    .iter()
                    .map(|m| format!("“{}”", visible(m)))
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            AlreadyAccepted { number, at } => write!(
                f,
                "告知单 {} 已于 {} 记为已受理，不再登记来办",
                visible(number),
                visible(at)
            ),
            Register(e) => write!(f, "{e}"),
            Internal(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for NoticeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        use NoticeError::*;
        match self {
            WriteFailed { source, .. } | ReprintFailed { source, .. } => Some(source),
            Register(e) => e.source(),
            Internal(e) => e.source(),
            _ => None,
        }
    }
}

/// Now in Beijing time (UTC+8, which Xinjiang's offices keep too), from the
/// computer's clock: a notice issued at 07:00 on 1 January belongs to the
/// new year, not the old. A clock that cannot be right is refused.
pub fn now() -> Result<i64, NoticeError> {
    let now = crate::date::clock_unix().ok_or_else(|| {
        NoticeError::Clock(
            "这台电脑的时钟早于 1970 年，显然不对；请先校正日期和时间。没有打印，也没有登记".into(),
        )
    })? + crate::date::BEIJING_OFFSET;
    let today = Date::from_unix(now);
    if today.year < 2000 {
        return Err(NoticeError::Clock(format!(
            "这台电脑的日期是 {today}，显然不对；请先校正日期和时间。没有打印，也没有登记"
        )));
    }
    Ok(now)
}

/// The material a clerk means by `word`: a catalogue id, a number as `guide
/// show` prints it, an exact name, or a unique part of a name. A `one_of`
/// group is meant by its own name or by any alternative's name or id: the
/// group as a whole is missing.
pub fn find_material<'a>(
    list: &'a [ResolvedMaterial],
    word: &str,
) -> Result<&'a ResolvedMaterial, MaterialProblem> {
    let word = word.trim();
    if let Some(m) = list.iter().find(|m| m.has_id(word)) {
        return Ok(m);
    }
    if let Ok(n) = word.parse::<usize>() {
        return list
            .get(n.wrapping_sub(1))
            .ok_or(MaterialProblem::NoNumber { n });
    }
    // Every name a clerk may type, with the item of `list` it means.
    let mut names: Vec<(&str, Option<&str>)> = Vec::new();
    let mut owner: Vec<usize> = Vec::new();
    for (i, m) in list.iter().enumerate() {
        for x in std::iter::once(m).chain(&m.alternatives) {
            names.push((x.name.as_str(), x.catalogue_id.as_deref()));
            owner.push(i);
        }
    }
    if let Some(i) = names.iter().position(|(n, _)| *n == word) {
        return Ok(&list[owner[i]]);
    }
    // Part of several alternatives' names of one group means that group.
    let mut hits: Vec<usize> = (0..names.len())
        .filter(|&i| names[i].0.contains(word))
        .map(|i| owner[i])
        .collect();
    hits.dedup();
    match hits.as_slice() {
        [one] => Ok(&list[*one]),
        [] => pick(&names, word).map(|i| &list[owner[i]]),
        many => Err(MaterialProblem::Ambiguous {
            word: word.to_owned(),
            names: many.iter().map(|&i| list[i].name.clone()).collect(),
        }),
    }
}

/// Which of `names` (with their ids) `word` means: the exact name, or the
/// only one it is part of.
fn pick(names: &[(&str, Option<&str>)], word: &str) -> Result<usize, MaterialProblem> {
    if let Some(i) = names.iter().position(|(n, _)| *n == word) {
        return Ok(i);
    }
    let partial: Vec<usize> = (0..names.len())
        .filter(|&i| names[i].0.contains(word))
        .collect();
    match partial.as_slice() {
        [one] => Ok(*one),
        [] => {
            let near = nearest(
                word,
                names
                    .iter()
                    .flat_map(|(n, id)| std::iter::once(*n).chain(*id)),
            );
            Err(MaterialProblem::Unknown {
                word: word.to_owned(),
                near: near.first().map(|n| n.to_string()),
            })
        }
        many => Err(MaterialProblem::Ambiguous {
            word: word.to_owned(),
            names: many.iter().map(|&i| names[i].0.to_owned()).collect(),
        }),
    }
}

/// `m` as the register keeps it, with the reason it must be corrected (empty
/// for a missing material).
fn told(m: &ResolvedMaterial, reason: &str) -> Told {
    Told {
        name: m.name.clone(),
        requirement: crate::present::requirement(m),
        detail: crate::present::told_detail(m).unwrap_or_default(),
        reason: reason.to_owned(),
    }
}

/// A notice's PDF in a temporary file beside its target.
type Saved = (tempfile::NamedTempFile, PathBuf);

/// A notice checked and ready to be numbered: everything that can be
/// refused is refused before the register is even opened.
pub struct Draft<'a> {
    project: &'a Project,
    guide: &'a Guide,
    missing: Vec<ResolvedMaterial>,
    defects: Vec<(ResolvedMaterial, String)>,
    fonts: std::sync::Arc<FontSet>,
    settings: NoticeSettings,
    today: Date,
    record: NewNotice,
    /// A 一件事: the optional members chosen (`None`: every member).
    members: Option<Vec<String>>,
    target: Target,
    protect: Vec<PathBuf>,
    received: Option<String>,
}

/// Checks `req` against the matter as it is in `p` (the version in force
/// on the notice's day) and makes the record of the notice issued `now`
/// (Beijing time, see [`now`]). Nothing is written.
pub fn draft<'a>(p: &'a Project, req: &Request, now: i64) -> Result<Draft<'a>, NoticeError> {
    draft_with(p, req, now, None)
}

/// The fonts a notice of `p` lays out with (made once per load of the
/// data by the hall server; see [`crate::render::prepared_fonts`]).
pub use crate::render::prepared_fonts;

/// Like [`draft`], with `fonts` made by [`prepared_fonts`] of `p` (`None`:
/// made now).
pub fn draft_with<'a>(
    p: &'a Project,
    req: &Request,
    now: i64,
    fonts: Option<std::sync::Arc<FontSet>>,
) -> Result<Draft<'a>, NoticeError> {
    let Some(gf) = p.guide(&req.matter) else {
        return Err(NoticeError::UnknownMatter {
            id: req.matter.clone(),
        });
    };
    let g = &gf.guide;
    for s in &req.situations {
        if !g.all_situations().any(|x| &x.id.value == s) {
            return Err(NoticeError::UnknownSituation {
                matter: g.name.value.clone(),
                given: s.clone(),
                choices: g
                    .all_situations()
                    .map(|x| (x.id.value.clone(), x.label.value.clone()))
                    .collect(),
            });
        }
    }
    crate::present::check_members(g, &req.members).map_err(NoticeError::UnknownMember)?;
    let selection = if req.members.is_empty() {
        Selection::Situations(&req.situations)
    } else {
        Selection::Chosen {
            situations: Some(&req.situations),
            members: &req.members,
        }
    };
    let list = materials(g, &p.catalogue, selection);
    let mut missing: Vec<ResolvedMaterial> = Vec::new();
    let mut problems = Vec::new();
    for word in &req.missing {
        match find_material(&list, word) {
            Ok(m) if m.is_produced() => problems.push(MaterialProblem::Produced {
                name: m.name.clone(),
                defect: false,
            }),
            Ok(m) => {
                if !missing.iter().any(|x| x.position == m.position) {
                    missing.push(m.clone());
                }
            }
            Err(e) => {
                // A material of another situation: say which one.
                let all = materials(g, &p.catalogue, Selection::All);
                problems.push(match find_material(&all, word) {
                    Ok(m) if !m.when.is_empty() && !word.chars().all(|c| c.is_ascii_digit()) => {
                        MaterialProblem::OtherSituation {
                            name: m.name.clone(),
                            situations: m
                                .when
                                .iter()
                                .filter_map(|w| g.all_situations().find(|x| &x.id.value == w))
                                .map(|x| (x.label.value.clone(), x.id.value.clone()))
                                .collect(),
                        }
                    }
                    _ => e,
                });
            }
        }
    }
    let mut defects: Vec<(ResolvedMaterial, String)> = Vec::new();
    for (word, reason) in &req.defects {
        match find_material(&list, word) {
            Ok(m) if m.is_produced() => problems.push(MaterialProblem::Produced {
                name: m.name.clone(),
                defect: true,
            }),
            Ok(m) if missing.iter().any(|x| x.position == m.position) => {
                problems.push(MaterialProblem::MissingAndDefective {
                    name: m.name.clone(),
                })
            }
            Ok(m) if reason.trim().is_empty() => problems.push(MaterialProblem::NoReason {
                name: m.name.clone(),
            }),
            Ok(m) => {
                let reason = reason.trim();
                match defects.iter_mut().find(|(x, _)| x.position == m.position) {
                    // Two reasons for one material: both are told.
                    Some((_, r)) if r != reason => {
                        r.push('；');
                        r.push_str(reason);
                    }
                    Some(_) => {}
                    None => defects.push((m.clone(), reason.to_owned())),
                }
            }
            Err(e) => problems.push(e),
        }
    }
    if !problems.is_empty() {
        return Err(NoticeError::Materials {
            problems,
            choices: list
                .iter()
                .enumerate()
                .map(|(i, m)| (i + 1, m.name.clone(), m.catalogue_id.clone()))
                .collect(),
        });
    }
    // In the order the matter lists them, as on the blank notice.
    missing.sort_by_key(|m| m.position);
    defects.sort_by_key(|(m, _)| m.position);

    let typed: [(&'static str, Option<&String>); 5] = [
        ("申请人", Some(&req.applicant)),
        ("经办人", req.clerk.as_ref()),
        ("窗口", req.window.as_ref()),
        ("联系电话", req.phone.as_ref()),
        ("大厅", req.hall.as_ref()),
    ];
    // Before anything else shows them: a control character would act on
    // the terminal, and a direction override print the name backwards.
    for (field, value) in typed {
        if let Some(v) = value
            && let Err(message) = check_typed(field, v)
        {
            return Err(NoticeError::ControlChar { field, message });
        }
    }
    const REASON: &str = crate::present::label::REASON;
    for (_, reason) in &defects {
        if let Err(message) = check_typed(REASON, reason) {
            return Err(NoticeError::ControlChar {
                field: REASON,
                message,
            });
        }
    }
    let fonts = match fonts {
        Some(f) => f,
        None => std::sync::Arc::new(prepared_fonts(p).map_err(NoticeError::Internal)?),
    };
    let rare: Vec<Rare> = typed
        .iter()
        .filter_map(|(field, value)| Some((*field, value.as_ref()?.as_str())))
        .chain(defects.iter().map(|(_, r)| (REASON, r.as_str())))
        .filter_map(|(field, value)| Rare::of(field, value, &fonts))
        .collect();
    if !rare.is_empty() {
        return Err(NoticeError::RareChars(rare));
    }
    if req.applicant.trim().is_empty() {
        return Err(NoticeError::EmptyApplicant);
    }
    for (field, value) in typed {
        if let Some(v) = value
            && !notice::fits_half_field(v, fonts.as_ref())
        {
            return Err(NoticeError::TooLong {
                field,
                value: v.clone(),
            });
        }
    }

    let today = Date::from_unix(now);
    if let Some(r) = &req.received
        && Date::parse(r.trim()).is_none_or(|d| d > today)
    {
        return Err(NoticeError::BadReceived {
            value: r.clone(),
            today: today.to_string(),
        });
    }
    let settings = p
        .config
        .as_ref()
        .map(|c| c.notice_settings())
        .ok_or(NoticeError::NoSettings)?;
    let hall = req
        .hall
        .clone()
        .or_else(|| {
            p.config
                .as_ref()
                .and_then(|c| c.register.as_ref())
                .and_then(|r| r.hall.as_ref())
                .map(|h| h.value.clone())
        })
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty());
    if settings.per_hall() && hall.is_none() {
        return Err(NoticeError::NoHall);
    }
    let sequence = if settings.per_hall() {
        hall.clone().unwrap_or_default()
    } else {
        String::new()
    };
    let record = NewNotice {
        year: today.year,
        matter_id: g.id.value.clone(),
        matter_name: g.name.value.clone(),
        edition: format!("{:016x}", p.content_hash),
        applicant: req.applicant.clone(),
        phone: req.phone.clone(),
        clerk: req.clerk.clone(),
        window: req.window.clone(),
        situations: req
            .situations
            .iter()
            .filter_map(|s| g.all_situations().find(|x| &x.id.value == s))
            .map(|x| x.label.value.clone())
            .collect(),
        missing: missing.iter().map(|m| told(m, "")).collect(),
        defects: defects.iter().map(|(m, r)| told(m, r)).collect(),
        issued_at: crate::date::timestamp(now),
        hall,
        sequence,
    };
    if let Target::File(o) = &req.target {
        check_output(o, Some(&p.root), &req.protect).map_err(|why| NoticeError::OutputRefused {
            why,
            not_done: "没有登记",
        })?;
    }
    Ok(Draft {
        project: p,
        guide: g,
        missing,
        defects,
        fonts,
        settings,
        today,
        record,
        members: (!req.members.is_empty()).then(|| req.members.clone()),
        target: req.target.clone(),
        protect: req.protect.clone(),
        received: req
            .received
            .as_deref()
            .and_then(|r| Date::parse(r.trim()))
            .map(|d| d.to_string()),
    })
}

impl Draft<'_> {
    /// How many materials the notice tells (missing and defective).
    pub fn count(&self) -> usize {
        self.missing.len() + self.defects.len()
    }

    /// Numbers, renders and records the notice in `register` (see the
    /// numbering rule of [`crate::register`]), then puts its PDF in place.
    /// The PDF is written to a temporary file beside its target before the
    /// number is committed, and renamed into place after: a number is
    /// never recorded for a notice that could not be saved.
    pub fn issue(self, register: &dyn Register) -> Result<Issued, NoticeError> {
        let p = self.project;
        let root = Some(p.root.as_path());
        // The PDF of the last render, and its temporary file and target.
        let mut prepared: Option<(Vec<u8>, Option<Saved>, Option<String>)> = None;
        let year = self.today.year;
        let hall = self.record.hall.clone().unwrap_or_default();
        // The sequence number of each number made, for the desk code.
        let seqs = std::cell::RefCell::new(std::collections::HashMap::new());
        let number_for = |seq: u32| {
            let number = self.settings.number_at(&hall, year, seq);
            seqs.borrow_mut().insert(number.clone(), seq);
            number
        };
        let mut render = |number: &str| -> Result<Vec<u8>, crate::register::RenderError> {
            let out = match &self.target {
                Target::File(o) => Some(o.clone()),
                Target::Folder(d) => {
                    let out = d.join(file_name(number));
                    check_output(&out, root, &self.protect).map_err(|why| {
                        NoticeError::OutputRefused {
                            why,
                            not_done: "没有登记",
                        }
                    })?;
                    Some(out)
                }
                Target::Bytes => None,
            };
            let filled = Filled {
                number: Some(number.to_owned()),
                applicant: Some(self.record.applicant.clone()),
                phone: self.record.phone.clone(),
                clerk: self.record.clerk.clone(),
                window: self.record.window.clone(),
                date: Some(self.today.to_string()),
                situations: self.record.situations.clone(),
                members: self.members.clone(),
                defects: self.defects.clone(),
                received: self.received.clone(),
                desk: seqs.borrow().get(number).and_then(|seq| {
                    let whole = self.settings.per_hall().then_some(number);
                    crate::present::desk_link(p, year, *seq, whole)
                }),
            };
            let desk = filled.desk.clone();
            let doc = notice::lay_out(p, self.guide, &self.missing, &filled, self.fonts.as_ref());
            let pdf =
                crate::render::pdf::write(&doc, &self.fonts).map_err(NoticeError::Internal)?;
            let saved = match out {
                Some(out) => Some((write_beside(&out, &pdf, "没有登记")?, out)),
                None => None,
            };
            prepared = Some((pdf.clone(), saved, desk));
            Ok(pdf)
        };
        let notice = register
            .issue(self.record.clone(), &number_for, &mut render)
            .map_err(|e| match e {
                RegisterError::Render(e) => match e.downcast::<NoticeError>() {
                    Ok(e) => *e,
                    Err(e) => NoticeError::Internal(anyhow::anyhow!(e)),
                },
                e => NoticeError::Register(e),
            })?;
        let Some((pdf, saved, desk)) = prepared else {
            return Err(NoticeError::Internal(anyhow::anyhow!(
                "告知单 {} 已登记，却没有生成 PDF",
                notice.number
            )));
        };
        let path = match saved {
            None => None,
            Some((tmp, out)) => {
                let done = match fail_after_commit() {
                    Some(e) => Err(e),
                    None => tmp.persist(&out).map(|_| ()).map_err(|e| e.error),
                };
                if let Err(source) = done {
                    return Err(NoticeError::NotSaved {
                        number: notice.number,
                        path: out,
                        source,
                    });
                }
                Some(out)
            }
        };
        Ok(Issued {
            notice,
            pdf,
            path,
            desk,
        })
    }
}

/// Checks `req` and issues the notice in `register` in one go (see
/// [`draft`] and [`Draft::issue`]).
pub fn issue(
    p: &Project,
    req: &Request,
    now: i64,
    register: &dyn Register,
) -> Result<Issued, NoticeError> {
    draft(p, req, now)?.issue(register)
}

/// Like [`issue`], with `fonts` made by [`prepared_fonts`] of `p`.
pub fn issue_with(
    p: &Project,
    req: &Request,
    now: i64,
    register: &dyn Register,
    fonts: std::sync::Arc<FontSet>,
) -> Result<Issued, NoticeError> {
    draft_with(p, req, now, Some(fonts))?.issue(register)
}

/// Tests only (debug builds): `GUIDE_TEST_FAIL=after-commit` makes saving
/// the PDF fail after its number was recorded.
fn fail_after_commit() -> Option<std::io::Error> {
    #[cfg(debug_assertions)]
    if std::env::var("GUIDE_TEST_FAIL").as_deref() == Ok("after-commit") {
        return Some(std::io::Error::other("测试：保存失败"));
    }
    None
}

/// Writes the archived PDF of the notice a clerk means by `query` to
/// `target` (or `NUMBER.pdf` in the current folder), byte for byte as it
/// was first printed; the notice and where it went.
pub fn reprint(
    register: &dyn Register,
    query: &str,
    target: Option<&Path>,
    root: Option<&Path>,
    protect: &[PathBuf],
) -> Result<(Notice, PathBuf), NoticeError> {
    let n = register.find(query)?;
    let out = target.map_or_else(|| file_name(&n.number), Path::to_path_buf);
    check_output(&out, root, protect).map_err(|why| NoticeError::OutputRefused {
        why,
        not_done: "没有重印",
    })?;
    let pdf = register.pdf(&n.number)?;
    let tmp = write_beside(&out, &pdf, "没有重印")?;
    tmp.persist(&out).map_err(|e| NoticeError::ReprintFailed {
        path: visible(&out.display().to_string()).into_owned(),
        source: e.error,
    })?;
    Ok((n, out))
}

/// A second (or later) visit with a notice, as a clerk records it.
#[derive(Clone, Debug)]
pub struct VisitRequest {
    /// The told materials brought, as the clerk types them: a number as
    /// `guide notice show` prints it, a name, or a unique part of one.
    pub brought: Vec<String>,
    pub outcome: Outcome,
    pub clerk: Option<String>,
    pub window: Option<String>,
}

/// The materials `notice` told (missing, then defective) that none of
/// `visits` brought.
pub fn outstanding<'a>(notice: &'a Notice, visits: &[Visit]) -> Vec<&'a Told> {
    notice
        .record
        .told()
        .filter(|t| {
            !visits
                .iter()
                .any(|v| v.record.brought.iter().any(|b| b == &t.name))
        })
        .collect()
}

/// Records a visit with the notice a clerk means by `query`, at `now`
/// (Beijing time): what was brought (each a material the notice told),
/// and the outcome. 已补正 needs every told material brought by now; a
/// notice already accepted takes no more visits.
pub fn record_visit(
    register: &dyn Register,
    query: &str,
    req: &VisitRequest,
    now: i64,
) -> Result<(Notice, Visit), NoticeError> {
    for (field, value) in [
        ("经办人", req.clerk.as_ref()),
        ("窗口", req.window.as_ref()),
    ] {
        if let Some(v) = value
            && let Err(message) = check_typed(field, v)
        {
            return Err(NoticeError::ControlChar { field, message });
        }
    }
    let n = register.find(query)?;
    let before = register.visits(&n.number)?;
    if let Some(v) = before
        .iter()
        .find(|v| v.record.outcome == Outcome::Accepted)
    {
        return Err(NoticeError::AlreadyAccepted {
            number: n.number.clone(),
            at: v.record.at.clone(),
        });
    }
    let told: Vec<(&str, Option<&str>)> =
        n.record.told().map(|t| (t.name.as_str(), None)).collect();
    let mut brought: Vec<String> = Vec::new();
    let mut problems = Vec::new();
    for word in &req.brought {
        let word = word.trim();
        let found = match word.parse::<usize>() {
            Ok(k) => told
                .get(k.wrapping_sub(1))
                .map(|_| k - 1)
                .ok_or(MaterialProblem::NoNumber { n: k }),
            Err(_) => pick(&told, word),
        };
        match found {
            Ok(i) => {
                let name = told[i].0.to_owned();
                if !brought.contains(&name) {
                    brought.push(name);
                }
            }
            Err(e) => problems.push(e),
        }
    }
    if !problems.is_empty() {
        return Err(NoticeError::NotTold {
            problems,
            told: told.iter().map(|(n, _)| n.to_string()).collect(),
        });
    }
    // In the order the notice told them.
    brought.sort_by_key(|b| told.iter().position(|(n, _)| n == b));
    let visit = NewVisit {
        brought,
        outcome: req.outcome,
        clerk: req.clerk.clone(),
        window: req.window.clone(),
        at: crate::date::timestamp(now),
    };
    if req.outcome == Outcome::Corrected {
        let mut all = before.clone();
        all.push(Visit {
            number: n.number.clone(),
            seq: 0,
            record: visit.clone(),
        });
        let missing: Vec<String> = outstanding(&n, &all)
            .iter()
            .map(|t| t.name.clone())
            .collect();
        if !missing.is_empty() {
            return Err(NoticeError::StillMissing {
                number: n.number.clone(),
                missing,
            });
        }
    }
    let v = register.record_visit(&n.number, visit)?;
    Ok((n, v))
}

/// A file name from a register number (no path separators).
pub fn file_name(number: &str) -> PathBuf {
    let safe: String = number
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
                || crate::register::text::forbidden(c)
            {
                '-'
            } else {
                c
            }
        })
        .collect();
    PathBuf::from(format!("{safe}.pdf"))
}

/// A notice PDF is some tens of KB; a bigger file is not one of ours.
const MAX_NOTICE_BYTES: u64 = 64 << 20;

/// Whether `path` is a notice PDF that guide wrote (producer guide, title
/// 一次性告知单): the only kind of existing file a notice may replace.
/// Read with a size limit.
fn is_notice_pdf(path: &Path) -> bool {
    let Ok(f) = std::fs::File::open(path) else {
        return false;
    };
    if !f
        .metadata()
        .is_ok_and(|m| m.is_file() && m.len() <= MAX_NOTICE_BYTES)
    {
        return false;
    }
    let mut bytes = Vec::new();
    if f.take(MAX_NOTICE_BYTES).read_to_end(&mut bytes).is_err() {
        return false;
    }
    // The producer "guide" as the writer puts it (earlier versions, with
    // printpdf: "guide (" in UTF-16BE hex), the title "一次性告知单 ".
    const PRODUCER: &[u8] = b"/Producer(guide)";
    const OLD_PRODUCER: &[u8] = b"/Producer<FEFF006700750069006400650020";
    const TITLE: &[u8] = b"/Title<FEFF4E006B216027544A77E553550020";
    let has = |m: &[u8]| bytes.windows(m.len()).any(|w| w == m);
    bytes.starts_with(b"%PDF-") && (has(PRODUCER) || has(OLD_PRODUCER)) && has(TITLE)
}

fn dir_of(p: &Path) -> PathBuf {
    p.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf()
}

/// Where a notice may be saved: not over `protect` (the register and its
/// files), not into the guide data under `root` (guide.yaml,
/// materials.yaml, guides/, templates/), and over an existing file only if
/// it is a notice PDF guide wrote (an earlier notice). `Err` is the
/// refusal to print.
pub fn check_output(target: &Path, root: Option<&Path>, protect: &[PathBuf]) -> Result<(), String> {
    let shown = visible(&target.display().to_string()).into_owned();
    if target.is_dir() {
        return Err(format!(
            "“{shown}”是一个文件夹；请写告知单的文件名，例如 {shown}/告知单.pdf"
        ));
    }
    let Some(name) = target.file_name() else {
        return Err(format!("“{shown}”不是一个文件名"));
    };
    let Ok(dir) = std::fs::canonicalize(dir_of(target)) else {
        return Err(format!(
            "没有文件夹 {}：告知单无处保存",
            visible(&dir_of(target).display().to_string())
        ));
    };
    // The file itself, and what a link there points to.
    let mut at = vec![dir.join(name)];
    at.extend(std::fs::canonicalize(target).ok());
    let mut theirs: Vec<PathBuf> = Vec::new();
    for f in protect {
        if let (Ok(d), Some(n)) = (std::fs::canonicalize(dir_of(f)), f.file_name()) {
            theirs.push(d.join(n));
        }
        theirs.extend(std::fs::canonicalize(f).ok());
    }
    if at.iter().any(|p| theirs.contains(p)) {
        return Err(format!(
            "{shown} 是告知单登记簿（或它旁边的 -wal、-shm 等文件），不能用来保存告知单；请换一个文件名"
        ));
    }
    if let Some(root) = root.and_then(|r| std::fs::canonicalize(r).ok()) {
        for p in &at {
            let Ok(rel) = p.strip_prefix(&root) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/").to_lowercase();
            let first = rel.split('/').next().unwrap_or_default();
            if matches!(rel.as_str(), "guide.yaml" | "materials.yaml")
                || matches!(first, "guides" | "templates")
            {
                return Err(format!(
                    "{shown} 在指南数据里（guide.yaml、materials.yaml、guides/、templates/），不能用来保存告知单；请换一个文件名或文件夹"
                ));
            }
        }
    }
    if std::fs::symlink_metadata(target).is_ok() && !is_notice_pdf(target) {
        return Err(format!(
            "{shown} 已经存在，而且不是 guide 生成的告知单 PDF，不会覆盖它；请换一个文件名"
        ));
    }
    Ok(())
}

/// `pdf` in a new temporary file beside `target`, flushed to disk; renamed
/// into place once the notice is recorded (or removed if it is not).
fn write_beside(
    target: &Path,
    pdf: &[u8],
    not_done: &'static str,
) -> Result<tempfile::NamedTempFile, NoticeError> {
    let dir = dir_of(target);
    let write = || -> std::io::Result<tempfile::NamedTempFile> {
        let mut b = tempfile::Builder::new();
        b.prefix(".guide-notice-").suffix(".pdf.part");
        // As an ordinary new file (the umask applies), not private to the
        // clerk's account: a print service may need to read it.
        #[cfg(unix)]
        b.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        let mut tmp = b.tempfile_in(&dir)?;
        tmp.write_all(pdf)?;
        tmp.as_file().sync_all()?;
        Ok(tmp)
    };
    write().map_err(|source| NoticeError::WriteFailed {
        dir: visible(&dir.display().to_string()).into_owned(),
        not_done,
        source,
    })
}
