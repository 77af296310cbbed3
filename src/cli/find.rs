//! Finding a matter the way a clerk or a caller names it (see
//! [`crate::load::find`]); says why when there is none or several.

use super::EXIT_USAGE;
use crate::load::find::{Found, find, id_with_file};
use std::path::Path;

/// The id of the matter `query` names, or the exit code after saying why
/// there is none (or more than one).
pub fn matter_id(project: Option<&Path>, query: &str) -> anyhow::Result<Result<String, u8>> {
    let root = crate::load::find_root(project)?;
    if id_with_file(&root, query) {
        return Ok(Ok(query.to_owned()));
    }
    // Names need every matter; a mistake in another file is `check`'s
    // business, not a reason to refuse the phone line.
    let (mut p, _) = crate::load::load(&root)?;
    p.in_force(crate::date::Date::today());
    match find(&p.guides, query) {
        Found::One(id) => Ok(Ok(id)),
        Found::Several(list) => {
            eprintln!("“{query}”可能是这几个事项，请写出完整名称或 id：");
            for l in list {
                eprintln!("  {l}");
            }
            Ok(Err(EXIT_USAGE))
        }
        Found::None(near) => {
            if let Found::One(id) = find(&p.future, query) {
                return Ok(Ok(id));
            }
            eprintln!("没有名为“{query}”的事项（按 id、名称和别名查找）");
            if !near.is_empty() {
                eprintln!("你是不是想找：{}", near.join("、"));
            }
            eprintln!("用 `guide list` 查看全部事项");
            Ok(Err(EXIT_USAGE))
        }
    }
}
