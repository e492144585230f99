use std::path::PathBuf;

use crate::{
    state::{self, Unlocked},
    ExitStatus,
};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The state file whose lock (`FILE.lock`) to remove
    #[arg(long, value_name = "FILE")]
    pub state: PathBuf,
    /// Remove the lock without checking its process: for a lock taken on another host,
    /// or whose process id now belongs to another program
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: Args) -> ExitStatus {
    match state::unlock(&args.state, args.force) {
        Ok(Unlocked::Removed { lock, holder }) => {
            eprintln!(
                "vpce: removed the lock `{}` ({holder}); `vpce apply --state {}` can run again",
                lock.display(),
                args.state.display()
            );
            ExitStatus::Success
        }
        Ok(Unlocked::NotLocked { lock }) => {
            eprintln!(
                "vpce: the state `{}` is not locked (`{}` does not exist)",
                args.state.display(),
                lock.display()
            );
            ExitStatus::Success
        }
        Err(refused) => {
            eprintln!("vpce: error: {refused}");
            ExitStatus::Error
        }
    }
}
