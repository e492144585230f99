//! Completion: block kinds at the top level, the attributes a block has not set yet and
//! its nested blocks, enum values, AWS services of the VPC's region, and references of
//! the kinds an attribute takes.

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionParams, CompletionResponse, CompletionTextEdit,
    Documentation, MarkupContent, MarkupKind, TextEdit,
};
use vpce_model::{
    schema::{self, Ty},
    EndpointType, Kind,
};

use crate::{
    hover::service_entry,
    outline::{Attribute, Block, Body},
    schema_docs,
    server::{Cursor, Server},
};

pub fn completion(server: &Server, params: CompletionParams) -> Option<CompletionResponse> {
    let at = &params.text_document_position;
    let cursor = server.cursor(&at.text_document.uri, at.position)?;
    let path = cursor.block_path();
    let kinds: Vec<&str> = path.iter().map(|b| b.kind.text.as_str()).collect();
    let attributes = cursor.attributes_here();
    let prefix_start = prefix_start(&cursor.text, cursor.offset);
    let line_start = cursor.text[..prefix_start].rfind('\n').map_or(0, |i| i + 1);
    let before = &cursor.text[line_start..prefix_start];
    let in_string = before.ends_with('"');
    let value_of = attributes
        .iter()
        .find(|a| {
            a.key.end <= prefix_start
                && prefix_start <= a.value_end.max(line_end(&cursor.text, a.key.end))
        })
        .filter(|a| a.key.start >= line_start || before.contains('['));
    let mut items = Vec::new();
    match value_of {
        Some(attribute) => value_items(
            server,
            &cursor,
            &kinds,
            path.last().copied(),
            attribute,
            in_string,
            &mut items,
        ),
        None if before.trim().is_empty() => key_items(&kinds, attributes, &mut items),
        None => {}
    }
    let index = cursor.index(server.encoding);
    let range = index.range(prefix_start, cursor.offset);
    for item in &mut items {
        let new_text = item
            .insert_text
            .take()
            .unwrap_or_else(|| item.label.clone());
        item.text_edit = Some(CompletionTextEdit::Edit(TextEdit { range, new_text }));
    }
    Some(CompletionResponse::Array(items))
}

/// Where the word being typed starts: names, dots and dashes (`ecr.api`, `vpc.ma`).
fn prefix_start(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    text[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        .last()
        .map_or(offset, |(i, _)| i)
}

fn line_end(text: &str, from: usize) -> usize {
    text[from..].find('\n').map_or(text.len(), |i| from + i)
}

fn key_items(kinds: &[&str], set: &[Attribute], items: &mut Vec<CompletionItem>) {
    if kinds.is_empty() {
        for keyword in schema::block_keywords() {
            items.push(CompletionItem {
                label: keyword.to_string(),
                kind: Some(CompletionItemKind::CLASS),
                detail: Some("block".into()),
                ..CompletionItem::default()
            });
        }
    }
    for spec in schema_docs::attributes_of(kinds).unwrap_or(&[]) {
        if set.iter().any(|a| a.key.text == spec.name) {
            continue;
        }
        let requirement = if spec.required {
            "required"
        } else {
            "optional"
        };
        items.push(CompletionItem {
            label: spec.name.to_string(),
            kind: Some(CompletionItemKind::FIELD),
            detail: Some(format!("{}, {requirement}", spec.ty.describe())),
            documentation: schema_docs::hover(kinds, spec.name).map(markdown),
            insert_text: Some(format!("{} = ", spec.name)),
            // Required attributes first.
            sort_text: Some(format!("{}{}", u8::from(!spec.required), spec.name)),
            ..CompletionItem::default()
        });
    }
    for nested in schema_docs::nested_blocks_of(kinds) {
        items.push(CompletionItem {
            label: nested.to_string(),
            kind: Some(CompletionItemKind::CLASS),
            detail: Some(format!("nested block of `{}`", kinds[0])),
            sort_text: Some(format!("2{nested}")),
            ..CompletionItem::default()
        });
    }
}

fn value_items(
    server: &Server,
    cursor: &Cursor,
    kinds: &[&str],
    block: Option<&Block>,
    attribute: &Attribute,
    in_string: bool,
    items: &mut Vec<CompletionItem>,
) {
    let name = attribute.key.text.as_str();
    let Some(spec) = schema_docs::spec(kinds, name) else {
        return;
    };
    let quote = |value: &str| {
        if in_string {
            value.to_string()
        } else {
            format!("\"{value}\"")
        }
    };
    for value in schema_docs::enum_values(spec.ty) {
        items.push(CompletionItem {
            label: value.to_string(),
            kind: Some(CompletionItemKind::ENUM_MEMBER),
            insert_text: Some(quote(value)),
            ..CompletionItem::default()
        });
    }
    let takes_services = matches!(
        (kinds, name),
        (["endpoint"], "service") | (["expect"], "to")
    );
    if takes_services {
        let region = block.and_then(|b| region_of(server, cursor, b));
        let endpoint_type = block
            .and_then(|b| b.body.attributes.iter().find(|a| a.key.text == "type"))
            .and_then(|a| a.string_value.as_ref())
            .map(|w| w.text.as_str());
        for service in vpce_data::services() {
            if region.as_deref().is_some_and(|r| !service.available_in(r)) {
                continue;
            }
            let fits = match endpoint_type.and_then(EndpointType::from_name) {
                Some(EndpointType::Gateway) => service.gateway,
                Some(EndpointType::Interface) => service.interface,
                _ => true,
            };
            if !fits {
                continue;
            }
            items.push(CompletionItem {
                label: service.name.clone(),
                kind: Some(CompletionItemKind::VALUE),
                detail: region.as_deref().map(|r| service.service_name(r)),
                documentation: Some(markdown(service_entry(service))),
                insert_text: Some(quote(&service.name)),
                ..CompletionItem::default()
            });
        }
    }
    if in_string || matches!(spec.ty, Ty::String | Ty::Enum(_) | Ty::Bool | Ty::Number) {
        return;
    }
    for kind in schema_docs::reference_kinds(spec.ty) {
        for (object, for_each) in declared(server, cursor, *kind) {
            let label = format!("{}.{object}", kind.keyword());
            items.push(CompletionItem {
                detail: Some(if for_each {
                    format!("`{}` with for_each: add `[KEY]`", kind.keyword())
                } else {
                    format!("`{}` block", kind.keyword())
                }),
                kind: Some(CompletionItemKind::REFERENCE),
                insert_text: Some(label.clone()),
                label,
                ..CompletionItem::default()
            });
        }
    }
}

/// The names of the `KIND` blocks of the document's configuration, in order, and
/// whether each repeats with `for_each`.
fn declared(server: &Server, cursor: &Cursor, kind: Kind) -> Vec<(String, bool)> {
    let mut names: Vec<(String, bool)> = Vec::new();
    let mut visit = |outline: &Body| {
        for block in &outline.blocks {
            if block.kind.text != kind.keyword() {
                continue;
            }
            if let Some(name) = block.label() {
                if !names.iter().any(|(n, _)| n == name) {
                    let repeats = block
                        .body
                        .attributes
                        .iter()
                        .any(|a| a.key.text == "for_each");
                    names.push((name.to_string(), repeats));
                }
            }
        }
    };
    visit(&cursor.outline);
    for sibling in server.siblings(&cursor.uri) {
        visit(&sibling.outline);
    }
    names
}

/// The region of an endpoint's VPC (its `region`, else the top-level one), when written
/// as literals.
fn region_of(server: &Server, cursor: &Cursor, block: &Block) -> Option<String> {
    let outlines: Vec<&Body> = std::iter::once(&cursor.outline)
        .chain(server.siblings(&cursor.uri).map(|f| &f.outline))
        .collect();
    let vpc = block
        .body
        .attributes
        .iter()
        .find(|a| a.key.text == "vpc")
        .and_then(|a| {
            let reference = cursor.text.get(a.value_start..a.value_end)?.trim();
            reference.strip_prefix("vpc.").map(str::to_string)
        });
    let literal = |attributes: &[Attribute], key: &str| {
        attributes
            .iter()
            .find(|a| a.key.text == key)
            .and_then(|a| a.string_value.as_ref())
            .map(|w| w.text.clone())
    };
    let vpc_region = vpc.and_then(|name| {
        outlines.iter().find_map(|outline| {
            let vpc = outline
                .blocks
                .iter()
                .find(|b| b.kind.text == "vpc" && b.label() == Some(name.as_str()))?;
            literal(&vpc.body.attributes, "region")
        })
    });
    vpc_region.or_else(|| {
        outlines
            .iter()
            .find_map(|o| literal(&o.attributes, "region"))
    })
}

fn markdown(value: String) -> Documentation {
    Documentation::MarkupContent(MarkupContent {
        kind: MarkupKind::Markdown,
        value,
    })
}
