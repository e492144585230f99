//! Parsing of the embedded `data/*.tsv` files.
//!
//! The files are generated (`scripts/gen-catalogue.py`), so a malformed line is a
//! bug in this repository, never user input: errors carry the file and line so that
//! the unit tests point straight at it.

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use crate::{Az, Region, Service, Source};

/// A malformed line in one of the embedded data files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParseError {
    pub(crate) file: &'static str,
    /// 1-based line number; 0 when the problem is the file as a whole.
    pub(crate) line: usize,
    pub(crate) message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        }
    }
}

impl std::error::Error for ParseError {}

pub(crate) const REGIONS_FILE: &str = "data/regions.tsv";
pub(crate) const SERVICES_FILE: &str = "data/services.tsv";

const PARTITIONS: [&str; 3] = ["aws", "aws-cn", "aws-us-gov"];

/// Data lines of a TSV file with their 1-based line numbers: comments (`#`) and
/// blank lines skipped, each line split on tabs and checked for its field count.
fn records(
    file: &'static str,
    text: &'static str,
    fields: usize,
) -> Result<Vec<(usize, Vec<&'static str>)>, ParseError> {
    let mut out = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != fields {
            return Err(ParseError {
                file,
                line: index + 1,
                message: format!(
                    "expected {fields} tab-separated fields, found {}",
                    cols.len()
                ),
            });
        }
        if let Some(col) = cols.iter().find(|c| c.is_empty() || c.trim() != **c) {
            return Err(ParseError {
                file,
                line: index + 1,
                message: format!("empty field or stray whitespace in {col:?}"),
            });
        }
        out.push((index + 1, cols));
    }
    Ok(out)
}

/// Whether `s` looks like an AWS region code: `eu-west-1`, `us-gov-west-1`,
/// `ap-southeast-5` (two letters, one or more lowercase words, a number).
pub(crate) fn is_region_code(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[0].bytes().all(|b| b.is_ascii_lowercase())
        && parts[1..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts[parts.len() - 1].bytes().all(|b| b.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty()
}

/// Whether `s` is a plausible short service name: `s3`, `ecr.dkr`, `kms-fips`.
pub(crate) fn is_service_short_name(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
        && s.split('.')
            .all(|part| !part.is_empty() && !part.starts_with('-') && !part.ends_with('-'))
}

/// Splits `euw1-az3` into (`euw1`, 3).
fn split_az_id(id: &str) -> Option<(&str, u32)> {
    let (prefix, number) = id.rsplit_once("-az")?;
    let valid_prefix = !prefix.is_empty()
        && prefix
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    let number: u32 = number.parse().ok().filter(|n| *n > 0)?;
    valid_prefix.then_some((prefix, number))
}

pub(crate) fn parse_regions(text: &'static str) -> Result<Vec<Region>, ParseError> {
    let file = REGIONS_FILE;
    let err = |line: usize, message: String| ParseError {
        file,
        line,
        message,
    };
    let mut regions: BTreeMap<&str, Region> = BTreeMap::new();
    let mut ids = HashSet::new();
    let mut names = HashSet::new();
    for (line, cols) in records(file, text, 4)? {
        let (code, partition, az_id, az_name) = (cols[0], cols[1], cols[2], cols[3]);
        if !is_region_code(code) {
            return Err(err(line, format!("`{code}` is not a region code")));
        }
        if !PARTITIONS.contains(&partition) {
            return Err(err(line, format!("unknown partition `{partition}`")));
        }
        let Some((prefix, _)) = split_az_id(az_id) else {
            return Err(err(
                line,
                format!("`{az_id}` is not a zone id like euw1-az1"),
            ));
        };
        let letter = az_name.strip_prefix(code).unwrap_or("");
        if letter.len() != 1 || !letter.bytes().all(|b| b.is_ascii_lowercase()) {
            return Err(err(
                line,
                format!("zone name `{az_name}` is not `{code}` plus one letter"),
            ));
        }
        if !ids.insert(az_id) {
            return Err(err(line, format!("duplicate zone id `{az_id}`")));
        }
        if !names.insert(az_name) {
            return Err(err(line, format!("duplicate zone name `{az_name}`")));
        }
        let region = regions.entry(code).or_insert_with(|| Region {
            code: code.to_owned(),
            partition: partition.to_owned(),
            az_prefix: prefix.to_owned(),
            azs: Vec::new(),
        });
        if region.partition != partition {
            return Err(err(
                line,
                format!("`{code}` was in partition `{}` before", region.partition),
            ));
        }
        if region.az_prefix != prefix {
            return Err(err(
                line,
                format!(
                    "zone id `{az_id}` does not share the prefix `{}` of {code}'s other zones",
                    region.az_prefix
                ),
            ));
        }
        region.azs.push(Az {
            id: az_id.to_owned(),
            name: az_name.to_owned(),
        });
    }
    if regions.is_empty() {
        return Err(err(0, "no regions".to_owned()));
    }
    let prefixes: HashSet<&str> = regions.values().map(|r| r.az_prefix.as_str()).collect();
    if prefixes.len() != regions.len() {
        return Err(err(0, "two regions share a zone-id prefix".to_owned()));
    }
    Ok(regions
        .into_values()
        .map(|mut r| {
            r.azs
                .sort_by_key(|az| split_az_id(&az.id).map_or(0, |(_, n)| n));
            r
        })
        .collect())
}

fn yes_no(file: &'static str, line: usize, column: &str, value: &str) -> Result<bool, ParseError> {
    match value {
        "yes" => Ok(true),
        "no" => Ok(false),
        _ => Err(ParseError {
            file,
            line,
            message: format!("{column}: expected `yes` or `no`, found `{value}`"),
        }),
    }
}

/// Expands the `regions` column: `*`, `*,-r1,-r2` or `r1,r2,...` (see the header
/// of services.tsv). Every region named must be in `known` (sorted).
fn expand_regions(value: &str, known: &[Region]) -> Result<Vec<String>, String> {
    let mut parts = value.split(',');
    let mut out: Vec<String> = Vec::new();
    let exists = |code: &str| {
        known
            .binary_search_by(|r| r.code.as_str().cmp(code))
            .is_ok()
    };
    if value == "*" || value.starts_with("*,") {
        parts.next();
        let mut excluded = HashSet::new();
        for part in parts {
            let Some(code) = part.strip_prefix('-') else {
                return Err(format!(
                    "after `*` only `-region` exclusions may follow, found `{part}`"
                ));
            };
            if !exists(code) {
                return Err(format!("unknown region `{code}`"));
            }
            if !excluded.insert(code) {
                return Err(format!("region `{code}` excluded twice"));
            }
        }
        out.extend(
            known
                .iter()
                .filter(|r| !excluded.contains(r.code.as_str()))
                .map(|r| r.code.clone()),
        );
    } else {
        for code in parts {
            if !exists(code) {
                return Err(format!("unknown region `{code}`"));
            }
            out.push(code.to_owned());
        }
        if !out.windows(2).all(|w| w[0] < w[1]) {
            return Err("regions must be sorted and unique".to_owned());
        }
    }
    if out.is_empty() {
        return Err("no region left".to_owned());
    }
    Ok(out)
}

/// Parses services.tsv against the already parsed regions. Returns the services
/// (sorted by name) and the one-line provenance from the `# catalogue:` header.
pub(crate) fn parse_services(
    text: &'static str,
    regions: &[Region],
) -> Result<(Vec<Service>, Header), ParseError> {
    let file = SERVICES_FILE;
    let err = |line: usize, message: String| ParseError {
        file,
        line,
        message,
    };
    let source_line = text
        .lines()
        .find_map(|l| l.strip_prefix("# catalogue: "))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            err(
                0,
                "no `# catalogue: ` provenance line in the header".to_owned(),
            )
        })?;
    let aws_list_read = text
        .lines()
        .find_map(|l| l.strip_prefix("# aws-list-read: "))
        .map(str::trim)
        .filter(|d| is_iso_date(d))
        .ok_or_else(|| {
            err(
                0,
                "no `# aws-list-read: YYYY-MM-DD` line in the header".to_owned(),
            )
        })?;
    let mut services: Vec<Service> = Vec::new();
    for (line, cols) in records(file, text, 10)? {
        let name = cols[0];
        if !is_service_short_name(name) {
            return Err(err(line, format!("`{name}` is not a short service name")));
        }
        if let Some(prev) = services.last() {
            if prev.name.as_str() >= name {
                return Err(err(line, format!("`{name}` is out of order or duplicate")));
            }
        }
        let interface = yes_no(file, line, "interface", cols[1])?;
        let gateway = yes_no(file, line, "gateway", cols[2])?;
        if !interface && !gateway {
            return Err(err(
                line,
                format!("`{name}` has neither interface nor gateway endpoints"),
            ));
        }
        let (ipv6, ipv6_known) = match cols[3] {
            "unknown" => (false, false),
            other => (yes_no(file, line, "ipv6", other)?, true),
        };
        let cross_region = yes_no(file, line, "cross_region", cols[4])?;
        let (full_access_policy_only, full_access_policy_only_confirmed) = match cols[5] {
            "no" => (false, false),
            "aws" => (true, true),
            "moto" => (true, false),
            other => {
                return Err(err(
                    line,
                    format!("full_access_policy_only: expected no, aws or moto, found `{other}`"),
                ))
            }
        };
        let private_dns = match cols[6] {
            "-" => None,
            t if t.contains("{region}") && !t.contains(char::is_whitespace) => Some(t.to_owned()),
            t => {
                return Err(err(
                    line,
                    format!("private_dns `{t}` is neither `-` nor a template with {{region}}"),
                ))
            }
        };
        let source = match cols[7] {
            "moto" => Source::Moto,
            "aws-doc" => Source::AwsDoc,
            "both" => Source::Both,
            s => {
                return Err(err(
                    line,
                    format!("source: expected moto, aws-doc or both, found `{s}`"),
                ))
            }
        };
        let regions =
            expand_regions(cols[8], regions).map_err(|m| err(line, format!("regions: {m}")))?;
        services.push(Service {
            name: name.to_owned(),
            interface,
            gateway,
            ipv6,
            ipv6_known,
            cross_region,
            full_access_policy_only,
            full_access_policy_only_confirmed,
            private_dns,
            source,
            regions,
        });
    }
    if services.is_empty() {
        return Err(err(0, "no services".to_owned()));
    }
    Ok((
        services,
        Header {
            source: source_line,
            aws_list_read,
        },
    ))
}

/// What the services file's header says about the catalogue as a whole.
#[derive(Debug)]
pub(crate) struct Header {
    /// The `# catalogue: ` line.
    pub source: &'static str,
    /// The `# aws-list-read: ` date.
    pub aws_list_read: &'static str,
}

/// `YYYY-MM-DD`, by shape.
fn is_iso_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}
