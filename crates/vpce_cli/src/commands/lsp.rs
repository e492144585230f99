//! `vpce lsp`: the language server on standard input and output, reading the disk as
//! `vpce check DIR` does.

use std::path::Path;

use vpce_driver::SourceInput;
use vpce_lsp::Workspace;
use vpce_model::FileLoader;

use crate::{
    config::{self, ConfigError, FsLoader},
    ExitStatus,
};

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> ExitStatus {
    let (connection, io_threads) = lsp_server::Connection::stdio();
    let served = vpce_lsp::run(&connection, &Disk);
    // The writer thread ends once every sender is gone.
    drop(connection);
    let joined = io_threads.join();
    // A broken message ends the reader thread first, so its error says what happened;
    // the loop only saw the connection close.
    match (served, joined) {
        (Ok(()), Ok(())) => ExitStatus::Success,
        (_, Err(error)) => {
            eprintln!("vpce lsp: cannot read the client's messages: {error}");
            ExitStatus::Error
        }
        (Err(error), Ok(())) => {
            eprintln!("vpce lsp: {error}");
            ExitStatus::Error
        }
    }
}

/// The configuration directories on disk, read by `config::load` as `check` reads them.
struct Disk;

impl Workspace for Disk {
    fn config_files(&self, dir: &Path) -> Result<Vec<SourceInput>, String> {
        match config::load(dir, &[], &[]) {
            Ok(config) => Ok(config.input.files),
            // A document being written in a directory with no `*.hcl` file yet.
            Err(ConfigError::Empty { .. }) => Ok(Vec::new()),
            Err(error) => Err(error.to_string()),
        }
    }

    fn loader(&self, dir: &Path) -> Box<dyn FileLoader + Sync + '_> {
        Box::new(FsLoader {
            root: dir.to_path_buf(),
        })
    }
}
