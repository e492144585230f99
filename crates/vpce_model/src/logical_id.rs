//! CloudFormation logical ids, derived from kind and name (`subnet "app_a"` →
//! `SubnetAppA`): stable across runs and across edits of other objects. Shared by
//! every backend so the template and the plan name resources alike.

use crate::Kind;

/// `app_a` → `AppA`: each `_`-separated part with its first letter in upper case.
pub fn pascal(snake: &str) -> String {
    snake
        .split('_')
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// The logical id of the object's main resource. Only ASCII alphanumerics survive, as
/// CloudFormation requires.
pub fn logical_id(kind: Kind, name: &str) -> String {
    let id = pascal(kind.keyword()) + &pascal(name);
    id.chars().filter(|c| c.is_ascii_alphanumeric()).collect()
}

/// The logical id of an `output` block: `Output` + its name in PascalCase, a prefix no
/// generated output has.
pub fn output_logical_id(name: &str) -> String {
    let id = "Output".to_string() + &pascal(name);
    id.chars().filter(|c| c.is_ascii_alphanumeric()).collect()
}

/// The outputs vpce adds for each endpoint and endpoint service it creates.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ObjectOutput {
    /// The object's id.
    Id,
    /// An interface endpoint's DNS entries.
    DnsEntries,
    /// An endpoint service's name, for consumers.
    ServiceName,
}

/// The logical id (and export suffix) of an output vpce adds for an object: its main
/// logical id plus `Id`, `DnsEntries` or `Name`.
pub fn object_output_logical_id(kind: Kind, name: &str, output: ObjectOutput) -> String {
    let suffix = match output {
        ObjectOutput::Id => "Id",
        ObjectOutput::DnsEntries => "DnsEntries",
        ObjectOutput::ServiceName => "Name",
    };
    logical_id(kind, name) + suffix
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_and_name_in_pascal_case() {
        assert_eq!(logical_id(Kind::Subnet, "app_a"), "SubnetAppA");
        assert_eq!(
            logical_id(Kind::EndpointService, "api"),
            "EndpointServiceApi"
        );
        // Different names can meet: V111 reports these.
        assert_eq!(
            logical_id(Kind::Endpoint, "service_x"),
            logical_id(Kind::EndpointService, "x")
        );
        assert_eq!(logical_id(Kind::Vpc, "a_b"), logical_id(Kind::Vpc, "a__b"));
    }
}
