//! `guide list`: every matter, one line each.

use super::EXIT_OK;
use std::path::Path;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 只列出这个分类
    #[arg(long)]
    pub category: Option<String>,
}

pub fn run(project: Option<&Path>, args: Args) -> anyhow::Result<u8> {
    let p = match super::load_valid(project)? {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let mut rows: Vec<_> = p
        .guides
        .iter()
        .map(|g| &g.guide)
        .filter(|g| {
            args.category
                .as_ref()
                .is_none_or(|c| &g.category.value == c)
        })
        .collect();
    rows.sort_by(|a, b| (&a.category.value, &a.id.value).cmp(&(&b.category.value, &b.id.value)));
    if rows.is_empty()
        && let Some(c) = &args.category
    {
        let mut cats: Vec<&str> = p
            .guides
            .iter()
            .map(|g| g.guide.category.value.as_str())
            .collect();
        cats.sort();
        cats.dedup();
        eprintln!("没有分类“{c}”。现有分类：{}", cats.join("、"));
        return Ok(super::EXIT_USAGE);
    }
    let mut out = String::new();
    for g in rows {
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\n",
            g.id.value, g.name.value, g.category.value, g.department.value
        ));
    }
    print!("{}", crate::diag::terminal_safe(&out));
    Ok(EXIT_OK)
}
