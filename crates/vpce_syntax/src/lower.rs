//! hcl-edit's tree to ours. Spans come from hcl-edit; a node without one (hcl-edit
//! leaves a few unset) borrows its parent's.

use std::cell::RefCell;

use hcl_edit::{expr, structure, template};
use vpce_diagnostics::{Code, Diagnostic, FileId, Span};

use crate::ast::*;

pub(crate) struct Lowerer<'t> {
    pub file: FileId,
    pub text: &'t str,
    /// What hcl-edit accepts but HCL (and Terraform) rejects.
    pub diagnostics: RefCell<Vec<Diagnostic>>,
}

impl<'t> Lowerer<'t> {
    pub fn new(file: FileId, text: &'t str) -> Self {
        Lowerer {
            file,
            text,
            diagnostics: RefCell::new(Vec::new()),
        }
    }

    /// Numbers are f64, exact for integers up to 2^53: a larger integer literal would
    /// silently become another number, so it is refused (V104).
    fn number(&self, value: f64, span: Span) -> ExprKind {
        const MAX_EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
        let literal = self
            .text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("");
        let integer = !literal.is_empty() && literal.bytes().all(|b| b.is_ascii_digit());
        if integer && value > MAX_EXACT {
            self.diagnostics.borrow_mut().push(
                Diagnostic::new(
                    Code::TypeMismatch,
                    "this integer is larger than vpce's numbers hold exactly (2^53)",
                )
                .with_label(span, "would be rounded")
                .with_help("write a smaller number; numbers this large are not meaningful in a network description"),
            );
            return ExprKind::Invalid;
        }
        ExprKind::Number(value)
    }

    /// `10.0.0.0/16` written without quotes parses as the number `10.0` indexed by `.0`
    /// twice, divided by 16: say to quote it (V104), rather than report the index.
    fn unquoted_address(&self, span: Span) -> ExprKind {
        let written = self
            .text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
            .trim();
        self.diagnostics.borrow_mut().push(
            Diagnostic::new(
                Code::TypeMismatch,
                format!("`{written}` must be quoted: addresses and CIDRs are strings"),
            )
            .with_label(span, "not a number")
            .with_help(format!("write `\"{written}\"`")),
        );
        ExprKind::Invalid
    }

    /// hcl-edit accepts a raw line break inside a quoted string; HCL does not.
    fn check_quoted(&self, span: Span) -> bool {
        let source = self
            .text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("");
        if let Some(offset) = source.starts_with('"').then(|| source.find('\n')).flatten() {
            let at = span.start as usize + offset;
            self.diagnostics.borrow_mut().push(
                Diagnostic::new(Code::SyntaxError, "a quoted string cannot span several lines")
                    .with_label(Span::new(self.file, at, at + 1), "line break inside the quotes")
                    .with_help("close the quotes on this line, write `\\n` for a line break, or use a heredoc (`<<-EOT`)"),
            );
            return false;
        }
        true
    }

    fn span(&self, node: &dyn hcl_edit::Span, parent: Span) -> Span {
        node.span()
            .map_or(parent, |range| Span::new(self.file, range.start, range.end))
    }

    fn ident(&self, ident: &hcl_edit::Decorated<hcl_edit::Ident>, parent: Span) -> Ident {
        Ident {
            name: ident.as_str().to_string(),
            span: self.span(ident, parent),
        }
    }

    pub fn body(&self, body: &structure::Body, parent: Span) -> Body {
        let mut out = Body::default();
        // Exact capacity: a body's vectors live as long as the check, and growth by
        // doubling leaves up to half of them empty.
        let blocks = body.iter().filter(|s| s.is_block()).count();
        out.blocks.reserve_exact(blocks);
        out.attributes.reserve_exact(body.len() - blocks);
        for structure in body.iter() {
            self.structure(structure, parent, &mut out);
        }
        out
    }

    /// A file's whole body, taken by value: each top-level block of hcl-edit's tree is
    /// dropped as soon as it is lowered, so the two trees are never both whole in memory.
    pub fn file_body(&self, body: structure::Body, whole: Span) -> Body {
        let mut out = Body::default();
        let structures: Vec<structure::Structure> = body.into_iter().collect();
        let blocks = structures.iter().filter(|s| s.is_block()).count();
        out.blocks.reserve_exact(blocks);
        out.attributes.reserve_exact(structures.len() - blocks);
        for structure in structures {
            self.structure(&structure, whole, &mut out);
        }
        out
    }

    fn structure(&self, structure: &structure::Structure, parent: Span, out: &mut Body) {
        match structure {
            structure::Structure::Attribute(attribute) => {
                let span = self.span(attribute, parent);
                out.attributes.push(Attribute {
                    key: self.ident(&attribute.key, span),
                    value: self.expr(&attribute.value, span),
                    span,
                });
            }
            structure::Structure::Block(block) => {
                let span = self.span(block, parent);
                let labels = block
                    .labels
                    .iter()
                    .map(|label| match label {
                        structure::BlockLabel::Ident(ident) => self.ident(ident, span),
                        structure::BlockLabel::String(string) => Ident {
                            name: string.as_str().to_string(),
                            span: self.span(string, span),
                        },
                    })
                    .collect();
                out.blocks.push(Block {
                    kind: self.ident(&block.ident, span),
                    labels,
                    body: self.body(&block.body, span),
                    span,
                });
            }
        }
    }

    pub fn expr(&self, e: &expr::Expression, parent: Span) -> Expr {
        use expr::Expression as E;
        let span = self.span(e, parent);
        let kind = match e {
            E::Null(_) => ExprKind::Null,
            E::Bool(b) => ExprKind::Bool(*b.value()),
            E::Number(n) => self.number(n.value().as_f64().unwrap_or(f64::NAN), span),
            E::String(_) if !self.check_quoted(span) => ExprKind::Invalid,
            E::String(s) => ExprKind::String(s.value().clone()),
            E::Array(array) => {
                ExprKind::Array(array.iter().map(|item| self.expr(item, span)).collect())
            }
            E::Object(object) => ExprKind::Object(
                object
                    .iter()
                    .map(|(key, value)| {
                        let key = match key {
                            expr::ObjectKey::Ident(ident) => {
                                let ident = self.ident(ident, span);
                                Expr {
                                    kind: ExprKind::String(ident.name),
                                    span: ident.span,
                                }
                            }
                            expr::ObjectKey::Expression(key) => self.expr(key, span),
                        };
                        let value = self.expr(value.expr(), key.span);
                        (key, value)
                    })
                    .collect(),
            ),
            E::StringTemplate(_) if !self.check_quoted(span) => ExprKind::Invalid,
            E::StringTemplate(t) => self.template(t, span),
            E::HeredocTemplate(heredoc) => self.template(&heredoc.template, span),
            E::Parenthesis(inner) => return self.expr(inner.inner(), span),
            E::Variable(ident) => ExprKind::Variable(self.ident(ident, span)),
            E::Conditional(c) => ExprKind::Conditional(
                Box::new(self.expr(&c.cond_expr, span)),
                Box::new(self.expr(&c.true_expr, span)),
                Box::new(self.expr(&c.false_expr, span)),
            ),
            E::FuncCall(call) => {
                if !call.name.namespace.is_empty() {
                    ExprKind::Unsupported("namespaced function calls")
                } else if call.args.expand_final() {
                    ExprKind::Unsupported("argument expansion with `...`")
                } else {
                    ExprKind::Call(Box::new(Call {
                        name: self.ident(&call.name.name, span),
                        args: call.args.iter().map(|arg| self.expr(arg, span)).collect(),
                    }))
                }
            }
            E::Traversal(traversal) if is_unquoted_address(e) => self.unquoted_address(span),
            E::BinaryOp(op)
                if matches!(op.operator.value(), expr::BinaryOperator::Div)
                    && is_unquoted_address(&op.lhs_expr) =>
            {
                self.unquoted_address(span)
            }
            E::Traversal(traversal) => {
                let base = self.expr(&traversal.expr, span);
                return self.traversal(base, &traversal.operators, span);
            }
            E::UnaryOp(op) => ExprKind::Unary(
                match op.operator.value() {
                    expr::UnaryOperator::Neg => UnaryOp::Neg,
                    expr::UnaryOperator::Not => UnaryOp::Not,
                },
                Box::new(self.expr(&op.expr, span)),
            ),
            E::BinaryOp(op) => {
                use expr::BinaryOperator as B;
                let operator = match op.operator.value() {
                    B::Eq => BinaryOp::Eq,
                    B::NotEq => BinaryOp::NotEq,
                    B::LessEq => BinaryOp::LessEq,
                    B::GreaterEq => BinaryOp::GreaterEq,
                    B::Less => BinaryOp::Less,
                    B::Greater => BinaryOp::Greater,
                    B::Plus => BinaryOp::Plus,
                    B::Minus => BinaryOp::Minus,
                    B::Mul => BinaryOp::Mul,
                    B::Div => BinaryOp::Div,
                    B::Mod => BinaryOp::Mod,
                    B::And => BinaryOp::And,
                    B::Or => BinaryOp::Or,
                };
                ExprKind::Binary(
                    operator,
                    Box::new(self.expr(&op.lhs_expr, span)),
                    Box::new(self.expr(&op.rhs_expr, span)),
                )
            }
            E::ForExpr(for_expr) => ExprKind::For(Box::new(ForExpr {
                key_var: for_expr
                    .intro
                    .key_var
                    .as_ref()
                    .map(|ident| self.ident(ident, span)),
                value_var: self.ident(&for_expr.intro.value_var, span),
                collection: self.expr(&for_expr.intro.collection_expr, span),
                key: for_expr.key_expr.as_ref().map(|key| self.expr(key, span)),
                value: self.expr(&for_expr.value_expr, span),
                cond: for_expr
                    .cond
                    .as_ref()
                    .map(|cond| self.expr(&cond.expr, span)),
                grouping: for_expr.grouping,
            })),
        };
        Expr { kind, span }
    }

    /// `base` followed by `operators`. A splat splits the chain: what precedes it is the
    /// source list; the operators it applies to each element (all that follow `[*]`,
    /// the attribute accesses that follow `.*`) become its `each`, over `SplatElement`;
    /// the operators after an attribute splat's accesses apply to the resulting list.
    fn traversal(
        &self,
        base: Expr,
        operators: &[hcl_edit::Decorated<expr::TraversalOperator>],
        span: Span,
    ) -> Expr {
        let mut ops = Vec::with_capacity(operators.len());
        let mut last = base.span;
        for (at, op) in operators.iter().enumerate() {
            let op_span = self.span(op, span);
            let splat = match op.value() {
                expr::TraversalOperator::GetAttr(ident) => {
                    ops.push(TraversalOp::GetAttr(self.ident(ident, span)));
                    None
                }
                expr::TraversalOperator::Index(index) => {
                    ops.push(TraversalOp::Index(self.expr(index, span)));
                    None
                }
                expr::TraversalOperator::LegacyIndex(index) => {
                    ops.push(TraversalOp::Index(Expr {
                        kind: ExprKind::Number(*index.value() as f64),
                        span: op_span,
                    }));
                    None
                }
                expr::TraversalOperator::FullSplat(_) => Some(operators.len()),
                expr::TraversalOperator::AttrSplat(_) => Some(
                    operators[at + 1..]
                        .iter()
                        .position(|op| !matches!(op.value(), expr::TraversalOperator::GetAttr(_)))
                        .map_or(operators.len(), |n| at + 1 + n),
                ),
            };
            if let Some(end) = splat {
                let source_span = base.span.to(last);
                let source = chain(base, ops, source_span);
                let element = Expr {
                    kind: ExprKind::SplatElement,
                    span: op_span,
                };
                let each = self.traversal(element, &operators[at + 1..end], span);
                let splat = Expr {
                    kind: ExprKind::Splat {
                        source: Box::new(source),
                        each: Box::new(each),
                    },
                    span: source_span.to(self.span(&operators[end - 1], span)),
                };
                return self.traversal(splat, &operators[end..], span);
            }
            last = op_span;
        }
        let whole = base.span.to(last);
        chain(base, ops, whole)
    }

    fn template(&self, template: &template::Template, span: Span) -> ExprKind {
        // hcl-edit has already removed a `<<-` heredoc's indentation.
        let mut parts = Vec::new();
        for element in template.iter() {
            match element {
                template::Element::Literal(literal) => {
                    parts.push(TemplatePart::Literal(literal.value().clone()))
                }
                template::Element::Interpolation(interpolation) => parts.push(
                    TemplatePart::Interpolation(self.expr(&interpolation.expr, span)),
                ),
                template::Element::Directive(_) => {
                    return ExprKind::Unsupported("template directives (`%{ if }`, `%{ for }`)")
                }
            }
        }
        ExprKind::Template(parts)
    }
}

/// `base` with `ops` applied, spanning `span`; just `base` when there are none.
fn chain(base: Expr, ops: Vec<TraversalOp>, span: Span) -> Expr {
    if ops.is_empty() {
        return base;
    }
    Expr {
        kind: ExprKind::Traversal(Box::new(base), ops),
        span,
    }
}

/// A number followed only by `.N` indexes (`10.0.0.0` reads as `10.0` then `.0`, `.0`):
/// an address someone forgot to quote.
fn is_unquoted_address(e: &expr::Expression) -> bool {
    match e {
        expr::Expression::Traversal(traversal) => {
            matches!(traversal.expr, expr::Expression::Number(_))
                && !traversal.operators.is_empty()
                && traversal
                    .operators
                    .iter()
                    .all(|op| matches!(op.value(), expr::TraversalOperator::LegacyIndex(_)))
        }
        _ => false,
    }
}
