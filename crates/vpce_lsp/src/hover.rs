//! Hover: a rule code's page summary, an attribute's type, default and meaning, a
//! service's catalogue entry.

use lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};
use vpce_diagnostics::Code;
use vpce_model::EndpointType;

use crate::{
    outline::Attribute,
    schema_docs,
    server::{Cursor, Server},
};

pub fn hover(server: &Server, params: HoverParams) -> Option<Hover> {
    let at = &params.text_document_position_params;
    let cursor = server.cursor(&at.text_document.uri, at.position)?;
    let (text, range) = rule_code_at(&cursor)
        .or_else(|| attribute_at(&cursor))
        .or_else(|| service_at(&cursor))
        .or_else(|| diagnostic_at(server, &cursor))?;
    let index = cursor.index(server.encoding);
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: text,
        }),
        range: range.map(|(start, end)| index.range(start, end)),
    })
}

type Found = (String, Option<(usize, usize)>);

/// The word around an offset: letters, digits, `_` and `-`.
pub(crate) fn word_at(text: &str, offset: usize) -> (usize, usize) {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let offset = offset.min(text.len());
    let start = text[..floor(text, offset)]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = text[floor(text, offset)..]
        .char_indices()
        .find(|(_, c)| !is_word(*c))
        .map_or(text.len(), |(i, _)| floor(text, offset) + i);
    (start.min(end), end)
}

fn floor(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// A rule's title and the summary its page opens with, up to the examples.
pub(crate) fn rule_summary(code: Code) -> String {
    let page = code.doc_page().unwrap_or("");
    let summary = page.split("\n## Failing example").next().unwrap_or(page);
    if summary.trim().is_empty() {
        return format!(
            "**{}: {}**\n\nSeverity: {}. Not checked yet by this version of vpce.",
            code.as_str(),
            code.name(),
            code.default_severity()
        );
    }
    format!(
        "{}\n\n`vpce explain {}` prints the whole page.",
        summary.trim_end(),
        code.as_str()
    )
}

fn rule_code_at(cursor: &Cursor) -> Option<Found> {
    let (start, end) = word_at(&cursor.text, cursor.offset);
    let word = &cursor.text[start..end];
    let is_code =
        word.len() == 4 && word.starts_with('V') && word[1..].bytes().all(|b| b.is_ascii_digit());
    let code = Code::lookup(word).filter(|_| is_code)?;
    Some((rule_summary(code), Some((start, end))))
}

/// The attribute whose name is under the cursor, with the kinds of its blocks.
pub(crate) fn attribute_key_at(cursor: &Cursor) -> Option<(Vec<&str>, &Attribute)> {
    cursor.attribute_here(|a| a.key.start <= cursor.offset && cursor.offset <= a.key.end)
}

fn attribute_at(cursor: &Cursor) -> Option<Found> {
    let (kinds, attribute) = attribute_key_at(cursor)?;
    let text = schema_docs::hover(&kinds, &attribute.key.text)?;
    Some((text, Some((attribute.key.start, attribute.key.end))))
}

/// The string value under the cursor and its attribute, with the kinds of its blocks.
pub(crate) fn string_value_at(cursor: &Cursor) -> Option<(Vec<&str>, &Attribute)> {
    cursor.attribute_here(|a| {
        a.string_value
            .as_ref()
            .is_some_and(|s| s.start <= cursor.offset && cursor.offset <= s.end)
    })
}

fn service_at(cursor: &Cursor) -> Option<Found> {
    let (kinds, attribute) = string_value_at(cursor)?;
    let is_service = matches!(
        (kinds.as_slice(), attribute.key.text.as_str()),
        (["endpoint"], "service") | (["expect"], "to")
    );
    let value = attribute.string_value.as_ref().filter(|_| is_service)?;
    let short = vpce_data::parse_aws_service_name(&value.text)
        .map_or(value.text.as_str(), |(_, short)| short);
    let service = vpce_data::service(short)?;
    Some((service_entry(service), Some((value.start, value.end))))
}

/// A service's catalogue entry in Markdown.
pub(crate) fn service_entry(service: &vpce_data::Service) -> String {
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    let mut kinds = Vec::new();
    if service.interface {
        kinds.push(EndpointType::Interface.as_str());
    }
    if service.gateway {
        kinds.push(EndpointType::Gateway.as_str());
    }
    let mut text = format!(
        "**`{}`**: AWS service ({} endpoints)\n\n",
        service.name,
        kinds.join(" and ")
    );
    if let Some(dns) = &service.private_dns {
        text.push_str(&format!("- private DNS name: `{dns}`\n"));
    }
    if service.ipv6_known {
        text.push_str(&format!("- IPv6: {}\n", yes_no(service.ipv6)));
    }
    text.push_str(&format!(
        "- cross-region access: {}\n",
        yes_no(service.cross_region)
    ));
    if service.full_access_policy_only {
        text.push_str("- endpoint policies: full access only\n");
    }
    text.push_str(&format!(
        "- regions: {} ({})\n- source: {}",
        service.regions.len(),
        service.regions.join(", "),
        service.source.as_str()
    ));
    text
}

fn diagnostic_at(server: &Server, cursor: &Cursor) -> Option<Found> {
    let index = cursor.index(server.encoding);
    let position = index.position(cursor.offset);
    let found = server
        .published(&cursor.uri)
        .iter()
        .find(|d| d.range.start <= position && position <= d.range.end)?;
    let code = match found.code.as_ref()? {
        lsp_types::NumberOrString::String(code) => Code::lookup(code)?,
        lsp_types::NumberOrString::Number(_) => return None,
    };
    Some((rule_summary(code), None))
}
