//! What the language says about a block's attributes: the type and requirement from
//! `vpce_model::schema`, and the default and meaning from the tables of
//! `docs/language.md` (embedded, so the hover says exactly what the reference says).

use vpce_model::schema::{self, AttrSpec, Kind, Ty};

const LANGUAGE_REFERENCE: &str = include_str!("../../../docs/language.md");

/// The attributes a block accepts, from the kinds of its enclosing blocks (outermost
/// first: `["security_group", "ingress"]`); `[]` is the top level. `None` for a block
/// vpce does not know.
pub fn attributes_of(path: &[&str]) -> Option<&'static [AttrSpec]> {
    match path {
        [] => Some(schema::TOP_LEVEL),
        ["variable"] => Some(schema::VARIABLE),
        ["output"] => Some(schema::OUTPUT),
        [kind] => Kind::from_keyword(kind).map(Kind::schema),
        [kind, nested] => Kind::from_keyword(kind)?
            .nested_blocks()
            .iter()
            .find(|(name, _)| name == nested)
            .map(|(_, specs)| *specs),
        _ => None,
    }
}

/// Nested block kinds a block accepts (`ingress`, `egress` in a `security_group`).
pub fn nested_blocks_of(path: &[&str]) -> Vec<&'static str> {
    match path {
        [kind] => Kind::from_keyword(kind).map_or(Vec::new(), |k| {
            k.nested_blocks().iter().map(|(name, _)| *name).collect()
        }),
        _ => Vec::new(),
    }
}

pub fn spec(path: &[&str], attribute: &str) -> Option<AttrSpec> {
    attributes_of(path)?
        .iter()
        .copied()
        .find(|spec| spec.name == attribute)
}

/// The values an enumerated attribute takes.
pub fn enum_values(ty: Ty) -> &'static [&'static str] {
    match ty {
        Ty::Enum(values) => values,
        Ty::List(Ty::Enum(values)) => values,
        _ => &[],
    }
}

/// The kinds a reference attribute accepts.
pub fn reference_kinds(ty: Ty) -> &'static [Kind] {
    match ty {
        Ty::Ref(kind) | Ty::StringOrRef(kind) => std::slice::from_ref(kind_static(kind)),
        Ty::RefAny(kinds) => kinds,
        Ty::List(inner) => reference_kinds(*inner),
        _ => &[],
    }
}

fn kind_static(kind: Kind) -> &'static Kind {
    Kind::ALL
        .iter()
        .find(|k| **k == kind)
        .unwrap_or(&Kind::ALL[0])
}

/// Markdown for hovering an attribute name.
pub fn hover(path: &[&str], attribute: &str) -> Option<String> {
    let spec = spec(path, attribute)?;
    let place = match path.last() {
        Some(kind) => format!("`{kind}` attribute"),
        None => "top-level attribute".to_string(),
    };
    let mut text = format!("**`{attribute}`**: {place}\n\n");
    let requirement = if spec.required {
        "required"
    } else {
        "optional"
    };
    text.push_str(&format!("{}, {requirement}", spec.ty.describe()));
    let values = enum_values(spec.ty);
    if !values.is_empty() {
        let quoted: Vec<String> = values.iter().map(|v| format!("`\"{v}\"`")).collect();
        text.push_str(&format!("; one of {}", quoted.join(", ")));
    }
    text.push('\n');
    // A nested block's attributes are described in its parent's section.
    let section = path.first().copied();
    if let Some(row) = reference_row(section, attribute) {
        text.push('\n');
        for (column, cell) in row {
            if !cell.is_empty() && cell != "-" && column != "attribute" {
                text.push_str(&format!("- {column}: {cell}\n"));
            }
        }
    }
    Some(text)
}

/// The row of `attribute` in the language reference's table for `section` (a block
/// keyword, or `None` for the top-level attributes), as (column header, cell) pairs.
fn reference_row(section: Option<&str>, attribute: &str) -> Option<Vec<(String, String)>> {
    let wanted_heading = |heading: &str| match section {
        Some(keyword) => heading.starts_with("### ") && heading.contains(&format!("`{keyword}`")),
        None => heading == "## Top-level attributes",
    };
    let mut in_section = false;
    let mut headers: Vec<String> = Vec::new();
    for line in LANGUAGE_REFERENCE.lines() {
        if line.starts_with("## ") || line.starts_with("### ") {
            in_section = wanted_heading(line);
            headers.clear();
            continue;
        }
        if !in_section || !line.starts_with('|') {
            continue;
        }
        let cells: Vec<String> = line
            .trim_matches('|')
            .split('|')
            .map(|cell| cell.trim().to_string())
            .collect();
        if cells.first().map(String::as_str) == Some("attribute") {
            headers = cells;
        } else if cells.first() == Some(&format!("`{attribute}`")) && !headers.is_empty() {
            return Some(headers.iter().cloned().zip(cells).collect());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hover_joins_the_schema_and_the_reference_table() {
        let text = hover(&["vpc"], "dns_hostnames").unwrap();
        assert!(text.contains("a bool, optional"), "{text}");
        assert!(text.contains("- default: false"), "{text}");
        assert!(text.contains("enableDnsHostnames"), "{text}");
        let endpoint_type = hover(&["endpoint"], "type").unwrap();
        assert!(endpoint_type.contains("`\"interface\"`"), "{endpoint_type}");
        let listener = hover(&["load_balancer", "listener"], "target_port").unwrap();
        assert!(listener.contains("default `port`"), "{listener}");
        let region = hover(&[], "region").unwrap();
        assert!(region.contains("default region for every VPC"), "{region}");
        assert_eq!(hover(&["vpc"], "nonsense"), None);
    }

    #[test]
    fn the_reference_describes_every_attribute_of_its_tabled_blocks() {
        // The blocks the language reference gives a table: each attribute has a row, so
        // its hover has a meaning (`tags` is described once for every block).
        let mut missing = Vec::new();
        for keyword in [
            "vpc",
            "subnet",
            "route_table",
            "endpoint",
            "endpoint_service",
        ] {
            for spec in Kind::from_keyword(keyword).unwrap().schema() {
                if spec.name != "tags" && reference_row(Some(keyword), spec.name).is_none() {
                    missing.push(format!("{keyword}.{}", spec.name));
                }
            }
        }
        for spec in schema::TOP_LEVEL {
            if reference_row(None, spec.name).is_none() {
                missing.push(spec.name.to_string());
            }
        }
        assert_eq!(missing, Vec::<String>::new());
    }
}
