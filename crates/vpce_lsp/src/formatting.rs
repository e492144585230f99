//! `textDocument/formatting`: the document's text through `vpce fmt`'s formatter, as one
//! edit of the whole document. A document that does not parse is left as it is (its
//! diagnostics say why), and so is one that is already tidy.

use lsp_types::{DocumentFormattingParams, TextEdit};

use crate::{
    position::{Encoding, LineIndex},
    server::Server,
};

/// The edits that format the document, `None` when there is nothing to change or it
/// cannot be formatted.
pub(crate) fn formatting(
    server: &Server,
    params: DocumentFormattingParams,
) -> Option<Vec<TextEdit>> {
    let document = server.documents.get(params.text_document.uri.as_str())?;
    let formatted = vpce_fmt::format_source(&document.text).ok()?;
    (formatted != document.text).then(|| {
        vec![whole_document_edit(
            &document.text,
            formatted,
            server.encoding,
        )]
    })
}

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
