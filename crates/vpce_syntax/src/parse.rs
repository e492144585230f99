use std::panic::{catch_unwind, AssertUnwindSafe};

use vpce_diagnostics::{Code, Diagnostic, FileId, Span};

use crate::{
    ast::{Body, Expr},
    lower::Lowerer,
};

/// Larger files are refused: hcl-edit needs about 40× the input in memory and parses
/// large object literals quadratically.
pub const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;

/// Parses one file. Never fails: on a syntax error the body is `None` and the
/// diagnostic points at the byte where parsing stopped. A body can come with
/// diagnostics too (HCL that hcl-edit accepts but the language does not).
///
/// hcl-edit recurses once per nesting level; callers run this on a thread with a large
/// stack (the driver uses 64 MiB), which covers hcl-edit's nesting cap of 64 levels.
pub fn parse_file(file: FileId, text: &str) -> (Option<Body>, Vec<Diagnostic>) {
    let whole = Span::new(file, 0, text.len());
    match parse_tree(file, text) {
        Ok(body) => {
            let lowerer = Lowerer::new(file, text);
            let body = lowerer.file_body(body, whole);
            (Some(body), lowerer.diagnostics.into_inner())
        }
        Err(diagnostic) => (None, vec![*diagnostic]),
    }
}

/// Parses one file into hcl-edit's tree, which keeps comments and whitespace (for
/// `vpce fmt`), with the same limits and syntax diagnostics as [`parse_file`].
pub fn parse_tree(file: FileId, text: &str) -> Result<hcl_edit::structure::Body, Box<Diagnostic>> {
    if text.len() > MAX_FILE_BYTES {
        let diagnostic = Diagnostic::new(
            Code::SyntaxError,
            format!(
                "file is {} bytes, more than the {} MiB vpce reads",
                text.len(),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        )
        .with_label(Span::new(file, 0, 0), "this file is too large")
        .with_help("split the configuration into several `.hcl` files in one directory");
        return Err(Box::new(diagnostic));
    }
    if let Some(at) = crate::prescan::crowded_brace(text) {
        let diagnostic = Diagnostic::new(
            Code::SyntaxError,
            format!(
                "more than {} attributes or keys in one `{{ }}`, more than vpce reads",
                crate::prescan::MAX_ENTRIES
            ),
        )
        .with_label(Span::new(file, at, at + 1), "this block or object")
        .with_help("split it: no network description needs this many entries in one place");
        return Err(Box::new(diagnostic));
    }
    match catch_unwind(AssertUnwindSafe(|| hcl_edit::parser::parse_body(text))) {
        Ok(Ok(body)) => Ok(body),
        Ok(Err(error)) => Err(Box::new(syntax_error(file, text, &error))),
        Err(_) => {
            let diagnostic =
                Diagnostic::new(Code::SyntaxError, "the HCL parser failed on this file")
                    .with_label(Span::new(file, 0, 0), "somewhere in this file")
                    .with_help(
                        "this is a bug in vpce's HCL parser; please report it with the file",
                    );
            Err(Box::new(diagnostic))
        }
    }
}

/// Parses a lone expression, such as the value of `--var name=VALUE` for a list or map
/// variable. Spans are offsets in `text`.
pub fn parse_expression(file: FileId, text: &str) -> Result<Expr, Diagnostic> {
    let whole = Span::new(file, 0, text.len());
    if text.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::new(Code::SyntaxError, "value is too large")
            .with_label(Span::new(file, 0, 0), "this value"));
    }
    match catch_unwind(AssertUnwindSafe(|| hcl_edit::parser::parse_expr(text))) {
        Ok(Ok(expr)) => {
            let lowerer = Lowerer::new(file, text);
            let expr = lowerer.expr(&expr, whole);
            match lowerer.diagnostics.into_inner().into_iter().next() {
                Some(diagnostic) => Err(diagnostic),
                None => Ok(expr),
            }
        }
        Ok(Err(error)) => Err(syntax_error(file, text, &error)),
        Err(_) => Err(
            Diagnostic::new(Code::SyntaxError, "the HCL parser failed on this value")
                .with_label(whole, "this value"),
        ),
    }
}

fn syntax_error(file: FileId, text: &str, error: &hcl_edit::parser::Error) -> Diagnostic {
    // Slicing at a byte inside a character panics: keep the offset on a boundary.
    let mut offset = error.location().offset().min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let here = Span::new(file, offset, next_char_end(text, offset));
    let message = error.message();

    if message.contains("redefined attribute") {
        let key = identifier_at(text, offset);
        let mut diagnostic = Diagnostic::new(
            Code::SyntaxError,
            format!("attribute `{key}` is defined twice"),
        )
        .with_label(
            Span::new(file, offset, offset + key.len().max(1)),
            "defined again here",
        );
        if let Some(first) = earlier_definition(text, offset, key) {
            diagnostic = diagnostic.with_label(
                Span::new(file, first, first + key.len()),
                "first defined here",
            );
        }
        return diagnostic.with_help("remove one of the two definitions");
    }

    let mut diagnostic = Diagnostic::new(Code::SyntaxError, describe(message, text, offset))
        .with_label(here, label_for(text, offset));
    if let Some(hint) = hint(message, text, offset) {
        diagnostic = diagnostic.with_help(hint);
    }
    diagnostic
}

/// hcl-edit's message is `expected A, B or C`; keep it but say what was found.
fn describe(message: &str, text: &str, offset: usize) -> String {
    let message = message.trim();
    let found = match text[offset..].chars().next() {
        None => "the end of the file".to_string(),
        Some('\n') => "the end of the line".to_string(),
        Some(c) if c.is_whitespace() => "whitespace".to_string(),
        Some(c) => format!("`{c}`"),
    };
    if message.is_empty() {
        format!("invalid HCL: unexpected {found}")
    } else {
        format!("invalid HCL: {message}, found {found}")
    }
}

fn label_for(text: &str, offset: usize) -> &'static str {
    if text[offset..].trim().is_empty() {
        "the file ends here"
    } else {
        "parsing stopped here"
    }
}

/// Hints where hcl-edit's message misleads.
fn hint(message: &str, text: &str, offset: usize) -> Option<String> {
    let before = text[..offset].trim_end();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = &before[line_start..];
    let words: Vec<&str> = line.split_whitespace().collect();
    // `name "value"`: a block header missing its `{` is usually an attribute missing `=`.
    if message.contains('{') && words.len() >= 2 && !line.contains('=') {
        let name = words[0];
        if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Some(format!(
                "an attribute needs `=` between its name and value: `{name} = {}`",
                words[1..].join(" ")
            ));
        }
    }
    if text[offset..].trim().is_empty() {
        let opened = text.matches('{').count();
        let closed = text.matches('}').count();
        if opened > closed {
            return Some("a block is not closed: add the missing `}`".into());
        }
        return Some("the file ends in the middle of an expression".into());
    }
    if message.contains("newline") && text[offset..].starts_with(|c: char| c != '\n') {
        return Some(
            "a block written on one line can hold only one argument; put each argument on its own line"
                .into(),
        );
    }
    None
}

fn next_char_end(text: &str, offset: usize) -> usize {
    text[offset..]
        .chars()
        .next()
        .map_or(offset, |c| offset + c.len_utf8())
}

fn identifier_at(text: &str, offset: usize) -> &str {
    let rest = &text[offset..];
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    &rest[..end]
}

/// The earlier `key =` in the same block: walk back to the block's opening brace,
/// skipping nested blocks, and keep the first definition seen at depth zero.
fn earlier_definition(text: &str, offset: usize, key: &str) -> Option<usize> {
    if key.is_empty() {
        return None;
    }
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut found = None;
    let mut i = offset;
    while i > 0 {
        i -= 1;
        match bytes[i] {
            b'}' => depth += 1,
            b'{' if depth == 0 => break,
            b'{' => depth -= 1,
            // Compared as bytes: `i` may sit inside a multi-byte character of a
            // comment or string between the two definitions.
            _ if depth == 0 && bytes[i..].starts_with(key.as_bytes()) => {
                let starts_word = i == 0 || !is_ident_byte(bytes[i - 1]);
                // `key` is ASCII, so the byte after it is a character boundary.
                let after = &text[i + key.len()..];
                let ends_word = !after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_');
                if starts_word && ends_word && after.trim_start().starts_with('=') {
                    found = Some(i);
                }
            }
            _ => {}
        }
    }
    found
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

#[cfg(test)]
mod tests {
    use super::*;
    use vpce_diagnostics::render::{render_human, HumanOptions};
    use vpce_diagnostics::SourceMap;

    fn render(text: &str) -> String {
        let mut sources = SourceMap::new();
        let file = sources.add("main.hcl", text);
        let (_, diagnostics) = parse_file(file, text);
        render_human(&diagnostics, &sources, &HumanOptions::default())
    }

    #[test]
    fn missing_equals_suggests_an_attribute() {
        insta::assert_snapshot!(render("vpc \"main\" {\n  cidr \"10.0.0.0/16\"\n}\n"));
    }

    #[test]
    fn duplicate_attribute_labels_both_definitions() {
        insta::assert_snapshot!(render(
            "vpc \"main\" {\n  cidr = \"10.0.0.0/16\"\n  ipv6 = true\n  cidr = \"10.1.0.0/16\"\n}\n"
        ));
    }

    #[test]
    fn unclosed_block() {
        insta::assert_snapshot!(render("vpc \"main\" {\n  cidr = \"10.0.0.0/16\"\n"));
    }

    #[test]
    fn parses_blocks_attributes_and_spans() {
        let text = "region = \"eu-west-1\"\nvpc \"main\" { cidr = \"10.0.0.0/16\" }\n";
        let (body, diagnostics) = parse_file(FileId(0), text);
        assert!(diagnostics.is_empty());
        let body = body.unwrap();
        assert_eq!(body.attributes[0].key.name, "region");
        let block = &body.blocks[0];
        assert_eq!(block.kind.name, "vpc");
        assert_eq!(block.labels[0].name, "main");
        let cidr = &block.body.attributes[0].value;
        assert_eq!(
            &text[cidr.span.start as usize..cidr.span.end as usize],
            "\"10.0.0.0/16\""
        );
    }

    #[test]
    fn heredoc_strips_indentation() {
        let text = "x = <<-EOT\n    a\n      b\n    EOT\n";
        let (body, diagnostics) = parse_file(FileId(0), text);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let body = body.unwrap();
        let value = &body.attributes[0].value;
        assert_eq!(value.as_literal_str(), Some("a\n  b\n"));
    }

    #[test]
    fn raw_line_break_in_a_quoted_string() {
        insta::assert_snapshot!(render("vpc \"main\" {\n  cidr = \"10.0.0.0\n/16\"\n}\n"));
    }

    #[test]
    fn oversized_files_are_refused_without_parsing() {
        let text = "#".repeat(MAX_FILE_BYTES + 1);
        let (_, diagnostics) = parse_file(FileId(0), &text);
        assert_eq!(diagnostics[0].code, Code::SyntaxError);
        assert!(diagnostics[0].message.contains("MiB"));
    }
}
