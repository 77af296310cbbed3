//! The command line in Chinese: clap has no Chinese of its own, so its help
//! layout, its built-in `--help`/`--version` texts and its usage errors are
//! replaced here. Parsing itself is clap's.

use super::{Cli, EXIT_OK, EXIT_USAGE};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory, FromArgMatches};

/// Parses the process arguments; on `--help`, `--version` or a usage error
/// prints what clap would have printed, in Chinese, and returns the exit code.
pub fn parse() -> Result<Cli, u8> {
    parse_from(std::env::args_os())
}

/// Like [`parse`] for the given arguments (the first is the program name).
pub fn parse_from<I, T>(args: I) -> Result<Cli, u8>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let matches = command().try_get_matches_from(args);
    match matches.and_then(|m| Cli::from_arg_matches(&m)) {
        Ok(cli) => Ok(cli),
        Err(e) => Err(report(&e)),
    }
}

/// The clap command with Chinese help: headings, the help and version flags,
/// possible and default values written into each argument's own help.
pub fn command() -> Command {
    chinese(Cli::command().disable_help_subcommand(true), true)
}

fn chinese(cmd: Command, top: bool) -> Command {
    let mut cmd = cmd
        .disable_help_flag(true)
        .subcommand_value_name("命令")
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助"),
        );
    if top {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本号"),
        );
    }
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        cmd = cmd.mut_arg(id, values_in_help);
    }
    let template = template(&cmd);
    cmd.help_template(template)
        .mut_subcommands(|sub| chinese(sub, false))
}

/// Writes an argument's possible values and default into its help text, in
/// Chinese, instead of clap's `[possible values: …]` and `[default: …]`.
fn values_in_help(a: Arg) -> Arg {
    let possible: Vec<String> = a
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_owned())
        .collect();
    let default: Vec<String> = a
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    let mut extra = Vec::new();
    // A flag's possible values are just true/false.
    if !possible.is_empty() && a.get_action().takes_values() {
        extra.push(format!("可选：{}", possible.join("、")));
    }
    if !default.is_empty() {
        extra.push(format!("默认：{}", default.join("、")));
    }
    if extra.is_empty() {
        return a;
    }
    let help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
    a.help(format!("{help}（{}）", extra.join("；")))
        .hide_possible_values(true)
        .hide_default_value(true)
}

/// The help layout of `cmd`: only the sections it has, headed in Chinese.
fn template(cmd: &Command) -> String {
    let mut t = String::from("{about-with-newline}\n用法：{usage}\n");
    if cmd.has_subcommands() {
        t.push_str("\n命令：\n{subcommands}\n");
    }
    if cmd.get_positionals().next().is_some() {
        t.push_str("\n参数：\n{positionals}\n");
    }
    t.push_str("\n选项：\n{options}\n{after-help}");
    t
}

/// clap's usage words that the Chinese help should not show.
fn usage_words(s: &str) -> String {
    s.replace("[OPTIONS]", "[选项]")
        .replace("Usage: ", "")
        .replace("Usage:", "")
}

fn string(v: Option<&ContextValue>) -> Option<String> {
    match v? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join("、")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(v) => Some(
            v.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("、"),
        ),
        ContextValue::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The Chinese message of a usage error (without the usage line).
pub fn message(e: &clap::Error) -> String {
    let get = |k| string(e.get(k));
    let arg = get(ContextKind::InvalidArg).unwrap_or_default();
    let value = get(ContextKind::InvalidValue).unwrap_or_default();
    let mut m = match e.kind() {
        ErrorKind::InvalidValue if value.is_empty() => format!("`{arg}` 后面缺少值"),
        ErrorKind::InvalidValue => format!("`{value}` 不是 `{arg}` 可以取的值"),
        ErrorKind::UnknownArgument => format!("没有 `{arg}` 这个选项或参数"),
        ErrorKind::InvalidSubcommand => {
            let sub = get(ContextKind::InvalidSubcommand).unwrap_or_default();
            format!("没有 `{sub}` 这个命令")
        }
        ErrorKind::NoEquals => format!("`{arg}` 的值要用等号连接，例如 `{arg}=值`"),
        ErrorKind::ValueValidation => format!("`{value}` 不是 `{arg}` 的有效值"),
        ErrorKind::TooManyValues => format!("`{arg}` 的值太多：`{value}`"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("`{arg}` 的值个数不对")
        }
        ErrorKind::ArgumentConflict => {
            let prior = get(ContextKind::PriorArg).unwrap_or_default();
            format!("`{arg}` 不能与 `{prior}` 同时使用")
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::MissingSubcommand => "缺少命令".to_owned(),
        ErrorKind::InvalidUtf8 => "参数不是有效的 UTF-8 文字".to_owned(),
        _ => "命令行有误".to_owned(),
    };
    if let Some(valid) = get(ContextKind::ValidValue) {
        m.push_str(&format!("\n可选的值：{valid}"));
    }
    let suggestion = get(ContextKind::SuggestedArg)
        .or_else(|| get(ContextKind::SuggestedSubcommand))
        .or_else(|| get(ContextKind::SuggestedValue));
    if let Some(s) = suggestion {
        m.push_str(&format!("\n你是不是想写 `{s}`？"));
    }
    if let Some(trailing) = get(ContextKind::TrailingArg) {
        m.push_str(&format!(
            "\n如果 `{trailing}` 是一个值而不是选项，请写在 `--` 之后"
        ));
    }
    m
}

/// Prints what `e` stands for and returns the exit code: help and version on
/// stdout (0), a usage error on stderr with the usage line (2).
fn report(e: &clap::Error) -> u8 {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            print!("{}", usage_words(&e.render().to_string()));
            EXIT_OK
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            eprint!("{}", usage_words(&e.render().to_string()));
            EXIT_USAGE
        }
        _ => {
            eprintln!("错误：{}", message(e));
            if let Some(usage) = string(e.get(ContextKind::Usage)) {
                eprintln!("\n用法：{}", usage_words(usage.trim()));
            }
            eprintln!("\n详见 `--help`");
            EXIT_USAGE
        }
    }
}
