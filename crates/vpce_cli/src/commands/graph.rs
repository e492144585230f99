use clap::ValueEnum;

use crate::{
    commands::check::{print_diagnostics, CheckInput},
    ExitStatus,
};

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A Mermaid flowchart (GitHub renders it in Markdown)
    Mermaid,
    /// Graphviz DOT (`dot -Tsvg`)
    Dot,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub input: CheckInput,
    /// Diagram format
    #[arg(long, value_enum, default_value_t = Format::Mermaid)]
    pub format: Format,
}

pub fn run(args: Args) -> ExitStatus {
    let (outcome, ()) = match args.input.check() {
        Ok(result) => result,
        Err(status) => return status,
    };
    if outcome.has_errors() {
        print_diagnostics(&args.input, &outcome);
        eprintln!("vpce: no diagram: the configuration has errors");
        return ExitStatus::Failure;
    }
    let topology = vpce_graph::topology(&outcome.model);
    let text = match args.format {
        Format::Mermaid => vpce_graph::mermaid(&topology, &[]),
        Format::Dot => vpce_graph::dot(&topology),
    };
    print!("{text}");
    ExitStatus::Success
}
