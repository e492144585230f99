//! `vpce fmt`: the canonical layout of an HCL file, the one Terraform users know from
//! `terraform fmt` (see `layout.rs` for the rules). Pure: text in, text out; the CLI
//! and the language server read and write the files.
//!
//! Only whitespace changes. The source is parsed first (a file that is not HCL is
//! refused with the parse diagnostic `vpce check` gives); the tokens are laid out, with
//! every quoted string, heredoc and comment copied byte for byte; and the result is
//! parsed again and compared with the source, ignoring whitespace and comments, and
//! token by token. Any difference is a bug, refused as [`FormatError::Bug`]
//! rather than written.

mod layout;
mod lex;

use hcl_edit::{
    expr::{Array, FuncArgs, Object},
    structure::Body,
    visit_mut::{self, VisitMut},
};
use vpce_diagnostics::{Diagnostic, FileId};

/// Why a source was not formatted.
#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    /// The source does not parse. The diagnostic's spans are in [`FileId`] 0.
    #[error("{}", .0.message)]
    Syntax(Box<Diagnostic>),
    /// A bug in the formatter (its layout would change a value or a comment, or it
    /// failed): the source must be left as it is.
    #[error("{0}; this is a bug in vpce fmt, so the file is left as it is")]
    Bug(String),
}

/// hcl-edit recurses once per nesting level (up to 64) and needs up to 4 MiB of stack
/// in debug builds, more than a language server's worker threads have.
const STACK_BYTES: usize = 64 * 1024 * 1024;

/// The source in the canonical layout (the same text when it is already canonical).
/// Runs on a thread of its own with a large stack; never panics.
pub fn format_source(source: &str) -> Result<String, FormatError> {
    let failed = |what: &str| FormatError::Bug(format!("the formatter failed ({what})"));
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("vpce-fmt".into())
            .stack_size(STACK_BYTES)
            .spawn_scoped(scope, || {
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| format_here(source)))
            })
            .map_err(|e| failed(&e.to_string()))?
            .join()
            .unwrap_or_else(|_| Ok(Err(failed("it panicked"))))
            .unwrap_or_else(|_| Err(failed("it panicked")))
    })
}

fn format_here(source: &str) -> Result<String, FormatError> {
    let original = vpce_syntax::parse_tree(FileId(0), source).map_err(FormatError::Syntax)?;
    let tokens = lex::tokens(source);
    let formatted = layout::layout(&tokens);
    let reparsed = vpce_syntax::parse_tree(FileId(0), &formatted).map_err(|_| {
        FormatError::Bug("formatting would make the file one that does not parse".into())
    })?;
    if without_layout(original) != without_layout(reparsed) {
        return Err(FormatError::Bug("formatting would change a value".into()));
    }
    // The parse trees leave comments out; the tokens do not.
    if significant(&tokens) != significant(&lex::tokens(&formatted)) {
        return Err(FormatError::Bug("formatting would change a comment".into()));
    }
    Ok(formatted)
}

/// The tokens' text without line ends: what the layout must keep.
fn significant<'s>(tokens: &[lex::Token<'s>]) -> Vec<&'s str> {
    tokens
        .iter()
        .filter(|t| t.kind != lex::Kind::Newline)
        .map(|t| t.text)
        .collect()
}

/// A body with the whitespace and comments hcl-edit keeps inside brackets cleared
/// (its equality already ignores the rest of the decor), so two bodies compare equal
/// exactly when they say the same.
fn without_layout(mut body: Body) -> Body {
    struct ClearTrailing;
    impl VisitMut for ClearTrailing {
        fn visit_array_mut(&mut self, node: &mut Array) {
            node.set_trailing("");
            visit_mut::visit_array_mut(self, node);
        }
        fn visit_object_mut(&mut self, node: &mut Object) {
            node.set_trailing("");
            visit_mut::visit_object_mut(self, node);
        }
        fn visit_func_args_mut(&mut self, node: &mut FuncArgs) {
            node.set_trailing("");
            visit_mut::visit_func_args_mut(self, node);
        }
    }
    ClearTrailing.visit_body_mut(&mut body);
    body
}
