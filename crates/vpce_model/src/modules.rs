//! Modules: `module "NAME" { source = "./dir", INPUT = ... }` instantiates the `*.hcl`
//! files of a directory in a scope of their own. Its `variable` blocks are its inputs,
//! given by the `module` block and evaluated in the caller's scope; its `output` blocks
//! are read as `module.NAME.OUTPUT`. Its objects are named `NAME_OBJ` and addressed
//! `module.NAME.KIND.OBJ`, chained for nested modules (V117 for a call that cannot be
//! made).
//!
//! The driver reads and parses the directories (`called_dirs` says which), so the model
//! still does no IO; a directory that could not be read carries the loader's reason.

use indexmap::IndexMap;
use vpce_diagnostics::{suggest, Code, Diagnostic, FileId, SourceMap, Span};
use vpce_syntax::ast::{Attribute, Block, Body, ExprKind, Ident, TraversalOp};

use crate::{
    eval::{quote_key, snake_key, Called, Each, Evaluator, Group, Scope, ScopeId, Slot},
    resolve::{self, Order, ParsedFile},
    schema, Kind, Model, Value,
};

/// How many module calls deep a configuration may go (a root's `module` block is 1).
pub const MAX_DEPTH: usize = 8;

/// A module directory the driver read: its files, parsed, or why it could not be read.
pub struct ModuleDir {
    /// Relative to the configuration's root, `/`-separated, without `.` or `..`.
    pub dir: String,
    pub files: Result<Vec<ParsedFile>, String>,
}

/// One module instance, for the notes that say which `module` block made a
/// diagnostic's file part of the configuration.
#[derive(Clone, Debug)]
pub struct ModuleCall {
    /// `module.NAME`, chained for nested modules (`module.a.module.b`), with the key
    /// of an instance of a `module` block with `for_each` (`module.NAME["KEY"]`).
    pub address: String,
    /// How its objects' names begin (`NAME_`, `NAME_KEY_`), for messages that name
    /// objects by name.
    pub name_prefix: String,
    /// The `module "NAME"` header that instantiated it.
    pub header: Span,
    /// `NAME`, and where it is written.
    pub label: String,
    pub label_span: Span,
    /// The files of its directory.
    pub files: Vec<FileId>,
}

/// The `source` of a `module` block when it is a string literal (vpce reads modules
/// before it evaluates anything, so `source` cannot be computed).
pub fn literal_source(block: &Block) -> Option<(&str, Span)> {
    let attribute = block
        .body
        .attributes
        .iter()
        .find(|a| a.key.name == "source")?;
    match &attribute.value.kind {
        ExprKind::String(text) => Some((text.as_str(), attribute.value.span)),
        _ => None,
    }
}

/// The directory a `source` names, relative to the configuration's root, from the file
/// that calls it (named relative to the root); `None` when it leaves the root.
pub fn source_dir(caller: &str, source: &str) -> Option<String> {
    if source.starts_with('/') || source.starts_with('\\') || source.contains(':') {
        return None;
    }
    let mut parts: Vec<&str> = caller.split('/').collect();
    parts.pop();
    for segment in source.split(['/', '\\']) {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// The module directories a file calls (for the driver, which reads them), in order.
pub fn called_dirs(body: &Body, caller: &str) -> Vec<String> {
    body.blocks
        .iter()
        .filter(|b| b.kind.name == "module")
        .filter_map(literal_source)
        .filter_map(|(source, _)| source_dir(caller, source))
        .collect()
}

fn invalid(message: String, span: Span, label: &str) -> Diagnostic {
    Diagnostic::new(Code::InvalidModule, message).with_label(span, label.to_string())
}

/// A `module` block whose call was checked: what each of its instances instantiates.
#[derive(Clone)]
pub(crate) struct Prepared<'a> {
    block: &'a Block,
    file: FileId,
    /// The calling scope.
    scope: ScopeId,
    /// The module's directory and files.
    dir: String,
    files: &'a [ParsedFile],
}

/// What a `module` block declares, in the caller's order.
pub(crate) enum Call<'a> {
    /// Its one instance's declarations.
    Instance(Order<'a>),
    /// A group (with `for_each`), instantiated once its keys are known.
    Group(usize),
}

/// Checks the call a `module` block makes and instantiates it, collecting its
/// declarations in a new scope; with `for_each`, registers a group instead, whose
/// instances are made once the keys are known (`instantiate_group`). `None`
/// (reported) when the call cannot be made.
pub(crate) fn call<'a>(
    ev: &mut Evaluator<'a, '_>,
    scope: ScopeId,
    block: &'a Block,
    file: FileId,
) -> Option<Call<'a>> {
    let label = resolve::single_label(ev, block)?;
    let name = label.name.as_str();
    if let Some((first, _)) = ev.scopes[scope].modules.get(name) {
        let first = *first;
        ev.report(resolve::duplicate("module", name, label.span, first));
        return None;
    }
    // Until the call succeeds, `module.NAME` is known but Unknown (reported once, here).
    ev.scopes[scope]
        .modules
        .insert(name, (label.span, Called::Rejected));
    resolve::reject_nested_blocks(ev, &block.body, "module");
    let address = format!("{}module.{name}", ev.scopes[scope].address_prefix);
    let prepared = prepare(ev, scope, block, file, &address)?;
    let for_each = block
        .body
        .attributes
        .iter()
        .find(|a| a.key.name == "for_each");
    let called = match for_each {
        Some(for_each) => {
            let group = ev.groups.len();
            ev.groups
                .push(Group::new(None, label, block, file, for_each, scope));
            ev.module_groups.insert(group, prepared);
            ev.scopes[scope]
                .modules
                .insert(name, (label.span, Called::Group(group)));
            return Some(Call::Group(group));
        }
        None => instantiate(ev, &prepared, None),
    };
    let (child, order) = called;
    ev.scopes[scope]
        .modules
        .insert(name, (label.span, Called::Instance(child)));
    Some(Call::Instance(order))
}

/// V117 for a call that cannot be made: no literal `source` inside the root, a cycle,
/// too deep, a directory that cannot be read.
fn prepare<'a>(
    ev: &mut Evaluator<'a, '_>,
    scope: ScopeId,
    block: &'a Block,
    file: FileId,
    address: &str,
) -> Option<Prepared<'a>> {
    let Some(source) = block
        .body
        .attributes
        .iter()
        .find(|a| a.key.name == "source")
    else {
        ev.report(
            invalid(
                format!("`{address}` has no `source`"),
                block.header_span(),
                "`source` is not set",
            )
            .with_help(
                "add `source = \"./modules/NAME\"`: the module's directory, relative to this file",
            ),
        );
        return None;
    };
    let Some((text, span)) = literal_source(block) else {
        ev.report(
            invalid(format!("the `source` of `{address}` is not a string literal"), source.value.span, "computed")
                .with_help("write the directory as a quoted string, e.g. `source = \"./modules/endpoints\"`: vpce reads modules before it evaluates anything"),
        );
        return None;
    };
    let caller = ev.sources.get(file).name.clone();
    let Some(dir) = source_dir(&caller, text) else {
        ev.report(
            invalid(
                format!("the `source` of `{address}` leaves the configuration's directory"),
                span,
                "outside the configuration",
            )
            .with_help("keep modules inside the configuration's directory, e.g. `./modules/NAME`"),
        );
        return None;
    };
    let mut chain = vec![scope];
    while let Some(parent) = ev.scopes[*chain.last().expect("not empty")].parent {
        chain.push(parent);
    }
    if let Some(position) = chain.iter().position(|s| ev.scopes[*s].dir == dir) {
        let path: Vec<String> = chain[..=position]
            .iter()
            .rev()
            .map(|s| format!("`{}`", shown_dir(&ev.scopes[*s].dir)))
            .chain([format!("`{}`", shown_dir(&dir))])
            .collect();
        ev.report(
            invalid(format!("`{address}` makes a cycle of modules: {}", path.join(" → ")), span, "calls a module that calls it")
                .with_help("a module cannot call itself, directly or through other modules: move what they share into a third module"),
        );
        return None;
    }
    let depth = ev.scopes[scope].depth + 1;
    if depth > MAX_DEPTH {
        ev.report(
            invalid(
                format!(
                    "`{address}` is {depth} module calls deep, past vpce's limit of {MAX_DEPTH}"
                ),
                block.header_span(),
                "too deep",
            )
            .with_help("flatten the modules: call this one from a module nearer the root"),
        );
        return None;
    }
    let dirs = ev.module_dirs;
    match dirs.iter().find(|m| m.dir == dir).map(|m| &m.files) {
        Some(Ok(files)) => Some(Prepared {
            block,
            file,
            scope,
            dir,
            files,
        }),
        found => {
            let reason = match found {
                Some(Err(reason)) => reason.as_str(),
                _ => "no such directory",
            };
            ev.report(
                invalid(
                    format!(
                        "cannot read the module `{}` of `{address}`: {reason}",
                        shown_dir(&dir)
                    ),
                    span,
                    "cannot be read as a module",
                )
                .with_help("point `source` at a directory of `*.hcl` files, relative to this file"),
            );
            None
        }
    }
}

/// Makes one instance of a checked call (of a group's, with its key): a scope named
/// `module.NAME` (`module.NAME["KEY"]`), whose objects are named `NAME_OBJ`
/// (`NAME_KEY_OBJ`), with the module's declarations and inputs.
fn instantiate<'a>(
    ev: &mut Evaluator<'a, '_>,
    prepared: &Prepared<'a>,
    instance: Option<(usize, String)>,
) -> (ScopeId, Order<'a>) {
    let Prepared {
        block,
        file,
        scope,
        ref dir,
        files,
    } = *prepared;
    let name = &block.labels[0].name;
    let parent = &ev.scopes[scope];
    let (address, name_prefix) = match &instance {
        None => (
            format!("{}module.{name}", parent.address_prefix),
            format!("{}{name}_", parent.name_prefix),
        ),
        Some((_, key)) => (
            format!("{}module.{name}[{}]", parent.address_prefix, quote_key(key)),
            format!("{}{name}_{}_", parent.name_prefix, snake_key(key)),
        ),
    };
    let child = ev.scopes.len();
    ev.scopes.push(Scope {
        address_prefix: format!("{address}."),
        name_prefix,
        dir: dir.clone(),
        parent: Some(scope),
        depth: parent.depth + 1,
        call: Some((block, file)),
        instance: instance.clone(),
        files: files.iter().map(|f| f.file).collect(),
        modules: IndexMap::new(),
    });
    let declared = ev.vars.len();
    let order = resolve::collect(ev, files, child, &mut IndexMap::new());
    bind_inputs(ev, scope, child, block, file, &address);
    if instance.is_some() {
        // Made after the root's variables were bound.
        resolve::bind_defaults(ev, declared);
    }
    (child, order)
}

/// Makes the instances of a `module` block with `for_each`, once: its keys are
/// computed (V116) in the caller's scope, then each key instantiates the module. Made
/// before any object is built, or sooner when a `for_each` reads the group.
/// What instantiating reports (the module files' declarations, nested calls) is kept
/// through `for_each_diagnostics`, since everything else reported before the objects
/// are in place is reported again later.
pub(crate) fn instantiate_group(ev: &mut Evaluator<'_, '_>, group: usize) {
    let Some(keys) = ev.expand_group(group) else {
        return;
    };
    if ev.groups[group].instances.is_some() {
        return;
    }
    let prepared = ev.module_groups[&group].clone();
    let reported = ev.diagnostics.len();
    let mut instances = IndexMap::with_capacity(keys.len());
    for key in keys {
        let (child, order) = instantiate(ev, &prepared, Some((group, key.clone())));
        ev.module_orders.insert(child, order);
        instances.insert(key, child as u32);
    }
    let made = ev.diagnostics.split_off(reported);
    ev.for_each_diagnostics.extend(made);
    ev.groups[group].instances = Some(instances);
}

fn shown_dir(dir: &str) -> &str {
    if dir.is_empty() {
        "."
    } else {
        dir
    }
}

/// Gives the module's variables the `module` block's attributes: V117 for an input the
/// module does not declare, and for a variable without `default` that is not given.
fn bind_inputs<'a>(
    ev: &mut Evaluator<'a, '_>,
    caller: ScopeId,
    child: ScopeId,
    block: &'a Block,
    file: FileId,
    address: &str,
) {
    let declared = |ev: &Evaluator<'a, '_>| -> Vec<&'a str> {
        ev.vars
            .keys()
            .filter(|(s, _)| *s == child)
            .map(|(_, n)| *n)
            .collect()
    };
    for attribute in &block.body.attributes {
        let input = attribute.key.name.as_str();
        if input == "source" || input == "for_each" {
            continue;
        }
        match ev.vars.get_index_of(&(child, input)) {
            Some(index) => ev.vars[index].input = Some((attribute, file, caller)),
            None => {
                let names = declared(ev);
                let help = suggest(input, names.iter().copied())
                    .map(|c| format!("did you mean `{c}`?"))
                    .unwrap_or_else(|| match names.is_empty() {
                        true => "the module declares no `variable`: it takes no inputs".into(),
                        false => format!(
                            "its inputs are {}",
                            names
                                .iter()
                                .map(|n| format!("`{n}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    });
                ev.report(
                    invalid(
                        format!("`{address}` has no input `{input}`"),
                        attribute.key.span,
                        "not a `variable` of the module",
                    )
                    .with_help(help),
                );
            }
        }
    }
    for index in 0..ev.vars.len() {
        let ((scope, name), var) = ev.vars.get_index(index).expect("in range");
        let has_default = var
            .block
            .body
            .attributes
            .iter()
            .any(|a| a.key.name == "default");
        if *scope != child || var.input.is_some() || has_default {
            continue;
        }
        let (name, defined) = (*name, ev.sources.get(var.file).name.clone());
        ev.report(
            invalid(format!("`{address}` needs the input `{name}`"), block.header_span(), &format!("`{name}` is not given"))
                .with_help(format!("add `{name} = ...` to the `module` block: `variable \"{name}\"` in `{defined}` has no `default`")),
        );
    }
}

/// V117: a module's files cannot set what only the root configuration sets.
pub(crate) fn reject_top_level(ev: &mut Evaluator<'_, '_>, attribute: &Attribute, scope: ScopeId) {
    let name = &attribute.key.name;
    let address = ev.scopes[scope]
        .address_prefix
        .trim_end_matches('.')
        .to_string();
    let help = if name == "region" {
        "set `region` in the root configuration, or give a `vpc` its own `region` from an input"
    } else {
        "set it in the root configuration: it applies to every module"
    };
    ev.report(
        invalid(
            format!("a module cannot set `{name}` (in `{address}`)"),
            attribute.key.span,
            "set by the root configuration only",
        )
        .with_help(help),
    );
}

/// The value of a module's input: the `module` block's expression, evaluated in the
/// caller's scope and held to the variable's type.
pub(crate) fn input_value<'a>(
    ev: &mut Evaluator<'a, '_>,
    var: usize,
    (attribute, file, caller): (&'a Attribute, FileId, ScopeId),
) -> Value {
    let ((child, _), _) = ev.vars.get_index(var).expect("in range");
    let each = ev.scopes[*child]
        .instance
        .is_some()
        .then_some(Each::Module(*child));
    let ctx = crate::eval::Ctx {
        each,
        ..crate::eval::Ctx::in_scope(file, caller)
    };
    let value = ev.eval(&attribute.value, ctx);
    let ((_, name), decl) = ev.vars.get_index(var).expect("in range");
    let (name, ty) = (*name, decl.ty.clone());
    resolve::conform_var(ev, value, attribute.value.span, &ty, name)
}

impl<'a> Evaluator<'a, '_> {
    /// `module.NAME.OUTPUT...` and `module.NAME` (the object of its outputs).
    pub(crate) fn module_traversal(
        &mut self,
        name: &'a Ident,
        ops: &'a [TraversalOp],
        ctx: crate::eval::Ctx,
    ) -> Value {
        let Some((_, called)) = self.scopes[ctx.scope].modules.get(name.name.as_str()) else {
            let help = suggest(&name.name, self.scopes[ctx.scope].modules.keys().copied())
                .map(|c| format!("did you mean `module.{c}`?"))
                .unwrap_or_else(|| {
                    format!(
                        "declare it: `module \"{}\" {{ source = \"./modules/{}\" }}`",
                        name.name, name.name
                    )
                });
            self.report(
                Diagnostic::new(
                    Code::UnresolvedReference,
                    format!("there is no module named `{}`", name.name),
                )
                .with_label(name.span, "not declared")
                .with_help(help),
            );
            return Value::Unknown;
        };
        match *called {
            Called::Rejected => Value::Unknown,
            Called::Instance(child) => self.module_instance(child, name.span, ops, ctx),
            Called::Group(group) => self.module_group(group, name.span, ops, ctx),
        }
    }

    /// `module.NAME` of a `module` block with `for_each`: the map of its instances (each
    /// the object of its outputs); `module.NAME["KEY"]...` reads one.
    fn module_group(
        &mut self,
        group: usize,
        span: Span,
        ops: &'a [TraversalOp],
        ctx: crate::eval::Ctx,
    ) -> Value {
        instantiate_group(self, group);
        let Some(instances) = self.groups[group].instances.clone() else {
            return Value::Unknown;
        };
        let address = self.group_address(group);
        match ops.first() {
            None => {
                let mut map = IndexMap::new();
                for (key, child) in instances {
                    let outputs = self.module_instance(child as ScopeId, span, &[], ctx);
                    map.insert(key, outputs);
                }
                self.charge(Value::map(map), span)
            }
            Some(TraversalOp::Index(index)) => match self.eval(index, ctx) {
                Value::String(key) => match instances.get(&key) {
                    Some(child) => self.module_instance(*child as ScopeId, span, &ops[1..], ctx),
                    None => {
                        self.report(crate::eval::no_instance(
                            &address,
                            &key,
                            instances.keys(),
                            index.span,
                        ));
                        Value::Unknown
                    }
                },
                Value::Unknown => Value::Unknown,
                other => {
                    self.report(
                        crate::eval::type_error(
                            index.span,
                            format!(
                                "an instance of `{address}` is named by its key, a string, not {}",
                                other.type_name()
                            ),
                        )
                        .with_help(format!("write `{address}[\"KEY\"]`")),
                    );
                    Value::Unknown
                }
            },
            Some(TraversalOp::GetAttr(output)) => {
                self.report(
                    crate::eval::type_error(
                        output.span,
                        format!(
                            "`{address}` has `for_each`: it is the map of its instances, which has no output `{}`",
                            output.name
                        ),
                    )
                    .with_help(format!(
                        "name one instance: `{address}[\"KEY\"].{}`",
                        output.name
                    )),
                );
                Value::Unknown
            }
        }
    }

    /// `module.NAME.OUTPUT...` and `module.NAME` (the object of its outputs) of one
    /// module instance.
    fn module_instance(
        &mut self,
        child: ScopeId,
        span: Span,
        ops: &'a [TraversalOp],
        ctx: crate::eval::Ctx,
    ) -> Value {
        match ops.first() {
            Some(TraversalOp::GetAttr(output)) => {
                let value = self.module_output(child, output);
                self.apply_ops(value, &ops[1..], ctx)
            }
            Some(TraversalOp::Index(index)) => {
                let address = self.scopes[child]
                    .address_prefix
                    .trim_end_matches('.')
                    .to_string();
                self.report(
                    crate::eval::type_error(
                        index.span,
                        format!("`{address}` is an object of outputs, not a list"),
                    )
                    .with_help(format!("read one output: `{address}.OUTPUT`")),
                );
                Value::Unknown
            }
            None => {
                let names: Vec<&'a str> = self
                    .module_outputs
                    .keys()
                    .filter(|(s, _)| *s == child)
                    .map(|(_, n)| *n)
                    .collect();
                let mut map = IndexMap::new();
                for output in names {
                    let index = self
                        .module_outputs
                        .get_index_of(&(child, output))
                        .expect("listed");
                    map.insert(output.to_string(), self.output_at(index));
                }
                self.charge(Value::map(map), span)
            }
        }
    }

    fn module_output(&mut self, child: ScopeId, output: &'a Ident) -> Value {
        if let Some(index) = self
            .module_outputs
            .get_index_of(&(child, output.name.as_str()))
        {
            return self.output_at(index);
        }
        let address = self.scopes[child]
            .address_prefix
            .trim_end_matches('.')
            .to_string();
        let names = self
            .module_outputs
            .keys()
            .filter(|(s, _)| *s == child)
            .map(|(_, n)| *n);
        let help = suggest(&output.name, names)
            .map(|c| format!("did you mean `{address}.{c}`?"))
            .unwrap_or_else(|| {
                format!(
                    "declare it in the module: `output \"{}\" {{ value = ... }}`",
                    output.name
                )
            });
        self.report(
            Diagnostic::new(
                Code::UnresolvedReference,
                format!("`{address}` has no output `{}`", output.name),
            )
            .with_label(output.span, "not an `output` of the module")
            .with_help(help),
        );
        Value::Unknown
    }

    /// The value of the `index`th module output, evaluated once in its module's scope.
    fn output_at(&mut self, index: usize) -> Value {
        let ((scope, _), (block, file)) = self.module_outputs.get_index(index).expect("in range");
        let ctx = crate::eval::Ctx::in_scope(*file, *scope);
        let Some(value) = block.body.attributes.iter().find(|a| a.key.name == "value") else {
            return Value::Unknown;
        };
        self.slot(
            Slot::ModuleOutput(crate::eval::slot_index(index)),
            block.header_span(),
            |ev| ev.eval(&value.value, ctx),
        )
    }
}

/// Help for `KIND.NAME` in a module naming an object of an enclosing scope, which the
/// module cannot see.
pub(crate) fn outside_help(
    ev: &Evaluator<'_, '_>,
    kind: Kind,
    scope: ScopeId,
    name: &str,
) -> Option<String> {
    let mut outer = ev.scopes[scope].parent;
    while let Some(caller) = outer {
        let declared = ev.decls[&kind].contains_key(ev.decl_key(caller, kind, name).as_str())
            || ev.group_named(kind, caller, name).is_some();
        if declared {
            return Some(format!(
                "a module sees only its own declarations: give it `{}.{name}` as an input (a `variable` of the module, set in its `module` block)",
                kind.keyword()
            ));
        }
        outer = ev.scopes[caller].parent;
    }
    None
}

/// After the objects are built: every module output is checked and evaluated (even one
/// nobody reads), and the module instances are listed for the model.
pub(crate) fn finish(ev: &mut Evaluator<'_, '_>) -> Vec<ModuleCall> {
    for index in 0..ev.module_outputs.len() {
        let ((_, name), (block, _)) = ev.module_outputs.get_index(index).expect("in range");
        let (name, block) = (*name, *block);
        resolve::reject_nested_blocks(ev, &block.body, "output");
        resolve::check_attribute_names(
            ev,
            &block.body,
            schema::MODULE_OUTPUT,
            &[],
            "output",
            &["value"],
        );
        if !block.body.attributes.iter().any(|a| a.key.name == "value") {
            ev.report(resolve::output_without_value(name, block));
        }
        ev.output_at(index);
    }
    ev.scopes
        .iter()
        .skip(1)
        .filter_map(|scope| {
            let (block, _) = scope.call?;
            let label = block.labels.first()?;
            Some(ModuleCall {
                address: scope.address_prefix.trim_end_matches('.').to_string(),
                name_prefix: scope.name_prefix.clone(),
                header: block.header_span(),
                label: label.name.clone(),
                label_span: label.span,
                files: scope.files.clone(),
            })
        })
        .collect()
}

/// Adds to each diagnostic in a module's file a note naming the `module` block that
/// instantiated it (the instances its message names, by address or by an object's
/// name, else every instance of the file).
pub fn note_origins(model: &Model, sources: &SourceMap, diagnostics: &mut [Diagnostic]) {
    if model.module_calls.is_empty() {
        return;
    }
    for diagnostic in diagnostics.iter_mut() {
        let Some(span) = diagnostic.primary_span() else {
            continue;
        };
        let calls: Vec<&ModuleCall> = model
            .module_calls
            .iter()
            .filter(|c| c.files.contains(&span.file))
            .collect();
        let named: Vec<&ModuleCall> = calls
            .iter()
            .copied()
            .filter(|c| {
                diagnostic.message.contains(&format!("{}.", c.address))
                    || diagnostic.message.contains(&format!("`{}", c.name_prefix))
            })
            .collect();
        let chosen = if named.is_empty() { calls } else { named };
        for call in chosen {
            let at = sources.line_col(call.header);
            let file = &sources.get(call.header.file).name;
            diagnostic.notes.push(format!(
                "in `{}`, instantiated by the `module` block at {file}:{}:{}",
                call.address, at.line, at.column
            ));
        }
    }
}

/// Splits an address into the module instance it is in and its address there:
/// `module.a["x"].module.b.vpc.main` gives `module.a["x"].module.b.` and `vpc.main`; a
/// root object's path is empty. Reads addresses as `Common.address` writes them
/// (keys quoted as JSON strings), e.g. those of a state file.
pub fn split_module_path(address: &str) -> (&str, &str) {
    let mut end = 0;
    while let Some(segment) = module_segment(&address[end..]) {
        end += segment.len();
    }
    address.split_at(end)
}

/// The first `module.LABEL.` or `module.LABEL["KEY"].` of `text`, with its label and
/// key.
fn module_segment(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("module.")?;
    let label_len = rest.find(['.', '['])?;
    let mut end = "module.".len() + label_len;
    if text[end..].starts_with('[') {
        let key_len = quoted_len(&text[end + 1..])?;
        end += 1 + key_len;
        if !text[end..].starts_with(']') {
            return None;
        }
        end += 1;
    }
    text[end..].starts_with('.').then(|| &text[..end + 1])
}

/// The length of the JSON string `text` starts with, quotes included.
fn quoted_len(text: &str) -> Option<usize> {
    let mut chars = text.char_indices();
    if chars.next()?.1 != '"' {
        return None;
    }
    while let Some((index, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '"' => return Some(index + 1),
            _ => {}
        }
    }
    None
}

/// How the objects of the module instance at `path` (from `split_module_path`) are
/// named: `module.a["x"].module.b.` gives `a_x_b_`, the root `""`.
pub fn path_name_prefix(path: &str) -> String {
    let mut prefix = String::new();
    let mut rest = path;
    while let Some(segment) = module_segment(rest) {
        let inner = &segment["module.".len()..segment.len() - 1];
        match inner.split_once('[') {
            Some((label, quoted)) => {
                let key: String =
                    serde_json::from_str(quoted.trim_end_matches(']')).unwrap_or_default();
                prefix.push_str(&format!("{label}_{}_", snake_key(&key)));
            }
            None => prefix.push_str(&format!("{inner}_")),
        }
        rest = &rest[segment.len()..];
    }
    prefix
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_resolve_from_the_calling_file_and_stay_inside_the_root() {
        assert_eq!(
            source_dir("main.hcl", "./modules/a").as_deref(),
            Some("modules/a")
        );
        assert_eq!(
            source_dir("modules/a/main.hcl", "../b").as_deref(),
            Some("modules/b")
        );
        assert_eq!(source_dir("main.hcl", ".").as_deref(), Some(""));
        assert_eq!(source_dir("main.hcl", "../elsewhere"), None);
        assert_eq!(source_dir("main.hcl", "/etc"), None);
        assert_eq!(source_dir("main.hcl", "C:\\x"), None);
    }

    #[test]
    fn addresses_split_into_their_module_path_and_the_rest() {
        let cases = [
            ("vpc.main", "", "vpc.main", ""),
            ("module.old.vpc.main", "module.old.", "vpc.main", "old_"),
            (
                r#"module.a["x.y"].module.b.endpoint.aws["ssm"]"#,
                r#"module.a["x.y"].module.b."#,
                r#"endpoint.aws["ssm"]"#,
                "a_x_y_b_",
            ),
            (
                r#"module.s["a\"]."].subnet.x"#,
                r#"module.s["a\"]."]."#,
                "subnet.x",
                "s_a__",
            ),
            ("module.broken", "", "module.broken", ""),
        ];
        for (address, path, rest, prefix) in cases {
            assert_eq!(split_module_path(address), (path, rest), "{address}");
            assert_eq!(path_name_prefix(path), prefix, "{address}");
        }
    }
}
