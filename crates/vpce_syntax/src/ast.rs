//! Our own AST: only what vpce evaluates, every node with a byte span.

use vpce_diagnostics::Span;

#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Body {
    pub attributes: Vec<Attribute>,
    pub blocks: Vec<Block>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Attribute {
    pub key: Ident,
    pub value: Expr,
    /// From the key to the end of the value.
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    /// The block type, `vpc` in `vpc "main" { ... }`.
    pub kind: Ident,
    pub labels: Vec<Ident>,
    pub body: Body,
    /// The whole block.
    pub span: Span,
}

impl Block {
    /// The span of the header (`vpc "main"`), which is where block-level findings point.
    pub fn header_span(&self) -> Span {
        self.labels
            .last()
            .map_or(self.kind.span, |label| self.kind.span.to(label.span))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    /// A quoted or heredoc template with interpolations.
    Template(Vec<TemplatePart>),
    Array(Vec<Expr>),
    /// Keys are expressions: a bare `key` is lowered to a string literal.
    Object(Vec<(Expr, Expr)>),
    /// A bare name: `var`, `vpc`, `local`.
    Variable(Ident),
    /// `base.attr`, `base[index]`.
    Traversal(Box<Expr>, Vec<TraversalOp>),
    /// Boxed: calls are rare, and inline they would make every expression larger.
    Call(Box<Call>),
    Unary(UnaryOp, Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    Conditional(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `[for ...]` and `{for ...}`.
    For(Box<ForExpr>),
    /// `source[*].a.b` and `source.*.a`: `each` is evaluated once per element of the
    /// source list, with `SplatElement` standing for the element.
    Splat {
        source: Box<Expr>,
        each: Box<Expr>,
    },
    /// The element a splat is applied to, inside its `each`.
    SplatElement,
    /// Syntax that parses but that vpce does not evaluate (template directives, `...`
    /// expansion); the model reports it.
    Unsupported(&'static str),
    /// An expression already reported by the parser; it evaluates to nothing, silently.
    Invalid,
}

/// `NAME(ARGS...)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    pub name: Ident,
    pub args: Vec<Expr>,
}

/// `[for K, V in COLLECTION : VALUE if COND]` or
/// `{for K, V in COLLECTION : KEY => VALUE... if COND}`.
#[derive(Clone, Debug, PartialEq)]
pub struct ForExpr {
    /// The first of two variables: a list's index, an object's key.
    pub key_var: Option<Ident>,
    /// The element (of a list) or the value (of an object).
    pub value_var: Ident,
    pub collection: Expr,
    /// The key expression: present in the object form only.
    pub key: Option<Expr>,
    pub value: Expr,
    pub cond: Option<Expr>,
    /// `...` after the value in the object form: the values of one key form a list.
    pub grouping: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TemplatePart {
    Literal(String),
    Interpolation(Expr),
}

#[derive(Clone, Debug, PartialEq)]
pub enum TraversalOp {
    GetAttr(Ident),
    Index(Expr),
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Neg,
    Not,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    Eq,
    NotEq,
    Less,
    LessEq,
    Greater,
    GreaterEq,
    Plus,
    Minus,
    Mul,
    Div,
    Mod,
    And,
    Or,
}

impl BinaryOp {
    pub fn as_str(self) -> &'static str {
        match self {
            BinaryOp::Eq => "==",
            BinaryOp::NotEq => "!=",
            BinaryOp::Less => "<",
            BinaryOp::LessEq => "<=",
            BinaryOp::Greater => ">",
            BinaryOp::GreaterEq => ">=",
            BinaryOp::Plus => "+",
            BinaryOp::Minus => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Mod => "%",
            BinaryOp::And => "&&",
            BinaryOp::Or => "||",
        }
    }
}

impl Expr {
    /// The string of a literal or a template without interpolations.
    pub fn as_literal_str(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::String(s) => Some(s),
            ExprKind::Template(parts) if parts.len() == 1 => match &parts[0] {
                TemplatePart::Literal(s) => Some(s),
                TemplatePart::Interpolation(_) => None,
            },
            _ => None,
        }
    }

    /// `KIND.NAME...` as identifiers with spans, when the expression is a plain chain of
    /// attribute accesses on a bare name.
    pub fn as_path(&self) -> Option<Vec<&Ident>> {
        match &self.kind {
            ExprKind::Variable(root) => Some(vec![root]),
            ExprKind::Traversal(base, ops) => {
                let mut path = base.as_path()?;
                for op in ops {
                    match op {
                        TraversalOp::GetAttr(ident) => path.push(ident),
                        TraversalOp::Index(_) => return None,
                    }
                }
                Some(path)
            }
            _ => None,
        }
    }
}
