//! `vpce fmt`: the canonical layout of an HCL file, the one Terraform users know from
//! `terraform fmt` (see `layout.rs` for the rules). Pure: text in, text out; the CLI
//! and the language server read and write the files.
//!
//! Only whitespace changes. The source is parsed first (a file that is not HCL is
//! refused with the parse diagnostic `vpce check` gives); the tokens are laid out, with
//! every quoted string, heredoc and comment copied byte for byte; and the result is
//! parsed again and compared with the source, ignoring whitespace and comments, and
//! token by token. Any difference is a bug, refused as [`FormatError::WouldChange`]
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
    /// The layout would change what the file says: a bug in the formatter, so the
    /// source must be left as it is.
    #[error(
        "formatting would change {0}; this is a bug in vpce fmt, so the file is left as it is"
    )]
    WouldChange(&'static str),
}

/// The source in the canonical layout (the same text when it is already canonical).
pub fn format_source(source: &str) -> Result<String, FormatError> {
    let original = vpce_syntax::parse_tree(FileId(0), source).map_err(FormatError::Syntax)?;
    let tokens = lex::tokens(source);
    let formatted = layout::layout(&tokens);
    let reparsed = vpce_syntax::parse_tree(FileId(0), &formatted)
        .map_err(|_| FormatError::WouldChange("the file into one that does not parse"))?;
    if without_layout(original) != without_layout(reparsed) {
        return Err(FormatError::WouldChange("a value"));
    }
    // The parse trees leave comments out; the tokens do not.
    if significant(&tokens) != significant(&lex::tokens(&formatted)) {
        return Err(FormatError::WouldChange("a comment"));
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
