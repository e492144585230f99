//! DNS names in AWS's formats (AWS-FACTS §1.1 `DnsEntries`, §3.6 S8):
//! - an interface endpoint's regional name
//!   `vpce-<17 hex>-<8 lowercase alnum>.<service>.<region>.vpce.amazonaws.com` and one
//!   zonal name per AZ, `vpce-<17 hex>-<8>-<az name>.<service>.<region>.vpce.amazonaws.com`;
//! - for an endpoint to an endpoint service, `<service>` is the service id
//!   (`vpce-svc-<17 hex>`);
//! - an endpoint service's base name `vpce-svc-<17 hex>.<region>.vpce.amazonaws.com`.

use crate::{ids, DnsName};

/// The DNS suffix of a region's partition: `amazonaws.com`, `amazonaws.com.cn` in China.
pub fn suffix(region: &str) -> &'static str {
    if crate::simulate::partition(region) == "aws-cn" {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    }
}

/// The service part of an AWS service's endpoint DNS names: the short name with its
/// dotted parts reversed (`ecr.dkr` → `dkr.ecr`, as in
/// `vpce-….dkr.ecr.us-east-1.vpce.amazonaws.com`); `s3` stays `s3`. The reversal is
/// what AWS shows for ECR; for other dotted names it is UNCONFIRMED.
pub fn service_label(short_name: &str) -> String {
    short_name.rsplit('.').collect::<Vec<_>>().join(".")
}

/// An interface endpoint's names are `HEAD.TAIL` (regional) and `HEAD-AZ.TAIL` (zonal),
/// with `HEAD` = `<endpoint id>-<token>`, which has no dot.
fn name_parts(endpoint_id: &str, label: &str, region: &str) -> (String, String) {
    let token = ids::base36(&["dns", endpoint_id], 8);
    (
        format!("{endpoint_id}-{token}"),
        format!("{label}.{region}.vpce.{}", suffix(region)),
    )
}

/// An interface endpoint's regional name.
pub fn regional_name(endpoint_id: &str, label: &str, region: &str) -> String {
    let (head, tail) = name_parts(endpoint_id, label, region);
    format!("{head}.{tail}")
}

/// The zonal name of `az` for the regional name `regional`: the AZ before its first dot.
pub fn zonal_name(regional: &str, az: &str) -> Option<String> {
    let (head, tail) = regional.split_once('.')?;
    Some(format!("{head}-{az}.{tail}"))
}

/// An endpoint service's name, `com.amazonaws.vpce.<region>.<service id>`.
pub fn endpoint_service_name(region: &str, service_id: &str) -> String {
    format!("com.amazonaws.vpce.{region}.{service_id}")
}

/// An endpoint service's base DNS name, `<service id>.<region>.vpce.<suffix>`.
pub fn endpoint_service_dns_name(service_id: &str, region: &str) -> String {
    format!("{service_id}.{region}.vpce.{}", suffix(region))
}

/// An interface endpoint's regional name, then one zonal name per distinct AZ in order.
pub fn endpoint_names(
    endpoint_id: &str,
    label: &str,
    region: &str,
    azs: &[Option<String>],
) -> Vec<DnsName> {
    let (head, tail) = name_parts(endpoint_id, label, region);
    let mut names = vec![DnsName {
        name: format!("{head}.{tail}"),
        availability_zone: None,
    }];
    let mut seen: Vec<&str> = Vec::new();
    for az in azs.iter().flatten() {
        if seen.contains(&az.as_str()) {
            continue;
        }
        seen.push(az);
        names.push(DnsName {
            name: format!("{head}-{az}.{tail}"),
            availability_zone: Some(az.clone()),
        });
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone_name(text: &str) -> String {
        vpce_model::net::Zone::parse(text).name().to_string()
    }

    #[test]
    fn names_follow_aws_formats() {
        let names = endpoint_names(
            "vpce-0123456789abcdef0",
            &service_label("secretsmanager"),
            "eu-west-1",
            &[
                Some(zone_name("euw1-az1")),
                Some(zone_name("euw1-az2")),
                None,
            ],
        );
        assert_eq!(names.len(), 3);
        let regional = &names[0].name;
        assert!(
            regional.starts_with("vpce-0123456789abcdef0-"),
            "{regional}"
        );
        assert!(
            regional.ends_with(".secretsmanager.eu-west-1.vpce.amazonaws.com"),
            "{regional}"
        );
        let token = &regional["vpce-0123456789abcdef0-".len()..][..8];
        assert!(token
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_ascii_lowercase()));
        // The catalogue's (moto's) mapping: euw1-az1 is eu-west-1b there.
        assert_eq!(names[1].availability_zone.as_deref(), Some("eu-west-1b"));
        assert!(names[1]
            .name
            .contains(&format!("{token}-eu-west-1b.secretsmanager.")));
        assert_eq!(service_label("ecr.dkr"), "dkr.ecr");
        assert_eq!(zone_name("eu-west-1b"), "eu-west-1b");
        assert_eq!(suffix("cn-north-1"), "amazonaws.com.cn");
    }
}
