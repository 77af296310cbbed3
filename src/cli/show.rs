//! `guide show ID [--situation S]… [--member ID]…`: what a clerk or the phone line reads out.

use super::{EXIT_OK, EXIT_USAGE};
use std::path::Path;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 事项 id、名称或别名（见 `guide list`）；名称的一部分也可以，只要只对应一个事项
    pub id: String,
    /// 申请人所属情形（可写多次）
    #[arg(long = "situation", short = 's', value_name = "S")]
    pub situations: Vec<String>,
    /// 一件事：申请人要办的成员事项 id（可写多次；必办的总是包含；不写则列出全部成员）
    #[arg(long = "member", value_name = "ID")]
    pub members: Vec<String>,
}

pub fn run(project: Option<&Path>, mut args: Args) -> anyhow::Result<u8> {
    args.id = match super::find::matter_id(project, &args.id)? {
        Ok(id) => id,
        Err(code) => return Ok(code),
    };
    // Only this matter's file is read: the phone line is not held up by a
    // mistake in another matter.
    let p = match super::load_valid_one(project, &args.id)? {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let Some(gf) = p.guide(&args.id) else {
        super::not_in_force_or_unknown(&p, &args.id);
        return Ok(EXIT_USAGE);
    };
    let g = &gf.guide;
    for s in &args.situations {
        if !g.all_situations().any(|x| &x.id.value == s) {
            eprintln!("事项“{}”没有情形 `{s}`。", g.name.value);
            if g.all_situations().next().is_none() {
                eprintln!("这个事项不分情形，直接 `guide show {}` 即可", g.id.value);
            } else {
                eprintln!("可选的情形：");
                for x in g.all_situations() {
                    eprintln!("  {}\t{}", x.id.value, x.label.value);
                }
            }
            return Ok(EXIT_USAGE);
        }
    }
    if let Err(why) = crate::present::check_members(g, &args.members) {
        eprintln!("{why}");
        return Ok(EXIT_USAGE);
    }
    let members = (!args.members.is_empty()).then_some(args.members.as_slice());
    print!(
        "{}",
        crate::diag::terminal_safe(&crate::render::text::matter(
            &p,
            g,
            &args.situations,
            members
        ))
    );
    Ok(EXIT_OK)
}
