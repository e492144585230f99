use std::{path::PathBuf, time::Duration};

use crate::{
    commands::plan::{check_or_fail, make_plan, show, Baseline, PlanInput},
    state::{self, Lock, State, STATE_VERSION},
    ExitStatus,
};

/// Test-only: milliseconds `apply` sleeps after writing the new state to its temporary
/// file and before renaming it into place, so a test can kill it mid-write.
const PAUSE_VARIABLE: &str = "VPCE_TEST_APPLY_PAUSE_MS";

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub plan: PlanInput,
    /// The state file to compare with and record into (created if missing)
    #[arg(long, value_name = "FILE")]
    pub state: PathBuf,
}

pub fn run(args: Args) -> ExitStatus {
    let checked = match check_or_fail(&args.plan.input, "applied") {
        Ok(checked) => checked,
        Err(status) => return status,
    };
    // Held until this function returns; the lock file is removed then.
    let _lock = match Lock::acquire(&args.state) {
        Ok(lock) => lock,
        Err(error) => {
            eprintln!("vpce: error: {error}");
            return ExitStatus::Error;
        }
    };
    let previous = match state::read(&args.state) {
        Ok(previous) => previous,
        Err(error) => {
            eprintln!("vpce: error: {error}");
            return ExitStatus::Error;
        }
    };
    let serial = previous.as_ref().map_or(0, |s| s.serial);
    let exists = previous.is_some();
    let baseline = Baseline::State {
        path: args.state.clone(),
        state: previous,
    };
    let planned = match make_plan(&args.plan, &checked, baseline) {
        Ok(planned) => planned,
        Err(status) => return status,
    };
    if let Err(status) = show(&args.plan, &planned) {
        return status;
    }
    let summary = planned.plan.summary();
    let shown = args.state.display();
    if exists && !summary.has_changes() {
        eprintln!("vpce: no changes; the state `{shown}` stays at serial {serial}");
        return ExitStatus::Success;
    }
    let serial = match state::next_serial(&args.state, serial) {
        Ok(serial) => serial,
        Err(error) => {
            eprintln!("vpce: error: {error}");
            return ExitStatus::Error;
        }
    };
    let state = State {
        version: STATE_VERSION,
        serial,
        vpce_version: env!("CARGO_PKG_VERSION").to_string(),
        snapshot: planned.plan.simulation,
    };
    let pause = std::env::var(PAUSE_VARIABLE)
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map(Duration::from_millis);
    if let Err(error) = state::write(&args.state, &state, pause) {
        eprintln!("vpce: error: {error}; the previous state was left untouched");
        return ExitStatus::Error;
    }
    eprintln!(
        "vpce: applied (simulated, nothing was sent to AWS): {} added, {} changed, {} replaced, {} destroyed; the state `{shown}` is at serial {}",
        summary.create, summary.update, summary.replace, summary.delete, state.serial
    );
    ExitStatus::Success
}
