//! Formatting, to be wired to `vpce fmt` once its crate (`vpce_fmt`) is merged.
//!
//! To wire it (the only place to touch besides `Cargo.toml`):
//! 1. in `server.rs`, `capabilities`: `document_formatting_provider: Some(OneOf::Left(true))`;
//! 2. in `server.rs`, `Server::dispatch`, where the comment names this module:
//!    `request::Formatting::METHOD => { let p: DocumentFormattingParams = params(request)?;`
//!    take the document's text (`self.text_of(p.text_document.uri.as_str())`), run
//!    `vpce_fmt::format_source(&text)`, and answer `Some(vec![whole_document_edit(&text,
//!    formatted, self.encoding)])` (or `None` when unchanged, and `None` on a
//!    `FormatError`: a file that does not parse is left as it is, its diagnostics say why).

use lsp_types::TextEdit;

use crate::position::{Encoding, LineIndex};

/// One edit that replaces the whole of `text` with `formatted`.
pub fn whole_document_edit(text: &str, formatted: String, encoding: Encoding) -> TextEdit {
    let index = LineIndex::new(text, encoding);
    TextEdit {
        range: index.range(0, text.len()),
        new_text: formatted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_edit_spans_the_whole_text() {
        let edit = whole_document_edit("a=1\nb = \"é\"", "a = 1\n".into(), Encoding::Utf16);
        assert_eq!(edit.range.start, lsp_types::Position::new(0, 0));
        assert_eq!(edit.range.end, lsp_types::Position::new(1, 7));
    }
}
