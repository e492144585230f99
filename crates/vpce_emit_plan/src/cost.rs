//! The monthly cost estimate of the endpoints, from the price table
//! `data/prices.tsv` (kept as data, with its source and date in its header).
//!
//! Interface endpoints are billed per endpoint per AZ-hour, gateway load balancer
//! endpoints per endpoint-hour, both plus a per-GB data charge; gateway endpoints are
//! free (AWS-FACTS §5). Money is counted in millionths of a dollar, so sums are exact.

use std::sync::OnceLock;

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;
use vpce_model::EndpointType;

use crate::{SimResource, HOURS_PER_MONTH};

const PRICES_TSV: &str = include_str!("../data/prices.tsv");

/// The region whose rates the table confirms.
const PRICED_REGION: &str = "us-east-1";

struct Table {
    source: String,
    date: String,
    /// `(region, item, micro-dollars per unit)`.
    rates: Vec<(String, String, u64)>,
}

/// `"0.0035"` → 3500 millionths. `None` for anything but a plain decimal.
fn micros(text: &str) -> Option<u64> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() && fraction.is_empty() || fraction.len() > 6 {
        return None;
    }
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if !digits(whole) || !digits(fraction) {
        return None;
    }
    let whole: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let fraction: u64 = format!("{fraction:0<6}").parse().ok()?;
    whole.checked_mul(1_000_000)?.checked_add(fraction)
}

fn parse(text: &str) -> Result<Table, String> {
    let mut table = Table {
        source: String::new(),
        date: String::new(),
        rates: Vec::new(),
    };
    for (number, line) in text.lines().enumerate() {
        let at = |what: &str| format!("data/prices.tsv:{}: {what}", number + 1);
        if let Some(comment) = line.strip_prefix('#') {
            let comment = comment.trim();
            if let Some(source) = comment.strip_prefix("prices:") {
                table.source = source.trim().to_string();
            } else if let Some(date) = comment.strip_prefix("date:") {
                table.date = date.trim().to_string();
            }
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [region, item, usd, _unit] = fields[..] else {
            return Err(at("expected 4 tab-separated fields"));
        };
        let rate = micros(usd).ok_or_else(|| at(&format!("`{usd}` is not a price")))?;
        table.rates.push((region.into(), item.into(), rate));
    }
    if table.source.is_empty() || table.date.is_empty() {
        return Err("data/prices.tsv: the header needs `# prices:` and `# date:`".into());
    }
    Ok(table)
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        parse(PRICES_TSV).unwrap_or_else(|e| panic!("the embedded price table is malformed: {e}"))
    })
}

/// A rate for `region`, and whether the table has it for that region (otherwise the
/// us-east-1 rate is used and the figure is UNCONFIRMED).
fn rate(region: &str, item: &str) -> (u64, bool) {
    let rates = &table().rates;
    let find = |r: &str| {
        rates
            .iter()
            .find(|(reg, it, _)| reg == r && it == item)
            .map(|(_, _, rate)| *rate)
    };
    match find(region).or_else(|| find("*")) {
        Some(rate) => (rate, true),
        None => (find(PRICED_REGION).unwrap_or(0), false),
    }
}

fn dollars(micros: u64) -> f64 {
    micros as f64 / 1_000_000.0
}

/// One endpoint's share.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct CostLine {
    /// `endpoint.secrets`.
    pub address: String,
    /// `interface`, `gateway` or `gateway_load_balancer`.
    pub kind: String,
    pub region: String,
    /// Billed AZs: one per subnet of an interface endpoint, one for a gateway load
    /// balancer endpoint, none for a gateway endpoint.
    pub azs: u64,
    pub usd_per_hour: f64,
    pub monthly_hours_usd: f64,
    pub usd_per_gb: f64,
    /// With a traffic figure only.
    pub monthly_data_usd: Option<f64>,
    /// The table has rates for this region (false: us-east-1's are used, UNCONFIRMED).
    pub rates_confirmed: bool,
}

/// The estimate for a whole simulation.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct Cost {
    pub currency: String,
    pub hours_per_month: u64,
    /// Where the rates come from.
    pub source: String,
    /// When the rates were recorded.
    pub date: String,
    pub endpoints: Vec<CostLine>,
    /// GB per month per interface or gateway load balancer endpoint, when given.
    pub traffic_gb: Option<u64>,
    pub monthly_hours_usd: f64,
    pub monthly_data_usd: Option<f64>,
    pub monthly_total_usd: f64,
    /// What the estimate leaves out or cannot confirm.
    pub notes: Vec<String>,
}

/// The estimate for these resources (their `AWS::EC2::VPCEndpoint`s).
pub fn estimate(resources: &[SimResource], traffic_gb: Option<u64>) -> Cost {
    let mut lines = Vec::new();
    let (mut hours_total, mut data_total) = (0u64, 0u64);
    let mut unconfirmed: Vec<&str> = Vec::new();
    for resource in resources
        .iter()
        .filter(|r| r.resource_type == "AWS::EC2::VPCEndpoint")
    {
        let properties = &resource.properties;
        let subnets = properties
            .get("SubnetIds")
            .and_then(Value::as_array)
            .map_or(0, Vec::len) as u64;
        let kind = properties
            .get("VpcEndpointType")
            .and_then(Value::as_str)
            .and_then(EndpointType::from_cloudformation_name)
            .unwrap_or(EndpointType::Gateway);
        let azs = match kind {
            EndpointType::Interface => subnets,
            EndpointType::GatewayLoadBalancer => 1,
            EndpointType::Gateway => 0,
        };
        // The price table's rows are named after the language's types.
        let kind = kind.as_str();
        let (hourly, confirmed_hour) = rate(&resource.region, &format!("{kind}_hour"));
        let (per_gb, confirmed_gb) = rate(&resource.region, &format!("{kind}_gb"));
        let confirmed = confirmed_hour && confirmed_gb;
        if !confirmed && !unconfirmed.contains(&resource.region.as_str()) {
            unconfirmed.push(&resource.region);
        }
        // Saturating: no input makes the estimate wrap around (rates are in millionths
        // of a dollar, so u64 holds any real bill many times over).
        let hours = azs.saturating_mul(HOURS_PER_MONTH).saturating_mul(hourly);
        let data = traffic_gb.map(|gb| {
            if azs == 0 {
                0
            } else {
                gb.saturating_mul(per_gb)
            }
        });
        hours_total = hours_total.saturating_add(hours);
        data_total = data_total.saturating_add(data.unwrap_or(0));
        lines.push(CostLine {
            address: resource.address.clone(),
            kind: kind.to_string(),
            region: resource.region.clone(),
            azs,
            usd_per_hour: dollars(hourly),
            monthly_hours_usd: dollars(hours),
            usd_per_gb: dollars(per_gb),
            monthly_data_usd: data.map(dollars),
            rates_confirmed: confirmed,
        });
    }
    let mut notes = Vec::new();
    unconfirmed.sort_unstable();
    for region in unconfirmed {
        notes.push(format!(
            "rates for `{region}` are UNCONFIRMED: the table has us-east-1's, which are used"
        ));
    }
    if traffic_gb.is_none() {
        notes.push(
            "data processing is billed per GB and not included: give a monthly traffic figure to add it"
                .into(),
        );
    }
    notes.push(
        "not included: NAT gateways, load balancers, data transfer between AZs or regions, interface data tiers above 1 PB"
            .into(),
    );
    Cost {
        currency: "USD".into(),
        hours_per_month: HOURS_PER_MONTH,
        source: table().source.clone(),
        date: table().date.clone(),
        endpoints: lines,
        traffic_gb,
        monthly_hours_usd: dollars(hours_total),
        monthly_data_usd: traffic_gb.map(|_| dollars(data_total)),
        monthly_total_usd: dollars(hours_total.saturating_add(data_total)),
        notes,
    }
}

/// `$14.60`.
pub fn format_usd(amount: f64) -> String {
    let cents = (amount * 100.0).round() as i64;
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}${grouped}.{:02}", cents % 100)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_table_parses_with_its_provenance() {
        let table = parse(PRICES_TSV).unwrap();
        assert!(table.source.contains("privatelink/pricing"));
        assert!(table.date.starts_with("20"));
        assert_eq!(rate("us-east-1", "interface_hour"), (10_000, true));
        assert_eq!(rate("us-east-1", "gateway_load_balancer_gb"), (3_500, true));
        assert_eq!(rate("eu-west-1", "interface_hour"), (10_000, false));
        assert_eq!(
            rate("eu-west-1", "gateway_hour"),
            (0, true),
            "free everywhere"
        );
        assert!(parse("# prices: x\n# date: y\nus-east-1\tx\tfree\tz\n").is_err());
        assert!(parse("us-east-1\tx\t1\tz\n").is_err(), "no header");
    }

    #[test]
    fn decimals_are_exact() {
        assert_eq!(micros("0.01"), Some(10_000));
        assert_eq!(micros("0.0035"), Some(3_500));
        assert_eq!(micros("7"), Some(7_000_000));
        assert_eq!(micros("1.2345678"), None);
        assert_eq!(micros("-1"), None);
        assert_eq!(micros("."), None);
    }

    fn endpoint(kind: &str, subnets: usize, region: &str) -> SimResource {
        SimResource {
            address: format!("endpoint.{kind}"),
            resource_type: "AWS::EC2::VPCEndpoint".into(),
            logical_id: "E".into(),
            region: region.into(),
            id: "vpce-0".into(),
            generation: 0,
            properties: json!({"VpcEndpointType": kind, "SubnetIds": vec!["s"; subnets]}),
            attributes: Default::default(),
        }
    }

    #[test]
    fn interface_endpoints_cost_per_az_and_gateways_nothing() {
        let resources = [
            endpoint("Interface", 2, "us-east-1"),
            endpoint("Gateway", 0, "us-east-1"),
            endpoint("GatewayLoadBalancer", 1, "us-east-1"),
        ];
        let cost = estimate(&resources, None);
        // Two AZs: 1,460 hours at $0.01 (infracost's golden figure), plus $7.30.
        assert_eq!(cost.endpoints[0].monthly_hours_usd, 14.6);
        assert_eq!(cost.endpoints[1].monthly_hours_usd, 0.0);
        assert_eq!(cost.endpoints[2].monthly_hours_usd, 7.3);
        assert_eq!(cost.monthly_total_usd, 21.9);
        assert!(cost.notes.iter().all(|n| !n.contains("UNCONFIRMED")));
        let with_traffic = estimate(&resources, Some(1000));
        assert_eq!(with_traffic.monthly_data_usd, Some(13.5));
        assert_eq!(with_traffic.monthly_total_usd, 35.4);
        // Absurd traffic saturates instead of wrapping around (or panicking).
        let absurd = estimate(&resources, Some(u64::MAX));
        assert!(absurd.monthly_total_usd >= with_traffic.monthly_total_usd);
        let elsewhere = estimate(&[endpoint("Interface", 1, "eu-west-1")], None);
        assert!(!elsewhere.endpoints[0].rates_confirmed);
        assert!(elsewhere.notes[0].contains("`eu-west-1` are UNCONFIRMED"));
        assert_eq!(format_usd(1460.5), "$1,460.50");
        assert_eq!(format_usd(-7.3), "-$7.30");
    }
}
