use std::{io::Write, path::PathBuf};

use clap::ValueEnum;
use vpce_diagnostics::{
    render::{render_human as render_diagnostics, HumanOptions as DiagnosticOptions},
    sort_and_dedup, Diagnostic, SourceMap,
};
use vpce_emit_plan::{
    merge_sources,
    render::{render_human, render_markdown, write_json, HumanOptions, Report, ROWS_OF_A_KIND},
    Options, Plan, Previous, Snapshot,
};
use vpce_model::NotValid;

use crate::{
    commands::check::{command_failure, internal_error, print_diagnostics, CheckInput, Checked},
    state::{self, State},
    terminal, ExitStatus,
};

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The plan for people, like `terraform plan`
    Human,
    /// One JSON object (schema: `schemas/plan-output.schema.json`), for tools
    Json,
    /// Markdown for a pull-request comment
    Markdown,
}

/// What `plan` and `apply` share.
#[derive(Debug, clap::Args)]
pub struct PlanInput {
    #[command(flatten)]
    pub input: CheckInput,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// GB a month processed by each interface and gateway load balancer endpoint, to add
    /// the data charge to the cost estimate (at most 1000000000, an exabyte)
    #[arg(long, value_name = "GB", value_parser = clap::value_parser!(u64).range(0..=1_000_000_000))]
    pub traffic_gb: Option<u64>,
    /// List every row of the human plan. Without it, a section with more than 50 rows of
    /// one kind (resources of one type and action, paths of one verdict, network
    /// interfaces, ...) lists the first 50 and counts the rest. JSON and Markdown plans
    /// always list every row
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub plan: PlanInput,
    /// Compare with the state `vpce apply` recorded in FILE (a missing file: nothing
    /// deployed yet)
    #[arg(long, value_name = "FILE", conflicts_with = "against")]
    pub state: Option<PathBuf>,
    /// Compare with an older version of the configuration (a file or directory), such as
    /// the pull request's base; it takes the same `--var` and `--var-file`
    #[arg(long, value_name = "OLD_PATH")]
    pub against: Option<PathBuf>,
}

/// What the plan is compared with, read from disk.
pub enum Baseline {
    Nothing,
    State {
        path: PathBuf,
        state: Option<State>,
    },
    Config {
        path: PathBuf,
        checked: Box<Checked>,
        /// Its simulation, made on the thread that checked it.
        simulated: Box<Snapshot>,
    },
}

/// Checks the configuration; on errors prints them as `build` does and returns the
/// failure status.
pub fn check_or_fail(input: &CheckInput, what: &str) -> Result<Checked, ExitStatus> {
    let (checked, ()) = input.check()?;
    free_of_errors(input, checked, what)
}

fn free_of_errors(input: &CheckInput, checked: Checked, what: &str) -> Result<Checked, ExitStatus> {
    if checked.has_errors() {
        print_diagnostics(input, &checked);
        eprintln!("vpce: nothing was {what}: the configuration has errors");
        return Err(ExitStatus::Failure);
    }
    Ok(checked)
}

/// Checks the configuration and, for `--against`, the older one beside it on a second
/// thread: the two are independent, so on two cores the older one adds no wall time.
/// Both are read from disk first, in this order (either may be standard input). What
/// is reported, and in which order, is as if they were checked one after the other:
/// the new configuration's failure first, then the older one's.
fn check_with_old(input: &CheckInput, against: PathBuf) -> Result<(Checked, Baseline), ExitStatus> {
    let new = input.load().map_err(command_failure)?;
    let old_input = CheckInput {
        path: against.clone(),
        vars: input.vars.clone(),
        var_files: input.var_files.clone(),
        verbose: false,
        color: input.color,
    };
    let old = old_input.load();
    let (checked, old) = std::thread::scope(|scope| {
        // The older configuration is simulated there too when it has no errors (the
        // simulation assumes none).
        let old = old.map(|old| {
            scope.spawn(|| {
                old.check().map(|checked| {
                    // A model with errors is not valid: nothing to simulate.
                    let simulated = checked
                        .outcome
                        .valid_model()
                        .map(|model| vpce_emit_plan::simulate(&model));
                    (checked, simulated)
                })
            })
        });
        let checked = new.check();
        let old = old.and_then(|worker| {
            worker
                .join()
                .unwrap_or_else(|_| Err("vpce: internal error: the check of the older configuration panicked; this is a bug in vpce, please report it with the input".into()))
        });
        (checked, old)
    });
    let checked = free_of_errors(input, checked.map_err(command_failure)?, "planned")?;
    let (old, simulated) = old.map_err(command_failure)?;
    Ok((checked, old_baseline(against, old, simulated)?))
}

/// The older configuration of `--against` as a baseline: it must be free of errors. It
/// is checked by every rule, not only resolved: the plan simulates it with the same
/// emitter and reachability as the new one, and those rely on what the rules guarantee
/// (a load balancer's listener protocol, a remote network's gateway kind, ...). The
/// rules are about 2% of a `plan --against`'s time (perf, 10,000 endpoints).
fn old_baseline(
    path: PathBuf,
    checked: Checked,
    simulated: Result<Snapshot, NotValid>,
) -> Result<Baseline, ExitStatus> {
    let simulated = match simulated {
        Ok(simulated) => simulated,
        Err(missing @ NotValid::MissingFacts(_)) => return Err(internal_error(missing)),
        Err(NotValid::Errors { .. }) => {
            let errors: Vec<Diagnostic> = checked
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .cloned()
                .collect();
            let sources = checked.sources.with_prefix(&checked.display_prefix);
            eprint!(
                "{}",
                render_diagnostics(&errors, &sources, &DiagnosticOptions::default())
            );
            eprintln!(
            "vpce: error: the configuration to compare against, `{}`, has errors: fix them or compare with another version",
            path.display()
        );
            return Err(ExitStatus::Error);
        }
    };
    Ok(Baseline::Config {
        path,
        checked: Box::new(checked),
        simulated: Box::new(simulated),
    })
}

/// A plan with everything needed to show it.
pub struct Planned {
    pub plan: Plan,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: SourceMap,
    pub against: Option<String>,
    pub serial: Option<u64>,
}

pub fn make_plan(
    input: &PlanInput,
    checked: &Checked,
    baseline: Baseline,
) -> Result<Planned, ExitStatus> {
    let model = checked.valid_model()?;
    let options = Options {
        traffic_gb: input.traffic_gb,
    };
    let new_sources = checked.sources.with_prefix(&checked.display_prefix);
    let (plan, sources, against, serial) = match baseline {
        Baseline::Nothing => (
            vpce_emit_plan::plan(&model, Previous::Nothing, &options),
            new_sources,
            None,
            None,
        ),
        Baseline::State { path, state } => {
            let serial = state.as_ref().map(|s| s.serial);
            let previous = match state {
                Some(state) => Previous::State(state.snapshot),
                None => Previous::Nothing,
            };
            let mut plan = vpce_emit_plan::plan(&model, previous, &options);
            // A state that does not exist yet is still what was compared with.
            plan.against = vpce_emit_plan::Against::State;
            (plan, new_sources, Some(path.display().to_string()), serial)
        }
        Baseline::Config {
            path,
            checked: old,
            simulated,
        } => {
            let old_sources = old.sources.with_prefix(&old.display_prefix);
            let (sources, file_offset) = merge_sources(&new_sources, &old_sources);
            let old_model = old.valid_model()?;
            let plan = vpce_emit_plan::plan(
                &model,
                Previous::Config {
                    model: &old_model,
                    file_offset,
                    simulated: Some(*simulated),
                },
                &options,
            );
            (plan, sources, Some(path.display().to_string()), None)
        }
    };
    let mut diagnostics = input.input.shown(&checked.diagnostics);
    // The plan's findings are what a plan is for: shown at every level.
    diagnostics.extend(plan.diagnostics.iter().cloned());
    sort_and_dedup(&mut diagnostics, &sources);
    Ok(Planned {
        plan,
        diagnostics,
        sources,
        against,
        serial,
    })
}

/// Prints the plan in the chosen format to stdout; a closed pipe is a command failure,
/// not the configuration's. JSON is written as it is serialised, never held whole.
pub fn show(input: &PlanInput, planned: &Planned) -> Result<(), ExitStatus> {
    let configuration = input.input.path.display().to_string();
    let report = Report {
        plan: &planned.plan,
        configuration: &configuration,
        against: planned.against.as_deref(),
        serial: planned.serial,
        diagnostics: &planned.diagnostics,
        sources: &planned.sources,
    };
    let text = match input.format {
        Format::Json => {
            let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
            return write_json(&report, &mut stdout)
                .and_then(|_| stdout.flush())
                .map_err(|_| ExitStatus::Error);
        }
        Format::Markdown => render_markdown(&report),
        Format::Human => render_human(
            &report,
            &HumanOptions {
                color: input.input.color.for_stdout(),
                width: terminal::width(),
                rows_of_a_kind: (!input.all).then_some(ROWS_OF_A_KIND),
            },
        ),
    };
    print(&text)
}

/// Prints to stdout; a closed pipe is a command failure, not the configuration's.
pub fn print(text: &str) -> Result<(), ExitStatus> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
        .map_err(|_| ExitStatus::Error)
}

pub fn run(args: Args) -> ExitStatus {
    let checked_and_baseline = match (args.state, args.against) {
        // Read without the lock: `apply` replaces the file by a rename, so a reader sees
        // the old state or the new one, never half of either.
        (Some(path), _) => check_or_fail(&args.plan.input, "planned").and_then(|checked| {
            match state::read(&path) {
                Ok(state) => Ok((checked, Baseline::State { path, state })),
                Err(error) => {
                    eprintln!("vpce: error: {error}");
                    Err(ExitStatus::Error)
                }
            }
        }),
        (None, Some(path)) => check_with_old(&args.plan.input, path),
        (None, None) => {
            check_or_fail(&args.plan.input, "planned").map(|checked| (checked, Baseline::Nothing))
        }
    };
    let (checked, baseline) = match checked_and_baseline {
        Ok(both) => both,
        Err(status) => return status,
    };
    let planned = match make_plan(&args.plan, &checked, baseline) {
        Ok(planned) => planned,
        Err(status) => return status,
    };
    match show(&args.plan, &planned) {
        Ok(()) => ExitStatus::Success,
        Err(status) => status,
    }
}
