//! Where the parts of a value were written: the spans of a literal object's keys and
//! values and of a list's elements, so that a finding about one policy statement or
//! one action points at it, not at the whole `policy = {...}`. Values built elsewhere
//! (a local, `jsonencode`, `file`) have only their own span.

use vpce_diagnostics::Span;
use vpce_syntax::ast::{Expr, ExprKind};

/// One step into a value.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Step<'p> {
    Key(&'p str),
    Index(usize),
}

/// The spans of a value written as a literal, as deep as it is written literally.
#[derive(Clone, Debug, PartialEq)]
pub struct SpanTree {
    pub span: Span,
    children: Children,
}

#[derive(Clone, Debug, PartialEq)]
enum Children {
    None,
    /// Key, the key's span, the value's spans.
    Object(Vec<(String, Span, SpanTree)>),
    List(Vec<SpanTree>),
}

impl SpanTree {
    pub fn of(expr: &Expr) -> SpanTree {
        let children = match &expr.kind {
            ExprKind::Object(entries) => Children::Object(
                entries
                    .iter()
                    .filter_map(|(key, value)| {
                        let name = key.as_literal_str().or(match &key.kind {
                            ExprKind::Variable(ident) => Some(ident.name.as_str()),
                            _ => None,
                        })?;
                        Some((name.to_string(), key.span, SpanTree::of(value)))
                    })
                    .collect(),
            ),
            ExprKind::Array(items) => Children::List(items.iter().map(SpanTree::of).collect()),
            // `jsonencode({...})` keeps the object's layout in its text.
            ExprKind::Call(call) if call.name.name == "jsonencode" && call.args.len() == 1 => {
                SpanTree::of(&call.args[0]).children
            }
            _ => Children::None,
        };
        SpanTree {
            span: expr.span,
            children,
        }
    }

    /// The span of the value at `path`, or of its deepest part written literally.
    pub fn span_at(&self, path: &[Step<'_>]) -> Span {
        let mut tree = self;
        for step in path {
            let next = match (step, &tree.children) {
                (Step::Key(key), Children::Object(entries)) => entries
                    .iter()
                    .rev()
                    .find(|(name, _, _)| name == key)
                    .map(|(_, _, value)| value),
                (Step::Index(index), Children::List(items)) => items.get(*index),
                _ => None,
            };
            match next {
                Some(next) => tree = next,
                None => break,
            }
        }
        tree.span
    }

    /// The span of the key `key` of the object at `path`, if written literally.
    pub fn key_span(&self, path: &[Step<'_>], key: &str) -> Option<Span> {
        let mut tree = self;
        for step in path {
            tree = match (step, &tree.children) {
                (Step::Key(k), Children::Object(entries)) => {
                    &entries.iter().rev().find(|(name, _, _)| name == k)?.2
                }
                (Step::Index(index), Children::List(items)) => items.get(*index)?,
                _ => return None,
            };
        }
        match &tree.children {
            Children::Object(entries) => entries
                .iter()
                .rev()
                .find(|(name, _, _)| name == key)
                .map(|(_, span, _)| *span),
            _ => None,
        }
    }
}
