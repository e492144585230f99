//! `vpce lsp`: a language server for vpce configurations over the Language Server
//! Protocol (lsp-server's synchronous connection, so the same loop runs on stdio and on
//! an in-memory connection in tests).
//!
//! Each open file is checked together with the other `*.hcl` files of its directory, as
//! `vpce check DIR` checks them, with the editor's unsaved text in place of what is on
//! disk (`vpce_driver::overlay`); a file of a module's directory is checked in the
//! configuration above that calls it (`callers`). Everything that reads the disk comes through
//! [`Workspace`], which `vpce_cli` implements: this crate touches no file itself.

mod callers;
mod completion;
mod definition;
mod diagnostics;
pub mod formatting;
mod hover;
pub mod outline;
pub mod position;
mod schema_docs;
mod server;
mod symbols;
pub mod workspace;

pub use server::run;
pub use workspace::{MemoryWorkspace, Workspace};
