use std::{io::Write, path::PathBuf};

use clap::ValueEnum;
use vpce_diagnostics::{
    render::{render_github, render_human, render_json, render_sarif, HumanOptions},
    Diagnostic, Severity, SourceMap, Summary,
};
use vpce_driver::Outcome;

use crate::{
    config::{self, FsLoader},
    terminal::{self, ColorChoice},
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

/// What every command that reads a configuration takes.
#[derive(Debug, clap::Args)]
pub struct CheckInput {
    /// A `.hcl` file, a directory whose `*.hcl` files form one configuration, or `-` to
    /// read one file from standard input
    pub path: PathBuf,
    /// Set a variable: `--var env=prod` (repeatable; wins over --var-file)
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// Read variables from a file of `name = value` lines (repeatable; later files win)
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
    /// Also show info-level findings
    #[arg(long)]
    pub verbose: bool,
    /// When to colour human output
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// A checked configuration and how to show its paths.
pub struct Checked {
    pub outcome: Outcome,
    pub display_prefix: String,
}

impl std::ops::Deref for Checked {
    type Target = Outcome;
    fn deref(&self) -> &Outcome {
        &self.outcome
    }
}

impl Checked {
    /// The model as the backends take it. The caller has refused a configuration with
    /// errors already, so a refusal here is a bug in vpce: reported, exit 2.
    pub fn valid_model(&self) -> Result<vpce_model::ValidModel<'_>, ExitStatus> {
        self.outcome.valid_model().map_err(internal_error)
    }
}

/// Prints why the command could not run; exit status 2.
pub fn command_failure(message: String) -> ExitStatus {
    eprintln!("{message}");
    ExitStatus::Error
}

/// Reports a failure that is vpce's fault, not the configuration's: exit 2.
pub fn internal_error(error: impl std::fmt::Display) -> ExitStatus {
    eprintln!("vpce: internal error: {error}\nThis is a bug in vpce; please report it with the configuration. Nothing was written.");
    ExitStatus::Error
}

impl CheckInput {
    /// Reads and checks the configuration; a command-level failure is printed and
    /// returned as its exit status.
    pub fn check(&self) -> Result<(Checked, ()), ExitStatus> {
        let checked = self
            .load()
            .and_then(Loaded::check)
            .map_err(command_failure)?;
        Ok((checked, ()))
    }

    /// Reads the configuration's files (the part of [`CheckInput::check`] that touches
    /// the file system); a failure is the message to print before exiting with status 2.
    pub fn load(&self) -> Result<Loaded, String> {
        let config = config::load(&self.path, &self.var_files, &self.vars)
            .map_err(|error| format!("vpce: error: {error}"))?;
        Ok(Loaded { config })
    }

    /// The configuration's path as people see it (`<stdin>` for `-`).
    pub fn shown_path(&self) -> String {
        if self.path == std::path::Path::new("-") {
            config::STDIN_NAME.to_string()
        } else {
            self.path.display().to_string()
        }
    }

    /// The diagnostics to show: notes only with `--verbose`.
    pub fn shown(&self, diagnostics: &[Diagnostic]) -> Vec<Diagnostic> {
        diagnostics
            .iter()
            .filter(|d| self.verbose || d.severity != Severity::Info)
            .cloned()
            .collect()
    }
}

/// A configuration read from disk, not yet checked.
pub struct Loaded {
    config: config::Config,
}

impl Loaded {
    /// Parses, resolves and checks it; a failure is the message to print before exiting
    /// with status 2.
    pub fn check(self) -> Result<Checked, String> {
        let config = self.config;
        let bytes: usize = config.input.files.iter().map(|f| f.bytes.len()).sum();
        if bytes >= crate::allocator::LARGE_INPUT {
            crate::allocator::disable_huge_pages();
        }
        let loader = FsLoader {
            root: config.root.clone(),
        };
        let outcome = vpce_driver::check_owned(config.input, &loader)
            .map_err(|error| format!("vpce: {error}"))?;
        Ok(Checked {
            outcome,
            display_prefix: config.display_prefix,
        })
    }
}

fn human(
    input: &CheckInput,
    shown: &[Diagnostic],
    sources: &SourceMap,
    summary: Summary,
    deny: Option<Deny>,
) -> String {
    let options = HumanOptions {
        color: input.color.for_stdout(),
        width: terminal::width(),
    };
    let mut text = render_human(shown, sources, &options);
    if !text.is_empty() {
        text.push('\n');
    }
    text.push_str(&summary_line(&input.shown_path(), summary, deny));
    text
}

/// Prints diagnostics the way `check` does by default (for `build` and `plan`).
pub fn print_diagnostics(input: &CheckInput, checked: &Checked) {
    let shown = input.shown(&checked.diagnostics);
    let sources = checked.sources.with_prefix(&checked.display_prefix);
    let text = human(
        input,
        &shown,
        &sources,
        Summary::of(&checked.diagnostics),
        None,
    );
    print!("{text}");
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub input: CheckInput,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Fail (exit 1) on warnings as well as errors
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub deny: Option<Deny>,
}

pub fn run(args: Args) -> ExitStatus {
    let (checked, ()) = match args.input.check() {
        Ok(checked) => checked,
        Err(status) => return status,
    };
    let shown = args.input.shown(&checked.diagnostics);
    let summary = Summary::of(&checked.diagnostics);
    // Code scanning, annotations and people want paths as given (repo-relative); the
    // JSON output keeps them relative to the configuration, as documented.
    let prefixed = || checked.sources.with_prefix(&checked.display_prefix);
    let output = match args.format {
        Format::Json => render_json(&shown, &checked.sources),
        Format::Sarif => render_sarif(&shown, &prefixed(), std::env::current_dir().ok().as_deref()),
        Format::Github => render_github(&shown, &prefixed()),
        Format::Human => human(&args.input, &shown, &prefixed(), summary, args.deny),
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

/// The closing line: whether the check passed and what it found. Under `--deny
/// warnings`, warnings alone fail the run, and the line says so.
fn summary_line(path: &str, summary: Summary, deny: Option<Deny>) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    match (summary.errors, summary.warnings) {
        (0, 0) => format!("vpce: `{path}` checked: no problems found\n"),
        (0, w) if deny == Some(Deny::Warnings) => format!(
            "vpce: `{path}` failed: {}, denied by `--deny warnings`\n",
            plural(w, "warning")
        ),
        (0, w) => format!("vpce: `{path}` checked: {}\n", plural(w, "warning")),
        (e, w) => format!(
            "vpce: `{path}` has {} and {}\n",
            plural(e, "error"),
            plural(w, "warning")
        ),
    }
}
