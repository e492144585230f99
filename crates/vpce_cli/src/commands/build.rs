use std::path::PathBuf;

use clap::ValueEnum;
use vpce_emit_cfn::{BuildOptions, Format as TemplateFormat};

use crate::{
    commands::check::{internal_error, print_diagnostics, CheckInput},
    output::write_build,
    ExitStatus,
};

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// CloudFormation JSON
    Json,
    /// CloudFormation YAML with short-form intrinsics (`!Ref`, `!GetAtt`, `!Sub`)
    Yaml,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub input: CheckInput,
    /// The directory to write templates and `manifest.json` into
    #[arg(
        short = 'o',
        long = "output",
        value_name = "DIR",
        default_value = "cfn"
    )]
    pub output: PathBuf,
    /// Template format
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
    /// Name of the stack; with several, each is PREFIX-REGION (plus -VPC where a region
    /// has several stacks)
    #[arg(long, value_name = "NAME", default_value = "vpce")]
    pub stack_prefix: String,
}

pub fn run(args: Args) -> ExitStatus {
    if !valid_stack_name(&args.stack_prefix) {
        eprintln!(
            "vpce: error: `--stack-prefix {}` is not a valid stack name: use letters, digits and `-`, starting with a letter",
            args.stack_prefix
        );
        return ExitStatus::Error;
    }
    if args.output.exists() && !args.output.is_dir() {
        eprintln!(
            "vpce: error: `-o {}` is a file: `-o` takes a directory, into which vpce writes one template per stack and `manifest.json`",
            args.output.display()
        );
        return ExitStatus::Error;
    }
    let (outcome, ()) = match args.input.check() {
        Ok(result) => result,
        Err(status) => return status,
    };
    if outcome.has_errors() {
        print_diagnostics(&args.input, &outcome);
        eprintln!("vpce: nothing was written: the configuration has errors");
        return ExitStatus::Failure;
    }
    if !outcome.diagnostics.is_empty() {
        print_diagnostics(&args.input, &outcome);
    }
    let options = BuildOptions {
        stack_prefix: args.stack_prefix.clone(),
        ..BuildOptions::default()
    };
    let model = match outcome.valid_model() {
        Ok(model) => model,
        Err(status) => return status,
    };
    let build = match vpce_emit_cfn::build(&model, &options) {
        Ok(build) => build,
        Err(error) => return internal_error(error),
    };
    if build.stacks.is_empty() {
        eprintln!(
            "vpce: nothing to build: `{}` creates no resource (objects with `id` or `arn` exist already and are only referenced); nothing was written",
            args.input.path.display()
        );
        return ExitStatus::Success;
    }
    let format = match args.format {
        Format::Json => TemplateFormat::Json,
        Format::Yaml => TemplateFormat::Yaml,
    };
    let files = build.files(format);
    if let Err(error) = write_build(&args.output, &files) {
        eprintln!("vpce: error: {error}");
        return ExitStatus::Error;
    }
    let stacks: Vec<String> = build
        .stacks
        .iter()
        .map(|s| format!("{} ({} resources)", s.name, s.resource_count()))
        .collect();
    println!(
        "vpce: wrote {} stack{} to `{}`: {}",
        build.stacks.len(),
        if build.stacks.len() == 1 { "" } else { "s" },
        args.output.display(),
        stacks.join(", ")
    );
    ExitStatus::Success
}

/// CloudFormation stack names: a letter, then letters, digits and hyphens, at most 128.
fn valid_stack_name(name: &str) -> bool {
    name.len() <= 100
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}
