//! The two writers of a [`Topology`]. Labels are the configuration's text: each format's
//! special characters are escaped, so no name can break out of its label.

use std::collections::HashSet;
use std::fmt::Write as _;

use crate::{Cluster, Line, Shape, Topology};

/// How the plan marks a node: what happens to the object's resources.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Mark {
    Create,
    Update,
    Replace,
}

impl Mark {
    fn class(self) -> &'static str {
        match self {
            Mark::Create => "create",
            Mark::Update => "update",
            Mark::Replace => "replace",
        }
    }
}

/// Mermaid `flowchart`: GitHub renders it in Markdown. `marks` colour the nodes a plan
/// changes (node id, mark).
pub fn mermaid(topology: &Topology, marks: &[(String, Mark)]) -> String {
    let mut out = String::from("flowchart LR\n");
    for cluster in &topology.clusters {
        mermaid_cluster(&mut out, topology, cluster, 1);
    }
    for &index in &topology.loose {
        mermaid_node(&mut out, topology, index, 1);
    }
    for edge in &topology.edges {
        let arrow = match edge.line {
            Line::Solid => "-->",
            Line::Dashed => "-.->",
            Line::Thick => "==>",
        };
        match &edge.label {
            Some(label) => {
                let _ = writeln!(
                    out,
                    "  {} {arrow}|\"{}\"| {}",
                    edge.from,
                    mermaid_text(label),
                    edge.to
                );
            }
            None => {
                let _ = writeln!(out, "  {} {arrow} {}", edge.from, edge.to);
            }
        }
    }
    if !marks.is_empty() {
        out.push_str("  classDef create fill:#e6ffed,stroke:#22863a\n");
        out.push_str("  classDef update fill:#fff5b1,stroke:#b08800\n");
        out.push_str("  classDef replace fill:#ffeef0,stroke:#cb2431\n");
        for (id, mark) in marks {
            let _ = writeln!(out, "  class {id} {}", mark.class());
        }
    }
    out
}

fn mermaid_cluster(out: &mut String, topology: &Topology, cluster: &Cluster, depth: usize) {
    let indent = "  ".repeat(depth);
    let _ = writeln!(
        out,
        "{indent}subgraph {}[\"{}\"]",
        cluster.id,
        mermaid_text(&cluster.label)
    );
    for child in &cluster.children {
        mermaid_cluster(out, topology, child, depth + 1);
    }
    for &index in &cluster.nodes {
        mermaid_node(out, topology, index, depth + 1);
    }
    let _ = writeln!(out, "{indent}end");
}

fn mermaid_node(out: &mut String, topology: &Topology, index: usize, depth: usize) {
    let node = &topology.nodes[index];
    let label = node
        .label
        .iter()
        .map(|l| mermaid_text(l))
        .collect::<Vec<_>>()
        .join("<br/>");
    let (open, close) = match node.shape {
        Shape::Box => ("[", "]"),
        Shape::Rounded => ("(", ")"),
        Shape::Hexagon => ("{{", "}}"),
        Shape::Stadium => ("([", "])"),
        Shape::Cylinder => ("[(", ")]"),
        Shape::Cloud => (">", "]"),
    };
    let _ = writeln!(
        out,
        "{}{}{open}\"{label}\"{close}",
        "  ".repeat(depth),
        node.id
    );
}

/// Mermaid reads entity codes inside quoted labels; `#`, quotes and angle brackets
/// are written as codes, control characters dropped.
fn mermaid_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Graphviz DOT: `dot -Tsvg` draws it.
pub fn dot(topology: &Topology) -> String {
    let mut out = String::from(
        "digraph vpce {\n  rankdir=LR;\n  compound=true;\n  node [fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=9];\n",
    );
    for cluster in &topology.clusters {
        dot_cluster(&mut out, topology, cluster, 1);
    }
    for &index in &topology.loose {
        dot_node(&mut out, topology, index, 1);
    }
    let node_ids: HashSet<&str> = topology.nodes.iter().map(|n| n.id.as_str()).collect();
    for edge in &topology.edges {
        let mut attributes = Vec::new();
        if let Some(label) = &edge.label {
            attributes.push(format!("label=\"{}\"", dot_text(label)));
        }
        match edge.line {
            Line::Solid => {}
            Line::Dashed => attributes.push("style=dashed".into()),
            Line::Thick => attributes.push("penwidth=2.5".into()),
        }
        // An edge to a cluster is drawn to an invisible anchor node inside it.
        let to = if node_ids.contains(edge.to.as_str()) {
            edge.to.clone()
        } else {
            attributes.push(format!("lhead=\"cluster_{}\"", edge.to));
            format!("{}_anchor", edge.to)
        };
        let attributes = if attributes.is_empty() {
            String::new()
        } else {
            format!(" [{}]", attributes.join(", "))
        };
        let _ = writeln!(out, "  {} -> {to}{attributes};", edge.from);
    }
    out.push_str("}\n");
    out
}

fn dot_cluster(out: &mut String, topology: &Topology, cluster: &Cluster, depth: usize) {
    let indent = "  ".repeat(depth);
    let _ = writeln!(out, "{indent}subgraph cluster_{} {{", cluster.id);
    let _ = writeln!(out, "{indent}  label=\"{}\";", dot_text(&cluster.label));
    let _ = writeln!(
        out,
        "{indent}  {}_anchor [shape=point, style=invis, label=\"\"];",
        cluster.id
    );
    for child in &cluster.children {
        dot_cluster(out, topology, child, depth + 1);
    }
    for &index in &cluster.nodes {
        dot_node(out, topology, index, depth + 1);
    }
    let _ = writeln!(out, "{indent}}}");
}

fn dot_node(out: &mut String, topology: &Topology, index: usize, depth: usize) {
    let node = &topology.nodes[index];
    let label = node
        .label
        .iter()
        .map(|l| dot_text(l))
        .collect::<Vec<_>>()
        .join("\\n");
    let shape = match node.shape {
        Shape::Box => "box",
        Shape::Rounded => "box, style=rounded",
        Shape::Hexagon => "hexagon",
        Shape::Stadium => "box, style=\"rounded,bold\"",
        Shape::Cylinder => "cylinder",
        Shape::Cloud => "note",
    };
    let _ = writeln!(
        out,
        "{}{} [label=\"{label}\", shape={shape}];",
        "  ".repeat(depth),
        node.id
    );
}

/// Inside a DOT quoted string only `"` and `\` are special; control characters go.
fn dot_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}
