//! The evaluator: expressions to values, with variables, locals, functions, templates
//! and references. Every slot (variable, local, object attribute) is evaluated once and
//! memoised; a slot met again while it is being evaluated is a cycle (V110).

use indexmap::IndexMap;
use rustc_hash::FxHashMap;
use vpce_diagnostics::{did_you_mean, suggest, Code, Diagnostic, FileId, SourceMap, Span};
use vpce_syntax::ast::{
    Attribute, BinaryOp, Block, Expr, ExprKind, Ident, TemplatePart, TraversalOp, UnaryOp,
};

use crate::{format_number, schema::Kind, FileLoader, ObjRef, Value};

mod for_expr;

/// A declared object: its block and its file. A block with `for_each` declares one
/// object per key, its instances.
#[derive(Clone)]
pub(crate) struct Decl<'a> {
    /// The object's name: the label, or `LABEL_KEY` (the key in snake case) for an
    /// instance, as names, tags and logical ids use it.
    pub name: String,
    /// The label.
    pub label: &'a Ident,
    pub block: &'a Block,
    pub file: FileId,
    /// For an instance: its group (an index into `Evaluator::groups`) and key.
    pub instance: Option<(usize, String)>,
    /// The scope it is declared in: the root, or a module instance.
    pub scope: ScopeId,
}

impl Decl<'_> {
    /// How the object is addressed after its kind: `main`, or `aws["ssm"]` for an
    /// instance (the key quoted as an HCL string).
    pub fn address_name(&self) -> String {
        match &self.instance {
            None => self.label.name.clone(),
            Some((_, key)) => format!("{}[{}]", self.label.name, quote_key(key)),
        }
    }
}

/// V113 for `ADDRESS["KEY"]` where the group at `address` has no such key.
pub(crate) fn no_instance<'k>(
    address: &str,
    key: &str,
    keys: impl Iterator<Item = &'k String> + Clone,
    span: Span,
) -> Diagnostic {
    let help = suggest(key, keys.clone().map(String::as_str))
        .map(|k| format!("did you mean `{address}[{}]`?", quote_key(k)))
        .or_else(|| {
            let keys: Vec<String> = keys.take(8).map(|k| quote_key(k)).collect();
            (!keys.is_empty()).then(|| format!("its keys are {}", keys.join(", ")))
        });
    Diagnostic::new(
        Code::UnresolvedReference,
        format!("`{address}` has no instance {}", quote_key(key)),
    )
    .with_label(span, "no such key in its `for_each`")
    .with_help_opt(help)
}

/// A key as an HCL string literal, for addresses.
pub(crate) fn quote_key(key: &str) -> String {
    serde_json::to_string(key).unwrap_or_else(|_| format!("\"{key}\""))
}

/// A block with `for_each`: the instances it declares.
pub(crate) struct Group<'a> {
    /// The kind of its objects; `None` for a `module` block, whose instances are scopes.
    pub kind: Option<Kind>,
    pub label: &'a Ident,
    pub block: &'a Block,
    pub file: FileId,
    pub for_each: &'a Attribute,
    pub scope: ScopeId,
    /// Its instances by key, in key order, once expanded (an object's index in its
    /// kind's table, or a module instance's scope); `None` when `for_each` was rejected
    /// (every use of the group is then Unknown, silently).
    pub instances: Option<IndexMap<String, u32>>,
    pub expansion: Expansion,
}

impl<'a> Group<'a> {
    /// A group whose keys are not computed yet.
    pub fn new(
        kind: Option<Kind>,
        label: &'a Ident,
        block: &'a Block,
        file: FileId,
        for_each: &'a Attribute,
        scope: ScopeId,
    ) -> Self {
        Group {
            kind,
            label,
            block,
            file,
            for_each,
            scope,
            instances: None,
            expansion: Expansion::Pending,
        }
    }
}

/// Where the expansion of a group's keys stands (they are computed before any object
/// is built, since `for_each` may read another group's keys).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Expansion {
    Pending,
    InProgress,
    Done(Option<Vec<String>>),
}

/// The name an instance key gives: lower case, each run of characters other than
/// ASCII letters and digits one `_`.
pub fn snake_key(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut in_run = false;
    for c in key.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            in_run = false;
        } else if !in_run {
            out.push('_');
            in_run = true;
        }
    }
    out
}

pub(crate) struct VarDecl<'a> {
    pub block: &'a Block,
    pub file: FileId,
    /// The value given with `--var`/`--var-file`, already converted; else the default.
    pub given: Option<(Value, Span)>,
    pub ty: VarType,
    /// A module's input: the expression its `module` block gives, evaluated in the
    /// caller's scope when first read.
    pub input: Option<(&'a Attribute, FileId, ScopeId)>,
}

pub(crate) struct LocalDecl<'a> {
    pub attribute: &'a Attribute,
    pub file: FileId,
}

/// Where names resolve: the root configuration (`ROOT`) or one module instance.
pub(crate) type ScopeId = usize;
pub(crate) const ROOT: ScopeId = 0;

/// A scope: the root, or an instance of a module, whose variables, locals, objects,
/// module calls and outputs are its own.
#[derive(Default)]
pub(crate) struct Scope<'a> {
    /// How its objects' addresses begin: empty at the root, `module.NAME.` in a module
    /// (chained for nested modules).
    pub address_prefix: String,
    /// How its objects' names begin: empty at the root, `NAME_` in a module (chained).
    pub name_prefix: String,
    /// The directory of its files, relative to the configuration's root (`""` there).
    pub dir: String,
    pub parent: Option<ScopeId>,
    /// How many module calls deep it is (the root is 0).
    pub depth: usize,
    /// The `module` block that made it.
    pub call: Option<(&'a Block, FileId)>,
    /// For an instance of a `module` block with `for_each`: its group and key.
    pub instance: Option<(usize, String)>,
    /// Its files.
    pub files: Vec<FileId>,
    /// Its `module` blocks by name, with the label's span.
    pub modules: IndexMap<&'a str, (Span, Called)>,
}

/// What a `module` block made.
#[derive(Copy, Clone, Debug)]
pub(crate) enum Called {
    /// Nothing: the call was rejected (reported once), so `module.NAME` is Unknown.
    Rejected,
    /// One instance.
    Instance(ScopeId),
    /// A group (an index into `Evaluator::groups`): one instance per `for_each` key.
    Group(usize),
}

/// The instance whose `each` an expression sees: an object of a block with
/// `for_each`, or a module instance (in its `module` block's arguments).
#[derive(Copy, Clone, Debug)]
pub(crate) enum Each {
    Object(ObjRef),
    Module(ScopeId),
}

/// A variable's declared type.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum VarType {
    Any,
    String,
    Number,
    Bool,
    List(Box<VarType>),
    Map(Box<VarType>),
}

impl VarType {
    pub fn describe(&self) -> String {
        match self {
            VarType::Any => "any".into(),
            VarType::String => "string".into(),
            VarType::Number => "number".into(),
            VarType::Bool => "bool".into(),
            VarType::List(t) => format!("list({})", t.describe()),
            VarType::Map(t) => format!("map({})", t.describe()),
        }
    }
}

/// How many values may depend on each other in a chain; each level costs stack.
const MAX_DEPTH: usize = 500;

/// The limits of evaluated values (V115), so that no configuration under the file-size
/// cap can exhaust memory: a chain of locals that each double a string grows
/// exponentially. One string may be as large as the largest file vpce reads.
pub(crate) const MAX_STRING_BYTES: usize = 8 << 20;
/// Elements of one list or object.
pub(crate) const MAX_COLLECTION_LEN: usize = 100_000;
/// Every value copied or built while evaluating, together.
pub(crate) const MAX_TOTAL_BYTES: usize = 128 << 20;

/// `8 MiB`, `1.5 GiB`: sizes in V115 messages.
pub(crate) fn human_bytes(bytes: usize) -> String {
    const UNITS: [&str; 4] = ["bytes", "KiB", "MiB", "GiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} bytes")
    } else if value.fract() == 0.0 {
        format!("{value} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// Indexes are u32, as `ObjRef`'s: the memo holds one slot per attribute of every
/// object, and a smaller key keeps its table small.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Slot {
    Var(u32),
    Local(u32),
    Attr(ObjRef, u32),
    /// The `for_each` of a group.
    ForEach(u32),
    /// An `output` of a module instance (an index into `Evaluator::module_outputs`).
    ModuleOutput(u32),
}

/// An index of a declaration, variable or attribute as a `Slot` holds it.
pub(crate) fn slot_index(index: usize) -> u32 {
    u32::try_from(index).expect("fewer than 2^32 declarations")
}

enum SlotState {
    InProgress,
    Done(Value),
}

/// Where an expression is evaluated: the file (for `file()` paths), whether it may
/// refer to variables and objects (variable defaults and `--var-file` values may not),
/// and the instance whose `each` it sees, inside a block with `for_each`.
#[derive(Copy, Clone)]
pub(crate) struct Ctx {
    pub file: FileId,
    pub refs: bool,
    pub each: Option<Each>,
    /// Where `var.X`, `local.X`, `KIND.NAME` and `module.NAME` resolve.
    pub scope: ScopeId,
}

impl Ctx {
    /// An expression of the root configuration outside any instance.
    pub fn new(file: FileId, refs: bool) -> Ctx {
        Ctx {
            refs,
            ..Ctx::in_scope(file, ROOT)
        }
    }

    /// An expression of a scope (the root or a module instance) outside any instance.
    pub fn in_scope(file: FileId, scope: ScopeId) -> Ctx {
        Ctx {
            file,
            refs: true,
            each: None,
            scope,
        }
    }
}

pub(crate) struct Evaluator<'a, 's> {
    pub sources: &'s mut SourceMap,
    pub loader: &'a dyn FileLoader,
    pub diagnostics: Vec<Diagnostic>,
    /// Declared objects per kind, by address name (`main`, `aws["ssm"]`), first
    /// definition only; a group's instances stand where its block stands, in key order.
    pub decls: IndexMap<Kind, IndexMap<String, Decl<'a>>>,
    /// Blocks with `for_each`.
    pub groups: Vec<Group<'a>>,
    /// Groups by kind and label.
    pub group_index: FxHashMap<(Kind, ScopeId, &'a str), usize>,
    /// Whether groups are expanded: until then, a group's instances are not objects
    /// yet, and reading one gives only its keys.
    pub expanded: bool,
    /// V116 and `for_each` cycles found while expanding; everything else reported then
    /// is reported again when values are computed for good.
    pub for_each_diagnostics: Vec<Diagnostic>,
    /// Variables and locals by scope and name.
    pub vars: IndexMap<(ScopeId, &'a str), VarDecl<'a>>,
    pub locals: IndexMap<(ScopeId, &'a str), LocalDecl<'a>>,
    /// `output` blocks of the root by name.
    pub outputs: IndexMap<&'a str, (&'a Block, FileId)>,
    /// `output` blocks of module instances, by scope and name.
    pub module_outputs: IndexMap<(ScopeId, &'a str), (&'a Block, FileId)>,
    /// The root and every module instance; `ROOT` first.
    pub scopes: Vec<Scope<'a>>,
    pub top_region: Option<Value>,
    /// The module directories the driver read.
    pub module_dirs: &'a [crate::modules::ModuleDir],
    /// `module` blocks with `for_each`, by group: the call, checked once for all keys.
    pub module_groups: FxHashMap<usize, crate::modules::Prepared<'a>>,
    /// Each kind's declarations of every module instance of a group, by its scope,
    /// until they are put in place.
    pub module_orders: FxHashMap<ScopeId, crate::resolve::Order<'a>>,
    /// Memoised values of variables, locals, `for_each`es, module outputs, and of object
    /// attributes until the objects are in place.
    memo: FxHashMap<Slot, SlotState>,
    /// Memoised values of object attributes once the objects are in place: one entry
    /// per attribute of every object, at its object's start (`attr_starts`) plus its
    /// index. Dense, as every attribute is evaluated: a hash map of them took twice
    /// the memory.
    attr_memo: Vec<Option<SlotState>>,
    /// Where each object's attributes start in `attr_memo`, by kind and object index.
    attr_starts: FxHashMap<Kind, Vec<u32>>,
    stack: Vec<Slot>,
    /// Bytes of values copied or built so far, against `MAX_TOTAL_BYTES`.
    spent: usize,
    /// The total budget ran out (reported once; every later value is Unknown).
    exhausted: bool,
    /// Names bound by the `for` expressions and splats being evaluated, innermost last.
    scope: Vec<(&'a str, Value)>,
}

impl<'a, 's> Evaluator<'a, 's> {
    pub fn new(sources: &'s mut SourceMap, loader: &'a dyn FileLoader) -> Self {
        Evaluator {
            sources,
            loader,
            diagnostics: Vec::new(),
            decls: Kind::ALL.iter().map(|k| (*k, IndexMap::new())).collect(),
            vars: IndexMap::new(),
            locals: IndexMap::new(),
            outputs: IndexMap::new(),
            module_outputs: IndexMap::new(),
            scopes: vec![Scope::default()],
            groups: Vec::new(),
            group_index: FxHashMap::default(),
            expanded: false,
            for_each_diagnostics: Vec::new(),
            top_region: None,
            module_dirs: &[],
            module_groups: FxHashMap::default(),
            module_orders: FxHashMap::default(),
            memo: FxHashMap::default(),
            attr_memo: Vec::new(),
            attr_starts: FxHashMap::default(),
            stack: Vec::new(),
            spent: 0,
            exhausted: false,
            scope: Vec::new(),
        }
    }

    /// V115 for one value past a per-value limit, labelled on the expression that
    /// builds it.
    pub(crate) fn too_large(&mut self, span: Span, what: String, limit: &str) -> Value {
        self.report(
            Diagnostic::new(
                Code::ValueTooLarge,
                format!("this expression builds {what}, past vpce's limit of {limit}"),
            )
            .with_label(span, format!("builds {what}"))
            .with_help(
                "build a smaller value: vpce bounds every evaluated value so that no configuration can exhaust memory (a string doubled along a chain of locals grows exponentially)",
            ),
        );
        Value::Unknown
    }

    /// Charges a value about to be copied or kept against the per-value limits and the
    /// total budget; past one, reports V115 at `span` and gives Unknown instead.
    pub(crate) fn charge(&mut self, value: Value, span: Span) -> Value {
        if self.exhausted {
            return Value::Unknown;
        }
        match &value {
            Value::String(s) if s.len() > MAX_STRING_BYTES => {
                let what = format!("a string of {}", human_bytes(s.len()));
                return self.too_large(span, what, "8 MiB for one string");
            }
            Value::List(items) if items.len() > MAX_COLLECTION_LEN => {
                let what = format!("a list of {} elements", items.len());
                return self.too_large(span, what, "100000 elements");
            }
            Value::Map(map) if map.len() > MAX_COLLECTION_LEN => {
                let what = format!("an object of {} keys", map.len());
                return self.too_large(span, what, "100000 keys");
            }
            Value::String(_) | Value::List(_) | Value::Map(_) => {}
            _ => return value,
        }
        let weight = value.weight(MAX_TOTAL_BYTES);
        if !self.over_total(weight, span) {
            return Value::Unknown;
        }
        value
    }

    /// Adds `weight` to the total; past the budget, reports V115 once and says no.
    fn over_total(&mut self, weight: usize, span: Span) -> bool {
        self.spent = self.spent.saturating_add(weight);
        if self.spent <= MAX_TOTAL_BYTES {
            return true;
        }
        self.exhausted = true;
        self.report(
            Diagnostic::new(
                Code::ValueTooLarge,
                "the configuration's evaluated values pass vpce's limit of 128 MiB in all",
            )
            .with_label(span, format!("copying this value ({}) passes the limit", human_bytes(weight)))
            .with_help(
                "use large values fewer times, or build smaller ones: vpce bounds evaluation so that no configuration can exhaust memory",
            ),
        );
        false
    }

    pub fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    pub(crate) fn decl(&self, obj: ObjRef) -> &Decl<'a> {
        &self.decls[&obj.kind][obj.index as usize]
    }

    /// The value of an object's attribute as written, evaluated once.
    pub fn attribute(&mut self, obj: ObjRef, index: usize) -> Value {
        let decl = self.decl(obj);
        let attribute = &decl.block.body.attributes[index];
        let ctx = Ctx {
            file: decl.file,
            refs: true,
            each: decl.instance.is_some().then_some(Each::Object(obj)),
            scope: decl.scope,
        };
        self.slot(
            Slot::Attr(obj, slot_index(index)),
            attribute.key.span,
            |ev| ev.eval(&attribute.value, ctx),
        )
    }

    /// How a slot is written in messages: `local.a`, `vpc.main.cidr`. Built only when a
    /// message needs it: slots are evaluated on the hot path.
    fn slot_label(&self, slot: Slot) -> String {
        match slot {
            Slot::Var(index) => {
                let (scope, name) = self
                    .vars
                    .get_index(index as usize)
                    .map_or((ROOT, ""), |(k, _)| *k);
                format!("{}var.{name}", self.scopes[scope].address_prefix)
            }
            Slot::Local(index) => {
                let (scope, name) = self
                    .locals
                    .get_index(index as usize)
                    .map_or((ROOT, ""), |(k, _)| *k);
                format!("{}local.{name}", self.scopes[scope].address_prefix)
            }
            Slot::ModuleOutput(index) => {
                let (scope, name) = self
                    .module_outputs
                    .get_index(index as usize)
                    .map_or((ROOT, ""), |(k, _)| *k);
                format!("{}{name}", self.scopes[scope].address_prefix)
            }
            Slot::Attr(obj, index) => {
                let decl = self.decl(obj);
                let attribute = &decl.block.body.attributes[index as usize];
                format!("{}.{}", self.address(obj), attribute.key.name)
            }
            Slot::ForEach(group) => {
                format!("{}.for_each", self.group_address(group as usize))
            }
        }
    }

    pub(crate) fn slot(
        &mut self,
        slot: Slot,
        defined_at: Span,
        compute: impl FnOnce(&mut Self) -> Value,
    ) -> Value {
        // Every use copies a memoised value: charge the copy before making it.
        let weight = match self.memo_get(slot) {
            Some(SlotState::Done(value @ (Value::String(_) | Value::List(_) | Value::Map(_)))) => {
                Some(value.weight(MAX_TOTAL_BYTES))
            }
            Some(SlotState::Done(_)) => Some(0),
            _ => None,
        };
        if let Some(weight) = weight {
            if weight > 0 && (self.exhausted || !self.over_total(weight, defined_at)) {
                return Value::Unknown;
            }
            if let Some(SlotState::Done(value)) = self.memo_get(slot) {
                return value.clone();
            }
        }
        match self.memo_get(slot) {
            Some(SlotState::Done(value)) => return value.clone(),
            Some(SlotState::InProgress) => {
                let label = self.slot_label(slot);
                let start = self.stack.iter().position(|s| *s == slot).unwrap_or(0);
                let chain: Vec<String> = self.stack[start..]
                    .iter()
                    .map(|s| format!("`{}`", self.slot_label(*s)))
                    .chain(std::iter::once(format!("`{label}`")))
                    .collect();
                let message = if chain.len() == 2 {
                    format!("`{label}` refers to itself")
                } else {
                    format!("`{label}` depends on itself: {}", chain.join(" → "))
                };
                let diagnostic = Diagnostic::new(Code::Cycle, message)
                    .with_label(defined_at, "defined here")
                    .with_help("break the cycle by giving one of these values a literal");
                self.report(diagnostic);
                // Every slot of the cycle resolves to Unknown without another report.
                let cycle: Vec<Slot> = self.stack[start..].to_vec();
                for s in cycle {
                    self.memo_set(s, SlotState::Done(Value::Unknown));
                }
                return Value::Unknown;
            }
            None => {}
        }
        if self.stack.len() >= MAX_DEPTH {
            let label = self.slot_label(slot);
            let diagnostic = Diagnostic::new(
                Code::Cycle,
                format!("`{label}` sits at the end of a chain of more than {MAX_DEPTH} values that depend on each other"),
            )
            .with_label(defined_at, "defined here")
            .with_help("shorten the chain of locals: vpce evaluates at most this many levels");
            self.report(diagnostic);
            self.memo_set(slot, SlotState::Done(Value::Unknown));
            return Value::Unknown;
        }
        self.memo_set(slot, SlotState::InProgress);
        self.stack.push(slot);
        // A slot sees no `for` variables of the expression that happens to read it first.
        let outer_scope = std::mem::take(&mut self.scope);
        let value = compute(self);
        self.scope = outer_scope;
        self.stack.pop();
        // A cycle found below may already have settled this slot as Unknown.
        let value = match self.memo_get(slot) {
            Some(SlotState::Done(Value::Unknown)) => Value::Unknown,
            _ => value,
        };
        self.memo_set(slot, SlotState::Done(value.clone()));
        value
    }

    pub fn eval(&mut self, expr: &'a Expr, ctx: Ctx) -> Value {
        match &expr.kind {
            ExprKind::Null => Value::Null,
            ExprKind::Bool(b) => Value::Bool(*b),
            ExprKind::Number(n) => Value::Number(*n),
            ExprKind::String(s) => {
                if crate::deployed::has_reserved(s) {
                    return self.reserved_characters(expr.span);
                }
                Value::String(s.clone())
            }
            ExprKind::Template(parts) => {
                let value = self.template(parts, ctx, expr.span);
                self.charge(value, expr.span)
            }
            ExprKind::Array(items) => {
                let value = Value::List(items.iter().map(|i| self.eval(i, ctx)).collect());
                self.charge(value, expr.span)
            }
            ExprKind::Object(entries) => {
                let mut map = IndexMap::new();
                for (key, value) in entries {
                    let key_value = self.eval(key, ctx);
                    let value = self.eval(value, ctx);
                    let Some(key) = self.object_key(key_value, key.span) else {
                        return Value::Unknown;
                    };
                    map.insert(key, value);
                }
                self.charge(Value::map(map), expr.span)
            }
            ExprKind::Variable(ident) => self.traversal(ident, &[], expr.span, ctx),
            ExprKind::Traversal(base, ops) => match &base.kind {
                ExprKind::Variable(root) => self.traversal(root, ops, expr.span, ctx),
                _ => {
                    let value = self.eval(base, ctx);
                    self.apply_ops(value, ops, ctx)
                }
            },
            ExprKind::Call(call) => {
                let values: Vec<(Value, Span)> = call
                    .args
                    .iter()
                    .map(|a| (self.eval(a, ctx), a.span))
                    .collect();
                let value = crate::functions::call(self, &call.name, values, expr.span, ctx);
                self.charge(value, expr.span)
            }
            ExprKind::Unary(op, operand) => {
                let value = self.eval(operand, ctx);
                match (op, value) {
                    (_, Value::Unknown) => Value::Unknown,
                    (UnaryOp::Neg, Value::Number(n)) => Value::Number(-n),
                    (UnaryOp::Not, Value::Bool(b)) => Value::Bool(!b),
                    (UnaryOp::Neg, other) => self.mismatch(operand.span, "a number", &other),
                    (UnaryOp::Not, other) => self.mismatch(operand.span, "a bool", &other),
                }
            }
            ExprKind::Binary(op, lhs, rhs) => {
                let l = self.eval(lhs, ctx);
                let r = self.eval(rhs, ctx);
                self.binary(*op, (l, lhs.span), (r, rhs.span))
            }
            ExprKind::Conditional(cond, then, otherwise) => match self.eval(cond, ctx) {
                Value::Bool(true) => self.eval(then, ctx),
                Value::Bool(false) => self.eval(otherwise, ctx),
                Value::Unknown => Value::Unknown,
                other => self.mismatch(cond.span, "a bool", &other),
            },
            ExprKind::For(for_expr) => self.for_expr(for_expr, expr.span, ctx),
            ExprKind::Splat { source, each } => self.splat(source, each, expr.span, ctx),
            ExprKind::SplatElement => self.splat_element(expr.span),
            ExprKind::Invalid => Value::Unknown,
            ExprKind::Unsupported(what) => {
                self.report(
                    Diagnostic::new(
                        Code::SyntaxError,
                        format!("{what} are not supported by vpce"),
                    )
                    .with_label(expr.span, "not supported")
                    .with_help(
                        "write the value out, or compute it with the functions vpce provides",
                    ),
                );
                Value::Unknown
            }
        }
    }

    /// U+E000 and U+E001 mark attributes known after deployment inside strings.
    pub(crate) fn reserved_characters(&mut self, span: Span) -> Value {
        self.report(
            Diagnostic::new(
                Code::InvalidValue,
                "this string holds U+E000 or U+E001, private-use characters vpce reserves",
            )
            .with_label(span, "reserved characters")
            .with_help("remove them: vpce uses them to mark values known only after deployment"),
        );
        Value::Unknown
    }

    /// V118: a value known only after deployment where vpce needs the value itself.
    pub(crate) fn known_after_deploy(&mut self, span: Span, what: &str) -> Value {
        self.report(
            Diagnostic::new(
                Code::KnownAfterDeploy,
                format!("{what} needs a value vpce knows, but this one is known only after deployment"),
            )
            .with_label(span, "known only after deployment")
            .with_help(
                "attributes AWS assigns (`.id`, `.arn`, `dns_names`, `network_interface_ids`, `service_name`) can go in strings, tags, policies, descriptions and outputs; write the value out where vpce must check it",
            ),
        );
        Value::Unknown
    }

    pub fn mismatch(&mut self, span: Span, expected: &str, found: &Value) -> Value {
        if *found != Value::Unknown {
            self.report(type_error(
                span,
                format!("expected {expected}, found {}", found.type_name()),
            ));
        }
        Value::Unknown
    }

    fn binary(&mut self, op: BinaryOp, (l, ls): (Value, Span), (r, rs): (Value, Span)) -> Value {
        use BinaryOp::*;
        if l == Value::Unknown || r == Value::Unknown {
            return Value::Unknown;
        }
        if matches!(op, Eq | NotEq) {
            for (value, span) in [(&l, ls), (&r, rs)] {
                if value.as_str().is_some_and(crate::deployed::is_deployed) {
                    return self.known_after_deploy(span, "a comparison");
                }
            }
        }
        match op {
            Eq => Value::Bool(l == r),
            NotEq => Value::Bool(l != r),
            And | Or => match (l, r) {
                (Value::Bool(a), Value::Bool(b)) => {
                    Value::Bool(if op == And { a && b } else { a || b })
                }
                (Value::Bool(_), other) => self.mismatch(rs, "a bool", &other),
                (other, _) => self.mismatch(ls, "a bool", &other),
            },
            _ => {
                let (a, b) = match (l, r) {
                    (Value::Number(a), Value::Number(b)) => (a, b),
                    (Value::Number(_), other) => return self.mismatch(rs, "a number", &other),
                    (other, _) => return self.mismatch(ls, "a number", &other),
                };
                match op {
                    Less => Value::Bool(a < b),
                    LessEq => Value::Bool(a <= b),
                    Greater => Value::Bool(a > b),
                    GreaterEq => Value::Bool(a >= b),
                    Plus => Value::Number(a + b),
                    Minus => Value::Number(a - b),
                    Mul => Value::Number(a * b),
                    Div | Mod if b == 0.0 => {
                        self.report(
                            Diagnostic::new(Code::InvalidValue, "division by zero")
                                .with_label(rs, "this is zero"),
                        );
                        Value::Unknown
                    }
                    Div => Value::Number(a / b),
                    Mod => Value::Number(a % b),
                    Eq | NotEq | And | Or => unreachable!("handled above"),
                }
            }
        }
    }

    fn template(&mut self, parts: &'a [TemplatePart], ctx: Ctx, span: Span) -> Value {
        let mut out = String::new();
        for part in parts {
            match part {
                TemplatePart::Literal(text) if crate::deployed::has_reserved(text) => {
                    return self.reserved_characters(span);
                }
                TemplatePart::Literal(text) => out.push_str(text),
                TemplatePart::Interpolation(expr) => match self.eval(expr, ctx) {
                    // Checked before growing: the string is never built past the limit.
                    Value::String(s) if out.len() + s.len() > MAX_STRING_BYTES => {
                        let what =
                            format!("a string of at least {}", human_bytes(out.len() + s.len()));
                        return self.too_large(span, what, "8 MiB for one string");
                    }
                    Value::String(s) => out.push_str(&s),
                    Value::Number(n) => out.push_str(&format_number(n)),
                    Value::Bool(b) => out.push_str(if b { "true" } else { "false" }),
                    Value::Unknown => return Value::Unknown,
                    Value::Ref(obj) => {
                        let address = self.address(obj);
                        self.report(
                            type_error(
                                expr.span,
                                format!("cannot put the object `{address}` in a string"),
                            )
                            .with_help(format!(
                                "interpolate one of its attributes instead, e.g. `{address}.cidr`"
                            )),
                        );
                        return Value::Unknown;
                    }
                    other => {
                        self.report(type_error(
                            expr.span,
                            format!("cannot put {} in a string", other.type_name()),
                        ));
                        return Value::Unknown;
                    }
                },
            }
        }
        Value::String(out)
    }

    pub fn address(&self, obj: ObjRef) -> String {
        let decl = self.decl(obj);
        format!(
            "{}{}.{}",
            self.scopes[decl.scope].address_prefix,
            obj.kind.keyword(),
            decl.address_name()
        )
    }

    /// `KIND.LABEL` (or `module.LABEL`) of a group, with its module prefix.
    pub(crate) fn group_address(&self, group: usize) -> String {
        let g = &self.groups[group];
        format!(
            "{}{}.{}",
            self.scopes[g.scope].address_prefix,
            g.kind.map_or("module", Kind::keyword),
            g.label.name
        )
    }

    /// The key of an object in its kind's table (and the model's arena): its address
    /// after the kind at the root (`main`, `aws["ssm"]`), its whole address in a module
    /// (`module.NAME.vpc.main`), so objects of different scopes never share one.
    pub(crate) fn decl_key(&self, scope: ScopeId, kind: Kind, address_name: &str) -> String {
        let prefix = &self.scopes[scope].address_prefix;
        if prefix.is_empty() {
            address_name.to_string()
        } else {
            format!("{prefix}{}.{address_name}", kind.keyword())
        }
    }

    /// `var.x`, `local.x`, `KIND.NAME`, `KIND.NAME.ATTR`, then any further accesses.
    fn traversal(
        &mut self,
        root: &'a Ident,
        ops: &'a [TraversalOp],
        whole: Span,
        ctx: Ctx,
    ) -> Value {
        let first = match ops.first() {
            Some(TraversalOp::GetAttr(name)) => Some(name),
            _ => None,
        };
        if let Some(value) = self.bound(&root.name, root.span) {
            return self.apply_ops(value, ops, ctx);
        }
        let namespace = root.name.as_str();
        if namespace == "each" {
            return self.each(root, ops, ctx);
        }
        let kind = Kind::from_keyword(namespace);
        if !ctx.refs && (matches!(namespace, "var" | "local" | "module") || kind.is_some()) {
            self.report(
                Diagnostic::new(
                    Code::TypeMismatch,
                    format!("`{namespace}` cannot be used here: this value must be a literal"),
                )
                .with_label(whole, "a reference")
                .with_help(
                    "variable defaults and `--var-file` values cannot refer to other values",
                ),
            );
            return Value::Unknown;
        }
        let Some(first) = first else {
            let help = match namespace {
                "var" => "name a variable: `var.NAME`".to_string(),
                "local" => "name a local value: `local.NAME`".to_string(),
                "module" => "name a module's output: `module.NAME.OUTPUT`".to_string(),
                _ if kind.is_some() => format!("name an object: `{namespace}.NAME`"),
                _ => {
                    let candidates = crate::schema::block_keywords()
                        .filter(|k| *k != "locals" && *k != "variable")
                        .chain(["var", "local"]);
                    let help = did_you_mean(namespace, candidates);
                    let unknown = if matches!(namespace, "string" | "number" | "bool") {
                        " (a type is only allowed in a variable's `type`)"
                    } else {
                        ""
                    };
                    self.report(
                        Diagnostic::new(
                            Code::UnresolvedReference,
                            format!("unknown name `{namespace}`{unknown}"),
                        )
                        .with_label(root.span, "not a variable, local or object kind")
                        .with_help_opt(help.or_else(|| {
                            Some("references look like `var.NAME`, `local.NAME` or `KIND.NAME`; quote a string literal".into())
                        })),
                    );
                    return Value::Unknown;
                }
            };
            self.report(
                Diagnostic::new(
                    Code::UnresolvedReference,
                    format!("`{namespace}` needs a name"),
                )
                .with_label(whole, "incomplete reference")
                .with_help(help),
            );
            return Value::Unknown;
        };
        let rest = &ops[1..];
        match namespace {
            "var" => {
                let value = self.variable(ctx.scope, first);
                self.apply_ops(value, rest, ctx)
            }
            "local" => {
                let value = self.local(ctx.scope, first);
                self.apply_ops(value, rest, ctx)
            }
            "module" => self.module_traversal(first, rest, ctx),
            _ => match kind {
                Some(kind) => {
                    if let Some(group) = self.group_named(kind, ctx.scope, &first.name) {
                        return self.group_traversal(group, root.span.to(first.span), rest, ctx);
                    }
                    let Some(obj) = self.lookup_object(kind, ctx.scope, first, root.span) else {
                        return Value::Unknown;
                    };
                    match rest.first() {
                        Some(TraversalOp::GetAttr(attr)) => {
                            let value = self.object_attribute(obj, attr);
                            self.apply_ops(value, &rest[1..], ctx)
                        }
                        Some(TraversalOp::Index(index)) => {
                            let address = self.address(obj);
                            self.report(type_error(
                                index.span,
                                format!("`{address}` is an object, not a list"),
                            ));
                            Value::Unknown
                        }
                        None => Value::Ref(obj),
                    }
                }
                None => {
                    let candidates = crate::schema::block_keywords()
                        .filter(|k| *k != "locals" && *k != "variable")
                        .chain(["var", "local"]);
                    self.report(
                        Diagnostic::new(
                            Code::UnresolvedReference,
                            format!("unknown name `{namespace}`"),
                        )
                        .with_label(root.span, "not a variable, local or object kind")
                        .with_help_opt(did_you_mean(namespace, candidates)),
                    );
                    Value::Unknown
                }
            },
        }
    }

    fn lookup_object(
        &mut self,
        kind: Kind,
        scope: ScopeId,
        name: &Ident,
        root: Span,
    ) -> Option<ObjRef> {
        let key = self.decl_key(scope, kind, &name.name);
        let decls = &self.decls[&kind];
        if let Some(index) = decls.get_index_of(key.as_str()) {
            if !kind.is_referenceable() {
                self.report(
                    Diagnostic::new(
                        Code::WrongReferenceKind,
                        format!("`{}` blocks cannot be referenced", kind.keyword()),
                    )
                    .with_label(root.to(name.span), "an expectation, not a network object"),
                );
                return None;
            }
            return Some(ObjRef {
                kind,
                index: index as u32,
            });
        }
        // Instances are addressed through their block; an instance's name is not an
        // address, but a user may well write it.
        let labels = decls
            .values()
            .filter(|d| d.instance.is_none() && d.scope == scope)
            .map(|d| d.label.name.as_str())
            .chain(
                self.groups
                    .iter()
                    .filter(|g| g.kind == Some(kind) && g.scope == scope)
                    .map(|g| g.label.name.as_str()),
            );
        let name_prefix = &self.scopes[scope].name_prefix;
        let instance = decls
            .values()
            .find(|d| {
                d.instance.is_some()
                    && d.scope == scope
                    && d.name.strip_prefix(name_prefix.as_str()) == Some(name.name.as_str())
            })
            .map(|d| format!("did you mean `{}.{}`?", kind.keyword(), d.address_name()));
        let help = instance
            .or_else(|| crate::modules::outside_help(self, kind, scope, &name.name))
            .or_else(|| {
                suggest(&name.name, labels)
                    .map(|c| format!("did you mean `{}.{c}`?", kind.keyword()))
            })
            .or_else(|| {
                // The name may exist under another kind: `vpc.app_a` for a subnet.
                Kind::ALL.iter().find_map(|other| {
                    (self.decls[other]
                        .contains_key(self.decl_key(scope, *other, &name.name).as_str())
                        || self.group_named(*other, scope, &name.name).is_some())
                    .then(|| format!("there is a `{}` named `{}`", other.keyword(), name.name))
                })
            });
        let declared_here = decls.values().any(|d| d.scope == scope)
            || self
                .groups
                .iter()
                .any(|g| g.kind == Some(kind) && g.scope == scope);
        let message = if !declared_here {
            format!(
                "there is no `{}` named `{}`; no `{}` is declared",
                kind.keyword(),
                name.name,
                kind.keyword()
            )
        } else {
            format!("there is no `{}` named `{}`", kind.keyword(), name.name)
        };
        self.report(
            Diagnostic::new(Code::UnresolvedReference, message)
                .with_label(root.to(name.span), "not declared")
                .with_help_opt(help),
        );
        None
    }

    pub(crate) fn group_named(&self, kind: Kind, scope: ScopeId, label: &str) -> Option<usize> {
        self.group_index.get(&(kind, scope, label)).copied()
    }

    /// `KIND.NAME` of a block with `for_each`: the map of its instances, by key. Before
    /// the groups are expanded, the map holds only the keys (values Unknown).
    fn group_value(&mut self, group: usize, span: Span) -> Value {
        if !self.expanded {
            return match self.expand_group(group) {
                Some(keys) => Value::map(keys.into_iter().map(|k| (k, Value::Unknown)).collect()),
                None => Value::Unknown,
            };
        }
        let Some(kind) = self.groups[group].kind else {
            return Value::Unknown;
        };
        let Some(instances) = &self.groups[group].instances else {
            return Value::Unknown;
        };
        let map = instances
            .iter()
            .map(|(key, index)| {
                (
                    key.clone(),
                    Value::Ref(ObjRef {
                        kind,
                        index: *index,
                    }),
                )
            })
            .collect();
        self.charge(Value::map(map), span)
    }

    /// `KIND.NAME`, `KIND.NAME["KEY"]...` where `NAME` has `for_each`.
    fn group_traversal(
        &mut self,
        group: usize,
        span: Span,
        ops: &'a [TraversalOp],
        ctx: Ctx,
    ) -> Value {
        let value = self.group_value(group, span);
        let address = self.group_address(group);
        match (ops.first(), &value) {
            (_, Value::Unknown) => Value::Unknown,
            (Some(TraversalOp::GetAttr(attr)), _) => {
                self.report(
                    type_error(
                        attr.span,
                        format!("`{address}` has `for_each`: it is the map of its instances, which has no attribute `{}`", attr.name),
                    )
                    .with_help(format!(
                        "name one instance, `{address}[\"KEY\"].{attr}`, or take every instance's with `values({address})[*].{attr}`",
                        attr = attr.name
                    )),
                );
                Value::Unknown
            }
            (Some(TraversalOp::Index(index)), Value::Map(map)) if self.expanded => {
                let key = self.eval(index, ctx);
                match key {
                    Value::String(key) if !map.contains_key(&key) => {
                        self.report(no_instance(&address, &key, map.keys(), index.span));
                        Value::Unknown
                    }
                    key => {
                        let value = self.apply_index(value, key, index);
                        self.apply_ops(value, &ops[1..], ctx)
                    }
                }
            }
            _ => self.apply_ops(value, ops, ctx),
        }
    }

    /// The keys of a group's `for_each`, computed once (before any object is built).
    pub(crate) fn expand_group(&mut self, group: usize) -> Option<Vec<String>> {
        match &self.groups[group].expansion {
            Expansion::Done(keys) => return keys.clone(),
            Expansion::InProgress => {
                let address = self.group_address(group);
                let span = self.groups[group].for_each.value.span;
                self.for_each_diagnostics.push(
                    Diagnostic::new(
                        Code::Cycle,
                        format!("the `for_each` of `{address}` depends on its own instances"),
                    )
                    .with_label(span, "reads its own keys")
                    .with_help("compute the keys from variables, locals or other blocks"),
                );
                self.groups[group].expansion = Expansion::Done(None);
                return None;
            }
            Expansion::Pending => {}
        }
        self.groups[group].expansion = Expansion::InProgress;
        let g = &self.groups[group];
        let (expr, ctx) = (&g.for_each.value, Ctx::in_scope(g.file, g.scope));
        let value = self.eval(expr, ctx);
        // A cycle found below has settled it already.
        if let Expansion::Done(keys) = &self.groups[group].expansion {
            return keys.clone();
        }
        let keys = self.for_each_keys(group, value);
        self.groups[group].expansion = Expansion::Done(keys.clone());
        keys
    }

    /// V116: a `for_each` is a map or a set of strings whose keys each give a name.
    fn for_each_keys(&mut self, group: usize, value: Value) -> Option<Vec<String>> {
        let span = self.groups[group].for_each.value.span;
        let invalid = |message: String, label: &str| {
            Diagnostic::new(Code::InvalidForEach, message).with_label(span, label.to_string())
        };
        let mut keys: Vec<String> = match value {
            Value::Unknown => return None,
            Value::Map(map) => map.into_keys().collect(),
            Value::List(items) => {
                let mut keys = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Value::String(key) => keys.push(key),
                        Value::Unknown => return None,
                        other => {
                            let found = match &other {
                                Value::Ref(obj) => format!("`{}`", self.address(*obj)),
                                other => other.type_name().to_string(),
                            };
                            self.for_each_diagnostics.push(
                                invalid(
                                    format!("`for_each` over a list needs strings as keys, found {found}"),
                                    "not a set of strings",
                                )
                                .with_help("use a map from a key to each value: `{ a = subnet.a, b = subnet.b }`"),
                            );
                            return None;
                        }
                    }
                }
                let mut sorted = keys.clone();
                sorted.sort_unstable();
                if let Some(pair) = sorted.windows(2).find(|w| w[0] == w[1]) {
                    self.for_each_diagnostics.push(
                        invalid(
                            format!("`for_each` yields the key {} twice", quote_key(&pair[0])),
                            "duplicate keys",
                        )
                        .with_help("each key declares one instance: remove the duplicate, or deduplicate with `toset(...)`"),
                    );
                    return None;
                }
                keys
            }
            other => {
                self.for_each_diagnostics.push(
                    invalid(
                        format!("`for_each` must be a map or a set of strings, found {}", other.type_name()),
                        "not a map or a set of strings",
                    )
                    .with_help("write a map (`{ ssm = ..., kms = ... }`) or a set of strings (`toset([\"ssm\", \"kms\"])`)"),
                );
                return None;
            }
        };
        if keys.iter().any(|k| crate::deployed::is_deployed(k)) {
            self.for_each_diagnostics.push(
                invalid(
                    "`for_each` holds a value known only after deployment".to_string(),
                    "keys must be known when vpce checks",
                )
                .with_help("build the keys from names you write (labels, variables, locals), not from attributes AWS assigns"),
            );
            return None;
        }
        if let Some(key) = keys
            .iter()
            .find(|k| !snake_key(k).bytes().any(|b| b.is_ascii_alphanumeric()))
        {
            self.for_each_diagnostics.push(
                invalid(
                    format!("the `for_each` key {} gives no name", quote_key(key)),
                    "a key without letters or digits",
                )
                .with_help("an instance is named after its block and key (`NAME_KEY`, letters and digits kept): give every key a letter or a digit"),
            );
            return None;
        }
        // Instances are ordered by key, byte-wise, as Terraform iterates.
        keys.sort_unstable();
        Some(keys)
    }

    /// `each.key`, `each.value` inside an instance.
    fn each(&mut self, root: &'a Ident, ops: &'a [TraversalOp], ctx: Ctx) -> Value {
        let Some(instance) = ctx.each else {
            self.report(
                Diagnostic::new(
                    Code::UnresolvedReference,
                    "`each` is defined only inside a block with `for_each`",
                )
                .with_label(root.span, "not inside an instance")
                .with_help("add `for_each = ...` to the block, or write the value out"),
            );
            return Value::Unknown;
        };
        let (group, key) = match instance {
            Each::Object(obj) => self.decl(obj).instance.clone(),
            Each::Module(scope) => self.scopes[scope].instance.clone(),
        }
        .expect("ctx.each is an instance");
        match ops.first() {
            Some(TraversalOp::GetAttr(attr)) if attr.name == "key" => {
                self.apply_ops(Value::String(key), &ops[1..], ctx)
            }
            Some(TraversalOp::GetAttr(attr)) if attr.name == "value" => {
                let value = match self.for_each_value(group) {
                    Value::Map(mut map) => map.shift_remove(&key).unwrap_or(Value::Unknown),
                    Value::List(_) => Value::String(key),
                    _ => Value::Unknown,
                };
                let value = self.charge(value, attr.span);
                self.apply_ops(value, &ops[1..], ctx)
            }
            other => {
                let span = match other {
                    Some(TraversalOp::GetAttr(attr)) => attr.span,
                    Some(TraversalOp::Index(index)) => index.span,
                    None => root.span,
                };
                self.report(
                    Diagnostic::new(
                        Code::UnresolvedReference,
                        "`each` has only `key` and `value`",
                    )
                    .with_label(span, "write `each.key` or `each.value`"),
                );
                Value::Unknown
            }
        }
    }

    /// A group's `for_each` value, evaluated once after expansion.
    pub(crate) fn for_each_value(&mut self, group: usize) -> Value {
        let g = &self.groups[group];
        let (expr, defined_at) = (&g.for_each.value, g.for_each.key.span);
        let ctx = Ctx::in_scope(g.file, g.scope);
        self.slot(Slot::ForEach(slot_index(group)), defined_at, |ev| {
            ev.eval(expr, ctx)
        })
    }

    /// Gives every attribute of every object, now in its final place, an entry of
    /// `attr_memo`, allocated at its exact size.
    pub(crate) fn index_attribute_values(&mut self) {
        let mut next = 0usize;
        self.attr_starts.clear();
        for (kind, table) in &self.decls {
            let starts = table
                .values()
                .map(|decl| {
                    let start = slot_index(next);
                    next += decl.block.body.attributes.len();
                    start
                })
                .collect();
            self.attr_starts.insert(*kind, starts);
        }
        self.attr_memo = (0..next).map(|_| None).collect();
    }

    /// Where `slot` is memoised in `attr_memo`, if it is there (objects in place).
    fn attr_position(&self, slot: Slot) -> Option<usize> {
        match slot {
            Slot::Attr(obj, index) => {
                let start = self.attr_starts.get(&obj.kind)?.get(obj.index as usize)?;
                Some(*start as usize + index as usize)
            }
            _ => None,
        }
    }

    fn memo_get(&self, slot: Slot) -> Option<&SlotState> {
        match self.attr_position(slot) {
            Some(position) => self.attr_memo[position].as_ref(),
            None => self.memo.get(&slot),
        }
    }

    fn memo_set(&mut self, slot: Slot, state: SlotState) {
        match self.attr_position(slot) {
            Some(position) => self.attr_memo[position] = Some(state),
            None => {
                self.memo.insert(slot, state);
            }
        }
    }

    /// Forgets every value computed so far: the groups' keys were computed before the
    /// objects had their final places, and values may hold references to them.
    pub(crate) fn forget_values(&mut self) {
        self.memo.clear();
        self.attr_memo.clear();
        self.attr_starts.clear();
        self.stack.clear();
        self.spent = 0;
        self.exhausted = false;
    }

    fn variable(&mut self, scope: ScopeId, name: &'a Ident) -> Value {
        let Some(index) = self.vars.get_index_of(&(scope, name.name.as_str())) else {
            let declared = self.vars.keys().filter(|(s, _)| *s == scope);
            let help = suggest(&name.name, declared.map(|(_, n)| *n))
                .map(|c| format!("did you mean `var.{c}`?"));
            self.report(
                Diagnostic::new(
                    Code::UnresolvedReference,
                    format!("there is no variable named `{}`", name.name),
                )
                .with_label(name.span, "not declared")
                .with_help(help.unwrap_or_else(|| {
                    format!(
                        "declare it: `variable \"{}\" {{ type = string }}`",
                        name.name
                    )
                })),
            );
            return Value::Unknown;
        };
        let defined_at = self.vars[index].block.header_span();
        self.slot(Slot::Var(slot_index(index)), defined_at, |ev| {
            if let Some(input) = ev.vars[index].input {
                return crate::modules::input_value(ev, index, input);
            }
            ev.vars[index]
                .given
                .as_ref()
                .map_or(Value::Unknown, |(v, _)| v.clone())
        })
    }

    fn local(&mut self, scope: ScopeId, name: &'a Ident) -> Value {
        let Some(index) = self.locals.get_index_of(&(scope, name.name.as_str())) else {
            let declared = self.locals.keys().filter(|(s, _)| *s == scope);
            let help = suggest(&name.name, declared.map(|(_, n)| *n))
                .map(|c| format!("did you mean `local.{c}`?"));
            self.report(
                Diagnostic::new(
                    Code::UnresolvedReference,
                    format!("there is no local value named `{}`", name.name),
                )
                .with_label(name.span, "not declared")
                .with_help_opt(help),
            );
            return Value::Unknown;
        };
        self.local_at(index)
    }

    /// The value of the `index`th local, evaluated once.
    pub fn local_at(&mut self, index: usize) -> Value {
        let ((scope, _), local) = self.locals.get_index(index).expect("in range");
        let (attribute, ctx) = (local.attribute, Ctx::in_scope(local.file, *scope));
        self.slot(Slot::Local(slot_index(index)), attribute.key.span, |ev| {
            ev.eval(&attribute.value, ctx)
        })
    }

    /// `KIND.NAME.ATTR`: the written value, else the attribute's default.
    fn object_attribute(&mut self, obj: ObjRef, attr: &'a Ident) -> Value {
        let block = self.decl(obj).block;
        if let Some(index) = block
            .body
            .attributes
            .iter()
            .position(|a| a.key.name == attr.name)
        {
            return self.attribute(obj, index);
        }
        // Written under a misspelt name: V102 said so; neither a default nor another
        // diagnostic stands in for what the author meant (one cause, one diagnostic).
        let schema = obj.kind.schema();
        let misspelt = block.body.attributes.iter().any(|a| {
            !schema.iter().any(|s| s.name == a.key.name)
                && crate::schema::suggest_attribute(&a.key.name, schema.iter().map(|s| s.name))
                    == Some(attr.name.as_str())
        });
        if misspelt {
            return Value::Unknown;
        }
        let address = self.address(obj);
        let default = match (obj.kind, attr.name.as_str()) {
            (Kind::Vpc, "region") => self.top_region.clone(),
            (_, "tags") => Some(Value::map(IndexMap::new())),
            (_, "name") => Some(Value::String(self.decl(obj).name.clone())),
            (kind, name) => kind
                .schema()
                .iter()
                .find(|s| s.name == name)
                .and_then(|s| s.default)
                .map(Value::Bool),
        };
        if let Some(value) = default {
            return value;
        }
        let existing = obj
            .kind
            .existing_attribute()
            .is_some_and(|name| block.body.attributes.iter().any(|a| a.key.name == name));
        if !existing {
            if let Some(deployed) = crate::deployed::DeployedAttr::of(obj.kind, &attr.name) {
                return Value::String(crate::deployed::marker(obj, deployed));
            }
        }
        let known = obj.kind.schema().iter().any(|s| s.name == attr.name);
        let diagnostic =
            if existing && crate::deployed::DeployedAttr::of(obj.kind, &attr.name).is_some() {
                Diagnostic::new(
                    Code::UnresolvedReference,
                    format!(
                        "`{address}.{}` of an existing object is not known to vpce",
                        attr.name
                    ),
                )
                .with_label(attr.span, "not written in the configuration")
                .with_help(format!(
                "write the value out, or declare `{address}` without `id` so that vpce creates it"
            ))
            } else if obj.kind.existing_attribute() == Some(attr.name.as_str()) {
                Diagnostic::new(
                    Code::UnresolvedReference,
                    format!("`{address}.{}` is known only after deployment", attr.name),
                )
                .with_label(attr.span, "assigned by AWS")
                .with_help(format!("refer to the object itself: `{address}`"))
            } else if known {
                Diagnostic::new(
                    Code::UnresolvedReference,
                    format!("`{address}` does not set `{}`", attr.name),
                )
                .with_label(attr.span, "not set on this object")
                .with_help(format!(
                    "set `{}` in `{address}`, or use a literal here",
                    attr.name
                ))
            } else {
                let names = obj.kind.schema().iter().map(|s| s.name).chain(["name"]);
                Diagnostic::new(
                    Code::UnresolvedReference,
                    format!("`{}` has no attribute `{}`", obj.kind.keyword(), attr.name),
                )
                .with_label(attr.span, "unknown attribute")
                .with_help_opt(
                    crate::schema::suggest_attribute(&attr.name, names)
                        .map(|c| format!("did you mean `{c}`?")),
                )
            };
        self.report(diagnostic);
        Value::Unknown
    }

    pub(crate) fn apply_ops(
        &mut self,
        mut value: Value,
        ops: &'a [TraversalOp],
        ctx: Ctx,
    ) -> Value {
        for op in ops {
            value = match (op, value) {
                (_, Value::Unknown) => return Value::Unknown,
                (TraversalOp::GetAttr(key), Value::Map(mut map)) => {
                    match map.shift_remove(&key.name) {
                        Some(v) => v,
                        None => {
                            let help = did_you_mean(&key.name, map.keys().map(String::as_str));
                            self.report(
                                Diagnostic::new(
                                    Code::UnresolvedReference,
                                    format!("the object has no key `{}`", key.name),
                                )
                                .with_label(key.span, "no such key")
                                .with_help_opt(help),
                            );
                            return Value::Unknown;
                        }
                    }
                }
                (TraversalOp::GetAttr(key), Value::Ref(obj)) => self.object_attribute(obj, key),
                (TraversalOp::GetAttr(key), other) => {
                    return self.mismatch(key.span, "an object", &other);
                }
                (TraversalOp::Index(index), collection) => {
                    let key = self.eval(index, ctx);
                    self.apply_index(collection, key, index)
                }
            };
        }
        value
    }

    /// `collection[key]`, or Unknown after reporting why not.
    fn apply_index(&mut self, collection: Value, key: Value, index: &Expr) -> Value {
        match (collection, key) {
            (_, Value::Unknown) => Value::Unknown,
            (Value::List(items), Value::Number(n)) => {
                let len = items.len();
                match (n >= 0.0 && n.fract() == 0.0)
                    .then(|| items.into_iter().nth(n as usize))
                    .flatten()
                {
                    Some(item) => item,
                    None => {
                        self.report(
                            Diagnostic::new(
                                Code::InvalidValue,
                                format!(
                                    "index {} is out of range for a list of {len} elements",
                                    format_number(n)
                                ),
                            )
                            .with_label(index.span, "out of range"),
                        );
                        Value::Unknown
                    }
                }
            }
            (Value::Map(mut map), Value::String(k)) => match map.shift_remove(&k) {
                Some(v) => v,
                None => {
                    self.report(
                        Diagnostic::new(
                            Code::UnresolvedReference,
                            format!("the object has no key `{k}`"),
                        )
                        .with_label(index.span, "no such key"),
                    );
                    Value::Unknown
                }
            },
            (Value::List(_), other) => self.mismatch(index.span, "a number", &other),
            (Value::Map(_), other) => self.mismatch(index.span, "a string", &other),
            (other, _) => self.mismatch(index.span, "a list or an object", &other),
        }
    }

    /// The path a `file()` argument names, relative to the configuration directory, or
    /// `None` when it would leave it.
    pub fn resolve_path(&self, caller: FileId, path: &str) -> Option<String> {
        if path.starts_with('/') || path.starts_with('\\') || path.contains(':') {
            return None;
        }
        let caller_name = &self.sources.get(caller).name;
        let mut parts: Vec<&str> = caller_name.split('/').collect();
        parts.pop();
        for segment in path.split(['/', '\\']) {
            match segment {
                "" | "." => {}
                ".." => {
                    parts.pop()?;
                }
                other => parts.push(other),
            }
        }
        if parts.is_empty() {
            return None;
        }
        Some(parts.join("/"))
    }
}

pub(crate) fn type_error(span: Span, message: String) -> Diagnostic {
    Diagnostic::new(Code::TypeMismatch, message).with_label(span, "wrong type")
}
