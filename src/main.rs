//! `guide`: parse arguments, run the command, map the outcome to an exit code
//! (0 ok, 1 invalid guides, 2 usage, 3 internal failure).

use std::process::ExitCode;

fn main() -> ExitCode {
    // Help, version and usage errors are printed in Chinese by `zh`.
    let cli = match guide::cli::zh::parse() {
        Ok(cli) => cli,
        Err(code) => return ExitCode::from(code),
    };
    match guide::cli::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) if e.is::<guide::load::NotAProject>() => {
            eprintln!("错误：{e}");
            ExitCode::from(guide::cli::EXIT_USAGE)
        }
        Err(e) => {
            eprintln!("错误：{e}");
            for cause in e.chain().skip(1) {
                eprintln!("  原因：{cause}");
            }
            ExitCode::from(guide::cli::EXIT_INTERNAL)
        }
    }
}
