//! `vpce`: the command line. The only crate that reads files, the environment and the
//! terminal, prints, and chooses exit codes.

mod allocator;
mod atomic;
mod commands;
mod config;
mod output;
mod state;
mod terminal;
mod usage;

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

/// Exit status, as README.md documents it.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// No errors.
    Success = 0,
    /// The configuration has errors (or warnings under `--deny warnings`).
    Failure = 1,
    /// The command itself could not run: bad flag, unreadable file.
    Error = 2,
}

#[derive(Debug, Parser)]
#[command(
    name = "vpce",
    version,
    about = "A compiler for AWS PrivateLink infrastructure: checks VPC endpoints, endpoint services and the network around them",
    after_help = "Examples:\n  vpce check examples/quickstart\n  vpce check network/ --format json --var env=prod\n  vpce build network/ -o cfn --format yaml\n  vpce plan network/ --against base/network/\n  vpce apply network/ --state vpce.state.json\n  vpce unlock --state vpce.state.json\n  vpce fmt --check .\n  vpce explain V203\n\nExit status: 0 no errors, 1 the configuration has errors, 2 the command could not run."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check a configuration against every rule and report what is wrong
    #[command(
        after_help = "Examples:\n  vpce check main.hcl\n  vpce check network/                       # every *.hcl file in the directory\n  vpce check network/ --var env=prod --var-file prod.vars\n  vpce check network/ --format json > findings.json"
    )]
    Check(commands::check::Args),
    /// Compile a configuration into CloudFormation templates and a deployment manifest
    #[command(
        after_help = "Examples:\n  vpce build network/                      # JSON templates in ./cfn\n  vpce build network/ -o out --format yaml\n\n`-o` takes a directory: vpce replaces the previous build in it in one step (templates the\nnew manifest no longer lists go; files vpce did not write stay). Nothing is written when\nthe configuration has errors."
    )]
    Build(commands::build::Args),
    /// Show what deploying the configuration would do: changes and why, creation waves,
    /// simulated ids, addresses and DNS names, reachability, expectations and cost
    #[command(
        after_help = "Examples:\n  vpce plan network/                              # everything is created\n  vpce plan network/ --state vpce.state.json      # against what `vpce apply` recorded\n  vpce plan network/ --against base/network/      # against an older configuration\n  vpce plan network/ --against base/ --format markdown > comment.md\n\nExit status as `check`: 1 when the configuration has errors (a failed `expect` is one)."
    )]
    Plan(commands::plan::Args),
    /// Record the simulated deployment in a state file, printing the plan it records
    /// (vpce does not call AWS: deploy the templates of `vpce build`)
    #[command(
        after_help = "Examples:\n  vpce apply network/ --state vpce.state.json\n\nThe state is written atomically (through a symlink, to its target) and locked\n(`FILE.lock`) against a second apply; a lock left by a killed apply is removed with\n`vpce unlock --state FILE`. A corrupt state, one from a newer vpce, or one that is not a\nregular file of at most 256 MiB is refused and left untouched."
    )]
    Apply(commands::apply::Args),
    /// Draw the configuration's topology: regions, VPCs, subnets by AZ, route tables and
    /// their next hops, endpoints, endpoint services and the links between them
    #[command(
        after_help = "Examples:\n  vpce graph network/                       # Mermaid, for Markdown\n  vpce graph network/ --format dot | dot -Tsvg > network.svg"
    )]
    Graph(commands::graph::Args),
    /// Rewrite `.hcl` files in the canonical layout (`terraform fmt`'s): two-space
    /// indents, aligned `=`, one blank line between blocks, comments kept
    #[command(
        after_help = "Examples:\n  vpce fmt network/                  # every *.hcl file under network/, rewritten in place\n  vpce fmt --check .                 # CI: name unformatted files, exit 1 if any\n  vpce fmt --diff main.hcl           # show the changes (and make them)\n  vpce fmt --check --diff network/   # show the changes, write nothing\n  vpce fmt - < main.hcl              # standard input to standard output\n\nA directory is searched recursively (module directories included), skipping hidden\ndirectories and symlinked ones. Files are replaced atomically; a file that does not\nparse is reported as `vpce check` reports it and left as it is.\n\nExit status: 0 done (or, with --check, nothing to change), 1 with --check: a file is\nnot formatted, 2 a file could not be read, parsed or written."
    )]
    Fmt(commands::fmt::Args),
    /// Remove the lock a killed `vpce apply` left on a state file, once its process is gone
    #[command(
        after_help = "Examples:\n  vpce unlock --state vpce.state.json\n  vpce unlock --state vpce.state.json --force   # a lock taken on another host\n\nThe lock (`FILE.lock`) names the pid, host and start time of the apply that took it.\nIt is removed when that process no longer runs on this host; while it runs, or when it\nwas taken on another host, vpce refuses unless `--force` is given."
    )]
    Unlock(commands::unlock::Args),
    /// Print the documentation of a rule: what it checks, why, and how to fix it
    #[command(
        after_help = "Examples:\n  vpce explain V203\n  vpce explain subnet-overlap\n  vpce explain                # list every rule"
    )]
    Explain(commands::explain::Args),
    /// Run the language server on standard input and output, for editors: diagnostics as
    /// you type, hover, go to definition, completion and document symbols
    #[command(
        after_help = "Editors start it themselves; README.md shows the set-up for VS Code, Neovim and Helix.\n\nEach open file is checked with the other *.hcl files of its directory, as\n`vpce check DIR` checks them, with unsaved edits in place of what is on disk."
    )]
    Lsp(commands::lsp::Args),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    #[command(
        after_help = "Examples:\n  vpce completions bash > ~/.local/share/bash-completion/completions/vpce\n  vpce completions zsh > \"${fpath[1]}/_vpce\"\n  vpce completions fish > ~/.config/fish/completions/vpce.fish\n  vpce completions powershell >> $PROFILE"
    )]
    Completions(commands::completions::Args),
}

fn main() -> ExitCode {
    allocator::configure();
    std::panic::set_hook(Box::new(|info| {
        eprintln!("vpce: internal error: {info}\nThis is a bug in vpce; please report it with the command and input that caused it.");
    }));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let error = usage::with_format_tip(error);
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() {
                ExitStatus::Error as u8
            } else {
                0
            });
        }
    };
    // A bug must still end as a clear error with exit 2, never Rust's 101: the hook
    // above has printed what happened, and outputs are only ever written whole.
    let status = std::panic::catch_unwind(move || match cli.command {
        Command::Check(args) => commands::check::run(args),
        Command::Build(args) => commands::build::run(args),
        Command::Plan(args) => commands::plan::run(args),
        Command::Apply(args) => commands::apply::run(args),
        Command::Unlock(args) => commands::unlock::run(args),
        Command::Explain(args) => commands::explain::run(args),
        Command::Graph(args) => commands::graph::run(args),
        Command::Fmt(args) => commands::fmt::run(args),
        Command::Lsp(args) => commands::lsp::run(args),
        Command::Completions(args) => commands::completions::run(args, Cli::command()),
    })
    .unwrap_or(ExitStatus::Error);
    ExitCode::from(status as u8)
}
