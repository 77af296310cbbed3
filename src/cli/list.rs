//! `guide list`: every matter, one line each (a 一件事 with what it
//! covers).

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
    // One order everywhere: the booklet's and the site's categories.
    let categories = p.categories();
    let rows: Vec<_> = categories
        .iter()
        .filter(|(c, _)| args.category.as_deref().is_none_or(|want| want == *c))
        .flat_map(|(_, list)| list.iter().map(|g| &g.guide))
        .collect();
    if rows.is_empty()
        && let Some(c) = &args.category
    {
        let names: Vec<&str> = categories.iter().map(|(n, _)| *n).collect();
        eprintln!("没有分类“{c}”。现有分类：{}", names.join("、"));
        return Ok(super::EXIT_USAGE);
    }
    let mut out = String::new();
    for g in rows {
        out.push_str(&format!(
            "{}\t{}\t{}\t{}",
            g.id.value, g.name.value, g.category.value, g.department.value
        ));
        // A 一件事 says what it covers, as its notice and page do.
        if let Some(line) = crate::present::members_line(g, None) {
            out.push('\t');
            out.push_str(&line);
        }
        out.push('\n');
    }
    print!("{}", crate::diag::terminal_safe(&out));
    Ok(EXIT_OK)
}
