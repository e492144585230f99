use rustc_hash::FxHashMap;
use vpce_diagnostics::{Code, Diagnostic};
use vpce_model::{logical_id::logical_id, Kind, ObjRef};

use crate::{Rule, RuleCx};

/// V111: two objects whose names map to one CloudFormation logical id
/// (`endpoint "service_x"` and `endpoint_service "x"` are both `EndpointServiceX`).
pub struct LogicalIdCollision;

impl Rule for LogicalIdCollision {
    fn code(&self) -> Code {
        Code::LogicalIdCollision
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        // Only looked up, never iterated: output order comes from the model.
        let mut seen: FxHashMap<String, ObjRef> = FxHashMap::default();
        for kind in Kind::ALL.iter().copied().filter(|k| *k != Kind::Expect) {
            for (index, name) in model.names(kind).into_iter().enumerate() {
                let obj = ObjRef {
                    kind,
                    index: index as u32,
                };
                let id = logical_id(kind, name);
                match seen.get(&id) {
                    Some(first) => {
                        let first = *first;
                        let here = model.common(obj);
                        cx.report(
                            Diagnostic::new(
                                Code::LogicalIdCollision,
                                format!(
                                    "`{}` and `{}` both become the CloudFormation resource `{id}`",
                                    model.address(obj),
                                    model.address(first)
                                ),
                            )
                            .with_label(here.name_span, format!("this name becomes `{id}`"))
                            .with_label(model.common(first).name_span, "and so does this one")
                            .with_help(format!("rename `{}`", model.address(obj))),
                        );
                    }
                    None => {
                        seen.insert(id, obj);
                    }
                }
            }
        }
    }
}
