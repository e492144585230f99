//! The built-in functions of docs/language.md, plus a few Terraform users reach for.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use indexmap::IndexMap;
use vpce_diagnostics::{did_you_mean, Code, Diagnostic, Span};
use vpce_syntax::ast::Ident;

use crate::{
    eval::{human_bytes, type_error, Ctx, Evaluator, MAX_COLLECTION_LEN, MAX_STRING_BYTES},
    format_number, Value,
};

mod collections;

pub const FUNCTIONS: &[&str] = &[
    "cidrhost",
    "cidrsubnet",
    "concat",
    "contains",
    "distinct",
    "element",
    "file",
    "flatten",
    "format",
    "join",
    "jsonencode",
    "keys",
    "length",
    "lookup",
    "lower",
    "merge",
    "range",
    "tolist",
    "tomap",
    "toset",
    "tostring",
    "upper",
    "values",
    "zipmap",
];

type Args = Vec<(Value, Span)>;

pub(crate) fn call(
    ev: &mut Evaluator<'_, '_>,
    name: &Ident,
    args: Args,
    span: Span,
    ctx: Ctx,
) -> Value {
    // The fewest and most arguments each function takes.
    let (min, max) = match name.name.as_str() {
        "lower" | "upper" | "jsonencode" | "file" | "length" | "tostring" => (1, 1),
        "keys" | "values" | "toset" | "tolist" | "tomap" | "flatten" | "distinct" => (1, 1),
        "cidrsubnet" => (3, 3),
        "cidrhost" | "join" | "contains" | "element" | "zipmap" => (2, 2),
        "lookup" => (2, 3),
        "range" => (1, 3),
        "concat" | "merge" | "format" => (0, usize::MAX),
        _ => {
            ev.report(
                Diagnostic::new(
                    Code::UnresolvedReference,
                    format!("there is no function named `{}`", name.name),
                )
                .with_label(name.span, "unknown function")
                .with_help(
                    did_you_mean(&name.name, FUNCTIONS.iter().copied())
                        .unwrap_or_else(|| format!("the functions are: {}", FUNCTIONS.join(", "))),
                ),
            );
            return Value::Unknown;
        }
    };
    if args.len() < min || args.len() > max {
        let takes = match (min, max) {
            (n, m) if n == m => format!("{n} argument{}", if n == 1 { "" } else { "s" }),
            (n, m) if n + 1 == m => format!("{n} or {m} arguments"),
            (n, m) => format!("{n} to {m} arguments"),
        };
        ev.report(
            Diagnostic::new(
                Code::TypeMismatch,
                format!("`{}` takes {takes}, found {}", name.name, args.len()),
            )
            .with_label(span, "wrong number of arguments"),
        );
        return Value::Unknown;
    }
    if args.iter().any(|(v, _)| *v == Value::Unknown) {
        return Value::Unknown;
    }
    // A function's result holds at least the text of its arguments: refuse before
    // building a string past the limit (the result is charged in full afterwards).
    if matches!(name.name.as_str(), "join" | "format" | "jsonencode") {
        let text: usize = args
            .iter()
            .map(|(v, _)| v.text_len(MAX_STRING_BYTES))
            .fold(0, usize::saturating_add);
        if text > MAX_STRING_BYTES {
            let what = format!("a string of at least {}", human_bytes(text));
            return ev.too_large(span, what, "8 MiB for one string");
        }
    }
    if matches!(name.name.as_str(), "concat" | "merge") {
        let len: usize = args
            .iter()
            .map(|(v, _)| match v {
                Value::List(items) => items.len(),
                Value::Map(map) => map.len(),
                _ => 0,
            })
            .fold(0, usize::saturating_add);
        if len > MAX_COLLECTION_LEN {
            let what = format!("a collection of {len} elements");
            return ev.too_large(span, what, "100000 elements");
        }
    }
    // These read the text of their arguments, which an attribute known only after
    // deployment does not have yet; the others pass text on.
    if matches!(
        name.name.as_str(),
        "lower" | "upper" | "length" | "cidrsubnet" | "cidrhost" | "file"
    ) {
        if let Some((_, at)) = args
            .iter()
            .find(|(v, _)| v.as_str().is_some_and(crate::deployed::is_deployed))
        {
            return ev.known_after_deploy(*at, &format!("`{}`", name.name));
        }
    }
    match name.name.as_str() {
        "lower" | "upper" => match string_arg(ev, &args[0]) {
            Some(s) if name.name == "lower" => Value::String(s.to_lowercase()),
            Some(s) => Value::String(s.to_uppercase()),
            None => Value::Unknown,
        },
        "tostring" => match &args[0].0 {
            Value::String(s) => Value::String(s.clone()),
            Value::Number(n) => Value::String(format_number(*n)),
            Value::Bool(b) => Value::String(b.to_string()),
            other => ev.mismatch(args[0].1, "a string, number or bool", other),
        },
        "length" => match &args[0].0 {
            Value::List(items) => Value::Number(items.len() as f64),
            Value::Map(map) => Value::Number(map.len() as f64),
            Value::String(s) => Value::Number(s.chars().count() as f64),
            other => ev.mismatch(args[0].1, "a list, an object or a string", other),
        },
        "jsonencode" => match args[0].0.to_json() {
            Some(json) => Value::String(json.to_string()),
            // An element already reported.
            None if crate::resolve::contains_unknown(&args[0].0) => Value::Unknown,
            None => {
                ev.report(
                    type_error(args[0].1, "this value has no JSON form".into()).with_help(
                        "references to objects cannot be encoded; use an attribute such as `.cidr`",
                    ),
                );
                Value::Unknown
            }
        },
        "concat" => {
            let mut out = Vec::new();
            for (value, span) in args {
                match value {
                    Value::List(items) => out.extend(items),
                    other => return ev.mismatch(span, "a list", &other),
                }
            }
            Value::List(out)
        }
        "merge" => {
            let mut out = IndexMap::new();
            for (value, span) in args {
                match value {
                    Value::Map(map) => out.extend(*map),
                    Value::Null => {}
                    other => return ev.mismatch(span, "an object", &other),
                }
            }
            Value::map(out)
        }
        "join" => {
            let Some(separator) = string_arg(ev, &args[0]) else {
                return Value::Unknown;
            };
            match &args[1].0 {
                Value::List(items) => {
                    let mut parts = Vec::new();
                    for item in items {
                        match item {
                            Value::String(s) => parts.push(s.clone()),
                            Value::Number(n) => parts.push(format_number(*n)),
                            other => return ev.mismatch(args[1].1, "a list of strings", other),
                        }
                    }
                    Value::String(parts.join(&separator))
                }
                other => ev.mismatch(args[1].1, "a list", other),
            }
        }
        "format" => format(ev, args, span),
        "file" => file(ev, &args[0], ctx),
        "cidrsubnet" => cidrsubnet(ev, &args),
        "cidrhost" => cidrhost(ev, &args),
        "keys" => collections::keys(ev, &args[0]),
        "values" => collections::values(ev, &args[0]),
        "toset" => collections::toset(ev, &args[0]),
        "tolist" => collections::tolist(ev, &args[0]),
        "tomap" => collections::tomap(ev, &args[0]),
        "contains" => collections::contains(ev, &args),
        "flatten" => collections::flatten(ev, &args[0], span),
        "distinct" => collections::distinct(ev, &args[0]),
        "lookup" => collections::lookup(ev, &args),
        "element" => collections::element(ev, &args),
        "range" => collections::range(ev, &args, span),
        "zipmap" => collections::zipmap(ev, &args, span),
        _ => unreachable!("arity table covers every function"),
    }
}

fn string_arg(ev: &mut Evaluator<'_, '_>, (value, span): &(Value, Span)) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(format_number(*n)),
        other => {
            ev.mismatch(*span, "a string", other);
            None
        }
    }
}

fn integer_arg(ev: &mut Evaluator<'_, '_>, (value, span): &(Value, Span)) -> Option<u128> {
    match value {
        Value::Number(n) if *n >= 0.0 && n.fract() == 0.0 && *n < 3.4e38 => Some(*n as u128),
        Value::Number(_) => {
            ev.report(
                Diagnostic::new(
                    Code::InvalidValue,
                    "expected a whole number of zero or more",
                )
                .with_bare_label(*span),
            );
            None
        }
        other => {
            ev.mismatch(*span, "a number", other);
            None
        }
    }
}

/// `format("%s-%d", a, b)`: `%s`, `%d`, `%v`, `%q` and `%%`.
fn format(ev: &mut Evaluator<'_, '_>, args: Args, span: Span) -> Value {
    let Some(first) = args.first() else {
        ev.report(type_error(span, "`format` needs a format string".into()));
        return Value::Unknown;
    };
    let Some(spec) = string_arg(ev, first) else {
        return Value::Unknown;
    };
    let mut rest = args[1..].iter();
    let mut out = String::new();
    let mut chars = spec.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let verb = chars.next();
        if verb == Some('%') {
            out.push('%');
            continue;
        }
        let Some((value, value_span)) = rest.next() else {
            ev.report(
                Diagnostic::new(Code::TypeMismatch, "`format` has more verbs than arguments")
                    .with_label(first.1, "this format string"),
            );
            return Value::Unknown;
        };
        let text = match (verb, value) {
            (Some('d'), Value::Number(n)) if n.fract() == 0.0 => format_number(*n),
            (Some('s' | 'v'), Value::String(s)) => s.clone(),
            (Some('s' | 'v'), Value::Number(n)) => format_number(*n),
            (Some('s' | 'v'), Value::Bool(b)) => b.to_string(),
            (Some('q'), Value::String(s)) => format!("{s:?}"),
            (Some('d'), other) => return ev.mismatch(*value_span, "a whole number", other),
            (Some('s' | 'v' | 'q'), other) => return ev.mismatch(*value_span, "a string", other),
            _ => {
                ev.report(
                    Diagnostic::new(Code::InvalidValue, "unsupported `format` verb")
                        .with_label(first.1, "use %s, %d, %v, %q or %%"),
                );
                return Value::Unknown;
            }
        };
        out.push_str(&text);
    }
    if rest.next().is_some() {
        ev.report(
            Diagnostic::new(Code::TypeMismatch, "`format` has more arguments than verbs")
                .with_label(first.1, "this format string"),
        );
        return Value::Unknown;
    }
    Value::String(out)
}

fn file(ev: &mut Evaluator<'_, '_>, arg: &(Value, Span), ctx: Ctx) -> Value {
    let Some(path) = string_arg(ev, arg) else {
        return Value::Unknown;
    };
    let Some(resolved) = ev.resolve_path(ctx.file, &path) else {
        ev.report(
            Diagnostic::new(
                Code::FileAccess,
                format!("`{path}` is outside the configuration directory"),
            )
            .with_label(arg.1, "outside the configuration")
            .with_help("`file()` reads only files inside the configuration's directory; move the file there"),
        );
        return Value::Unknown;
    };
    match ev.loader.load(&resolved) {
        Ok(text) => {
            ev.sources.add(resolved, text.as_str());
            if crate::deployed::has_reserved(&text) {
                return ev.reserved_characters(arg.1);
            }
            Value::String(text)
        }
        Err(reason) => {
            ev.report(
                Diagnostic::new(
                    Code::FileAccess,
                    format!("cannot read `{resolved}`: {reason}"),
                )
                .with_label(arg.1, "this file")
                .with_help("paths are relative to the file that calls `file()`"),
            );
            Value::Unknown
        }
    }
}

fn parse_prefix(ev: &mut Evaluator<'_, '_>, arg: &(Value, Span)) -> Option<(IpAddr, u8)> {
    let text = string_arg(ev, arg)?;
    let parsed = text
        .split_once('/')
        .and_then(|(ip, len)| Some((ip.parse::<IpAddr>().ok()?, len.parse::<u8>().ok()?)))
        .filter(|(ip, len)| *len <= if ip.is_ipv4() { 32 } else { 128 });
    if parsed.is_none() {
        ev.report(
            Diagnostic::new(Code::InvalidCidr, format!("`{text}` is not a CIDR block"))
                .with_label(arg.1, "expected an address and a prefix length")
                .with_help("pass a CIDR block such as `\"10.0.0.0/16\"` or `vpc.main.cidr`"),
        );
    }
    parsed
}

fn address_bits(ip: IpAddr) -> (u128, u32) {
    match ip {
        IpAddr::V4(v4) => (u32::from(v4) as u128, 32),
        IpAddr::V6(v6) => (u128::from(v6), 128),
    }
}

fn to_ip(bits: u128, width: u32) -> IpAddr {
    if width == 32 {
        IpAddr::V4(Ipv4Addr::from(bits as u32))
    } else {
        IpAddr::V6(Ipv6Addr::from(bits))
    }
}

fn mask(width: u32, len: u32) -> u128 {
    if len == 0 {
        0
    } else {
        let ones = if width == 128 {
            u128::MAX
        } else {
            (1u128 << width) - 1
        };
        ones & !((1u128 << (width - len)) - 1)
    }
}

/// `cidrsubnet("10.0.0.0/16", 8, 2)` is `"10.0.2.0/24"`, as in Terraform.
fn cidrsubnet(ev: &mut Evaluator<'_, '_>, args: &Args) -> Value {
    let Some((ip, len)) = parse_prefix(ev, &args[0]) else {
        return Value::Unknown;
    };
    let (Some(newbits), Some(netnum)) = (integer_arg(ev, &args[1]), integer_arg(ev, &args[2]))
    else {
        return Value::Unknown;
    };
    let (bits, width) = address_bits(ip);
    let new_len = len as u128 + newbits;
    if new_len > width as u128 {
        ev.report(
            Diagnostic::new(
                Code::InvalidValue,
                format!("`{len}` + `{newbits}` new bits is longer than a /{width} prefix"),
            )
            .with_label(args[1].1, "too many new bits"),
        );
        return Value::Unknown;
    }
    let new_len = new_len as u32;
    if newbits < 128 && netnum >= (1u128 << newbits) {
        ev.report(
            Diagnostic::new(
                Code::InvalidValue,
                format!("network number {netnum} does not fit in {newbits} bits"),
            )
            .with_label(args[2].1, "too large"),
        );
        return Value::Unknown;
    }
    let base = bits & mask(width, len as u32);
    let network = if new_len == 0 {
        base
    } else {
        base | (netnum << (width - new_len))
    };
    Value::String(format!("{}/{new_len}", to_ip(network, width)))
}

/// `cidrhost("10.0.1.0/24", 10)` is `"10.0.1.10"`.
fn cidrhost(ev: &mut Evaluator<'_, '_>, args: &Args) -> Value {
    let Some((ip, len)) = parse_prefix(ev, &args[0]) else {
        return Value::Unknown;
    };
    let Some(host) = integer_arg(ev, &args[1]) else {
        return Value::Unknown;
    };
    let (bits, width) = address_bits(ip);
    let host_bits = width - len as u32;
    if host_bits < 128 && host >= (1u128 << host_bits) {
        ev.report(
            Diagnostic::new(
                Code::InvalidValue,
                format!("host number {host} does not fit in a /{len}"),
            )
            .with_label(args[1].1, "too large"),
        );
        return Value::Unknown;
    }
    Value::String(to_ip((bits & mask(width, len as u32)) | host, width).to_string())
}
