//! `guide schema`: JSON Schema of the guide file and of `materials.yaml`, with
//! Chinese descriptions, for editors with a YAML language server.

use super::EXIT_OK;
use crate::model::schema::{config_schema, guide_schema, materials_schema};

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Which {
    /// 事项文件 guides/**/*.yaml
    Guide,
    /// 材料目录 materials.yaml
    Materials,
    /// 项目设置 guide.yaml
    Config,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 哪一种文件的 Schema
    #[arg(value_enum, default_value = "guide")]
    pub which: Which,
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    let s = match args.which {
        Which::Guide => guide_schema(),
        Which::Materials => materials_schema(),
        Which::Config => config_schema(),
    };
    println!("{}", serde_json::to_string_pretty(&s)?);
    Ok(EXIT_OK)
}
