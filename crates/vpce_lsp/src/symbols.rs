//! Document symbols: every block with its kind and name, nested blocks inside their
//! block, and the names a `locals` block defines.

use lsp_types::{DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse, SymbolKind};

use crate::{outline::Block, position::LineIndex, server::Server};

pub fn document_symbols(
    server: &Server,
    params: DocumentSymbolParams,
) -> Option<DocumentSymbolResponse> {
    let text = server.text_of(params.text_document.uri.as_str())?;
    let outline = crate::outline::scan(&text);
    let index = LineIndex::new(&text, server.encoding);
    Some(DocumentSymbolResponse::Nested(
        outline.blocks.iter().map(|b| symbol(b, &index)).collect(),
    ))
}

#[allow(deprecated)] // `deprecated` is a required field of the struct.
fn symbol(block: &Block, index: &LineIndex) -> DocumentSymbol {
    let kind = block.kind.text.as_str();
    let label = block.label();
    // The name a reference uses where there is one (`vpc.main`, `var.env`).
    let name = match (kind, label) {
        ("variable", Some(label)) => format!("var.{label}"),
        (_, Some(label)) if kind != "output" && kind != "expect" => format!("{kind}.{label}"),
        (_, Some(label)) => format!("{kind} \"{label}\""),
        (_, None) => kind.to_string(),
    };
    let symbol_kind = match kind {
        "variable" => SymbolKind::VARIABLE,
        "locals" => SymbolKind::NAMESPACE,
        "module" => SymbolKind::MODULE,
        "output" => SymbolKind::PROPERTY,
        "expect" => SymbolKind::EVENT,
        _ if label.is_none() => SymbolKind::STRUCT,
        _ => SymbolKind::OBJECT,
    };
    let header_end = block.labels.last().map_or(block.kind.end, |l| l.end);
    let mut children: Vec<DocumentSymbol> =
        block.body.blocks.iter().map(|b| symbol(b, index)).collect();
    if kind == "locals" {
        for attribute in &block.body.attributes {
            children.push(DocumentSymbol {
                name: format!("local.{}", attribute.key.text),
                detail: None,
                kind: SymbolKind::VARIABLE,
                tags: None,
                deprecated: None,
                range: index.range(
                    attribute.key.start,
                    attribute.value_end.max(attribute.key.end),
                ),
                selection_range: index.range(attribute.key.start, attribute.key.end),
                children: None,
            });
        }
    }
    DocumentSymbol {
        name,
        detail: Some(kind.to_string()),
        kind: symbol_kind,
        tags: None,
        deprecated: None,
        range: index.range(block.start, block.end),
        selection_range: index.range(block.kind.start, header_end),
        children: (!children.is_empty()).then_some(children),
    }
}
