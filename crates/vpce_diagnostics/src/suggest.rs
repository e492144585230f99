/// The candidate closest to `name`, if one is close enough to be a likely typo.
///
/// Candidates are compared in sorted order so ties resolve the same way every run.
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    closest(name, candidates, Closeness::Loose)
}

/// The candidate that `name` is likely a misspelling of: within edit distance, and not
/// a candidate extended by three or more characters (or cut short by as many), which is
/// more likely another name than a typo: `bedrock-agentcore` is not a misspelt
/// `bedrock-agent`, while `ssmm` is a misspelt `ssm`. Stricter than [`suggest`], for
/// deciding whether a name is wrong or merely unknown.
pub fn suggest_typo<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    closest(name, candidates, Closeness::Typo)
}

#[derive(Copy, Clone, PartialEq, Eq)]
enum Closeness {
    /// Edit distance, case, or one name a prefix of the other.
    Loose,
    /// Edit distance only, and not a long extension of one name by the other.
    Typo,
}

/// Names longer than this are never compared character by character: no typo of a
/// keyword or service name is this long.
const MAX_COMPARED: usize = 256;

fn closest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    closeness: Closeness,
) -> Option<&'a str> {
    let mut sorted: Vec<&str> = candidates.into_iter().collect();
    sorted.sort_unstable();
    sorted.dedup();
    let name_chars = name.chars().count();
    let limit = (name_chars / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    for candidate in sorted {
        if candidate == name {
            continue;
        }
        // The edit distance is at least the difference in length: skip the quadratic
        // comparison when that alone rules the candidate out, so a megabyte of input
        // costs a scan, not minutes. Prefix matches stay (they count as distance 0
        // below only when they are close; the length difference is their distance).
        let length_gap = name_chars.abs_diff(candidate.chars().count());
        let distance = if length_gap > limit || name.len() > MAX_COMPARED {
            length_gap.max(limit + 1)
        } else {
            strsim::damerau_levenshtein(name, candidate)
        };
        let close = match closeness {
            Closeness::Loose => {
                distance <= limit
                    || (name.len() >= 3 && candidate.eq_ignore_ascii_case(name))
                    || (name.len() >= 4 && candidate.starts_with(name))
                    || (candidate.len() >= 3 && name.starts_with(candidate))
            }
            Closeness::Typo => {
                let extension = (name.starts_with(candidate) || candidate.starts_with(name))
                    && name.len().abs_diff(candidate.len()) >= 3;
                distance <= limit && !extension
            }
        };
        if close && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// `suggest` phrased as a help line: "did you mean `x`?".
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    suggest(name, candidates).map(|c| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let kinds = [
            "vpc",
            "subnet",
            "route_table",
            "endpoint",
            "endpoint_service",
        ];
        assert_eq!(suggest("subent", kinds), Some("subnet"));
        assert_eq!(suggest("endpiont", kinds), Some("endpoint"));
        assert_eq!(suggest("gateway", kinds), None);
        assert_eq!(
            suggest("vpc", kinds),
            None,
            "an exact match is not a suggestion"
        );
    }

    #[test]
    fn typos_are_not_extensions() {
        let services = ["ssm", "bedrock-agent", "secretsmanager", "s3"];
        assert_eq!(suggest_typo("ssmm", services), Some("ssm"));
        assert_eq!(
            suggest_typo("secretmanager", services),
            Some("secretsmanager")
        );
        assert_eq!(suggest_typo("bedrock-agentcore", services), None);
        assert_eq!(
            suggest("bedrock-agentcore", services),
            Some("bedrock-agent")
        );
        assert_eq!(suggest_typo("s3tables", services), None);
    }

    #[test]
    fn a_huge_name_is_compared_by_length_only() {
        let huge = "s".repeat(1 << 20);
        assert_eq!(suggest(&huge, ["s3", "sqs", "ssm"]), None);
        // A prefix of a known name still counts, whatever its length.
        let long = format!("ssm{}", "x".repeat(300));
        assert_eq!(suggest(&long, ["s3", "sqs", "ssm"]), Some("ssm"));
    }

    #[test]
    fn ties_resolve_in_sorted_order() {
        assert_eq!(suggest("ab", ["ac", "aa"]), Some("aa"));
    }
}
