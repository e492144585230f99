use vpce_diagnostics::{Code, Diagnostic};
use vpce_model::{Kind, ObjRef};

use crate::{Rule, RuleCx};

/// V113: object names are `[a-z][a-z0-9_]*`, so every backend can derive ids from them.
pub struct InvalidName;

pub fn is_valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The closest valid name: lowercase, other characters as `_`, a leading letter.
fn fixed(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_lowercase()) {
        out.insert(0, 'x');
    }
    out
}

impl Rule for InvalidName {
    fn code(&self) -> Code {
        Code::InvalidName
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for kind in Kind::ALL.iter().copied() {
            let mut previous = None;
            for index in 0..model.names(kind).len() {
                let common = model.common(ObjRef {
                    kind,
                    index: index as u32,
                });
                // The label is what was written: `aws` of `aws["ssm"]`, whose instances
                // (named `aws_ssm`) are valid exactly when it is; reported once.
                let name = common.label.as_str();
                if is_valid_name(name) || previous == Some(common.name_span) {
                    continue;
                }
                previous = Some(common.name_span);
                cx.report(
                    Diagnostic::new(
                        Code::InvalidName,
                        format!("`{name}` is not a valid {} name", kind.keyword()),
                    )
                    .with_label(
                        common.name_span,
                        "names are lowercase letters, digits and `_`, starting with a letter",
                    )
                    .with_help(format!("rename it, e.g. `{}`", fixed(name))),
                );
            }
        }
        // A module's name begins the names of its objects (`NAME_OBJ`).
        for call in &model.module_calls {
            if is_valid_name(&call.label) {
                continue;
            }
            cx.report(
                Diagnostic::new(
                    Code::InvalidName,
                    format!("`{}` is not a valid module name", call.label),
                )
                .with_label(
                    call.label_span,
                    "names are lowercase letters, digits and `_`, starting with a letter",
                )
                .with_help(format!("rename it, e.g. `{}`", fixed(&call.label))),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_valid_name("app_a1"));
        assert!(!is_valid_name("App"));
        assert!(!is_valid_name("1a"));
        assert!(!is_valid_name("a-b"));
        assert!(!is_valid_name(""));
        assert_eq!(fixed("App-A"), "app_a");
        assert_eq!(fixed("1a"), "x1a");
    }
}
