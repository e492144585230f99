//! Built-in AWS data for vpce: regions, their availability zones, and the catalogue
//! of AWS services that have VPC endpoints.
//!
//! The data lives in `data/regions.tsv` and `data/services.tsv`, generated from
//! moto by `scripts/gen-catalogue.py` and amended by hand where AWS's documentation
//! knows better (each service row says which, in its `source` column). Keeping it
//! as data files rather than Rust tables means the provenance travels with the
//! data (header comments) and an update is a regeneration, not a code change. See
//! `data/README.md`.
//!
//! The files are embedded with `include_str!` and parsed once, on first use. They
//! are part of this repository, so a parse failure is a programmer error: the unit
//! tests parse both files completely, and the accessors here `expect` success.
//!
//! The crate has no dependencies and does no IO.
//!
//! ```
//! let s3 = vpce_data::service("s3").unwrap();
//! assert!(s3.gateway && s3.interface && s3.available_in("eu-west-1"));
//! assert_eq!(vpce_data::region_of_az_id("euw1-az1").unwrap().code, "eu-west-1");
//! assert_eq!(
//!     vpce_data::parse_aws_service_name("com.amazonaws.eu-west-1.ecr.dkr"),
//!     Some(("eu-west-1", "ecr.dkr"))
//! );
//! ```

use std::collections::HashMap;
use std::sync::OnceLock;

mod parse;

const REGIONS_TSV: &str = include_str!("../data/regions.tsv");
const SERVICES_TSV: &str = include_str!("../data/services.tsv");

/// An AWS region and its availability zones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    /// Region code, e.g. `eu-west-1`.
    pub code: String,
    /// Partition: `aws`, `aws-cn` or `aws-us-gov`. Endpoint services, ARNs and
    /// cross-region access never cross a partition boundary.
    pub partition: String,
    /// The prefix of this region's zone ids, e.g. `euw1` (zone `euw1-az1`).
    pub az_prefix: String,
    /// Zones sorted by id number (`az1`, `az2`, ...).
    pub azs: Vec<Az>,
}

impl Region {
    /// The first labels of AWS service names here: `com.amazonaws`, or
    /// `cn.com.amazonaws` in the China Regions (`aws-cn`). Some services in China keep
    /// `com.amazonaws` (AWS CDK keeps a per-service table for them, aws-cdk#16139);
    /// a configuration names those by their full name.
    pub fn service_name_prefix(&self) -> &'static str {
        if self.partition == "aws-cn" {
            "cn.com.amazonaws"
        } else {
            "com.amazonaws"
        }
    }

    /// The first labels of endpoint service names here: `com.amazonaws.vpce`, or
    /// `cn.com.amazonaws.vpce` in the China Regions (AWS CDK's region-info fact
    /// `vpcEndpointServiceNamePrefix`).
    pub fn endpoint_service_name_prefix(&self) -> &'static str {
        if self.partition == "aws-cn" {
            "cn.com.amazonaws.vpce"
        } else {
            "com.amazonaws.vpce"
        }
    }
}

/// An availability zone.
///
/// The id (`euw1-az1`) names the same physical zone in every account; the name
/// (`eu-west-1a`) is mapped to a zone per account. The name here is moto's fixed
/// mapping, good for recognising names, never for translating them to ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Az {
    /// Zone id, e.g. `euw1-az1`: stable across accounts.
    pub id: String,
    /// Zone name, e.g. `eu-west-1a`, in moto's mapping (real accounts differ).
    pub name: String,
}

/// Where a service row's facts come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// Entirely from moto's `DescribeVpcEndpointServices`.
    Moto,
    /// Not in moto: added from AWS documentation.
    AwsDoc,
    /// From moto, with facts added or corrected from AWS documentation.
    Both,
}

impl Source {
    /// The name used in `services.tsv`: `moto`, `aws-doc` or `both`.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Moto => "moto",
            Source::AwsDoc => "aws-doc",
            Source::Both => "both",
        }
    }
}

/// An AWS service that has VPC endpoints, by its short name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    /// Short name: the part after `com.amazonaws.REGION.`, e.g. `s3`, `ecr.dkr`.
    pub name: String,
    /// Has interface endpoints (ENIs in subnets).
    pub interface: bool,
    /// Has gateway endpoints (route-table entries): only `s3`, `dynamodb` and
    /// `s3express`.
    pub gateway: bool,
    /// Accepts IPv6 (`dualstack`/`ipv6` endpoints). `false` when unknown: check
    /// [`Service::ipv6_known`] before reporting an error on it.
    pub ipv6: bool,
    /// Whether [`Service::ipv6`] is known. moto does not report IPv6 support, so
    /// for most services it is not.
    pub ipv6_known: bool,
    /// Reachable from a VPC in another region (interface endpoint with
    /// `service_region`), per AWS's list of cross-region enabled services.
    pub cross_region: bool,
    /// Rejects any endpoint policy but the default full-access one (e.g. `eks`).
    pub full_access_policy_only: bool,
    /// Whether an AWS source confirms [`Service::full_access_policy_only`]; when
    /// `false`, only moto (`VpcEndpointPolicySupported = false`) says so.
    pub full_access_policy_only_confirmed: bool,
    /// Private DNS name template with a `{region}` placeholder, e.g.
    /// `ssm.{region}.amazonaws.com`; `None` when the service has none. Mostly
    /// moto's guess: see [`Service::private_dns_name`].
    pub private_dns: Option<String>,
    /// Where this row's facts come from.
    pub source: Source,
    /// Regions where the service has endpoints, sorted. moto lists most services
    /// in every region it knows, so absence is more reliable than presence.
    pub regions: Vec<String>,
}

impl Service {
    /// Whether the service has endpoints in `region`.
    pub fn available_in(&self, region: &str) -> bool {
        self.regions
            .binary_search_by(|r| r.as_str().cmp(region))
            .is_ok()
    }

    /// The full AWS service name in `region`, e.g. `com.amazonaws.eu-west-1.s3`,
    /// which is what endpoints are created with. In the China regions AWS uses
    /// `cn.com.amazonaws.` for some services; this always returns the
    /// `com.amazonaws.` form.
    pub fn service_name(&self, region: &str) -> String {
        format!("com.amazonaws.{region}.{}", self.name)
    }

    /// The private DNS name in `region` (the template with `{region}` filled in),
    /// e.g. `ssm.eu-west-1.amazonaws.com`. This comes from moto, which derives it
    /// from the service name for most services; AWS's real name can differ (S3
    /// also answers `*.s3.REGION.amazonaws.com`). Good for plans and messages, not
    /// for asserting what AWS will create.
    pub fn private_dns_name(&self, region: &str) -> Option<String> {
        self.private_dns
            .as_ref()
            .map(|t| t.replace("{region}", region))
    }
}

/// Everything parsed from the two data files, with lookup indexes.
struct Catalogue {
    regions: Vec<Region>,
    services: Vec<Service>,
    source: &'static str,
    aws_list_read: &'static str,
    /// Zone id -> index into `regions`.
    by_az_id: HashMap<String, usize>,
    /// Zone name -> index into `regions`.
    by_az_name: HashMap<String, usize>,
}

impl Catalogue {
    fn parse(
        regions_tsv: &'static str,
        services_tsv: &'static str,
    ) -> Result<Self, parse::ParseError> {
        let regions = parse::parse_regions(regions_tsv)?;
        let (services, header) = parse::parse_services(services_tsv, &regions)?;
        let mut by_az_id = HashMap::new();
        let mut by_az_name = HashMap::new();
        for (index, region) in regions.iter().enumerate() {
            for az in &region.azs {
                by_az_id.insert(az.id.clone(), index);
                by_az_name.insert(az.name.clone(), index);
            }
        }
        Ok(Catalogue {
            regions,
            services,
            source: header.source,
            aws_list_read: header.aws_list_read,
            by_az_id,
            by_az_name,
        })
    }
}

fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        Catalogue::parse(REGIONS_TSV, SERVICES_TSV).unwrap_or_else(|e| {
            panic!(
                "vpce_data: the embedded catalogue is malformed ({e}); \
                 regenerate it with `python3 scripts/gen-catalogue.py` and run `cargo test -p vpce_data`"
            )
        })
    })
}

/// All known regions, sorted by code. Includes the China and GovCloud regions
/// (see [`Region::partition`]).
pub fn regions() -> &'static [Region] {
    &catalogue().regions
}

/// The region with this code (`eu-west-1`), if known.
pub fn region(code: &str) -> Option<&'static Region> {
    let regions = regions();
    regions
        .binary_search_by(|r| r.code.as_str().cmp(code))
        .ok()
        .map(|i| &regions[i])
}

/// The region a zone id belongs to: `euw1-az1` -> eu-west-1. Only ids that exist
/// in the data match (`euw1-az9` is `None`), so this also validates the id.
pub fn region_of_az_id(az_id: &str) -> Option<&'static Region> {
    let c = catalogue();
    c.by_az_id.get(az_id).map(|&i| &c.regions[i])
}

/// The region a zone name belongs to: `eu-west-1a` -> eu-west-1. Only names in
/// the data match. Which zone a name denotes differs per account, but the region
/// does not, so this is safe for region checks.
pub fn region_of_az_name(az_name: &str) -> Option<&'static Region> {
    let c = catalogue();
    c.by_az_name.get(az_name).map(|&i| &c.regions[i])
}

/// All known endpoint services, sorted by short name (for did-you-mean lists).
pub fn services() -> &'static [Service] {
    &catalogue().services
}

/// The service with this short name (`s3`, `ecr.dkr`), if known. Not finding a
/// name does not prove AWS lacks it: the catalogue is moto's list plus a few
/// hand-added rows, smaller than AWS's.
pub fn service(short_name: &str) -> Option<&'static Service> {
    let services = services();
    services
        .binary_search_by(|s| s.name.as_str().cmp(short_name))
        .ok()
        .map(|i| &services[i])
}

/// Splits an AWS service's full endpoint service name into region and short name:
/// `com.amazonaws.eu-west-1.s3` -> `Some(("eu-west-1", "s3"))`, also with the
/// China prefix `cn.com.amazonaws.`. Purely syntactic, so an unknown but
/// well-formed region still parses (and can be reported as unknown by the caller).
/// `None` for anything else, notably endpoint services of other accounts
/// (`com.amazonaws.vpce.REGION.vpce-svc-...`) and names without a region
/// (`com.amazonaws.iam`, `com.amazonaws.s3-global.accesspoint`).
pub fn parse_aws_service_name(full: &str) -> Option<(&str, &str)> {
    let rest = full
        .strip_prefix("cn.com.amazonaws.")
        .or_else(|| full.strip_prefix("com.amazonaws."))?;
    let (region, service) = rest.split_once('.')?;
    (parse::is_region_code(region) && parse::is_service_short_name(service))
        .then_some((region, service))
}

/// One-line provenance of the catalogue, for `--version` output and reports, e.g.
/// `moto 5.2.5 describe_vpc_endpoint_services + hand-curated AWS docs, generated 2026-11-23`.
pub fn catalogue_source() -> &'static str {
    catalogue().source
}

/// When AWS's list "AWS services that integrate with AWS PrivateLink" was last read
/// into the catalogue (`YYYY-MM-DD`). AWS adds services often: a name the catalogue
/// lacks may be newer than this date.
pub fn aws_list_read() -> &'static str {
    catalogue().aws_list_read
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed() -> Catalogue {
        match Catalogue::parse(REGIONS_TSV, SERVICES_TSV) {
            Ok(c) => c,
            Err(e) => panic!("embedded data does not parse: {e}"),
        }
    }

    #[test]
    fn both_files_parse() {
        let c = parsed();
        assert!(c.regions.len() >= 30, "{} regions", c.regions.len());
        assert!(c.services.len() >= 200, "{} services", c.services.len());
        assert!(c.source.contains("moto "), "{}", c.source);
        assert_eq!(catalogue_source(), c.source);
    }

    #[test]
    fn regions_are_sorted_and_have_zones() {
        let regions = regions();
        assert!(regions.windows(2).all(|w| w[0].code < w[1].code));
        for r in regions {
            assert!(r.azs.len() >= 2, "{} has {} zones", r.code, r.azs.len());
            for az in &r.azs {
                assert!(
                    az.id.starts_with(&format!("{}-az", r.az_prefix)),
                    "{} in {}",
                    az.id,
                    r.code
                );
                assert!(az.name.starts_with(&r.code), "{} in {}", az.name, r.code);
                assert_eq!(region_of_az_id(&az.id).map(|x| &x.code), Some(&r.code));
                assert_eq!(region_of_az_name(&az.name).map(|x| &x.code), Some(&r.code));
            }
        }
    }

    #[test]
    fn standard_regions_are_present() {
        for code in [
            "us-east-1",
            "us-east-2",
            "us-west-1",
            "us-west-2",
            "eu-west-1",
            "eu-west-2",
            "eu-west-3",
            "eu-central-1",
            "eu-north-1",
            "ap-northeast-1",
            "ap-southeast-1",
            "ap-southeast-2",
            "ap-south-1",
            "ca-central-1",
            "sa-east-1",
        ] {
            let r = region(code).unwrap_or_else(|| panic!("{code} missing"));
            assert_eq!(r.partition, "aws");
        }
        let ids = |code: &str| -> Vec<String> {
            region(code)
                .unwrap()
                .azs
                .iter()
                .map(|a| a.id.clone())
                .collect()
        };
        assert_eq!(ids("eu-west-1"), ["euw1-az1", "euw1-az2", "euw1-az3"]);
        assert_eq!(
            ids("us-east-1"),
            ["use1-az1", "use1-az2", "use1-az3", "use1-az4", "use1-az5", "use1-az6"]
        );
        assert_eq!(region("eu-west-1").unwrap().az_prefix, "euw1");
        assert_eq!(region("cn-north-1").unwrap().partition, "aws-cn");
        assert_eq!(region("us-gov-west-1").unwrap().partition, "aws-us-gov");
        assert!(region("eu-west-9").is_none());
        assert!(region("").is_none());
    }

    #[test]
    fn zone_lookups() {
        assert_eq!(region_of_az_id("euw1-az1").unwrap().code, "eu-west-1");
        assert_eq!(region_of_az_id("use1-az6").unwrap().code, "us-east-1");
        assert!(region_of_az_id("euw1-az9").is_none());
        assert!(region_of_az_id("euw1").is_none());
        assert!(region_of_az_id("eu-west-1a").is_none());
        assert_eq!(region_of_az_name("eu-west-1a").unwrap().code, "eu-west-1");
        assert_eq!(region_of_az_name("us-east-1f").unwrap().code, "us-east-1");
        assert!(region_of_az_name("eu-west-1z").is_none());
        assert!(region_of_az_name("eu-west-1").is_none());
        assert!(region_of_az_name("euw1-az1").is_none());
    }

    #[test]
    fn services_are_sorted_and_valid() {
        let services = services();
        assert!(services.windows(2).all(|w| w[0].name < w[1].name));
        let known: Vec<&str> = regions().iter().map(|r| r.code.as_str()).collect();
        for s in services {
            assert!(s.interface || s.gateway, "{}", s.name);
            assert!(!s.regions.is_empty(), "{}", s.name);
            assert!(s.regions.windows(2).all(|w| w[0] < w[1]), "{}", s.name);
            assert!(
                s.regions.iter().all(|r| known.contains(&r.as_str())),
                "{}",
                s.name
            );
            assert!(s.ipv6_known || !s.ipv6, "{}", s.name);
        }
    }

    #[test]
    fn gateway_services_are_exactly_s3_dynamodb_s3express() {
        let gateways: Vec<&str> = services()
            .iter()
            .filter(|s| s.gateway)
            .map(|s| s.name.as_str())
            .collect();
        assert_eq!(gateways, ["dynamodb", "s3", "s3express"]);
    }

    #[test]
    fn common_services() {
        let s3 = service("s3").unwrap();
        assert!(s3.interface && s3.gateway);
        assert!(s3.cross_region);
        assert!(s3.available_in("eu-west-1"));
        assert!(!s3.available_in("eu-west-9"));
        assert_eq!(s3.service_name("eu-west-1"), "com.amazonaws.eu-west-1.s3");

        let ddb = service("dynamodb").unwrap();
        assert!(ddb.interface && ddb.gateway);
        assert_eq!(ddb.source, Source::Both);

        let s3express = service("s3express").unwrap();
        assert!(s3express.gateway);

        let ssm = service("ssm").unwrap();
        assert!(ssm.interface && !ssm.gateway);
        assert!(!ssm.full_access_policy_only);
        assert_eq!(ssm.source, Source::Moto);
        assert_eq!(
            ssm.private_dns_name("eu-west-1").as_deref(),
            Some("ssm.eu-west-1.amazonaws.com")
        );

        let eks = service("eks").unwrap();
        assert!(eks.full_access_policy_only && eks.full_access_policy_only_confirmed);
        let cloudformation = service("cloudformation").unwrap();
        assert!(
            cloudformation.full_access_policy_only
                && !cloudformation.full_access_policy_only_confirmed,
            "only moto says so"
        );
        for name in ["s3tables", "bedrock-agentcore"] {
            let refreshed = service(name).unwrap_or_else(|| panic!("{name} is listed"));
            assert!(refreshed.interface && refreshed.available_in("us-east-1"));
        }
        assert_eq!(aws_list_read().len(), "2026-12-04".len());

        for name in [
            "ssmmessages",
            "ec2messages",
            "ec2",
            "secretsmanager",
            "kms",
            "logs",
            "monitoring",
            "sts",
            "ecr.api",
            "ecr.dkr",
            "sqs",
            "sns",
            "lambda",
            "execute-api",
            "eks",
            "elasticloadbalancing",
        ] {
            let s = service(name).unwrap_or_else(|| panic!("{name} missing"));
            assert!(s.interface && !s.gateway, "{name}");
            assert!(s.available_in("eu-west-1"), "{name}");
            assert!(s.available_in("us-east-1"), "{name}");
        }
        assert!(service("ssm-nonexistent").is_none());
        assert!(service("").is_none());
    }

    #[test]
    fn cross_region_services() {
        let cross: Vec<&str> = services()
            .iter()
            .filter(|s| s.cross_region)
            .map(|s| s.name.as_str())
            .collect();
        for name in [
            "ecr.api",
            "ecr.dkr",
            "ecs",
            "kinesis-firehose",
            "kinesisanalytics",
            "kms",
            "lambda",
            "s3",
        ] {
            assert!(cross.contains(&name), "{name} not cross-region");
        }
        assert!(!service("ssm").unwrap().cross_region);
    }

    #[test]
    fn aws_service_names() {
        assert_eq!(
            parse_aws_service_name("com.amazonaws.eu-west-1.s3"),
            Some(("eu-west-1", "s3"))
        );
        assert_eq!(
            parse_aws_service_name("com.amazonaws.us-east-1.ecr.dkr"),
            Some(("us-east-1", "ecr.dkr"))
        );
        assert_eq!(
            parse_aws_service_name("cn.com.amazonaws.cn-north-1.ecr.api"),
            Some(("cn-north-1", "ecr.api"))
        );
        assert_eq!(
            parse_aws_service_name("com.amazonaws.us-gov-west-1.kms-fips"),
            Some(("us-gov-west-1", "kms-fips"))
        );
        // Syntactic: an unknown region or service still splits.
        assert_eq!(
            parse_aws_service_name("com.amazonaws.xx-nowhere-7.foo"),
            Some(("xx-nowhere-7", "foo"))
        );
        for bad in [
            "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0",
            "cn.com.amazonaws.vpce.cn-north-1.vpce-svc-0123456789abcdef0",
            "com.amazonaws.iam",
            "com.amazonaws.s3-global.accesspoint",
            "aws.sagemaker.eu-west-1.notebook",
            "com.amazonaws.eu-west-1.",
            "com.amazonaws.eu-west-1",
            "com.amazonaws.eu-west-1.S3",
            "com.amazonaws.eu-west-1.s3..x",
            "com.amazonaws.eu-west-1.s3.",
            "com.amazonaws.EU-west-1.s3",
            "com.amazonaws.eu-west.s3",
            "com.amazonaws.eu-1.s3",
            "org.amazonaws.eu-west-1.s3",
            "s3",
            "",
        ] {
            assert_eq!(parse_aws_service_name(bad), None, "{bad}");
        }
    }

    #[test]
    fn every_service_name_round_trips() {
        for s in services() {
            for region in &s.regions {
                let full = s.service_name(region);
                assert_eq!(
                    parse_aws_service_name(&full),
                    Some((region.as_str(), s.name.as_str()))
                );
            }
        }
    }

    // The parsers reject malformed data with the line at fault. The inputs must be
    // 'static, hence the literals.

    fn regions_err(text: &'static str) -> String {
        parse::parse_regions(text).unwrap_err().to_string()
    }

    #[test]
    fn region_parse_errors() {
        assert_eq!(
            regions_err("# c\neu-west-1\taws\teuw1-az1\n"),
            "data/regions.tsv:2: expected 4 tab-separated fields, found 3"
        );
        assert!(regions_err(
            "eu-west-1\taws\teuw1-az1\teu-west-1a\neu-west-1\taws\teuw2-az2\teu-west-1b\n"
        )
        .contains(":2: zone id `euw2-az2` does not share the prefix"));
        assert!(regions_err(
            "eu-west-1\taws\teuw1-az1\teu-west-1a\neu-west-1\taws\teuw1-az1\teu-west-1b\n"
        )
        .contains(":2: duplicate zone id"));
        assert!(regions_err("eu-west-1\taws\teuw1-az1\teu-west-2a\n").contains("plus one letter"));
        assert!(regions_err("eu-west-1\taws\teuw1-azX\teu-west-1a\n").contains("not a zone id"));
        assert!(
            regions_err("eu-west-1\tmars\teuw1-az1\teu-west-1a\n").contains("unknown partition")
        );
        assert!(regions_err("eu-west-1\taws\teuw1-az1 \teu-west-1a\n").contains("stray whitespace"));
        assert!(regions_err("# only comments\n").contains("no regions"));
    }

    fn services_err(text: &'static str) -> String {
        let regions = parse::parse_regions(
            "eu-west-1\taws\teuw1-az1\teu-west-1a\n\
             us-east-1\taws\tuse1-az1\tus-east-1a\n",
        )
        .unwrap();
        parse::parse_services(text, &regions)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn service_parse_errors() {
        assert!(
            services_err("s3\tyes\tyes\tunknown\tno\tno\t-\tmoto\t*\t-\n")
                .contains("no `# catalogue: `")
        );
        assert!(services_err(concat!(
            "# catalogue: test\n# aws-list-read: 2026-12-04\n",
            "s3\tyes\tmaybe\tunknown\tno\tno\t-\tmoto\t*\t-\n"
        ))
        .contains(":3: gateway: expected `yes` or `no`"));
        assert!(services_err(concat!(
            "# catalogue: test\n# aws-list-read: 2026-12-04\n",
            "s3\tyes\tno\tunknown\tno\tno\t-\tmoto\t*,-eu-west-9\t-\n"
        ))
        .contains("regions: unknown region `eu-west-9`"));
        assert!(services_err(concat!(
            "# catalogue: test\n# aws-list-read: 2026-12-04\n",
            "s3\tyes\tno\tunknown\tno\tno\t-\tmoto\tus-east-1,eu-west-1\t-\n"
        ))
        .contains("sorted"));
        assert!(services_err(concat!(
            "# catalogue: test\n# aws-list-read: 2026-12-04\n",
            "sqs\tyes\tno\tunknown\tno\tno\t-\tmoto\t*\t-\n",
            "sns\tyes\tno\tunknown\tno\tno\t-\tmoto\t*\t-\n"
        ))
        .contains(":4: `sns` is out of order"));
        assert!(services_err(concat!(
            "# catalogue: test\n# aws-list-read: 2026-12-04\n",
            "s3\tno\tno\tunknown\tno\tno\t-\tmoto\t*\t-\n"
        ))
        .contains("neither interface nor gateway"));
        assert!(services_err(concat!(
            "# catalogue: test\n# aws-list-read: 2026-12-04\n",
            "s3\tyes\tno\tunknown\tno\tno\ts3.amazonaws.com\tmoto\t*\t-\n"
        ))
        .contains("private_dns"));
        assert!(services_err(concat!(
            "# catalogue: test\n# aws-list-read: 2026-12-04\n",
            "s3\tyes\tno\tunknown\tno\tno\t-\tguess\t*\t-\n"
        ))
        .contains("source:"));
        assert!(services_err(concat!(
            "# catalogue: test\n# aws-list-read: 2026-12-04\n",
            "s3\tyes\tno\tunknown\tno\tno\t-\tmoto\t*,-eu-west-1,-us-east-1\t-\n"
        ))
        .contains("no region left"));
        assert!(services_err(concat!(
            "# catalogue: test\n",
            "s3\tyes\tno\tunknown\tno\tno\t-\tmoto\t*\t-\n"
        ))
        .contains("no `# aws-list-read: YYYY-MM-DD`"));
        assert!(services_err(concat!(
            "# catalogue: test\n# aws-list-read: 2026-12-04\n",
            "s3\tyes\tno\tunknown\tno\tyes\t-\tmoto\t*\t-\n"
        ))
        .contains("full_access_policy_only: expected no, aws or moto"));

        let regions = parse::parse_regions("eu-west-1\taws\teuw1-az1\teu-west-1a\n").unwrap();
        let text: &'static str = concat!(
            "# catalogue: test\n# aws-list-read: 2026-12-04\n",
            "s3\tyes\tyes\tyes\tno\tno\ts3.{region}.amazonaws.com\tboth\t*\tnote with spaces\n"
        );
        let (services, header) = parse::parse_services(text, &regions).unwrap();
        assert_eq!(
            (header.source, header.aws_list_read),
            ("test", "2026-12-04")
        );
        assert_eq!(services[0].regions, ["eu-west-1"]);
        assert!(services[0].ipv6 && services[0].ipv6_known);
        assert_eq!(services[0].source, Source::Both);
    }
}
