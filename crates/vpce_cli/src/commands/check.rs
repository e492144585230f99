use std::{
    io::{IsTerminal, Write},
    path::PathBuf,
};

use clap::ValueEnum;
use vpce_diagnostics::{
    render::{render_github, render_human, render_json, render_sarif, HumanOptions},
    Severity, Summary,
};

use crate::{
    config::{self, FsLoader},
    ExitStatus,
};

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Diagnostics with source excerpts, for people
    Human,
    /// One JSON object with `diagnostics` and `summary`, for tools
    Json,
    /// SARIF 2.1.0, for code scanning (GitHub, GitLab, Azure DevOps)
    Sarif,
    /// GitHub Actions workflow commands that annotate pull-request lines
    Github,
}

/// Findings that fail the check besides errors.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    /// Warnings fail the check too (exit status 1)
    Warnings,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A `.hcl` file, or a directory whose `*.hcl` files form one configuration
    pub path: PathBuf,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Set a variable: `--var env=prod` (repeatable; wins over --var-file)
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// Read variables from a file of `name = value` lines (repeatable; later files win)
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
    /// Also show info-level findings
    #[arg(long)]
    pub verbose: bool,
    /// Fail (exit 1) on warnings as well as errors
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub deny: Option<Deny>,
}

pub fn run(args: Args) -> ExitStatus {
    let config = match config::load(&args.path, &args.var_files, &args.vars) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("vpce: error: {error}");
            return ExitStatus::Error;
        }
    };
    let loader = FsLoader {
        root: config.root.clone(),
    };
    let outcome = match vpce_driver::check(&config.input, &loader) {
        Ok(outcome) => outcome,
        Err(error) => {
            eprintln!("vpce: {error}");
            return ExitStatus::Error;
        }
    };
    let shown: Vec<_> = outcome
        .diagnostics
        .iter()
        .filter(|d| args.verbose || d.severity != Severity::Info)
        .cloned()
        .collect();
    let summary = Summary::of(&outcome.diagnostics);
    let output = match args.format {
        Format::Json => render_json(&shown, &outcome.sources),
        // Code scanning and annotations want paths as the user gave them (repo-relative).
        Format::Sarif => render_sarif(&shown, &outcome.sources.with_prefix(&config.display_prefix)),
        Format::Github => {
            render_github(&shown, &outcome.sources.with_prefix(&config.display_prefix))
        }
        Format::Human => {
            let sources = outcome.sources.with_prefix(&config.display_prefix);
            let options = HumanOptions {
                color: std::io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
                width: std::env::var("COLUMNS")
                    .ok()
                    .and_then(|c| c.parse().ok())
                    .unwrap_or(100),
            };
            let mut text = render_human(&shown, &sources, &options);
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&summary_line(&args.path.display().to_string(), summary));
            text
        }
    };
    let mut stdout = std::io::stdout().lock();
    if stdout
        .write_all(output.as_bytes())
        .and_then(|_| stdout.flush())
        .is_err()
    {
        // A closed pipe (`| head`) is not the configuration's fault.
        return ExitStatus::Error;
    }
    let denied = args.deny == Some(Deny::Warnings) && summary.warnings > 0;
    if summary.errors > 0 || denied {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    }
}

fn summary_line(path: &str, summary: Summary) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    match (summary.errors, summary.warnings) {
        (0, 0) => format!("vpce: `{path}` checked: no problems found\n"),
        (0, w) => format!("vpce: `{path}` checked: {}\n", plural(w, "warning")),
        (e, w) => format!(
            "vpce: `{path}` has {} and {}\n",
            plural(e, "error"),
            plural(w, "warning")
        ),
    }
}
