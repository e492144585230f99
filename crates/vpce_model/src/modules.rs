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
    eval::{Evaluator, Scope, ScopeId, Slot},
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
    /// `module.NAME`, chained for nested modules (`module.a.module.b`).
    pub address: String,
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

/// Instantiates the module a `module` block calls, collecting its declarations in a new
/// scope; `None` (reported) when the call cannot be made.
pub(crate) fn call<'a>(
    ev: &mut Evaluator<'a, '_>,
    scope: ScopeId,
    block: &'a Block,
    file: FileId,
    modules: &'a [ModuleDir],
) -> Option<Order<'a>> {
    let label = resolve::single_label(ev, block)?;
    let name = label.name.as_str();
    if let Some((first, _)) = ev.scopes[scope].modules.get(name) {
        let first = *first;
        ev.report(resolve::duplicate("module", name, label.span, first));
        return None;
    }
    // Until the call succeeds, `module.NAME` is known but Unknown (reported once, here).
    ev.scopes[scope].modules.insert(name, (label.span, None));
    resolve::reject_nested_blocks(ev, &block.body, "module");
    let address = format!("{}module.{name}", ev.scopes[scope].address_prefix);
    if let Some(for_each) = block
        .body
        .attributes
        .iter()
        .find(|a| a.key.name == "for_each")
    {
        ev.report(
            Diagnostic::new(
                Code::UnknownAttribute,
                "`for_each` on a `module` block is not supported",
            )
            .with_label(for_each.key.span, "a meta-argument modules do not take")
            .with_help("write one `module` block per instance, or put `for_each` on the blocks inside the module"),
        );
        return None;
    }
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
    let files = match modules.iter().find(|m| m.dir == dir).map(|m| &m.files) {
        Some(Ok(files)) => files,
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
            return None;
        }
    };
    let parent = &ev.scopes[scope];
    let child = ev.scopes.len();
    ev.scopes.push(Scope {
        address_prefix: format!("{address}."),
        name_prefix: format!("{}{name}_", parent.name_prefix),
        dir,
        parent: Some(scope),
        depth,
        call: Some((block, file)),
        files: files.iter().map(|f| f.file).collect(),
        modules: IndexMap::new(),
    });
    let order = resolve::collect(ev, files, child, modules, &mut IndexMap::new());
    bind_inputs(ev, scope, child, block, file, &address);
    ev.scopes[scope]
        .modules
        .insert(name, (label.span, Some(child)));
    Some(order)
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
        if input == "source" {
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
    let value = ev.eval(&attribute.value, crate::eval::Ctx::in_scope(file, caller));
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
        let Some(child) = *called else {
            return Value::Unknown;
        };
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
                self.charge(Value::Map(map), name.span)
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
        self.slot(Slot::ModuleOutput(index), block.header_span(), |ev| {
            ev.eval(&value.value, ctx)
        })
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
                header: block.header_span(),
                label: label.name.clone(),
                label_span: label.span,
                files: scope.files.clone(),
            })
        })
        .collect()
}

/// Adds to each diagnostic in a module's file a note naming the `module` block that
/// instantiated it (the instances its message names, else every instance of the file).
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
            .filter(|c| diagnostic.message.contains(&format!("{}.", c.address)))
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
}
