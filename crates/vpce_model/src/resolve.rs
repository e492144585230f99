//! Resolution: declarations are collected, variables bound, every block checked against
//! its schema (V101-V110, V112) and built into the typed [`Model`].

use indexmap::IndexMap;
use vpce_diagnostics::{did_you_mean, suggest, Code, Diagnostic, FileId, SourceMap, Span};
use vpce_syntax::ast::{Attribute, Block, Body, Expr, ExprKind, Ident};

mod load_balancer;

use crate::{
    eval::{
        type_error, Ctx, Decl, Evaluator, Expansion, Group, LocalDecl, ScopeId, VarDecl, VarType,
        ROOT,
    },
    modules::ModuleDir,
    net::{Cidr, Zone},
    objects::*,
    schema::{self, AttrSpec, EndpointType, IpAddressType, Kind, Ty, Via},
    Spanned, Value,
};

/// One parsed configuration file.
pub struct ParsedFile {
    pub file: FileId,
    pub body: Body,
}

/// A value for a variable, from `--var name=value` or a `--var-file`.
pub struct VarAssignment {
    pub name: String,
    /// Where the name was written (the `--var` pseudo-file or the var file).
    pub name_span: Span,
    pub input: VarInput,
}

pub enum VarInput {
    /// `--var name=text`: a string for string variables, parsed as HCL otherwise.
    Text { text: String, span: Span },
    /// An attribute of a `--var-file`.
    Expr(Expr),
}

/// How `file()` and modules read files. Paths are relative to the configuration
/// directory, `/`-separated and already checked to stay inside it.
pub trait FileLoader {
    fn load(&self, path: &str) -> Result<String, String>;

    /// The paths of a directory's `*.hcl` files, sorted by name: a module's files.
    fn hcl_files(&self, dir: &str) -> Result<Vec<String>, String> {
        let _ = dir;
        Err("no such directory".into())
    }

    /// A module file's bytes (one that is not UTF-8 is then a diagnostic at the byte).
    fn load_bytes(&self, path: &str) -> Result<Vec<u8>, String> {
        self.load(path).map(String::into_bytes)
    }
}

/// A loader for configurations given as text (tests, the docs pages): no files.
pub struct NoFiles;

impl FileLoader for NoFiles {
    fn load(&self, _path: &str) -> Result<String, String> {
        Err("no such file".into())
    }
}

/// Resolves parsed files into a model. Never fails: what cannot be resolved is
/// reported and left out.
pub fn resolve<'a>(
    files: &'a [ParsedFile],
    modules: &'a [ModuleDir],
    vars: &'a [VarAssignment],
    loader: &'a dyn FileLoader,
    sources: &mut SourceMap,
) -> (Model, Vec<Diagnostic>) {
    let mut ev = Evaluator::new(sources, loader);
    ev.module_dirs = modules;
    let mut top: IndexMap<&str, (&Attribute, FileId)> = IndexMap::new();
    let order = collect(&mut ev, files, ROOT, &mut top);
    bind_variables(&mut ev, vars);
    expand_groups(&mut ev, order);

    let mut model = Model::default();
    let refs = |file| Ctx::new(file, true);
    for (name, (attribute, file)) in &top {
        let spec = schema::TOP_LEVEL
            .iter()
            .find(|s| s.name == *name)
            .expect("checked in collect");
        let value = ev.eval(&attribute.value, refs(*file));
        let value = conform(&mut ev, value, &attribute.value, spec.ty, name);
        match *name {
            "region" => {
                ev.top_region = Some(value.clone());
                model.region = spanned_string(&value, &attribute.value);
            }
            "account" => {
                model.account = spanned_string(&value, &attribute.value);
                if let Some(account) = &model.account {
                    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
                        ev.report(
                            Diagnostic::new(
                                Code::InvalidValue,
                                format!("`account` must be 12 digits, found `{}`", account.value),
                            )
                            .with_label(account.span, "not an AWS account id")
                            .with_help("write the deploying account's 12-digit id, e.g. `\"123456789012\"`"),
                        );
                        model.account = None;
                    }
                }
            }
            "default_tags" => model.default_tags = string_map(&value),
            _ => unreachable!("TOP_LEVEL has three attributes"),
        }
    }
    if !top.contains_key("region") {
        if let Some(first) = files.first() {
            ev.report(
                Diagnostic::new(Code::MissingAttribute, "the configuration has no `region`")
                    .with_label(
                        Span::new(first.file, 0, 0),
                        "expected a top-level `region` in some file",
                    )
                    .with_help(
                        "add `region = \"eu-west-1\"` (or your region) at the top of a file",
                    ),
            );
        }
    }

    for kind in Kind::ALL.iter().copied() {
        let count = ev.decls[&kind].len();
        model.reserve_exact(kind, count);
        for index in 0..count {
            let obj = ObjRef {
                kind,
                index: index as u32,
            };
            build(&mut ev, &mut model, obj);
        }
    }
    // A `for_each` nobody reads through `each.value` is still checked.
    for group in 0..ev.groups.len() {
        ev.for_each_value(group);
    }
    crate::service::resolve_all(&mut model);
    model.outputs = outputs(&mut ev, &model);
    model.module_calls = crate::modules::finish(&mut ev);
    check_routes_to_remote_networks(&mut ev, &model);
    // Locals nobody reads are still checked.
    for index in 0..ev.locals.len() {
        ev.local_at(index);
    }
    let diagnostics = std::mem::take(&mut ev.diagnostics);
    (model, diagnostics)
}

/// `dynamic "KIND" { for_each = ..., iterator = NAME, content { ... } }`: one nested
/// block per element, `content` evaluated with `NAME` (default: `KIND`) bound to
/// `{ key, value }` (for a list, the key is the index).
fn dynamic_block<'a>(
    ev: &mut Evaluator<'a, '_>,
    block: &'a Block,
    nested: &[(&'a str, &'static [AttrSpec])],
    kind: Kind,
    ctx: Ctx,
    out: &mut Vec<(&'a str, Span, Fields<'a>)>,
) {
    let invalid = |message: String, span: Span, help: &str| {
        Diagnostic::new(Code::SyntaxError, message)
            .with_label(span, "in this `dynamic` block")
            .with_help(help.to_string())
    };
    let Some(label) = block.labels.first().filter(|_| block.labels.len() == 1) else {
        ev.report(invalid(
            "a `dynamic` block takes one label, the kind of block it repeats".into(),
            block.kind.span,
            "write `dynamic \"ingress\" { for_each = ..., content { ... } }`",
        ));
        return;
    };
    let Some((keyword, specs)) = nested.iter().find(|(n, _)| *n == label.name) else {
        let candidates = nested.iter().map(|(n, _)| *n);
        ev.report(unknown_block(label, candidates, Some(kind.keyword())));
        return;
    };
    for attribute in &block.body.attributes {
        if !matches!(attribute.key.name.as_str(), "for_each" | "iterator") {
            ev.report(invalid(
                format!("`dynamic` has no attribute `{}`", attribute.key.name),
                attribute.key.span,
                "a `dynamic` block takes `for_each`, `iterator` and one `content` block",
            ));
        }
    }
    let contents: Vec<&Block> = block
        .body
        .blocks
        .iter()
        .filter(|b| b.kind.name == "content")
        .collect();
    for other in block
        .body
        .blocks
        .iter()
        .filter(|b| b.kind.name != "content")
    {
        ev.report(unknown_block(
            &other.kind,
            ["content"].into_iter(),
            Some("dynamic"),
        ));
    }
    let [content] = contents.as_slice() else {
        ev.report(invalid(
            "a `dynamic` block needs exactly one `content` block".into(),
            block.header_span(),
            "write the repeated block's attributes in `content { ... }`",
        ));
        return;
    };
    let Some(for_each) = block
        .body
        .attributes
        .iter()
        .find(|a| a.key.name == "for_each")
    else {
        ev.report(invalid(
            "a `dynamic` block needs `for_each`".into(),
            block.header_span(),
            "add `for_each = ...`, a list or a map to repeat the block over",
        ));
        return;
    };
    let iterator: &'a str = match block
        .body
        .attributes
        .iter()
        .find(|a| a.key.name == "iterator")
    {
        Some(attribute) => match &attribute.value.kind {
            ExprKind::Variable(ident) => &ident.name,
            _ => {
                ev.report(invalid(
                    "`iterator` is a name".into(),
                    attribute.value.span,
                    "write `iterator = rule`, without quotes",
                ));
                return;
            }
        },
        None => &label.name,
    };
    reject_nested_blocks(ev, &content.body, keyword);
    let elements: Vec<(Value, Value)> = match ev.eval(&for_each.value, ctx) {
        Value::List(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, v)| (Value::Number(i as f64), v))
            .collect(),
        Value::Map(map) => {
            // Maps are iterated in key order, byte-wise, as Terraform does.
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            entries
                .into_iter()
                .map(|(k, v)| (Value::String(k), v))
                .collect()
        }
        Value::Null | Value::Unknown => return,
        other => {
            ev.mismatch(for_each.value.span, "a list or a map", &other);
            return;
        }
    };
    for (key, value) in elements {
        let binding = Value::map(IndexMap::from([
            ("key".to_string(), key),
            ("value".to_string(), value),
        ]));
        let shape = Shape {
            specs,
            nested: &[],
            parent: keyword,
            header: label.span,
            existing: false,
            meta: &[],
        };
        let fields = ev.with_binding(iterator, binding, |ev| {
            check_body(ev, &content.body, shape, |ev, index| {
                ev.eval(&content.body.attributes[index].value, ctx)
            })
        });
        out.push((keyword, content.span, fields));
    }
}

/// The top-level outputs: each value as text (V104 for one that has none).
fn outputs(ev: &mut Evaluator<'_, '_>, model: &Model) -> Vec<Output> {
    let mut out = Vec::new();
    for index in 0..ev.outputs.len() {
        let (name, (block, file)) = ev
            .outputs
            .get_index(index)
            .map(|(n, d)| (*n, *d))
            .expect("in range");
        reject_nested_blocks(ev, &block.body, "output");
        let fields = check_body(
            ev,
            &block.body,
            Shape {
                specs: schema::OUTPUT,
                nested: &[],
                parent: "output",
                header: block.header_span(),
                existing: false,
                meta: &["value"],
            },
            |ev, i| ev.eval(&block.body.attributes[i].value, Ctx::new(file, true)),
        );
        let Some(expr) = block.body.attributes.iter().find(|a| a.key.name == "value") else {
            ev.report(output_without_value(name, block));
            continue;
        };
        let value = ev.eval(&expr.value, Ctx::new(file, true));
        let Some(value) = output_text(ev, model, &value, expr.value.span) else {
            continue;
        };
        out.push(Output {
            name: name.to_string(),
            header: block.header_span(),
            value,
            description: fields.string("description").map(|d| d.value),
            export: fields.flag("export"),
        });
    }
    out
}

/// V103 for an `output` (of the root or of a module) without `value`.
pub(crate) fn output_without_value(name: &str, block: &Block) -> Diagnostic {
    Diagnostic::new(
        Code::MissingAttribute,
        format!("`output` `{name}` has no `value`"),
    )
    .with_label(block.header_span(), "`value` is not set")
    .with_help("add `value = ...`, e.g. `value = endpoint.NAME.dns_names`")
}

/// An output's value as text: strings as they are, numbers and bools written out, a
/// list joined with `,`, a created object as its id (an existing one as the id written).
fn output_text(
    ev: &mut Evaluator<'_, '_>,
    model: &Model,
    value: &Value,
    span: Span,
) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(crate::format_number(*n)),
        Value::Bool(b) => Some(b.to_string()),
        Value::Ref(obj) => {
            let common = model.common(*obj);
            if let Some(existing) = &common.existing {
                return Some(existing.value.clone());
            }
            let attr = if obj.kind == Kind::LoadBalancer {
                "arn"
            } else {
                "id"
            };
            match crate::deployed::DeployedAttr::of(obj.kind, attr) {
                Some(deployed) => Some(crate::deployed::marker(*obj, deployed)),
                None => {
                    ev.report(type_error(
                        span,
                        format!("`{}` has no id to output", common.address),
                    ));
                    None
                }
            }
        }
        Value::List(items) => {
            let parts: Option<Vec<String>> = items
                .iter()
                .map(|i| output_text(ev, model, i, span))
                .collect();
            Some(parts?.join(","))
        }
        Value::Unknown => None,
        Value::Null | Value::Map(_) => {
            // "an object" names both a map and a block's object: say "a reference".
            let help = if matches!(value, Value::Map(_)) {
                "an output holds one value or a list: output each entry on its own, or the \
                 list `values(...)` gives (in key order)"
            } else {
                "output one attribute at a time, e.g. `value = endpoint.NAME.dns_names`"
            };
            ev.report(
                type_error(
                    span,
                    format!(
                        "an output is a string, a number, a bool, a reference or a list of them, found {}",
                        value.type_name()
                    ),
                )
                .with_help(help),
            );
            None
        }
    }
}

/// A route to a remote network targets the network's existing gateway: without
/// `gateway` there is nothing to write in the route (V103). A `gateway` that was written
/// but rejected (V108) is not reported again.
fn check_routes_to_remote_networks(ev: &mut Evaluator<'_, '_>, model: &Model) {
    for (_, table) in model.route_tables.iter() {
        for route in &table.routes {
            let Some(target) = route
                .target
                .as_ref()
                .filter(|t| t.value.kind == Kind::RemoteNetwork)
            else {
                continue;
            };
            let remote = &model.remote_networks[Id::new(target.value.index as usize)];
            if remote.common.value_span("gateway").is_some() {
                continue;
            }
            let address = model.address(target.value);
            ev.report(
                Diagnostic::new(
                    Code::MissingAttribute,
                    format!("`{address}` has no `gateway`, which a route to it needs"),
                )
                .with_label(target.span, "a route to a remote network goes through its gateway")
                .with_label(remote.common.header, "`gateway` is not set")
                .with_help(format!(
                    "set `gateway` on `{address}` to the transit gateway (`tgw-...`), virtual private gateway (`vgw-...`) or peering connection (`pcx-...`) that reaches it"
                )),
            );
        }
    }
}

/// Where a declaration stands among its kind's, in source order: a block, or a block
/// with `for_each` (a group) whose instances take its place once expanded.
pub(crate) enum Placed<'a> {
    Block(Decl<'a>),
    Group(usize),
    /// The objects of this kind of a module instance, where its `module` block is.
    Module(Vec<Placed<'a>>),
    /// A `module` block with `for_each` (a group): the objects of this kind of each of
    /// its instances, in key order, once instantiated.
    ModuleGroup(usize),
}

/// Each kind's declarations of one scope, in source order.
pub(crate) type Order<'a> = IndexMap<Kind, Vec<Placed<'a>>>;

/// Computes every group's keys, then puts each kind's objects in their final order:
/// blocks as written, a group's instances where its block is, in key order.
/// Keys may depend on locals that refer to objects, so everything evaluated while
/// computing them is forgotten afterwards, and reported (once) when evaluated again;
/// only what concerns `for_each` itself is kept.
fn expand_groups<'a>(ev: &mut Evaluator<'a, '_>, order: IndexMap<Kind, Vec<Placed<'a>>>) {
    let reported = ev.diagnostics.len();
    // Module instances first: they declare groups of their own. Each instance adds
    // groups to the end, so this reaches nested modules' groups too.
    let mut group = 0;
    while group < ev.groups.len() {
        if ev.groups[group].kind.is_none() {
            crate::modules::instantiate_group(ev, group);
        }
        group += 1;
    }
    for group in 0..ev.groups.len() {
        ev.expand_group(group);
    }
    ev.diagnostics.truncate(reported);
    let kept = std::mem::take(&mut ev.for_each_diagnostics);
    ev.diagnostics.extend(kept);
    ev.forget_values();
    for (kind, placed) in order {
        // At least one entry per placed declaration (groups and modules add more).
        let mut table = IndexMap::with_capacity(placed.len());
        place(ev, kind, &mut table, placed);
        ev.decls.insert(kind, table);
    }
    ev.expanded = true;
    ev.index_attribute_values();
}

/// Puts declarations into their kind's final table, module instances' in place.
fn place<'a>(
    ev: &mut Evaluator<'a, '_>,
    kind: Kind,
    table: &mut IndexMap<String, Decl<'a>>,
    placed: Vec<Placed<'a>>,
) {
    for entry in placed {
        match entry {
            Placed::Block(decl) => {
                table.insert(ev.decl_key(decl.scope, kind, &decl.label.name), decl);
            }
            Placed::Module(entries) => place(ev, kind, table, entries),
            Placed::ModuleGroup(index) => {
                let scopes: Vec<u32> = ev.groups[index]
                    .instances
                    .iter()
                    .flat_map(|instances| instances.values().copied())
                    .collect();
                for scope in scopes {
                    let entries = ev
                        .module_orders
                        .get_mut(&(scope as ScopeId))
                        .and_then(|order| order.get_mut(&kind))
                        .map(std::mem::take)
                        .unwrap_or_default();
                    place(ev, kind, table, entries);
                }
            }
            Placed::Group(index) => {
                let group = &ev.groups[index];
                let Expansion::Done(Some(keys)) = &group.expansion else {
                    continue;
                };
                let name_prefix = &ev.scopes[group.scope].name_prefix;
                let mut decls = Vec::with_capacity(keys.len());
                let mut instances = IndexMap::new();
                for key in keys {
                    let decl = Decl {
                        name: format!(
                            "{name_prefix}{}_{}",
                            group.label.name,
                            crate::eval::snake_key(key)
                        ),
                        label: group.label,
                        block: group.block,
                        file: group.file,
                        instance: Some((index, key.clone())),
                        scope: group.scope,
                    };
                    instances.insert(key.clone(), (table.len() + decls.len()) as u32);
                    decls.push(decl);
                }
                for decl in decls {
                    table.insert(ev.decl_key(decl.scope, kind, &decl.address_name()), decl);
                }
                ev.groups[index].instances = Some(instances);
            }
        }
    }
}

/// Collects the declarations of one scope's files (the root's, or a module
/// instance's), and of the modules they call.
pub(crate) fn collect<'a>(
    ev: &mut Evaluator<'a, '_>,
    files: &'a [ParsedFile],
    scope: ScopeId,
    top: &mut IndexMap<&'a str, (&'a Attribute, FileId)>,
) -> Order<'a> {
    let mut order: Order<'a> = Kind::ALL.iter().map(|k| (*k, Vec::new())).collect();
    for parsed in files {
        let file = parsed.file;
        for attribute in &parsed.body.attributes {
            let name = attribute.key.name.as_str();
            let top_level = schema::TOP_LEVEL.iter().any(|s| s.name == name);
            if top_level && scope != ROOT {
                crate::modules::reject_top_level(ev, attribute, scope);
            } else if !top_level {
                let is_block = schema::block_keywords().any(|k| k == name);
                let help = if is_block {
                    Some(format!(
                        "`{name}` is a block: write `{name} \"NAME\" {{ ... }}`"
                    ))
                } else {
                    did_you_mean(name, schema::TOP_LEVEL.iter().map(|s| s.name))
                };
                ev.report(
                    Diagnostic::new(
                        Code::UnknownAttribute,
                        format!("unknown top-level attribute `{name}`"),
                    )
                    .with_label(attribute.key.span, "not a top-level attribute")
                    .with_help(help.unwrap_or_else(|| {
                        "the top-level attributes are `region`, `account` and `default_tags`".into()
                    })),
                );
            } else if let Some((first, _)) = top.get(name) {
                ev.report(duplicate(
                    "top-level attribute",
                    name,
                    attribute.key.span,
                    first.key.span,
                ));
            } else {
                top.insert(name, (attribute, file));
            }
        }
        for block in &parsed.body.blocks {
            let keyword = block.kind.name.as_str();
            match keyword {
                "locals" => {
                    if let Some(label) = block.labels.first() {
                        ev.report(
                            Diagnostic::new(Code::SyntaxError, "`locals` blocks take no name")
                                .with_label(label.span, "remove this label"),
                        );
                    }
                    reject_nested_blocks(ev, &block.body, "locals");
                    for attribute in &block.body.attributes {
                        let name = attribute.key.name.as_str();
                        if let Some(first) = ev.locals.get(&(scope, name)) {
                            let first = first.attribute.key.span;
                            ev.report(duplicate("local value", name, attribute.key.span, first));
                        } else {
                            ev.locals
                                .insert((scope, name), LocalDecl { attribute, file });
                        }
                    }
                }
                "output" if scope != ROOT => {
                    let Some(name) = single_label(ev, block) else {
                        continue;
                    };
                    let key = (scope, name.name.as_str());
                    if let Some((first, _)) = ev.module_outputs.get(&key) {
                        let first = first.labels[0].span;
                        ev.report(duplicate("output", &name.name, name.span, first));
                        continue;
                    }
                    ev.module_outputs.insert(key, (block, file));
                }
                "output" => {
                    let Some(name) = single_label(ev, block) else {
                        continue;
                    };
                    if let Some((first, _)) = ev.outputs.get(name.name.as_str()) {
                        let first = first.labels[0].span;
                        ev.report(duplicate("output", &name.name, name.span, first));
                        continue;
                    }
                    ev.outputs.insert(&name.name, (block, file));
                }
                "module" => match crate::modules::call(ev, scope, block, file) {
                    Some(crate::modules::Call::Instance(child)) => {
                        for (kind, placed) in child {
                            order[&kind].push(Placed::Module(placed));
                        }
                    }
                    Some(crate::modules::Call::Group(group)) => {
                        for placed in order.values_mut() {
                            placed.push(Placed::ModuleGroup(group));
                        }
                    }
                    None => {}
                },
                "variable" => {
                    let Some(name) = single_label(ev, block) else {
                        continue;
                    };
                    if let Some(first) = ev.vars.get(&(scope, name.name.as_str())) {
                        let first = first.block.labels[0].span;
                        ev.report(duplicate("variable", &name.name, name.span, first));
                        continue;
                    }
                    reject_nested_blocks(ev, &block.body, "variable");
                    check_attribute_names(ev, &block.body, schema::VARIABLE, &[], "variable", &[]);
                    let ty = block
                        .body
                        .attributes
                        .iter()
                        .find(|a| a.key.name == "type")
                        .map_or(VarType::Any, |a| parse_var_type(ev, &a.value));
                    ev.vars.insert(
                        (scope, &name.name),
                        VarDecl {
                            block,
                            file,
                            given: None,
                            ty,
                            input: None,
                        },
                    );
                }
                _ => match Kind::from_keyword(keyword) {
                    Some(kind) => {
                        let Some(name) = single_label(ev, block) else {
                            continue;
                        };
                        let key = ev.decl_key(scope, kind, &name.name);
                        let first = ev.decls[&kind]
                            .get(key.as_str())
                            .map(|d| d.label.span)
                            .or_else(|| {
                                ev.group_named(kind, scope, &name.name)
                                    .map(|g| ev.groups[g].label.span)
                            });
                        if let Some(first) = first {
                            ev.report(duplicate(kind.keyword(), &name.name, name.span, first));
                            continue;
                        }
                        let for_each = block
                            .body
                            .attributes
                            .iter()
                            .find(|a| a.key.name == "for_each");
                        let placed = match for_each {
                            Some(for_each) => {
                                ev.groups.push(Group::new(
                                    Some(kind),
                                    name,
                                    block,
                                    file,
                                    for_each,
                                    scope,
                                ));
                                ev.group_index
                                    .insert((kind, scope, &name.name), ev.groups.len() - 1);
                                Placed::Group(ev.groups.len() - 1)
                            }
                            None => {
                                let decl = Decl {
                                    name: format!("{}{}", ev.scopes[scope].name_prefix, name.name),
                                    label: name,
                                    block,
                                    file,
                                    instance: None,
                                    scope,
                                };
                                // Until expansion, blocks are also objects by name, so
                                // that `for_each` can read them.
                                let provisional = decl.clone();
                                ev.decls
                                    .get_mut(&kind)
                                    .expect("every kind has a table")
                                    .insert(key, provisional);
                                Placed::Block(decl)
                            }
                        };
                        order[&kind].push(placed);
                    }
                    None => ev.report(unknown_block(&block.kind, schema::block_keywords(), None)),
                },
            }
        }
    }
    order
}

fn unknown_block<'k>(
    kind: &Ident,
    candidates: impl Iterator<Item = &'k str>,
    inside: Option<&str>,
) -> Diagnostic {
    let candidates: Vec<&str> = candidates.collect();
    let (message, label) = match inside {
        Some(parent) => (
            format!("`{parent}` has no block `{}`", kind.name),
            "unknown nested block",
        ),
        None => (
            format!("unknown block type `{}`", kind.name),
            "not a block type of vpce",
        ),
    };
    let terraform = matches!(
        kind.name.as_str(),
        "resource" | "data" | "provider" | "terraform"
    );
    if inside.is_none() && terraform {
        return Diagnostic::new(Code::UnknownBlock, message)
            .with_label(kind.span, "a Terraform block")
            .with_help(
                "vpce is not Terraform: declare objects directly, e.g. `vpc \"main\" { ... }`",
            );
    }
    let help = did_you_mean(&kind.name, candidates.iter().copied()).unwrap_or_else(|| {
        if candidates.is_empty() {
            "this block takes no nested blocks".into()
        } else {
            format!(
                "expected one of {}",
                candidates
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    });
    Diagnostic::new(Code::UnknownBlock, message)
        .with_label(kind.span, label)
        .with_help(help)
}

pub(crate) fn duplicate(what: &str, name: &str, again: Span, first: Span) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateName,
        format!("{what} `{name}` is defined twice"),
    )
    .with_label(again, "defined again here")
    .with_label(first, "first defined here")
    .with_help("rename one of them, or remove the copy")
}

pub(crate) fn single_label<'a>(ev: &mut Evaluator<'a, '_>, block: &'a Block) -> Option<&'a Ident> {
    let keyword = &block.kind.name;
    match block.labels.as_slice() {
        [name] => Some(name),
        [] => {
            ev.report(
                Diagnostic::new(Code::SyntaxError, format!("`{keyword}` blocks need a name"))
                    .with_label(block.kind.span, "no name")
                    .with_help(format!("write `{keyword} \"NAME\" {{ ... }}`")),
            );
            None
        }
        [_, extra @ ..] => {
            let span = extra[0].span.to(extra[extra.len() - 1].span);
            ev.report(
                Diagnostic::new(
                    Code::SyntaxError,
                    format!(
                        "`{keyword}` blocks take one name, found {}",
                        block.labels.len()
                    ),
                )
                .with_label(span, "extra labels")
                .with_help(format!("write `{keyword} \"NAME\" {{ ... }}`")),
            );
            None
        }
    }
}

pub(crate) fn reject_nested_blocks(ev: &mut Evaluator<'_, '_>, body: &Body, parent: &str) {
    for block in &body.blocks {
        ev.report(unknown_block(&block.kind, std::iter::empty(), Some(parent)));
    }
}

/// V102 for attributes the schema does not have; nested block names get a hint. Returns
/// the attributes the misspelt names most likely meant: they count as written but
/// rejected, so nothing is reported again for their absence (one cause, one diagnostic).
pub(crate) fn check_attribute_names(
    ev: &mut Evaluator<'_, '_>,
    body: &Body,
    specs: &[AttrSpec],
    nested: &[(&str, &[AttrSpec])],
    parent: &str,
    meta: &[&str],
) -> Vec<&'static str> {
    let mut meant = Vec::new();
    for attribute in &body.attributes {
        let name = attribute.key.name.as_str();
        if specs.iter().any(|s| s.name == name) || meta.contains(&name) {
            continue;
        }
        let help = if nested.iter().any(|(n, _)| *n == name) {
            Some(format!(
                "`{name}` is a block: write `{name} {{ ... }}` without `=`"
            ))
        } else {
            let suggestion = schema::suggest_attribute(name, specs.iter().map(|s| s.name));
            if let Some(spec) = suggestion.and_then(|c| specs.iter().find(|s| s.name == c)) {
                meant.push(spec.name);
            }
            suggestion.map(|c| format!("did you mean `{c}`?"))
        };
        ev.report(
            Diagnostic::new(
                Code::UnknownAttribute,
                format!("`{parent}` has no attribute `{name}`"),
            )
            .with_label(attribute.key.span, "unknown attribute")
            .with_help(help.unwrap_or_else(|| {
                format!(
                    "the attributes of `{parent}` are {}",
                    specs
                        .iter()
                        .map(|s| format!("`{}`", s.name))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })),
        );
    }
    meant
}

fn parse_var_type(ev: &mut Evaluator<'_, '_>, expr: &Expr) -> VarType {
    fn parse(expr: &Expr) -> Option<VarType> {
        match &expr.kind {
            ExprKind::Variable(ident) => match ident.name.as_str() {
                "string" => Some(VarType::String),
                "number" => Some(VarType::Number),
                "bool" => Some(VarType::Bool),
                "any" => Some(VarType::Any),
                _ => None,
            },
            ExprKind::Call(call) if call.args.len() == 1 => {
                let inner = Box::new(parse(&call.args[0])?);
                match call.name.name.as_str() {
                    "list" | "set" => Some(VarType::List(inner)),
                    "map" => Some(VarType::Map(inner)),
                    _ => None,
                }
            }
            _ => None,
        }
    }
    parse(expr).unwrap_or_else(|| {
        let written = match &expr.kind {
            ExprKind::Variable(ident) => Some(ident.name.as_str()),
            ExprKind::Call(call) => Some(call.name.name.as_str()),
            _ => None,
        };
        let types = ["string", "number", "bool", "any", "list", "set", "map"];
        let help = written
            .and_then(|w| did_you_mean(w, types))
            .unwrap_or_else(|| {
                "use `string`, `number`, `bool`, `list(string)` or `map(string)`".into()
            });
        ev.report(
            Diagnostic::new(Code::InvalidValue, "not a variable type")
                .with_label(expr.span, "expected a type")
                .with_help(help),
        );
        VarType::Any
    })
}

fn bind_variables<'a>(ev: &mut Evaluator<'a, '_>, assignments: &'a [VarAssignment]) {
    for assignment in assignments {
        let Some(index) = ev.vars.get_index_of(&(ROOT, assignment.name.as_str())) else {
            let root_vars = ev.vars.keys().filter(|(s, _)| *s == ROOT);
            let help = suggest(&assignment.name, root_vars.map(|(_, n)| *n))
                .map(|c| format!("did you mean `{c}`?"))
                .unwrap_or_else(|| {
                    format!(
                        "declare it in the configuration: `variable \"{}\" {{ type = string }}`",
                        assignment.name
                    )
                });
            ev.report(
                Diagnostic::new(
                    Code::UnresolvedReference,
                    format!(
                        "a value is given for the undeclared variable `{}`",
                        assignment.name
                    ),
                )
                .with_label(assignment.name_span, "no `variable` block has this name")
                .with_help(help),
            );
            continue;
        };
        let ty = ev.vars[index].ty.clone();
        let (value, span) = match &assignment.input {
            VarInput::Text { text, span } => (text_value(ev, text, *span, &ty), *span),
            VarInput::Expr(expr) => {
                let value = ev.eval(expr, Ctx::new(expr.span.file, false));
                (
                    conform_var(ev, value, expr.span, &ty, &assignment.name),
                    expr.span,
                )
            }
        };
        ev.vars[index].given = Some((value, span));
    }
    bind_defaults(ev, 0);
}

/// Gives the variables from the `first`th on that have no value yet their `default`
/// (V109 at the root for one without): module instances made once their `for_each`
/// keys are known bind theirs when made.
pub(crate) fn bind_defaults(ev: &mut Evaluator<'_, '_>, first: usize) {
    for index in first..ev.vars.len() {
        if ev.vars[index].given.is_some() || ev.vars[index].input.is_some() {
            continue;
        }
        let ((scope, name), decl) = ev.vars.get_index(index).expect("in range");
        let (block, file, ty, scope, name) =
            (decl.block, decl.file, decl.ty.clone(), *scope, *name);
        match block
            .body
            .attributes
            .iter()
            .find(|a| a.key.name == "default")
        {
            Some(default) => {
                let value = ev.eval(&default.value, Ctx::new(file, false));
                let value = conform_var(ev, value, default.value.span, &ty, name);
                ev.vars[index].given = Some((value, default.value.span));
            }
            // A module's required input that its call does not give: V117 there.
            None if scope != ROOT => {
                ev.vars[index].given = Some((Value::Unknown, block.header_span()));
            }
            None => {
                ev.report(
                    Diagnostic::new(
                        Code::MissingVariable,
                        format!("variable `{name}` has no value"),
                    )
                    .with_label(block.header_span(), "no `default` and no value given")
                    .with_help(format!(
                        "pass `--var {name}=VALUE` or `--var-file FILE`, or add a `default`"
                    )),
                );
                ev.vars[index].given = Some((Value::Unknown, block.header_span()));
            }
        }
    }
}

/// `--var name=text`: strings stay text; other types are read as HCL values.
fn text_value(ev: &mut Evaluator<'_, '_>, text: &str, span: Span, ty: &VarType) -> Value {
    match ty {
        VarType::String | VarType::Any => Value::String(text.to_string()),
        VarType::Number => match text.trim().parse::<f64>() {
            Ok(n) if n.is_finite() => Value::Number(n),
            _ => ev.mismatch(span, "a number", &Value::String(text.into())),
        },
        VarType::Bool => match text.trim() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => ev.mismatch(span, "`true` or `false`", &Value::String(text.into())),
        },
        VarType::List(_) | VarType::Map(_) => {
            match vpce_syntax::parse_expression(span.file, text) {
                Ok(expr) => {
                    // The evaluator borrows expressions for as long as it lives; this one
                    // is made here, from a `--var` flag, so it is kept alive by leaking it
                    // (a few bytes per flag, once per process).
                    let expr: &'static Expr = Box::leak(Box::new(expr));
                    let value = ev.eval(expr, Ctx::new(span.file, false));
                    conform_var(ev, value, span, ty, "")
                }
                Err(diagnostic) => {
                    ev.report(diagnostic);
                    Value::Unknown
                }
            }
        }
    }
}

pub(crate) fn conform_var(
    ev: &mut Evaluator<'_, '_>,
    value: Value,
    span: Span,
    ty: &VarType,
    name: &str,
) -> Value {
    let ok = match (ty, &value) {
        (_, Value::Unknown) | (VarType::Any, _) => true,
        (VarType::String, Value::String(_)) => true,
        (VarType::String, Value::Number(n)) => return Value::String(crate::format_number(*n)),
        (VarType::Number, Value::Number(_)) | (VarType::Bool, Value::Bool(_)) => true,
        (VarType::List(_), Value::List(_)) | (VarType::Map(_), Value::Map(_)) => true,
        _ => false,
    };
    if ok {
        return value;
    }
    let what = if name.is_empty() {
        "the variable".to_string()
    } else {
        format!("variable `{name}`")
    };
    ev.report(type_error(
        span,
        format!(
            "{what} is of type `{}`, found {}",
            ty.describe(),
            value.type_name()
        ),
    ));
    Value::Unknown
}

/// Checks a value against an attribute's type: V104 for the wrong type, V106 for a
/// reference of the wrong kind, V108 for a value outside its enumeration. Returns the
/// value (converted where HCL converts) or `Unknown`.
pub(crate) fn conform(
    ev: &mut Evaluator<'_, '_>,
    value: Value,
    expr: &Expr,
    ty: Ty,
    attr: &str,
) -> Value {
    conform_at(ev, value, expr, expr.span, ty, attr)
}

fn conform_at(
    ev: &mut Evaluator<'_, '_>,
    value: Value,
    expr: &Expr,
    span: Span,
    ty: Ty,
    attr: &str,
) -> Value {
    if value == Value::Unknown {
        return Value::Unknown;
    }
    let wrong = |ev: &mut Evaluator<'_, '_>, value: &Value, help: Option<String>| {
        let found = match value {
            Value::Ref(obj) => format!("`{}`", ev.address(*obj)),
            other => other.type_name().to_string(),
        };
        ev.report(
            type_error(
                span,
                format!("`{attr}` expects {}, found {found}", ty.describe()),
            )
            .with_help_opt(help),
        );
        Value::Unknown
    };
    // Attributes AWS assigns may go where vpce only passes text on; elsewhere it must
    // know the value (V118).
    let passes_text_on = matches!(ty, Ty::StringMap | Ty::Policy) || attr == "description";
    if let Value::String(s) = &value {
        if !passes_text_on && crate::deployed::is_deployed(s) {
            return ev.known_after_deploy(span, &format!("`{attr}`"));
        }
    }
    match (ty, value) {
        (Ty::String, Value::String(s)) => Value::String(s),
        (Ty::String, Value::Number(n)) => Value::String(crate::format_number(n)),
        (Ty::String, Value::Bool(b)) => Value::String(b.to_string()),
        (Ty::Bool, Value::Bool(b)) => Value::Bool(b),
        (Ty::Bool, Value::String(s)) if s == "true" || s == "false" => Value::Bool(s == "true"),
        (Ty::Bool, Value::String(s)) => {
            let help = Some(format!(
                "write `true` or `false` without quotes, not `\"{s}\"`"
            ));
            wrong(ev, &Value::String(s), help)
        }
        (Ty::Number, Value::Number(n)) => Value::Number(n),
        (Ty::Enum(allowed), value) => {
            let Value::String(s) = conform_at(ev, value, expr, span, Ty::String, attr) else {
                return Value::Unknown;
            };
            if allowed.contains(&s.as_str()) {
                return Value::String(s);
            }
            let listed = allowed
                .iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(", ");
            ev.report(
                Diagnostic::new(
                    Code::InvalidValue,
                    format!("`{attr}` must be one of {listed}, found `{s}`"),
                )
                .with_label(span, "not an allowed value")
                .with_help_opt(did_you_mean(&s, allowed.iter().copied())),
            );
            Value::Unknown
        }
        (Ty::Ref(kind), Value::Ref(obj)) if obj.kind == kind => Value::Ref(obj),
        (Ty::RefAny(kinds), Value::Ref(obj)) if kinds.contains(&obj.kind) => Value::Ref(obj),
        (Ty::StringOrRef(kind), Value::Ref(obj)) if obj.kind == kind => Value::Ref(obj),
        (Ty::StringOrRef(_), Value::String(s)) => Value::String(s),
        (Ty::Ref(_) | Ty::RefAny(_) | Ty::StringOrRef(_), Value::Ref(obj)) => {
            let address = ev.address(obj);
            let help = reference_help(ev, ty, &address);
            ev.report(
                Diagnostic::new(
                    Code::WrongReferenceKind,
                    format!("`{attr}` expects {}, found `{address}`", ty.describe()),
                )
                .with_label(span, format!("a `{}`", obj.kind.keyword()))
                .with_help(help),
            );
            Value::Unknown
        }
        (Ty::Ref(kind), Value::String(s)) if ev.decls[&kind].contains_key(s.as_str()) => {
            let help = Some(format!(
                "write a reference without quotes: `{}.{s}`",
                kind.keyword()
            ));
            wrong(ev, &Value::String(s), help)
        }
        (Ty::List(item), Value::List(items)) => {
            let spans = item_spans(expr, span, items.len());
            Value::List(
                items
                    .into_iter()
                    .zip(spans)
                    .map(|(value, (item_expr, item_span))| {
                        conform_at(ev, value, item_expr.unwrap_or(expr), item_span, *item, attr)
                    })
                    .collect(),
            )
        }
        (Ty::List(_), value @ (Value::Ref(_) | Value::String(_))) => {
            let shown = match &value {
                Value::Ref(obj) => ev.address(*obj),
                Value::String(text) => format!("{text:?}"),
                _ => "...".into(),
            };
            let help = Some(format!("write a list: `[{shown}]`"));
            wrong(ev, &value, help)
        }
        (Ty::StringMap, Value::Map(map)) => {
            let mut out = IndexMap::new();
            for (key, value) in *map {
                let text = match value {
                    Value::String(s) => s,
                    Value::Number(n) => crate::format_number(n),
                    Value::Bool(b) => b.to_string(),
                    Value::Unknown => return Value::Unknown,
                    other => {
                        ev.report(type_error(
                            span,
                            format!(
                                "`{attr}` values must be strings, but `{key}` is {}",
                                other.type_name()
                            ),
                        ));
                        return Value::Unknown;
                    }
                };
                out.insert(key, Value::String(text));
            }
            Value::map(out)
        }
        (Ty::Ports, Value::Number(n)) => {
            if (0.0..=65535.0).contains(&n) && n.fract() == 0.0 {
                Value::Number(n)
            } else {
                invalid_ports(ev, span, &crate::format_number(n))
            }
        }
        (Ty::Ports, Value::String(s)) => {
            if parse_ports(&s).is_some() {
                Value::String(s)
            } else {
                invalid_ports(ev, span, &s)
            }
        }
        (Ty::Policy, value @ (Value::Map(_) | Value::String(_))) => value,
        (Ty::String | Ty::Number | Ty::Bool, Value::Ref(obj)) => {
            let address = ev.address(obj);
            let help = if obj.kind.schema().iter().any(|s| s.name == attr) {
                format!("did you mean `{address}.{attr}`?")
            } else {
                format!(
                    "read one of its attributes, e.g. `{address}.{}`",
                    obj.kind.schema()[0].name
                )
            };
            wrong(ev, &Value::Ref(obj), Some(help))
        }
        (_, value) => wrong(ev, &value, None),
    }
}

/// Which objects could go here: the same name under the wanted kind, else a few names.
fn reference_help(ev: &Evaluator<'_, '_>, ty: Ty, found: &str) -> String {
    let kinds: &[Kind] = match &ty {
        Ty::Ref(kind) | Ty::StringOrRef(kind) => std::slice::from_ref(kind),
        Ty::RefAny(kinds) => kinds,
        _ => &[],
    };
    let name = found.split('.').nth(1).unwrap_or_default();
    for kind in kinds {
        if ev.decls[kind].contains_key(name) {
            return format!("did you mean `{}.{name}`?", kind.keyword());
        }
    }
    let declared: Vec<String> = kinds
        .iter()
        .flat_map(|k| {
            ev.decls[k]
                .keys()
                .map(move |n| format!("`{}.{n}`", k.keyword()))
        })
        .take(4)
        .collect();
    if declared.is_empty() {
        let kinds: Vec<String> = kinds.iter().map(|k| format!("`{}`", k.keyword())).collect();
        format!(
            "no {} is declared yet: declare one first",
            kinds.join(" or ")
        )
    } else {
        format!("refer to one of {}", declared.join(", "))
    }
}

fn invalid_ports(ev: &mut Evaluator<'_, '_>, span: Span, text: &str) -> Value {
    ev.report(
        Diagnostic::new(
            Code::InvalidValue,
            format!("`{text}` is not a port or port range"),
        )
        .with_label(span, "expected 0-65535 or \"FROM-TO\"")
        .with_help("write a port such as `443` or a range such as `\"1024-65535\"`"),
    );
    Value::Unknown
}

/// `"443"` or `"1024-65535"` (from ≤ to, both ≤ 65535).
pub fn parse_ports(text: &str) -> Option<PortRange> {
    let (from, to) = match text.split_once('-') {
        Some((a, b)) => (a.trim().parse().ok()?, b.trim().parse().ok()?),
        None => {
            let port = text.trim().parse().ok()?;
            (port, port)
        }
    };
    (from <= to).then_some(PortRange { from, to })
}

/// Spans (and expressions) of list items: exact for a list literal, else the whole list.
fn item_spans(expr: &Expr, span: Span, len: usize) -> Vec<(Option<&Expr>, Span)> {
    match &expr.kind {
        ExprKind::Array(items) if items.len() == len && expr.span == span => {
            items.iter().map(|i| (Some(i), i.span)).collect()
        }
        _ => vec![(None, span); len],
    }
}

fn spanned_string(value: &Value, expr: &Expr) -> Option<Spanned<String>> {
    value
        .as_str()
        .map(|s| Spanned::new(s.to_string(), expr.span))
}

fn string_map(value: &Value) -> IndexMap<String, String> {
    match value {
        Value::Map(map) => map
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
            .collect(),
        _ => IndexMap::new(),
    }
}

/// The checked attributes of one block (or nested block), ready to read typed.
struct Fields<'e> {
    specs: &'static [AttrSpec],
    values: IndexMap<&'static str, (Value, &'e Expr)>,
    /// Attributes written under a misspelt name (V102 suggested them).
    misspelt: Vec<&'static str>,
}

impl<'e> Fields<'e> {
    fn get(&self, name: &str) -> Option<&(Value, &'e Expr)> {
        self.values.get(name)
    }

    fn string(&self, name: &str) -> Option<Spanned<String>> {
        let (value, expr) = self.get(name)?;
        spanned_string(value, expr)
    }

    fn bool(&self, name: &str) -> Option<Spanned<bool>> {
        match self.get(name)? {
            (Value::Bool(b), expr) => Some(Spanned::new(*b, expr.span)),
            _ => None,
        }
    }

    /// The bool attribute as written, else the schema's default.
    fn flag(&self, name: &str) -> bool {
        self.bool(name)
            .map_or_else(|| AttrSpec::bool_default(self.specs, name), |b| b.value)
    }

    fn obj(&self, name: &str) -> Option<Spanned<ObjRef>> {
        match self.get(name)? {
            (Value::Ref(obj), expr) => Some(Spanned::new(*obj, expr.span)),
            _ => None,
        }
    }

    fn id<T: Object>(&self, name: &str) -> Option<Spanned<Id<T>>> {
        self.obj(name)
            .filter(|o| o.kind == T::KIND)
            .map(|o| o.map(|o| Id::new(o.index as usize)))
    }

    fn list(&self, name: &str) -> Vec<(Value, Span)> {
        match self.get(name) {
            Some((Value::List(items), expr)) => items
                .iter()
                .cloned()
                .zip(item_spans(expr, expr.span, items.len()))
                .map(|(v, (_, span))| (v, span))
                .collect(),
            _ => Vec::new(),
        }
    }

    fn ids<T: Object>(&self, name: &str) -> Vec<Spanned<Id<T>>> {
        self.list(name)
            .into_iter()
            .filter_map(|(v, span)| match v {
                Value::Ref(obj) if obj.kind == T::KIND => {
                    Some(Spanned::new(Id::new(obj.index as usize), span))
                }
                _ => None,
            })
            .collect()
    }

    fn strings(&self, name: &str) -> Vec<Spanned<String>> {
        self.list(name)
            .into_iter()
            .filter_map(|(v, span)| Some(Spanned::new(v.as_str()?.to_string(), span)))
            .collect()
    }

    fn cidr(&self, name: &str) -> Option<Spanned<Cidr>> {
        self.string(name)
            .map(|text| text.map(|text| Cidr::parse(&text)))
    }

    fn cidrs(&self, name: &str) -> Vec<Spanned<Cidr>> {
        let parse = |text: Spanned<String>| text.map(|text| Cidr::parse(&text));
        self.strings(name).into_iter().map(parse).collect()
    }

    fn enumerated<T>(&self, name: &str, map: impl Fn(&str) -> Option<T>) -> Option<Spanned<T>> {
        let text = self.string(name)?;
        let span = text.span;
        map(&text.value).map(|v| Spanned::new(v, span))
    }
}

/// Checks a body against a schema and evaluates its attributes. `slot_of` gives object
/// attributes their memoised slot so a value read elsewhere is evaluated only once.
/// What a body is checked against.
struct Shape<'n> {
    specs: &'static [AttrSpec],
    nested: &'n [(&'n str, &'n [AttrSpec])],
    /// The block keyword, for messages.
    parent: &'n str,
    /// Where a missing attribute is reported.
    header: Span,
    /// An existing object (`id`/`arn`), which needs less.
    existing: bool,
    /// Meta-arguments it takes besides its schema (`for_each`).
    meta: &'static [&'static str],
}

fn check_body<'a>(
    ev: &mut Evaluator<'a, '_>,
    body: &'a Body,
    shape: Shape<'_>,
    mut eval_attr: impl FnMut(&mut Evaluator<'a, '_>, usize) -> Value,
) -> Fields<'a> {
    let (specs, parent, header) = (shape.specs, shape.parent, shape.header);
    let misspelt = check_attribute_names(ev, body, specs, shape.nested, parent, shape.meta);
    let mut values = IndexMap::new();
    for (index, attribute) in body.attributes.iter().enumerate() {
        let Some(spec) = specs.iter().find(|s| s.name == attribute.key.name) else {
            continue;
        };
        let value = eval_attr(ev, index);
        // As in Terraform, an attribute set to `null` is not set: a `for_each` map can
        // leave out what some of its entries do not have.
        if value == Value::Null {
            continue;
        }
        let value = conform(ev, value, &attribute.value, spec.ty, spec.name);
        values.insert(spec.name, (value, &attribute.value));
    }
    for spec in specs.iter().filter(|s| s.required) {
        // An existing load balancer is described by `azs` instead of `subnets`.
        let optional_here = shape.existing && spec.name == "subnets";
        if !(values.contains_key(spec.name) || optional_here || misspelt.contains(&spec.name)) {
            ev.report(
                Diagnostic::new(
                    Code::MissingAttribute,
                    format!(
                        "`{parent}` is missing the required attribute `{}`",
                        spec.name
                    ),
                )
                .with_label(header, format!("`{}` is not set", spec.name))
                .with_help(format!(
                    "add `{} = ...` ({})",
                    spec.name,
                    spec.ty.describe()
                )),
            );
        }
    }
    Fields {
        specs,
        values,
        misspelt,
    }
}

fn common(
    ev: &mut Evaluator<'_, '_>,
    obj: ObjRef,
    fields: &Fields<'_>,
    block: &Block,
    label: &Ident,
    name: String,
    address: String,
) -> Common {
    let attrs = block
        .body
        .attributes
        .iter()
        .filter_map(|attribute| {
            let spec = obj
                .kind
                .schema()
                .iter()
                .find(|s| s.name == attribute.key.name)
                .filter(|s| fields.values.contains_key(s.name))?;
            let span = AttrSpan {
                key: attribute.key.span,
                value: attribute.value.span,
            };
            Some((spec.name, span))
        })
        .collect();
    let existing = obj
        .kind
        .existing_attribute()
        .and_then(|attr| fields.string(attr));
    if let Some(id) = &existing {
        validate_existing_id(ev, obj.kind, id);
    }
    let rejected = fields
        .values
        .iter()
        .filter(|(_, (value, _))| contains_unknown(value))
        .map(|(name, _)| *name)
        .chain(fields.misspelt.iter().copied())
        .collect();
    Common {
        rejected,
        name,
        label: label.name.clone(),
        reference_start: ev.scopes[ev.decl(obj).scope].address_prefix.len(),
        address,
        name_span: label.span,
        header: block.header_span(),
        span: block.span,
        existing,
        tags: fields
            .get("tags")
            .map(|(v, _)| string_map(v))
            .unwrap_or_default(),
        attrs,
    }
}

/// An `expect` target that names an AWS service: a catalogue short name, or a full
/// name of the form `com.amazonaws.REGION.NAME` (which may be newer than the catalogue).
fn known_service(name: &str) -> bool {
    vpce_data::service(name).is_some() || vpce_data::parse_aws_service_name(name).is_some()
}

pub(crate) fn contains_unknown(value: &Value) -> bool {
    match value {
        Value::Unknown => true,
        Value::List(items) => items.iter().any(contains_unknown),
        Value::Map(map) => map.values().any(contains_unknown),
        _ => false,
    }
}

fn validate_existing_id(ev: &mut Evaluator<'_, '_>, kind: Kind, id: &Spanned<String>) {
    if kind == Kind::LoadBalancer {
        if !(id.starts_with("arn:aws")
            && id.contains(":elasticloadbalancing:")
            && id.contains(":loadbalancer/"))
        {
            ev.report(
                Diagnostic::new(
                    Code::InvalidValue,
                    format!("`{}` is not a load balancer ARN", id.value),
                )
                .with_label(
                    id.span,
                    "expected arn:aws:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/...",
                )
                .with_help("copy the ARN from `aws elbv2 describe-load-balancers`"),
            );
        }
        return;
    }
    let Some(prefix) = kind.id_prefix() else {
        return;
    };
    let valid = id.strip_prefix(prefix).is_some_and(|hex| {
        (hex.len() == 8 || hex.len() == 17)
            && hex
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    });
    if !valid {
        ev.report(
            Diagnostic::new(
                Code::InvalidValue,
                format!("`{}` is not a {} id", id.value, kind.keyword()),
            )
            .with_label(
                id.span,
                format!("expected `{prefix}` and 8 or 17 hex digits"),
            )
            .with_help("copy the id from the AWS console or CLI"),
        );
    }
}

fn build(ev: &mut Evaluator<'_, '_>, model: &mut Model, obj: ObjRef) {
    let decl = &ev.decls[&obj.kind][obj.index as usize];
    let (block, label, file, scope) = (decl.block, decl.label, decl.file, decl.scope);
    let name = decl.name.clone();
    let key = ev.decls[&obj.kind]
        .get_index(obj.index as usize)
        .map(|(key, _)| key.clone())
        .expect("in range");
    let each = decl
        .instance
        .is_some()
        .then_some(crate::eval::Each::Object(obj));
    let kind = obj.kind;
    let existing = kind
        .existing_attribute()
        .is_some_and(|attr| block.body.attributes.iter().any(|a| a.key.name == attr));
    let nested = kind.nested_blocks();
    let shape = Shape {
        specs: kind.schema(),
        nested,
        parent: kind.keyword(),
        header: block.header_span(),
        existing,
        meta: &["for_each"],
    };
    let fields = check_body(ev, &block.body, shape, |ev, index| ev.attribute(obj, index));
    // Nested blocks (routes, security group rules).
    let mut nested_fields: Vec<(&str, Span, Fields<'_>)> = Vec::new();
    for nested_block in &block.body.blocks {
        let keyword = nested_block.kind.name.as_str();
        if keyword == "dynamic" {
            let ctx = Ctx {
                file,
                refs: true,
                each,
                scope,
            };
            dynamic_block(ev, nested_block, nested, kind, ctx, &mut nested_fields);
            continue;
        }
        match nested.iter().find(|(n, _)| *n == keyword) {
            Some((_, specs)) => {
                if let Some(label) = nested_block.labels.first() {
                    ev.report(
                        Diagnostic::new(
                            Code::SyntaxError,
                            format!("`{keyword}` blocks take no name"),
                        )
                        .with_label(label.span, "remove this label"),
                    );
                }
                reject_nested_blocks(ev, &nested_block.body, keyword);
                let shape = Shape {
                    specs,
                    nested: &[],
                    parent: keyword,
                    header: nested_block.kind.span,
                    existing: false,
                    meta: &[],
                };
                let fields = check_body(ev, &nested_block.body, shape, |ev, index| {
                    let value = &nested_block.body.attributes[index].value;
                    ev.eval(
                        value,
                        Ctx {
                            file,
                            refs: true,
                            each,
                            scope,
                        },
                    )
                });
                nested_fields.push((keyword, nested_block.span, fields));
            }
            None => {
                let candidates = nested.iter().map(|(n, _)| *n);
                let is_attribute = kind.schema().iter().any(|s| s.name == keyword);
                let mut diagnostic =
                    unknown_block(&nested_block.kind, candidates, Some(kind.keyword()));
                if is_attribute {
                    diagnostic.help = Some(format!(
                        "`{keyword}` is an attribute: write `{keyword} = ...`"
                    ));
                }
                ev.report(diagnostic);
            }
        }
    }
    if kind == Kind::LoadBalancer && existing && !fields.values.contains_key("azs") {
        ev.report(
            Diagnostic::new(
                Code::MissingAttribute,
                "an existing `load_balancer` needs `azs`",
            )
            .with_label(block.header_span(), "`azs` is not set")
            .with_help("list the AZ ids it serves: `azs = [\"euw1-az1\", \"euw1-az2\"]`"),
        );
    }
    let address = ev.address(obj);
    let common = common(ev, obj, &fields, block, label, name, address);
    let f = &fields;
    match kind {
        Kind::Vpc => {
            let vpc = Vpc {
                cidr: f.cidr("cidr"),
                ipv6: f.flag("ipv6"),
                region: f.string("region"),
                dns_support: f.flag("dns_support"),
                dns_hostnames: f.flag("dns_hostnames"),
                common,
            };
            model.vpcs.push(key, vpc);
        }
        Kind::Subnet => {
            let subnet = Subnet {
                vpc: f.id("vpc").map(|v| v.value),
                az: f.string("az").map(|az| az.map(|text| Zone::parse(&text))),
                cidr: f.cidr("cidr"),
                ipv6_cidr: f.cidr("ipv6_cidr"),
                route_table: f.id("route_table"),
                common,
            };
            model.subnets.push(key, subnet);
        }
        Kind::RouteTable => {
            let routes = nested_fields
                .iter()
                .map(|(_, span, r)| Route {
                    span: *span,
                    destination: r.cidr("destination"),
                    target: r.obj("target"),
                })
                .collect();
            let table = RouteTable {
                vpc: f.id("vpc").map(|v| v.value),
                edge: f.id("edge"),
                routes,
                common,
            };
            model.route_tables.push(key, table);
        }
        Kind::InternetGateway => {
            let igw = InternetGateway {
                vpc: f.id("vpc").map(|v| v.value),
                common,
            };
            model.internet_gateways.push(key, igw);
        }
        Kind::NatGateway => {
            let private_ip = f.string("private_ip").filter(|ip| {
                let valid = ip.parse::<std::net::Ipv4Addr>().is_ok();
                if !valid {
                    ev.report(
                        Diagnostic::new(Code::InvalidValue, format!("`{}` is not an IPv4 address", ip.value))
                            .with_label(ip.span, "expected an address like 10.0.1.10")
                            .with_help("write a usable address of the gateway's subnet, e.g. `cidrhost(subnet.public_a.cidr, 10)`"),
                    );
                }
                valid
            });
            let nat = NatGateway {
                subnet: f.id("subnet").map(|v| v.value),
                private_ip,
                common,
            };
            model.nat_gateways.push(key, nat);
        }
        Kind::SecurityGroup => {
            let rule = |r: &Fields<'_>, span: Span| SecurityGroupRule {
                span,
                protocol: r.string("protocol").map(|p| {
                    if p.value == "all" {
                        Spanned::new(schema::ALL_PROTOCOLS.to_string(), p.span)
                    } else {
                        p
                    }
                }),
                ports: r.get("ports").and_then(|(v, e)| {
                    let range = match v {
                        Value::Number(n) => Some(PortRange {
                            from: *n as u16,
                            to: *n as u16,
                        }),
                        Value::String(s) => parse_ports(s),
                        _ => None,
                    };
                    range.map(|r| Spanned::new(r, e.span))
                }),
                cidrs: r.cidrs("cidrs"),
                security_groups: r.ids("security_groups"),
                description: r.string("description"),
            };
            let ingress = nested_fields
                .iter()
                .filter(|(k, _, _)| *k == "ingress")
                .map(|(_, span, r)| rule(r, *span))
                .collect();
            let egress = nested_fields
                .iter()
                .filter(|(k, _, _)| *k == "egress")
                .map(|(_, span, r)| rule(r, *span))
                .collect();
            let group = SecurityGroup {
                vpc: f.id("vpc").map(|v| v.value),
                description: f.string("description"),
                ingress,
                egress,
                common,
            };
            model.security_groups.push(key, group);
        }
        Kind::LoadBalancer => {
            let lb = load_balancer::build(ev, f, &nested_fields, common);
            model.load_balancers.push(key, lb);
        }
        Kind::Endpoint => {
            let service = f.get("service").and_then(|(v, e)| match v {
                Value::String(s) => Some(Spanned::new(ServiceRef::Named(s.clone()), e.span)),
                Value::Ref(o) if o.kind == Kind::EndpointService => Some(Spanned::new(
                    ServiceRef::Local(Id::new(o.index as usize)),
                    e.span,
                )),
                _ => None,
            });
            let policy = f.get("policy").and_then(|(v, e)| match v {
                Value::String(s) => Some(Spanned::new(Policy::Json(s.clone()), e.span)),
                Value::Map(_) => v
                    .to_json()
                    .map(|j| Spanned::new(Policy::Document(j), e.span)),
                _ => None,
            });
            let endpoint = Endpoint {
                endpoint_type: f.enumerated("type", EndpointType::from_name),
                service,
                vpc: f.id("vpc").map(|v| v.value),
                route_tables: f.ids("route_tables"),
                subnets: f.ids("subnets"),
                security_groups: f.ids("security_groups"),
                private_dns: f.bool("private_dns"),
                private_dns_only_for_inbound_resolver: f
                    .bool("private_dns_only_for_inbound_resolver"),
                ip_address_type: f.enumerated("ip_address_type", IpAddressType::from_name),
                dns_record_ip_type: f.string("dns_record_ip_type"),
                service_region: f.string("service_region"),
                policy,
                policy_spans: f.get("policy").map(|(_, e)| crate::spans::SpanTree::of(e)),
                resolved_service: None,
                common,
            };
            model.endpoints.push(key, endpoint);
        }
        Kind::EndpointService => {
            let service = EndpointService {
                load_balancers: f.ids("load_balancers"),
                acceptance_required: f.flag("acceptance_required"),
                allowed_principals: f.strings("allowed_principals"),
                private_dns_name: f.string("private_dns_name"),
                supported_ip_address_types: f.strings("supported_ip_address_types"),
                supported_regions: f.strings("supported_regions"),
                common,
            };
            model.endpoint_services.push(key, service);
        }
        Kind::RemoteNetwork => {
            let remote = RemoteNetwork {
                vpc: f.id("vpc").map(|v| v.value),
                via: f.enumerated("via", Via::from_name),
                cidrs: f.cidrs("cidrs"),
                region: f.string("region"),
                gateway: f.string("gateway").filter(|id| {
                    let valid = RemoteGateway::of(&id.value).is_some();
                    if !valid {
                        ev.report(
                            Diagnostic::new(
                                Code::InvalidValue,
                                format!("`{}` is not a transit gateway, virtual private gateway or peering connection id", id.value),
                            )
                            .with_label(id.span, "expected `tgw-`, `vgw-` or `pcx-` and 8 or 17 hex digits")
                            .with_help("write the id of the existing gateway that reaches this network, e.g. `tgw-0123456789abcdef0`"),
                        );
                    }
                    valid
                }),
                common,
            };
            model.remote_networks.push(key, remote);
        }
        Kind::Expect => {
            let to = f.get("to").and_then(|(v, e)| match v {
                Value::String(s) if s == "internet" => {
                    Some(Spanned::new(ExpectTarget::Internet, e.span))
                }
                Value::String(s) if !known_service(s) => {
                    let names = vpce_data::services().iter().map(|s| s.name.as_str()).chain(["internet"]);
                    ev.report(
                        Diagnostic::new(
                            Code::InvalidValue,
                            format!("`to` names no AWS service vpce knows: `{s}`"),
                        )
                        .with_label(e.span, "not `internet`, an AWS service or `endpoint_service.NAME`")
                        .with_help(did_you_mean(s, names).unwrap_or_else(|| {
                            "write a service's short name (`s3`), its full name (`com.amazonaws.REGION.s3`), `internet`, or `endpoint_service.NAME`".into()
                        })),
                    );
                    None
                }
                Value::String(s) => Some(Spanned::new(ExpectTarget::Service(s.clone()), e.span)),
                Value::Ref(o) if o.kind == Kind::EndpointService => Some(Spanned::new(
                    ExpectTarget::EndpointService(Id::new(o.index as usize)),
                    e.span,
                )),
                _ => None,
            });
            let expect = Expect {
                from: f.obj("from"),
                to,
                private: f.bool("private"),
                reachable: f.flag("reachable"),
                common,
            };
            model.expects.push(key, expect);
        }
    }
}
