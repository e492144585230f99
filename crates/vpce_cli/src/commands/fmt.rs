//! `vpce fmt`: rewrites files in the canonical layout (`vpce_fmt::format_source`),
//! each atomically, or with `--check` writes nothing and says which would change.

use std::{
    fs,
    io::Write,
    path::{Path, PathBuf},
};

use vpce_diagnostics::{
    render::{render_human, HumanOptions},
    SourceMap,
};
use vpce_fmt::FormatError;

use crate::{
    atomic,
    config::{self, STDIN_NAME},
    terminal::{self, ColorChoice},
    ExitStatus,
};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files and directories to format (a directory: its `*.hcl` files and those of its
    /// subdirectories), or `-` to format standard input onto standard output
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Write nothing: name the files that are not formatted, and exit 1 if there are any
    #[arg(long)]
    pub check: bool,
    /// Print a unified diff of what formatting changes
    #[arg(long)]
    pub diff: bool,
    /// When to colour the diagnostics of files that do not parse
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// What became of one input.
#[derive(PartialEq, Eq)]
enum Outcome {
    Unchanged,
    Changed,
    /// Reported on standard error; nothing was written.
    Failed,
}

pub fn run(args: Args) -> ExitStatus {
    let mut outcomes = Vec::new();
    for path in &args.paths {
        if path == Path::new("-") {
            outcomes.push(standard_input(&args));
            continue;
        }
        match files_under(path) {
            Ok(files) => outcomes.extend(files.iter().map(|file| one_file(&args, file))),
            Err(error) => {
                eprintln!("vpce: error: {error}");
                outcomes.push(Outcome::Failed);
            }
        }
    }
    if outcomes.contains(&Outcome::Failed) {
        ExitStatus::Error
    } else if args.check && outcomes.contains(&Outcome::Changed) {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    }
}

/// `path` itself when it is a file; a directory's `*.hcl` files and those of its
/// subdirectories, sorted, skipping hidden directories (`.git`, `.terraform`) and not
/// following symlinked directories (which could loop).
fn files_under(path: &Path) -> Result<Vec<PathBuf>, config::ConfigError> {
    let shown = path.display().to_string();
    let metadata = fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => config::ConfigError::Missing {
            path: shown.clone(),
        },
        _ => config::ConfigError::Unreadable {
            path: shown.clone(),
            reason: e.to_string(),
        },
    })?;
    if !metadata.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    let mut directories = vec![path.to_path_buf()];
    while let Some(directory) = directories.pop() {
        let unreadable = |e: std::io::Error| config::ConfigError::Unreadable {
            path: directory.display().to_string(),
            reason: e.to_string(),
        };
        let mut entries = fs::read_dir(&directory)
            .map_err(unreadable)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(unreadable)?;
        entries.sort_by_key(|entry| entry.file_name());
        let mut subdirectories = Vec::new();
        for entry in entries {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            if is_dir && !name.starts_with('.') {
                subdirectories.push(entry.path());
            } else if !is_dir && name.ends_with(".hcl") {
                files.push(entry.path());
            }
        }
        // Depth first, in name order.
        directories.extend(subdirectories.into_iter().rev());
    }
    if files.is_empty() {
        return Err(config::ConfigError::Empty { path: shown });
    }
    files.sort();
    Ok(files)
}

fn one_file(args: &Args, path: &Path) -> Outcome {
    let shown = path.display().to_string();
    let Some(source) = text(config::read_limited(path), &format!("`{shown}`")) else {
        return Outcome::Failed;
    };
    let Some(formatted) = formatted(args, &shown, &source) else {
        return Outcome::Failed;
    };
    if formatted == source {
        return Outcome::Unchanged;
    }
    if args.diff {
        print_out(&unified_diff(&shown, &source, &formatted));
    }
    if !args.check {
        if let Err(error) = write(path, &formatted) {
            eprintln!("vpce: error: {error}");
            return Outcome::Failed;
        }
    }
    if !args.diff {
        print_out(&format!("{shown}\n"));
    }
    Outcome::Changed
}

/// `-`: the formatted text on standard output (or, with `--diff`, the diff); with
/// `--check`, only the exit status (and the diff) says whether it would change.
fn standard_input(args: &Args) -> Outcome {
    let Some(source) = text(config::read_stdin(), "standard input") else {
        return Outcome::Failed;
    };
    let Some(formatted) = formatted(args, STDIN_NAME, &source) else {
        return Outcome::Failed;
    };
    if args.diff {
        print_out(&unified_diff(STDIN_NAME, &source, &formatted));
    } else if !args.check {
        print_out(&formatted);
    }
    if formatted == source {
        Outcome::Unchanged
    } else {
        Outcome::Changed
    }
}

/// What was read as text, or `None` after reporting why not.
fn text(read: Result<Vec<u8>, config::ConfigError>, shown: &str) -> Option<String> {
    match read.map(String::from_utf8) {
        Ok(Ok(source)) => Some(source),
        Ok(Err(_)) => {
            eprintln!("vpce: error: cannot read {shown}: it is not valid UTF-8");
            None
        }
        Err(error) => {
            eprintln!("vpce: error: {error}");
            None
        }
    }
}

/// The formatted text, or `None` after reporting why there is none: a file that does
/// not parse gets the diagnostic `vpce check` gives it.
fn formatted(args: &Args, shown: &str, source: &str) -> Option<String> {
    match vpce_fmt::format_source(source) {
        Ok(formatted) => Some(formatted),
        Err(FormatError::Syntax(diagnostic)) => {
            let mut sources = SourceMap::new();
            sources.add(shown, source);
            let options = HumanOptions {
                color: args.color.for_stderr(),
                width: terminal::width(),
            };
            eprint!("{}", render_human(&[*diagnostic], &sources, &options));
            eprintln!("vpce: `{shown}` was not formatted: it does not parse");
            None
        }
        Err(error @ FormatError::Bug(_)) => {
            eprintln!("vpce: error: `{shown}`: {error}");
            None
        }
    }
}

/// Replaces the file atomically, through a symlink to its target, keeping its
/// permissions.
fn write(path: &Path, text: &str) -> Result<(), String> {
    let shown = path.display();
    let real = fs::canonicalize(path).map_err(|e| format!("cannot write `{shown}`: {e}"))?;
    let permissions = fs::metadata(&real)
        .map_err(|e| format!("cannot write `{shown}`: {e}"))?
        .permissions();
    atomic::replace(&real, text, Some(permissions), None)
        .map_err(|(failed, e)| format!("cannot write `{}`: {e}", failed.display()))
}

fn unified_diff(shown: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(shown, shown)
        .to_string()
}

/// Prints to standard output; a closed pipe (`| head`) is not an error of the files.
fn print_out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
}
