//! Go to definition: a reference (`vpc.main`, `subnet.a.id`, `var.x`, `local.y`,
//! `module.m.OUT`, `subnet.app["a"]`) to the block or attribute that defines it, and a
//! `module` block's `source` to the module directory's first file.

use lsp_types::{GotoDefinitionParams, GotoDefinitionResponse, Location, Uri};
use vpce_model::Kind;

use crate::{
    callers::called_dir,
    hover::string_value_at,
    outline::{self, Body, Word},
    position::LineIndex,
    server::{file_uri, Cursor, Server, UnitKey},
};

pub fn definition(server: &Server, params: GotoDefinitionParams) -> Option<GotoDefinitionResponse> {
    let at = &params.text_document_position_params;
    let cursor = server.cursor(&at.text_document.uri, at.position)?;
    let (uri, text, start, end) =
        module_source(server, &cursor).or_else(|| reference_target(server, &cursor))?;
    let index = LineIndex::new(&text, server.encoding);
    Some(GotoDefinitionResponse::Scalar(Location {
        uri: uri.parse::<Uri>().ok()?,
        range: index.range(start, end),
    }))
}

/// Where a definition is: the file's URI and text, and the range to select.
type Target = (String, std::sync::Arc<str>, usize, usize);

/// The segments of the reference around the cursor: `module.m.OUT` gives
/// `["module", "m", "OUT"]`; index brackets (`["a"]`, `[0]`) are skipped.
pub(crate) fn reference_at(text: &str, offset: usize) -> Vec<String> {
    let is_ref = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.');
    let bytes = text.as_bytes();
    let offset = offset.min(bytes.len());
    let mut start = offset;
    while start > 0 && (is_ref(bytes[start - 1]) || bytes[start - 1] == b']') {
        if bytes[start - 1] == b']' {
            // Back over the index, to its `[`.
            match text[..start].rfind('[') {
                Some(open) => start = open,
                None => break,
            }
        } else {
            start -= 1;
        }
    }
    let mut end = offset;
    while end < bytes.len() && (is_ref(bytes[end]) || bytes[end] == b'[') {
        if bytes[end] == b'[' {
            // Over the index, past its `]`.
            match text[end..].find(']') {
                Some(close) => end += close + 1,
                None => break,
            }
        } else {
            end += 1;
        }
    }
    let mut segments = Vec::new();
    let mut current = String::new();
    let mut i = start;
    while i < end {
        match bytes[i] {
            b'.' => segments.push(std::mem::take(&mut current)),
            b'[' => {
                segments.push(std::mem::take(&mut current));
                i = text[i..end].find(']').map_or(end, |close| i + close);
            }
            byte => current.push(byte as char),
        }
        i += 1;
    }
    segments.push(current);
    segments.retain(|s| !s.is_empty());
    segments
}

fn reference_target(server: &Server, cursor: &Cursor) -> Option<Target> {
    let segments = reference_at(&cursor.text, cursor.offset);
    let (root, name) = (segments.first()?.as_str(), segments.get(1)?.as_str());
    let files = unit_files(server, cursor);
    match root {
        "local" => files.iter().find_map(|(uri, text, outline)| {
            outline
                .blocks
                .iter()
                .filter(|b| b.kind.text == "locals")
                .flat_map(|b| &b.body.attributes)
                .find(|a| a.key.text == name)
                .map(|a| word_target(uri, text, &a.key))
        }),
        "module" => {
            let (uri, text, block) = find_block(&files, "module", name)?;
            match segments.get(2) {
                Some(output) => module_output(server, cursor, block, output)
                    .or_else(|| Some(label_target(uri, text, block))),
                None => Some(label_target(uri, text, block)),
            }
        }
        "var" => find_block(&files, "variable", name).map(|(u, t, b)| label_target(u, t, b)),
        kind if Kind::from_keyword(kind).is_some() => {
            find_block(&files, kind, name).map(|(u, t, b)| label_target(u, t, b))
        }
        _ => None,
    }
}

/// The current document and its siblings: (URI, text, outline).
type UnitView<'a> = Vec<(&'a str, std::sync::Arc<str>, std::borrow::Cow<'a, Body>)>;

fn unit_files<'a>(server: &'a Server, cursor: &'a Cursor) -> UnitView<'a> {
    let mut files: UnitView = vec![(
        cursor.uri.as_str(),
        std::sync::Arc::clone(&cursor.text),
        std::borrow::Cow::Borrowed(&cursor.outline),
    )];
    for sibling in server.siblings(&cursor.uri) {
        files.push((
            &sibling.uri,
            std::sync::Arc::clone(&sibling.text),
            std::borrow::Cow::Borrowed(&sibling.outline),
        ));
    }
    files
}

fn find_block<'a>(
    files: &'a UnitView,
    kind: &str,
    name: &str,
) -> Option<(&'a str, &'a std::sync::Arc<str>, &'a outline::Block)> {
    files.iter().find_map(|(uri, text, outline)| {
        outline
            .blocks
            .iter()
            .find(|b| b.kind.text == kind && b.label() == Some(name))
            .map(|b| (*uri, text, b))
    })
}

fn label_target(uri: &str, text: &std::sync::Arc<str>, block: &outline::Block) -> Target {
    let word = block.labels.first().unwrap_or(&block.kind);
    (
        uri.to_string(),
        std::sync::Arc::clone(text),
        word.start,
        word.end,
    )
}

fn word_target(uri: &str, text: &std::sync::Arc<str>, word: &Word) -> Target {
    (
        uri.to_string(),
        std::sync::Arc::clone(text),
        word.start,
        word.end,
    )
}

/// The `.hcl` files of the directory a `module` block calls, relative to the unit's
/// root: the directory of the cursor's document, or the configuration that calls it as
/// a module (so a module's `source = "../sibling"` is found, as the driver finds it).
fn module_files(
    server: &Server,
    cursor: &Cursor,
    source: &str,
) -> Option<(std::path::PathBuf, Vec<String>)> {
    let own_dir = crate::server::directory_of(&cursor.uri)?;
    let root = match server.unit_key(&cursor.uri) {
        UnitKey::Directory(root) => root,
        UnitKey::Alone(_) => own_dir.clone(),
    };
    let caller_dir = crate::server::relative_name(own_dir.strip_prefix(&root).ok()?)?;
    let dir = called_dir(&caller_dir, source)?;
    let files = server.workspace.loader(&root).hcl_files(&dir).ok()?;
    Some((root, files))
}

fn module_output(
    server: &Server,
    cursor: &Cursor,
    block: &outline::Block,
    output: &str,
) -> Option<Target> {
    let source = block
        .body
        .attributes
        .iter()
        .find(|a| a.key.text == "source")?
        .string_value
        .as_ref()?;
    let (root, files) = module_files(server, cursor, &source.text)?;
    let loader = server.workspace.loader(&root);
    files.iter().find_map(|name| {
        let uri = file_uri(&root.join(name))?;
        let text: std::sync::Arc<str> = match server.text_of(&uri) {
            Some(open) => open,
            None => loader.load(name).ok()?.into(),
        };
        let outline = outline::scan(&text);
        let block = outline
            .blocks
            .iter()
            .find(|b| b.kind.text == "output" && b.label() == Some(output))?;
        let label = block.labels.first()?;
        Some((uri, std::sync::Arc::clone(&text), label.start, label.end))
    })
}

fn module_source(server: &Server, cursor: &Cursor) -> Option<Target> {
    let (kinds, attribute) = string_value_at(cursor)?;
    if kinds != ["module"] || attribute.key.text != "source" {
        return None;
    }
    let source = attribute.string_value.as_ref()?;
    let (root, files) = module_files(server, cursor, &source.text)?;
    let first = files.first()?;
    let uri = file_uri(&root.join(first))?;
    let text = server.text_of(&uri).unwrap_or_else(|| "".into());
    Some((uri, text, 0, 0))
}

#[cfg(test)]
mod tests {
    use super::reference_at;

    #[test]
    fn reference_segments_around_the_cursor() {
        let text = "  subnets = [subnet.app[\"a\"].id, module.net.vpc_id]\n";
        let at = |needle: &str| text.find(needle).unwrap() + 1;
        assert_eq!(reference_at(text, at("app")), ["subnet", "app", "id"]);
        assert_eq!(reference_at(text, at(".id,")), ["subnet", "app", "id"]);
        assert_eq!(
            reference_at(text, at("module.net") + 7),
            ["module", "net", "vpc_id"]
        );
        assert!(reference_at(text, 0).is_empty());
    }
}
